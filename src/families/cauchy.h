/* Cauchy (M = 0): log g(z) = -log(1 + z^2); the -log(pi) is added in Python.
 * log(1 + z^2), not log1p: the absolute error stays below 1.2e-16 (all a
 * log-likelihood sum needs) and log is ~3x faster than log1p; the
 * vectorized block (vec_m0.h) takes it for a whole buffer from numpy's
 * SIMD log and passes it in as L. */
#include "_lcdf_util.h"

static inline double cauchy_obs_given_log(double z, double L, double* g, double* h) {
    const double z2 = z * z;
    const double r = 1.0 / (1.0 + z2);
    g[0] = -2.0 * z * r;
    h[0] = -2.0 * (1.0 - z2) * r * r;
    return -L;
}

static inline double cauchy_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    return cauchy_obs_given_log(z, log(1.0 + z * z), g, h);
}

/* log S(t) = log(atan2(1, t) / pi) with d/dt and d2/dt2.  Written so that
 * each tail keeps its digits: for t > 1, S = atan(1/t)/pi (and -log(t) -
 * log(pi) once atan(1/t) = 1/t in double, before 1/t turns subnormal); for
 * t < 0, log1p(-F) with F = atan(-1/t)/pi. */
static inline double cauchy_logsf(double t, double* d1, double* d2) {
    double v, r;
    if (t > 1.0) {
        const double w = 1.0 / t;
        if (w < 1e-150) {               /* atan(w) = w, (1 + w^2) = 1 */
            v = -log(t) - FM_LOG_PI;
            r = w;
        } else {
            const double a = atan(w);
            v = log(a) - FM_LOG_PI;
            r = w / (1.0 + w * w) * (w / a);   /* f / S = w^2 / ((1 + w^2) atan w) */
        }
        *d1 = -r;
        *d2 = r * (2.0 * w / (1.0 + w * w) - r);
        return v;
    }
    {
        const double S = atan2(1.0, t) / M_PI;
        v = t < 0.0 ? log1p(-atan2(1.0, -t) / M_PI) : log(S);
        r = 1.0 / (M_PI * (1.0 + t * t) * S);
        *d1 = -r;
        *d2 = r * (2.0 * t / (1.0 + t * t) - r);
        return v;
    }
}

/* log F(z) = log S(-z) (the density is symmetric) */
static inline double cauchy_lcdf(double z, const double* P, int upper, double* g, double* h) {
    double d1, d2, v;
    (void)P;
    v = cauchy_logsf(upper ? z : -z, &d1, &d2);
    g[0] = upper ? d1 : -d1;
    h[0] = d2;
    return v;
}
