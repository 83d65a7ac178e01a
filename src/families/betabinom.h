/* Beta-binomial (scipy.stats.betabinom) with n fixed by the caller: the
 * kernel differentiates in (a, b) (M = 2); P = [a, b, n].
 * log pmf = lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)
 *           + lgamma(k+a) + lgamma(n-k+b) - lgamma(n+a+b) + lgamma(a+b) - lgamma(a) - lgamma(b);
 * the k-free terms are added in Python.
 *   d/da = digamma(k+a), d/db = digamma(n-k+b), d2 = diag(trigamma(k+a), trigamma(n-k+b)). */
static inline double betabinom_obs(double k, const double* P, double* g, double* h) {
    const double a = P[0], b = P[1], n = P[2];
    const double j = n - k;
    if (!(k >= 0.0 && j >= 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    g[0] = fm_digamma(k + a);
    g[1] = fm_digamma(j + b);
    h[0] = fm_trigamma(k + a);
    h[1] = 0.0;
    h[2] = fm_trigamma(j + b);
    return fm_lgamma(k + a) + fm_lgamma(j + b) - fm_lgamma(k + 1.0) - fm_lgamma(j + 1.0);
}
