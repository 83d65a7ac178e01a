/* Laplace (M = 0): log g(z) = -|z|; the -log 2 is added in Python.
 * The density has a kink at z = 0: d/dz = -sign(z) (0 at z = 0, the
 * subgradient's midpoint) and the second derivative is 0 almost everywhere.
 * The Python class replaces the (meaningless) zero loc-loc curvature by the
 * expected information; the MLE itself is closed form (the median). */
static inline double laplace_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    g[0] = z > 0 ? -1.0 : (z < 0 ? 1.0 : 0.0);
    h[0] = 0.0;
    return -fabs(z);
}
