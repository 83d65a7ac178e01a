/* Half-normal (M = 0): log g(z) = -z^2/2 on z >= 0 (closed support: x = loc
 * has positive density); the constant log sqrt(2/pi) is added in Python. */
static inline double halfnorm_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    if (!(z >= 0.0)) {
        g[0] = 0.0;
        h[0] = 0.0;
        return -INFINITY;
    }
    g[0] = -z;
    h[0] = -1.0;
    return -0.5 * z * z;
}
