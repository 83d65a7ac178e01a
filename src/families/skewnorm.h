/* Skew-normal, shape a (any real; M = 1), P = [a].
 *   log g(z) = log 2 + log phi(z) + log Phi(a z)
 * with the constant log 2 - log(2 pi)/2 added in Python.
 *
 * log Phi(u) and the inverse Mills ratio r(u) = phi(u)/Phi(u) = d/du log Phi(u)
 * must stay accurate far into the left tail (a z -> -inf when the shape is
 * large and an observation lies on the short side):
 *   u > 0:        log Phi(u) = log1p(-erfc(u/sqrt2)/2)  (no 1 - small cancellation)
 *   -30 < u <= 0: log(erfc(-u/sqrt2)/2); libm's erfc keeps its relative
 *                 accuracy down to ~1e-300 (u ~ -37), so this is direct
 *   u <= -30:     the asymptotic (Mills) series
 *                 Phi(u) = phi(u)/(-u) * S, S = sum_k (-1)^k (2k-1)!! / u^{2k},
 *                 whose 12 terms at |u| >= 30 truncate below 1e-20 relative.
 * r(u) is phi(u)/Phi(u) in the first two ranges and -u/S in the last.
 * d r/du = -r (u + r). */
#define FM_SN_TAIL (-30.0)

static inline double fm_mills_series(double u) {
    /* S(u) for u <= -30 */
    const double v = 1.0 / (u * u);
    double term = 1.0, s = 1.0;
    int k;
    for (k = 1; k <= 12; ++k) {
        term *= -(2.0 * k - 1.0) * v;
        s += term;
    }
    return s;
}

/* log Phi(u) and r(u) = phi(u) / Phi(u) */
static inline double fm_log_ndtr_ratio(double u, double* r) {
    const double RSQRT2 = 0.70710678118654752440;
    const double LOG_SQRT_2PI = 0.91893853320467274178;
    if (u > 0.0) {
        const double q = 0.5 * erfc(u * RSQRT2);   /* 1 - Phi(u) */
        *r = exp(-0.5 * u * u - LOG_SQRT_2PI) / (1.0 - q);
        return log1p(-q);
    }
    if (u > FM_SN_TAIL) {
        const double p = 0.5 * erfc(-u * RSQRT2);
        *r = exp(-0.5 * u * u - LOG_SQRT_2PI) / p;
        return log(p);
    }
    {
        const double s = fm_mills_series(u);
        *r = -u / s;
        return -0.5 * u * u - LOG_SQRT_2PI - log(-u) + log(s);
    }
}

static inline double skewnorm_obs(double z, const double* P, double* g, double* h) {
    const double a = P[0];
    const double u = a * z;
    double r, dr;
    const double lp = fm_log_ndtr_ratio(u, &r);
    dr = -r * (u + r);
    g[0] = z * r;
    g[1] = -z + a * r;
    h[0] = z * z * dr;
    h[1] = r + u * dr;
    h[2] = -1.0 + a * a * dr;
    return -0.5 * z * z + lp;
}
