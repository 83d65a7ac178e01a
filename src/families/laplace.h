/* Laplace (M = 0): log g(z) = -|z|; the -log 2 is added in Python.
 * The density has a kink at z = 0: d/dz = -sign(z) (0 at z = 0, the
 * subgradient's midpoint) and the second derivative is 0 almost everywhere.
 * The Python class replaces the (meaningless) zero loc-loc curvature by the
 * expected information; the MLE itself is closed form (the median). */
#include "_lcdf_util.h"

static inline double laplace_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    g[0] = z > 0 ? -1.0 : (z < 0 ? 1.0 : 0.0);
    h[0] = 0.0;
    return -fabs(z);
}

/* log S(z): -z - log 2 for z >= 0, log1p(-e^z / 2) below; log F(z) = log S(-z).
 * The derivative is continuous at 0 (-1 from both sides). */
static inline double laplace_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double t = upper ? z : -z;
    double v, d1, d2;
    (void)P;
    if (t >= 0.0) {
        v = -t - FM_LN2;
        d1 = -1.0;
        d2 = 0.0;
    } else {
        const double q = 0.5 * exp(t), iq = 1.0 / (1.0 - q);
        v = log1p(-q);
        d1 = -q * iq;
        d2 = d1 * iq;
    }
    g[0] = upper ? d1 : -d1;
    h[0] = d2;
    return v;
}
