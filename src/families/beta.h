/* Beta, shapes a, b (M = 2), P = [a, b]; support 0 <= z <= 1.
 * log g(z) = (a - 1) log z + (b - 1) log1p(-z); -log B(a, b) is added in
 * Python. At a = b = 1 the sums are sum log z, sum log(1 - z) (and a log
 * density of 0 for every observation inside the support): the sufficient
 * statistics of a fit with fixed loc and scale.
 * At z = 0 or 1 exactly the value follows scipy (xlogy: 0 * log 0 = 0, else
 * +-inf); the derivatives there are infinite and reported as 0. */
static inline double beta_obs(double z, const double* P, double* g, double* h) {
    const double a1 = P[0] - 1.0, b1 = P[1] - 1.0;
    double lz, lw, iz, iw;
    if (!(z > 0.0 && z < 1.0)) {
        g[0] = g[1] = g[2] = 0.0;
        h[0] = h[1] = h[2] = h[3] = h[4] = h[5] = 0.0;
        if (!(z >= 0.0 && z <= 1.0)) return -INFINITY;
        return fm_xlogy(a1, z) + fm_xlogy(b1, 1.0 - z);
    }
    lz = log(z);
    lw = log1p(-z);
    iz = 1.0 / z;
    iw = 1.0 / (1.0 - z);
    g[0] = lz;
    g[1] = lw;
    g[2] = a1 * iz - b1 * iw;
    h[0] = h[1] = h[2] = 0.0;      /* shape-shape terms are all in -log B(a, b) */
    h[3] = iz;
    h[4] = -iw;
    h[5] = -a1 * iz * iz - b1 * iw * iw;
    return a1 * lz + b1 * lw;
}
