/* Fisk (log-logistic), shape c (M = 1), P = [c], z > 0:
 *     log g(z) = (c - 1) log z - 2 log(1 + z^c)   (+ log c in Python)
 * With L = log z, r = z^c / (1 + z^c) = 1 / (1 + exp(-c L)) and
 * e = exp(-|c L|) (no overflow for any c L), one exp and one log1p give
 * everything: log(1 + z^c) = max(c L, 0) + log1p(e), r(1 - r) = e / (1 + e)^2. */
#include "_lcdf_util.h"

static inline double fisk_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    if (!(z > 0.0)) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    const double L = log(z), cL = c * L;
    const double e = exp(-fabs(cL));
    const double inv = 1.0 / (1.0 + e);
    const double r = cL > 0.0 ? inv : e * inv;
    const double q = e * inv * inv;             /* r (1 - r) */
    const double iz = 1.0 / z;
    const double a = c - 1.0 - 2.0 * c * r;
    g[0] = L * (1.0 - 2.0 * r);
    g[1] = a * iz;
    h[0] = -2.0 * L * L * q;
    h[1] = (1.0 - 2.0 * r - 2.0 * cL * q) * iz;
    h[2] = -(a + 2.0 * c * c * q) * iz * iz;
    return (c - 1.0) * L - 2.0 * ((cL > 0.0 ? cL : 0.0) + log1p(e));
}

/* S = 1 / (1 + z^c): log S = -log1pexp(y), log F = -log1pexp(-y), y = c log z
 * (the logistic's cdf in y), with y_c = log z, y_z = c/z, y_cz = 1/z,
 * y_zz = -c/z^2. */
static inline double fisk_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double c = P[0];
    if (!(z > 0.0)) return fm_lcdf_zero2(upper ? 0.0 : -INFINITY, g, h);
    {
        const double L = log(z), iz = 1.0 / z;
        const double y = upper ? c * L : -c * L;        /* value = -log1pexp(y) */
        const double e = exp(-fabs(y)), r = 1.0 / (1.0 + e);
        const double sig = y > 0.0 ? r : e * r;          /* sigma(y) */
        const double s = upper ? 1.0 : -1.0;             /* dy/d(c L) */
        const double d1 = -sig * s;                      /* d value / d(c L) */
        const double d2 = -e * r * r;                    /* -sigma(y) sigma(-y) */
        fm_chain2(d1, d2, L, c * iz, 0.0, iz, -c * iz * iz, g, h);
        /* c^2 d2 - c d1 = c sigma(y) (s - c sigma(-y)); for s = 1 written as
         * (1 - c) + c sigma(y), which does not cancel for small z and c = 1 */
        h[2] = c * sig * (upper ? (1.0 - c) + c * sig : -1.0 - c * (y > 0.0 ? e * r : r)) * iz * iz;
        return -(fmax(y, 0.0) + log1p(e));
    }
}
