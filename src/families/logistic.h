/* Logistic (M = 0): log g(z) = -z - 2 log(1 + e^-z), written in |z| so that
 * exp never overflows.  One exp, one log and one division per observation
 * (tanh(|z|/2) and the curvature share 1/(1 + e)). */
static inline double logistic_obs(double z, const double* P, double* g, double* h) {
    const double a = fabs(z);
    const double e = exp(-a);                    /* in (0, 1] */
    const double r = 1.0 / (1.0 + e);
    const double th = (1.0 - e) * r;             /* tanh(|z|/2) */
    (void)P;
    g[0] = -copysign(th, z);                     /* branch-free: the sign is random */
    h[0] = -2.0 * e * r * r;                     /* -2 sigma(z) sigma(-z) */
    /* log(1 + e) rather than log1p(e): e <= 1, so the absolute error is
     * below 1.2e-16 (what a log-likelihood sum needs) and log is ~3x faster */
    return -a - 2.0 * log(1.0 + e);
}

/* log F(z) = -log(1 + e^{-z}), log S(z) = -log(1 + e^{z}) */
static inline double logistic_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double y = upper ? z : -z;          /* log F(z) = -log1pexp(-z) */
    const double e = exp(-fabs(y));
    const double r = 1.0 / (1.0 + e);
    const double sig = y > 0 ? r : e * r;     /* sigma(y) */
    (void)P;
    g[0] = upper ? -sig : sig;                /* d/dz: -sigma(z) or sigma(-z) */
    h[0] = -e * r * r;                        /* -sigma(z) sigma(-z) */
    return -(fmax(y, 0.0) + log1p(e));
}
