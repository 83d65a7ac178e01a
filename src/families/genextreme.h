/* Generalized extreme value, scipy's shape c (M = 1, any real; c > 0 is
 * bounded above at z = 1/c, c < 0 below at z = 1/c, c = 0 is Gumbel), P = [c].
 * With M = log1p(-c z) / c = -L(-c, z) (L of fm_log1p_div, smooth across
 * c = 0, where M = -z):
 *     log g(z) = -exp(M) + (1 - c) M,    1 - c z > 0. */
#include "_lcdf_util.h"

#include "_log1p_div.h"

static inline double genextreme_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    const double q = 1.0 - c * z;
    double L, Lc, Lcc, Mv, Mc, Mcc, Mz, Mcz, Mzz, e, a;
    if (!(q > 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    fm_log1p_div(-c, z, &L, &Lc, &Lcc);
    Mv = -L;
    Mc = Lc;              /* d/dc of -L(-c, z) */
    Mcc = -Lcc;
    Mz = -1.0 / q;
    Mcz = -z / (q * q);
    Mzz = -c / (q * q);
    e = exp(Mv);          /* (1 - c z)^(1/c); exp(-z) at c = 0 */
    a = 1.0 - c - e;      /* d log g / dM */
    g[0] = a * Mc - Mv;
    g[1] = a * Mz;
    h[0] = -e * Mc * Mc + a * Mcc - 2.0 * Mc;
    h[1] = -e * Mc * Mz + a * Mcz - Mz;
    h[2] = -e * Mz * Mz + a * Mzz;
    return -e + (1.0 - c) * Mv;
}

/* F = exp(-e^M), M = log1p(-c z)/c (smooth through c = 0, where M = -z):
 * log F = -e^M, log S = log(1 - exp(-e^M)) (fm_log1mexp in lu = M, exact
 * far in the upper tail where e^M underflows).  Outside 1 - c z > 0 the
 * support has ended: above it (c > 0) F = 1, below it (c < 0) F = 0. */
static inline double genextreme_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double c = P[0];
    const double q = 1.0 - c * z;
    double L, Lc, Lcc, Mv, Mc, Mcc, Mz, Mcz, Mzz, e;
    fm_l1me o;
    if (!(q > 0.0)) {
        /* c z >= 1: above the upper end (c > 0: F = 1, S = 0) or below the
         * lower end (c < 0: F = 0, S = 1) */
        const double logF = c > 0.0 ? 0.0 : -INFINITY, logS = c > 0.0 ? -INFINITY : 0.0;
        return fm_lcdf_zero2(upper ? logS : logF, g, h);
    }
    fm_log1p_div(-c, z, &L, &Lc, &Lcc);
    Mv = -L;
    Mc = Lc;
    Mcc = -Lcc;
    Mz = -1.0 / q;
    Mcz = -z / (q * q);
    Mzz = -c / (q * q);
    if (!upper) {
        e = exp(Mv);
        if (isinf(e)) return fm_lcdf_zero2(-INFINITY, g, h);
        /* d(-e^M) = -e^M dM, d2 = -e^M (dM dM + d2M) */
        fm_chain2(-e, -e, Mc, Mz, Mcc, Mcz, Mzz, g, h);
        return -e;
    }
    fm_log1mexp(exp(Mv), Mv, &o);
    fm_chain2(o.phi, o.psi, Mc, Mz, Mcc, Mcz, Mzz, g, h);
    return o.v;
}
