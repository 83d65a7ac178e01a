/* Logistic (M = 0): log g(z) = -z - 2 log(1 + e^-z), written in |z| so that
 * exp never overflows. */
static inline double logistic_obs(double z, const double* P, double* g, double* h) {
    const double a = fabs(z);
    const double e = exp(-a);                    /* in (0, 1] */
    const double th = (1.0 - e) / (1.0 + e);     /* tanh(|z|/2) */
    (void)P;
    g[0] = z >= 0 ? -th : th;
    h[0] = -2.0 * e / ((1.0 + e) * (1.0 + e));   /* -2 sigma(z) sigma(-z) */
    return -a - 2.0 * log1p(e);
}
