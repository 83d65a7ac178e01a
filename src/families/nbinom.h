/* Negative binomial (scipy.stats.nbinom), shapes (n, p) (M = 2), k = 0, 1, ...
 * P = [n, p, log1p(-p), lgamma(n), digamma(n), trigamma(n)].
 * log pmf = lgamma(k+n) - lgamma(n) - lgamma(k+1) + n log p + k log(1-p);
 * n log p (and its derivatives) is k-free and added in Python.  The
 * differences lgamma(k+n) - lgamma(n), digamma(k+n) - digamma(n), ... are
 * taken per value, not after summing: for large n (near the Poisson limit)
 * each term is ~n log n and the sums would lose the small differences.
 *   d/dn = digamma(k+n) - digamma(n),  d/dp = -k/(1-p),
 *   d2/dn2 = trigamma(k+n) - trigamma(n),  d2/dn dp = 0,  d2/dp2 = -k/(1-p)^2. */
static inline double nbinom_obs(double k, const double* P, double* g, double* h) {
    const double n = P[0], q = 1.0 - P[1];
    if (!(k >= 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    h[1] = 0.0;
    if (k == 0.0) {
        g[0] = g[1] = h[0] = h[2] = 0.0;
        return 0.0;
    }
    g[0] = fm_digamma(k + n) - P[4];
    h[0] = fm_trigamma(k + n) - P[5];
    g[1] = -k / q;
    h[2] = -k / (q * q);
    return fm_lgamma(k + n) - P[3] - fm_lgamma(k + 1.0) + k * P[2];
}

/* cdf of the count k (floored):  F(k) = I_p(n, k + 1),  S(k) = 1 - I_p(n, k + 1),
 * from fm_log_betainc with a = n, b = k + 1 (fixed), x = p: derivatives in
 * (n, p) are its a- and x-derivatives.  p = 1 (a point mass at 0) is handled
 * directly, with zero derivatives. */
static inline double nbinom_lcdf(double k, const double* P, int upper, double* g, double* h) {
    double d[9], v;
    g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
    k = floor(k);
    if (k < 0.0 || P[1] == 1.0 || k == INFINITY) {    /* F = 0, or 1 */
        const int one = k >= 0.0;
        return (one != (upper != 0)) ? 0.0 : -INFINITY;
    }
    v = fm_log_betainc(P[0], k + 1.0, P[1], upper, d);
    if (v == -INFINITY) return v;
    g[0] = d[0];
    g[1] = d[2];
    h[0] = d[3];
    h[1] = d[5];
    h[2] = d[8];
    return v;
}
