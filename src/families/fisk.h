/* Fisk (log-logistic), shape c (M = 1), P = [c], z > 0:
 *     log g(z) = (c - 1) log z - 2 log(1 + z^c)   (+ log c in Python)
 * With L = log z and r = z^c / (1 + z^c) = 1 / (1 + exp(-c L)), computed
 * without overflow for any c L. */
static inline double fisk_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    if (!(z > 0.0)) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    const double L = log(z), cL = c * L;
    const double r = 1.0 / (1.0 + exp(-cL));
    const double q = cL > 0.0 ? exp(-cL) * r * r : r * (1.0 - r);   /* r (1 - r) */
    const double iz = 1.0 / z;
    const double a = c - 1.0 - 2.0 * c * r;
    g[0] = L * (1.0 - 2.0 * r);
    g[1] = a * iz;
    h[0] = -2.0 * L * L * q;
    h[1] = (1.0 - 2.0 * r - 2.0 * cL * q) * iz;
    h[2] = -(a + 2.0 * c * c * q) * iz * iz;
    return (c - 1.0) * L - 2.0 * fm_log1pexp(cL);
}
