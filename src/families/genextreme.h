/* Generalized extreme value, scipy's shape c (M = 1, any real; c > 0 is
 * bounded above at z = 1/c, c < 0 below at z = 1/c, c = 0 is Gumbel), P = [c].
 * With M = log1p(-c z) / c = -L(-c, z) (L of fm_log1p_div, smooth across
 * c = 0, where M = -z):
 *     log g(z) = -exp(M) + (1 - c) M,    1 - c z > 0. */
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
