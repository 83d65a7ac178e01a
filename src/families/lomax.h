/* Lomax (Pareto II), shape c (M = 1), P = [c], z >= 0 (closed support):
 *     log g(z) = -(c + 1) log(1 + z)   (+ log c in Python) */
#include "_lcdf_util.h"

static inline double lomax_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    if (!(z >= 0.0)) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    const double l = log1p(z), i1 = 1.0 / (1.0 + z);
    g[0] = -l;
    g[1] = -(c + 1.0) * i1;
    h[0] = 0.0;
    h[1] = -i1;
    h[2] = (c + 1.0) * i1 * i1;
    return -(c + 1.0) * l;
}

/* S = (1 + z)^(-c) on z >= 0: log S = -c log1p(z), log F = log(1 - e^{-c log1p(z)}). */
static inline double lomax_lcdf(double z, const double* P, int upper, double* g, double* h) {
    if (!(z > 0.0)) return fm_lcdf_zero2(upper ? 0.0 : -INFINITY, g, h);
    return fm_power_tail(log1p(z), 1.0 + z, P[0], upper, g, h);
}
