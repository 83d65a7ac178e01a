/* von Mises, shape kappa (M = 1), P = [kappa]; circular: every real z.
 * log g(z) = kappa (cos z - 1) - log(2 pi i0e(kappa)); the kappa-only term
 * (exponentially scaled Bessel function, no overflow) is added in Python.
 * cos z - 1 = -2 sin^2(z/2) keeps full relative precision near z = 0, where
 * concentrated data (large kappa) put every observation. With kappa = 1 and
 * loc = 0 the sums give sum cos x - n and -sum sin x: the circular mean. */
static inline double vonmises_obs(double z, const double* P, double* g, double* h) {
    const double kappa = P[0];
    /* one sincos at z/2 (half-angle forms) instead of sin, cos and sin(z/2) */
    const double sh = sin(0.5 * z), ch = cos(0.5 * z);
    const double cm1 = -2.0 * sh * sh;
    const double s = 2.0 * sh * ch, c = 1.0 + cm1;
    g[0] = cm1;
    g[1] = -kappa * s;
    h[0] = 0.0;
    h[1] = -s;
    h[2] = -kappa * c;
    return kappa * cm1;
}

/* -- cdf (see _natural_loop.h) -------------------------------------------------
 * z = (x - loc) / scale on the circle cut at loc + pi: F(z) for z in
 * [-pi, pi] (scipy's von_mises_cdf there), 0 below and 1 above (scipy's cdf
 * continues as F(z + 2 pi) = F(z) + 1 instead, which is not a probability
 * outside [-pi, pi]).  Censoring terms first move bounds by whole turns into
 * [-pi, pi) and read intervals as arcs (vonmises_nat.h).
 * fm_log_vonmises_cdf gives the derivatives in this family's layout
 * (kappa, z; kk, kz, zz) for 1e-8 <= kappa <= 1e8; outside that range
 * (kappa = 0 can be fixed, and fits reach 1e16 for data all equal) the two
 * expansions below take over, with z-derivatives from the density
 * f = C exp(kappa (cos z - 1)):
 *   d/dz log F = f/F,  d2/dz2 = g_z (-kappa sin z - g_z),
 *   d2/dkappa dz = g_z (cos z - 1 + dlog C/dkappa - g_kappa). */

/* kappa < 1e-8: F = (z + pi)/(2 pi) + kappa sin(z)/(2 pi) + kappa^2 sin(2z)/(16 pi)
 * (rho_1 = kappa/2, rho_2 = kappa^2/8 in the Fourier series; O(kappa^3)
 * left off); returns log F or log S with d/dkappa, d2/dkappa2 and log C,
 * dlog C/dkappa (i0e(kappa) = e^-kappa (1 + kappa^2/4 + ...)). */
static inline double vonmises_lcdf_small(double z, double kappa, int upper, double* l1, double* l2,
                                         double* logc, double* dlogc) {
    const double sz = sin(z), s2z = sin(2.0 * z);
    const double sg = upper ? -1.0 : 1.0;
    const double G = (upper ? M_PI - z : z + M_PI) * (0.5 / M_PI)
                     + sg * (kappa * sz * (0.5 / M_PI) + kappa * kappa * s2z * (0.0625 / M_PI));
    const double Gk = sg * (sz * (0.5 / M_PI) + kappa * s2z * (0.125 / M_PI));
    const double Gkk = sg * s2z * (0.125 / M_PI);
    *l1 = Gk / G;
    *l2 = Gkk / G - (*l1) * (*l1);
    *logc = kappa - log1p(0.25 * kappa * kappa) - log(2.0 * M_PI);
    *dlogc = 1.0 - 0.5 * kappa / (1.0 + 0.25 * kappa * kappa);
    return log(G);
}

