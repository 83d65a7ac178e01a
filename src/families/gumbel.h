/* Gumbel, right- and left-skewed (M = 0).
 *   gumbel_r: log g(z) = -z - e^{-z}
 *   gumbel_l: log g(z) =  z - e^{z}   (gumbel_r at -z)
 * e^{-z} overflows to +inf for z < -709: the density is then 0 in float64
 * and log g = -inf, as in scipy. */
#include "_lcdf_util.h"

static inline double gumbel_r_obs(double z, const double* P, double* g, double* h) {
    const double e = exp(-z);
    (void)P;
    g[0] = e - 1.0;
    h[0] = -e;
    return -z - e;
}

static inline double gumbel_l_obs(double z, const double* P, double* g, double* h) {
    const double e = exp(z);
    (void)P;
    g[0] = 1.0 - e;
    h[0] = -e;
    return z - e;
}

/* gumbel_r: log F = -u with u = e^{-z}; log S = log(1 - e^{-u}) */
static inline double gumbel_r_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double u = exp(-z);
    fm_l1me o;
    (void)P;
    if (!upper) {
        g[0] = u;
        h[0] = -u;
        return -u;
    }
    if (u > 745.0) {                          /* F underflows: S = 1 */
        g[0] = h[0] = 0.0;
        return 0.0;
    }
    /* in lu = log u = -z: exact far in the upper tail (log S = -z once u
     * underflows), and no cancellation in the curvature for small u */
    fm_log1mexp(u, -z, &o);
    g[0] = -o.phi;
    h[0] = o.psi;
    return o.v;
}

/* gumbel_l(z) is gumbel_r(-z) reflected: F_l(z) = S_r(-z), S_l(z) = F_r(-z) */
static inline double gumbel_l_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double v = gumbel_r_lcdf(-z, P, !upper, g, h);
    g[0] = -g[0];
    return v;
}
