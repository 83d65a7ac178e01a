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

/* cdf of z = (x - loc) / scale on the circle cut at loc + pi: F(z) for z in
 * [-pi, pi] (scipy's von_mises_cdf there), 0 below and 1 above (scipy's cdf
 * continues as F(z + 2 pi) = F(z) + 1 instead, which is not a probability
 * outside [-pi, pi]).  fm_log_vonmises_cdf gives the derivatives in this
 * family's layout (kappa, z; kk, kz, zz). */
static inline double vonmises_lcdf(double z, const double* P, int upper, double* g, double* h) {
    double d[5], v;
    if (!(z > -M_PI && z < M_PI)) {
        const int zero = (z > 0.0) == (upper != 0);
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return zero ? -INFINITY : 0.0;
    }
    v = fm_log_vonmises_cdf(P[0], z, upper, d);
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