/* kappa > 1e8: with u = 2 sin(t/2), cos t - 1 = -u^2/2 and
 * dt = du (1 - u^2/4)^(-1/2) = du (1 + u^2/8 + 3 u^4/128 + ...), so with
 * W = sqrt(kappa) 2 sin(s/2) and e = 1/kappa (normalized by F(pi) = 1; the
 * lower limit -2 sqrt(kappa) is -inf to e^(-2 kappa); next terms O(e^3))
 *   F(s) = Phi(W) - phi(W) G,  G = (W e/8 + 3 (W^3 + 3 W) e^2/128) / (1 + e/8 + 9 e^2/128),
 *   log F = log Phi(W) + log1p(-R(W) G),  R = phi/Phi.
 * kappa-derivatives by dual numbers (W moves with kappa). */
static inline double vonmises_lcdf_large(double s, double kappa, double* l1, double* l2,
                                         double* logc, double* dlogc) {
    const double e = 1.0 / kappa, w = sqrt(kappa) * 2.0 * sin(0.5 * s);
    const double r = fm_ndtr_ratio(w);
    const double r1 = -r * (w + r), r2 = -r1 * (w + r) - r * (1.0 + r1);
    const double den = 1.0 + e / 8.0 + 9.0 * e * e / 128.0;
    const fm_d1 W = fm__d1(w, 0.5 * w * e, -0.25 * w * e * e);
    const fm_d1 E = fm__d1(e, -e * e, 2.0 * e * e * e);
    const fm_d1 W3 = fm__d1_mul(fm__d1_mul(W, W), W);
    const fm_d1 E2 = fm__d1_mul(E, E);
    const fm_d1 c3 = fm__d1(3.0 * (W3.v + 3.0 * W.v), 3.0 * (W3.d + 3.0 * W.d), 3.0 * (W3.dd + 3.0 * W.dd));
    const fm_d1 t1 = fm__d1_mul(W, E), t2 = fm__d1_mul(c3, E2);
    const fm_d1 num = fm__d1((t1.v / 8.0 + t2.v / 128.0), (t1.d / 8.0 + t2.d / 128.0),
                             (t1.dd / 8.0 + t2.dd / 128.0));
    const fm_d1 D = fm__d1(den, -e * e / 8.0 - 18.0 * e * e * e / 128.0, e * e * e / 4.0 + 54.0 * e * e * e * e / 128.0);
    const fm_d1 G = fm__d1_div(num, D);
    const fm_d1 R = fm__d1_chain(W, r, r1, r2);
    const fm_d1 u = fm__d1_mul(R, G);
    const fm_d1 lphi = fm__d1_chain(W, fm_log_ndtr(w), r, r1);
    const double iu = 1.0 / (1.0 - u.v);
    const fm_d1 B = fm__d1_chain(u, log1p(-u.v), -iu, -iu * iu);
    *l1 = lphi.d + B.d;
    *l2 = lphi.dd + B.dd;
    *logc = 0.5 * log(kappa * (0.5 / M_PI)) - log1p(e / 8.0 + 9.0 * e * e / 128.0);
    *dlogc = 0.5 * e + (e * e / 8.0 + 9.0 * e * e * e / 64.0) / den;
    return lphi.v + B.v;
}

static inline double vonmises_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double kappa = P[0];
    double d[5], v;
    if (!(z > -M_PI && z < M_PI)) {
        const int zero = (z > 0.0) == (upper != 0);
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return zero ? -INFINITY : 0.0;
    }
    if (kappa >= 1e-8 && kappa <= 1e8) {
        v = fm_log_vonmises_cdf(kappa, z, upper, d);
    } else {
        double logc, dlogc, sh = sin(0.5 * z);
        v = kappa < 1e-8 ? vonmises_lcdf_small(z, kappa, upper, &d[0], &d[2], &logc, &dlogc)
                         : vonmises_lcdf_large(upper ? -z : z, kappa, &d[0], &d[2], &logc, &dlogc);
        d[1] = exp(logc - 2.0 * kappa * sh * sh - v);      /* f / F */
        if (upper) d[1] = -d[1];
        d[3] = d[1] * (-2.0 * sh * sh + dlogc - d[0]);
        d[4] = d[1] * (-kappa * sin(z) - d[1]);
    }
    if (v == -INFINITY) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return v;
    }
    g[0] = d[0];
    g[1] = d[1];
    h[0] = d[2];
    h[1] = d[3];
    h[2] = d[4];
    return v;
}
