/* Generalized Pareto, shape c (M = 1, any real), P = [c].
 * log g(z) = -(1 + 1/c) log1p(c z) = -(1 + c) L(c, z), L = log1p(c z)/c,
 * on z >= 0 with 1 + c z > 0 (z <= -1/c when c < 0); exp(-z) at c = 0.
 * L and its c-derivatives come from fm_log1p_div: smooth across c = 0. */
#include "_lcdf_util.h"

#include "_log1p_div.h"

static inline double genpareto_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    const double q = 1.0 + c * z;
    double L, Lc, Lcc, Lz, Lcz, Lzz;
    if (!(z >= 0.0) || !(q > 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    fm_log1p_div(c, z, &L, &Lc, &Lcc);
    Lz = 1.0 / q;
    Lcz = -z * Lz * Lz;
    Lzz = -c * Lz * Lz;
    g[0] = -L - (1.0 + c) * Lc;
    g[1] = -(1.0 + c) * Lz;
    h[0] = -2.0 * Lc - (1.0 + c) * Lcc;
    h[1] = -Lz - (1.0 + c) * Lcz;
    h[2] = -(1.0 + c) * Lzz;
    return -(1.0 + c) * L;
}

/* S = exp(-L), L = log1p(c z)/c (fm_log1p_div: smooth through c = 0, the
 * exponential), on z >= 0 and 1 + c z > 0: log S = -L, log F = log(1 - e^{-L}).
 * Past the upper end (c < 0, z >= -1/c) F = 1. */
static inline double genpareto_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double c = P[0];
    const double q = 1.0 + c * z;
    double L, Lc, Lcc, Lz, Lcz, Lzz;
    fm_l1me o;
    if (!(z > 0.0)) return fm_lcdf_zero2(upper ? 0.0 : -INFINITY, g, h);
    if (!(q > 0.0)) return fm_lcdf_zero2(upper ? -INFINITY : 0.0, g, h);
    fm_log1p_div(c, z, &L, &Lc, &Lcc);
    Lz = 1.0 / q;
    Lcz = -z * Lz * Lz;
    Lzz = -c * Lz * Lz;
    if (upper) {
        fm_chain2(-1.0, 0.0, Lc, Lz, Lcc, Lcz, Lzz, g, h);
        return -L;
    }
    fm_log1mexp(L, NAN, &o);
    fm_chain2(o.d1, o.d2, Lc, Lz, Lcc, Lcz, Lzz, g, h);
    return o.v;
}
