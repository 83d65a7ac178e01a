/* Family densities of the distributions with hand-written kernels (norm,
 * expon, gamma, lognorm, weibull_min, poisson).  Their fits use their own
 * faster kernels (sufficient statistics, SIMD logs); these per-observation
 * forms serve the natural-parameter loop (_natural_loop.h): censored data and
 * the score outer products of the robust covariance.  z-free constants are in
 * Python (fastmle/distributions/_natural.py). */
#include "_lcdf_util.h"

/* norm (M = 0): -z^2/2; constant -log(2 pi)/2 */
static inline double norm_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    g[0] = -z;
    h[0] = -1.0;
    return -0.5 * z * z;
}

/* expon (M = 0): -z on z >= 0 */
static inline double expon_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    g[0] = -1.0;
    h[0] = 0.0;
    return z >= 0.0 ? -z : -INFINITY;
}

/* gamma (M = 1, P = [a]): (a - 1) log z - z on z > 0; constant -lgamma(a) */
static inline double gamma_obs(double z, const double* P, double* g, double* h) {
    const double a = P[0];
    double lz;
    if (!(z > 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    lz = log(z);
    g[0] = lz;
    g[1] = (a - 1.0) / z - 1.0;
    h[0] = 0.0;
    h[1] = 1.0 / z;
    h[2] = -(a - 1.0) / (z * z);
    return (a - 1.0) * lz - z;
}

/* lognorm (M = 1, P = [s]): -log z - (log z)^2 / (2 s^2) on z > 0;
 * constant -log(s) - log(2 pi)/2 */
static inline double lognorm_obs(double z, const double* P, double* g, double* h) {
    const double s = P[0], is2 = 1.0 / (s * s);
    double lz;
    if (!(z > 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    lz = log(z);
    g[0] = lz * lz * is2 / s;
    g[1] = -(1.0 + lz * is2) / z;
    h[0] = -3.0 * lz * lz * is2 * is2;
    h[1] = 2.0 * lz * is2 / (s * z);
    h[2] = (1.0 - (1.0 - lz) * is2) / (z * z);
    return -lz - 0.5 * lz * lz * is2;
}

/* weibull_min (M = 1, P = [c]): (c - 1) log z - z^c on z > 0; constant log c */
static inline double weibull_min_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    double lz, u;
    if (!(z > 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    lz = log(z);
    u = exp(c * lz);
    g[0] = lz - u * lz;
    g[1] = ((c - 1.0) - c * u) / z;
    h[0] = -u * lz * lz;
    h[1] = (1.0 - u * (1.0 + c * lz)) / z;
    h[2] = (-(c - 1.0) - c * (c - 1.0) * u) / (z * z);
    return (c - 1.0) * lz - u;
}

/* uniform (M = 0): 0 on [0, 1] (the -log(scale) is added by the loop) */
static inline double uniform_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    g[0] = h[0] = 0.0;
    return (z >= 0.0 && z <= 1.0) ? 0.0 : -INFINITY;
}

/* poisson (shape kind, M = 1, P = [mu]): k log mu - mu - lgamma(k + 1) on k >= 0 */
static inline double poisson_obs(double k, const double* P, double* g, double* h) {
    const double mu = P[0];
    if (!(k >= 0.0)) {
        g[0] = h[0] = 0.0;
        return -INFINITY;
    }
    g[0] = k / mu - 1.0;
    h[0] = -k / (mu * mu);
    return fm_xlogy(k, mu) - mu - fm_lgamma(k + 1.0);
}

/* -- cdfs (see _natural_loop.h for the contract) ------------------------------- */

static inline double expon_lcdf(double z, const double* P, int upper, double* g, double* h) {
    fm_l1me o;
    (void)P;
    if (!(z > 0.0)) {                       /* F = 0, S = 1 */
        g[0] = h[0] = 0.0;
        return upper ? 0.0 : -INFINITY;
    }
    if (upper) {
        g[0] = -1.0;
        h[0] = 0.0;
        return -z;
    }
    /* log1p(-e^{-z}) keeps the digits where F is near 1 */
    fm_log1mexp(z, NAN, &o);
    g[0] = o.d1;
    h[0] = o.d2;
    return o.v;
}

/* weibull_min: S = exp(-u), u = z^c (fm_weibull_tail: log F exact also when
 * u underflows, curvature without the O(1/u) cancellation) */
static inline double weibull_min_lcdf(double z, const double* P, int upper, double* g, double* h) {
    if (!(z > 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return upper ? 0.0 : -INFINITY;
    }
    return fm_weibull_tail(log(z), z, P[0], upper, g, h);
}

/* uniform: F = z on [0, 1]: log F = log z, log S = log1p(-z) */
static inline double uniform_lcdf(double z, const double* P, int upper, double* g, double* h) {
    (void)P;
    if (!(z > 0.0)) return fm_lcdf_zero0(upper ? 0.0 : -INFINITY, g, h);
    if (!(z < 1.0)) return fm_lcdf_zero0(upper ? -INFINITY : 0.0, g, h);
    if (upper) {
        const double r = 1.0 / (1.0 - z);
        g[0] = -r;
        h[0] = -r * r;
        return log1p(-z);
    }
    g[0] = 1.0 / z;
    h[0] = -g[0] * g[0];
    return log(z);
}

/* gamma (P = [a]): log P(a, z) or log Q(a, z), the regularized incomplete
 * gamma functions (fm_log_gammainc), whose derivative layout (a, z; aa, az,
 * zz) is this family's. */
static inline double gamma_lcdf(double z, const double* P, int upper, double* g, double* h) {
    double d[5], v;
    if (!(z > 0.0) || z == INFINITY) {      /* F = 0, S = 1 below; F = 1, S = 0 at +inf */
        const int zero = (z > 0.0) == (upper != 0);
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return zero ? -INFINITY : 0.0;
    }
    v = fm_log_gammainc(P[0], z, upper, d);
    if (v == -INFINITY) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return v;
    }
    g[0] = d[0];
    g[1] = d[1];
    h[0] = d[2];
    h[1] = d[3];
    h[2] = d[4];
    return v;
}

/* norm: log Phi(z), log S(z) = log Phi(-z) (fm_log_ndtr_derivs: Mills series
 * in the far tail, so log Phi(-1e3) is finite and exact) */
static inline double norm_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double u = upper ? -z : z;
    double d[2], v;
    (void)P;
    if (isinf(u)) {
        g[0] = h[0] = 0.0;
        return u > 0.0 ? 0.0 : -INFINITY;
    }
    v = fm_log_ndtr_derivs(u, d);
    g[0] = upper ? -d[0] : d[0];
    h[0] = d[1];
    return v;
}

/* lognorm: log Phi(u), u = +-log(z)/s; chain rule through u(s, z) with
 * du/ds = -u/s, d2u/ds2 = 2u/s^2, d2u/ds dz = -u_z/s, d2u/dz2 = -u_z/z. */
static inline double lognorm_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double s = P[0];
    double d[2], u, us, uz, v;
    if (!(z > 0.0) || isinf(z)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return (z > 0.0) == (upper != 0) ? -INFINITY : 0.0;
    }
    u = log(z) / s;
    if (upper) u = -u;
    v = fm_log_ndtr_derivs(u, d);
    us = -u / s;
    uz = (upper ? -1.0 : 1.0) / (s * z);
    g[0] = d[0] * us;
    g[1] = d[0] * uz;
    h[0] = d[1] * us * us + d[0] * 2.0 * u / (s * s);
    h[1] = d[1] * us * uz - d[0] * uz / s;
    h[2] = d[1] * uz * uz - d[0] * uz / z;
    return v;
}

/* poisson (shape kind, P = [mu]): F(k) = Q(k + 1, mu), S(k) = P(k + 1, mu)
 * (regularized incomplete gamma, as logs from fm_log_gammainc), and
 * d/dmu F = -pmf(k), so d/dmu log V = -+pmf/V = r and
 * d2/dmu2 log V = r (k/mu - 1) - r^2 (pmf' = pmf (k/mu - 1)). */
static inline double poisson_lcdf(double k, const double* P, int upper, double* g, double* h) {
    const double mu = P[0];
    double v, r;
    g[0] = h[0] = 0.0;
    if (!(k >= 0.0)) return upper ? 0.0 : -INFINITY;    /* F = 0 */
    if (isinf(k)) return upper ? -INFINITY : 0.0;
    if (!(mu > 0.0)) {                                   /* all mass at 0: F = 1 */
        if (k == 0.0) g[0] = upper ? 0.0 : -1.0;         /* log F(0) = -mu */
        return upper ? -INFINITY : 0.0;
    }
    v = fm_log_gammainc(k + 1.0, mu, !upper, NULL);
    if (!(v > -INFINITY)) return v;
    r = exp(k * log(mu) - mu - fm_lgamma(k + 1.0) - v);
    if (!upper) r = -r;
    g[0] = r;
    h[0] = r * (k / mu - 1.0) - r * r;
    return v;
}
