/* Rayleigh (M = 0): log g(z) = log z - z^2/2 on z > 0 (open support, as scipy). */
static inline double rayleigh_obs(double z, const double* P, double* g, double* h) {
    (void)P;
    if (!(z > 0.0)) {
        g[0] = 0.0;
        h[0] = 0.0;
        return -INFINITY;
    }
    const double iz = 1.0 / z;
    g[0] = iz - z;
    h[0] = -iz * iz - 1.0;
    return log(z) - 0.5 * z * z;
}
