/* Weibull maximum, shape c (M = 1), P = [c], the mirror of weibull_min:
 * with u = -z > 0 (x below loc),
 *     log g(z) = (c - 1) log u - u^c   (+ log c in Python)
 * Derivatives in u, with signs flipped for z: d/dz = -d/du, d2/dz2 = d2/du2. */
#include "_lcdf_util.h"

static inline double weibull_max_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    const double u = -z;
    if (!(u > 0.0)) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    const double L = log(u), p = exp(c * L), iu = 1.0 / u;
    g[0] = L * (1.0 - p);
    g[1] = -(c - 1.0 - c * p) * iu;
    h[0] = -p * L * L;
    h[1] = -(1.0 - p - c * p * L) * iu;
    h[2] = -(c - 1.0) * (1.0 + c * p) * iu * iu;
    return (c - 1.0) * L - p;
}

/* The mirror of weibull_min: with u = -z, F(z) = S_min(u), S(z) = F_min(u);
 * odd z-derivatives change sign. */
static inline double weibull_max_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double u = -z;
    double v;
    if (!(u > 0.0)) return fm_lcdf_zero2(upper ? -INFINITY : 0.0, g, h);
    v = fm_weibull_tail(log(u), u, P[0], !upper, g, h);
    g[1] = -g[1];
    h[1] = -h[1];
    return v;
}
