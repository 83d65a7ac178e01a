/* Binomial (scipy.stats.binom) with n fixed by the caller: the kernel
 * differentiates in p only (M = 1); P = [p, n, log p, log1p(-p)].
 * log pmf = lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1) + k log p + (n-k) log(1-p);
 * lgamma(n+1) is added in Python.  k log p is 0 when k == 0 (also at p = 0),
 * as in scipy.special.xlogy; likewise (n - k) log(1 - p) at k == n. */
static inline double binom_obs(double k, const double* P, double* g, double* h) {
    const double p = P[0], n = P[1], q = 1.0 - p;
    const double j = n - k;
    if (!(k >= 0.0 && j >= 0.0)) {
        g[0] = h[0] = 0.0;
        return -INFINITY;
    }
    g[0] = (k == 0.0 ? 0.0 : k / p) - (j == 0.0 ? 0.0 : j / q);
    h[0] = -(k == 0.0 ? 0.0 : k / (p * p)) - (j == 0.0 ? 0.0 : j / (q * q));
    return -fm_lgamma(k + 1.0) - fm_lgamma(j + 1.0) + (k == 0.0 ? 0.0 : k * P[2])
           + (j == 0.0 ? 0.0 : j * P[3]);
}

/* cdf of the count k (floored; n fixed, derivatives in p only):
 *   S(k) = P(K > k) = I_p(k + 1, n - k),  F(k) = 1 - I_p(k + 1, n - k),
 * both from fm_log_betainc at x = p itself, so neither tail loses digits to
 * 1 - p.  Only the value is asked of it (no shape derivatives: n is fixed);
 * the p-derivatives follow from the Beta(k + 1, n - k) density
 * dens = p^k (1 - p)^(n-k-1) / B(k + 1, n - k): with r = dens / S (or
 * -dens / F),  d/dp = r,  d2/dp2 = r (k / p - (n - k - 1) / (1 - p)) - r^2.
 * p = 0 or 1 (a point mass) are handled directly, with zero derivatives. */
static inline double binom_lcdf(double k, const double* P, int upper, double* g, double* h) {
    const double p = P[0], n = P[1];
    double v, j, ldens, r;
    int one;                               /* F(k) == 1 */
    g[0] = h[0] = 0.0;
    k = floor(k);
    if (k < 0.0 || k >= n || p == 0.0 || p == 1.0) {
        one = k >= 0.0 && (k >= n || p == 0.0);
        return (one != (upper != 0)) ? 0.0 : -INFINITY;
    }
    v = fm_log_betainc(k + 1.0, n - k, p, !upper, NULL);
    if (v == -INFINITY) return v;
    j = n - k - 1.0;                       /* >= 0 */
    ldens = k * P[2] + (j == 0.0 ? 0.0 : j * P[3])
            - (fm_lgamma(k + 1.0) + fm_lgamma(j + 1.0) - fm_lgamma(n + 1.0));
    r = exp(ldens - v);
    if (!upper) r = -r;
    g[0] = r;
    h[0] = r * (k / p - j / (1.0 - p)) - r * r;
    return v;
}
