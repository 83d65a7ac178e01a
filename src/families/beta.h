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

/* cdf: log I_z(a, b) or log(1 - I_z(a, b)) (fm_log_betainc: gradient in
 * (a, b, x), Hessian packed aa, ab, ax, bb, bx, xx), rearranged into this
 * family's layout (aa, ab, bb; az, bz; zz).  1 - z is exact for z >= 1/2, so
 * passing z itself loses nothing near 1. */
static inline double beta_lcdf(double z, const double* P, int upper, double* g, double* h) {
    double d[9], v;
    if (!(z > 0.0 && z < 1.0)) {           /* F = 0 below the support, 1 above */
        const int zero = (z > 0.0) == (upper != 0);
        g[0] = g[1] = g[2] = 0.0;
        h[0] = h[1] = h[2] = h[3] = h[4] = h[5] = 0.0;
        return zero ? -INFINITY : 0.0;
    }
    v = fm_log_betainc(P[0], P[1], z, upper, d);
    if (v == -INFINITY) {
        g[0] = g[1] = g[2] = 0.0;
        h[0] = h[1] = h[2] = h[3] = h[4] = h[5] = 0.0;
        return v;
    }
    g[0] = d[0];
    g[1] = d[1];
    g[2] = d[2];
    h[0] = d[3];
    h[1] = d[4];
    h[2] = d[6];
    h[3] = d[5];
    h[4] = d[7];
    h[5] = d[8];
    return v;
}
