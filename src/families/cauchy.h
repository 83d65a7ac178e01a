/* Cauchy (M = 0): log g(z) = -log(1 + z^2); the -log(pi) is added in Python.
 * log(1 + z^2), not log1p: the absolute error stays below 1.2e-16 (all a
 * log-likelihood sum needs) and log is ~3x faster than log1p; the
 * vectorized block (vec_m0.h) takes it for a whole buffer from numpy's
 * SIMD log and passes it in as L. */
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
