/* Pareto, shape b (M = 1), P = [b]; support z >= 1.
 * log g(z) = log b - (b + 1) log z; log b is added in Python.
 * With b = 0 and scale = 1 the sums are -sum log(x - loc), -sum 1/(x - loc)
 * and sum 1/(x - loc)^2: the three numbers the free-loc profile needs. */
#include "_lcdf_util.h"

#include <float.h>

static inline double pareto_obs(double z, const double* P, double* g, double* h) {
    /* z is (x - loc) * (1 / scale): at the support's start (x = loc + scale,
     * where every MLE puts min(x)) it may round a few ulps below 1. */
    if (z < 1.0 && z >= 1.0 - 8.0 * DBL_EPSILON) z = 1.0;
    if (!(z >= 1.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    /* -(b + 1) log z is the log survival function of exponent b + 1, with the
     * same derivatives in b as in b + 1 */
    return fm_power_tail(log(z), z, P[0] + 1.0, 1, g, h);
}

/* S = z^(-b) on z >= 1: log S = -b log z, log F = log(1 - e^{-b log z}).
 * z a few ulps below 1 is the support's start, as in pareto_obs. */
static inline double pareto_lcdf(double z, const double* P, int upper, double* g, double* h) {
    if (z < 1.0 && z >= 1.0 - 8.0 * DBL_EPSILON) z = 1.0;
    if (!(z > 1.0)) {
        if (upper && z == 1.0) {        /* S = 1, and its slope from inside */
            g[0] = 0.0;
            g[1] = -P[0];
            h[0] = 0.0;
            h[1] = -1.0;
            h[2] = P[0];
            return 0.0;
        }
        return fm_lcdf_zero2(upper ? 0.0 : -INFINITY, g, h);
    }
    return fm_power_tail(log(z), z, P[0], upper, g, h);
}
