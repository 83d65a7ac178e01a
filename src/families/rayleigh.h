/* Rayleigh (M = 0): log g(z) = log z - z^2/2 on z > 0 (open support, as scipy). */
#include "_lcdf_util.h"

static inline double rayleigh_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    if (!(z > 0.0)) {
        g[0] = 0.0;
        h[0] = 0.0;
        return -INFINITY;
    }
    const double iz = 1.0 / z;
    g[0] = iz - z;
    h[0] = -iz * iz - 1.0;
    return log(z) - 0.5 * z * z;
}

/* S = exp(-u), u = z^2 / 2 on z > 0; log F = log(1 - e^{-u}), in
 * lu = 2 log z - log 2 (F ~ z^2 / 2 keeps its log when u underflows). */
static inline double rayleigh_lcdf(double z, const double* P, int upper, double* g, double* h) {
    fm_l1me o;
    (void)P;
    if (!(z > 0.0)) return fm_lcdf_zero0(upper ? 0.0 : -INFINITY, g, h);
    if (upper) {
        g[0] = -z;
        h[0] = -1.0;
        return -0.5 * z * z;
    }
    fm_log1mexp(0.5 * z * z, 2.0 * log(z) - FM_LN2, &o);
    {
        const double iz = 1.0 / z;
        g[0] = 2.0 * o.phi * iz;
        h[0] = (4.0 * o.psi - 2.0 * o.phi) * iz * iz;
    }
    return o.v;
}
