/* Geometric (scipy.stats.geom), shape p (M = 1), support k = 1, 2, ...
 * P = [p, log1p(-p)].  log pmf = log p + (k - 1) log(1 - p); log p and its
 * derivatives (1/p, -1/p^2) are k-free and added in Python.  (k - 1) == 0
 * contributes exactly 0, also at p = 1 (log1p(-1) = -inf). */
static inline double geom_obs(double k, const double* P, double* g, double* h) {
    const double p = P[0], q = 1.0 - p;
    const double j = k - 1.0;
    if (!(k >= 1.0)) {
        g[0] = h[0] = 0.0;
        return -INFINITY;
    }
    if (j == 0.0) {
        g[0] = h[0] = 0.0;
        return 0.0;
    }
    g[0] = -j / q;
    h[0] = -j / (q * q);
    return j * P[1];
}
