/* Geometric (scipy.stats.geom), shape p (M = 1), support k = 1, 2, ...
 * P = [p, log1p(-p)].  log pmf = log p + (k - 1) log(1 - p); log p and its
 * derivatives (1/p, -1/p^2) are k-free and added in Python.  (k - 1) == 0
 * contributes exactly 0, also at p = 1 (log1p(-1) = -inf). */
#include "_lcdf_util.h"

static inline double geom_obs(double k, const double* P, double* g, double* h) {
    const double p = P[0], q = 1.0 - p;
    const double j = k - 1.0;
    if (!(k >= 1.0)) {
        g[0] = h[0] = 0.0;
        return -INFINITY;
    }
    if (j == 0.0) {
        g[0] = h[0] = 0.0;
        return 0.0;
    }
    g[0] = -j / q;
    h[0] = -j / (q * q);
    return j * P[1];
}

/* S(k) = P(K > k) = (1 - p)^j, j = floor(k) >= 1 (S = 1 below): log S =
 * j log1p(-p), log F = log(1 - e^{-u}), u = -j log1p(-p); u_p = j/(1 - p),
 * u_pp = j/(1 - p)^2. */
static inline double geom_lcdf(double k, const double* P, int upper, double* g, double* h) {
    const double p = P[0], j = floor(k), iq = 1.0 / (1.0 - p);
    if (!(j >= 1.0)) return fm_lcdf_zero0(upper ? 0.0 : -INFINITY, g, h);
    if (!(p < 1.0)) return fm_lcdf_zero0(upper ? -INFINITY : 0.0, g, h);
    if (upper) {
        g[0] = -j * iq;
        h[0] = -j * iq * iq;
        return j * P[1];
    }
    {
        /* with S = e^{-u} and F = 1 - S: d2 u_p^2 + d1 u_pp = -(S/F) (j - 1 + S)/F
         * j/(1 - p)^2, a sum of like signs (the two closed-form terms cancel
         * for j = 1) */
        const double S = exp(j * P[1]), F = -expm1(j * P[1]), r = S / F;
        g[0] = r * j * iq;
        h[0] = -r * ((j - 1.0) + S) / F * j * iq * iq;
        return S < 0.5 ? log1p(-S) : log(F);
    }
}
