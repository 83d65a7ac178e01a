/* Cauchy (M = 0): log g(z) = -log(1 + z^2); the -log(pi) is added in Python. */
static inline double cauchy_obs(double z, const double* P, double* g, double* h) {
    const double z2 = z * z;
    const double d = 1.0 + z2;
    (void)P;
    g[0] = -2.0 * z / d;
    h[0] = -2.0 * (1.0 - z2) / (d * d);
    /* log(1 + z^2), not log1p: the absolute error stays below 1.2e-16
     * (all a log-likelihood sum needs) and log is ~3x faster than log1p */
    return -log(d);
}
