/* Fisk (log-logistic), shape c (M = 1), P = [c], z > 0:
 *     log g(z) = (c - 1) log z - 2 log(1 + z^c)   (+ log c in Python)
 * With L = log z, r = z^c / (1 + z^c) = 1 / (1 + exp(-c L)) and
 * e = exp(-|c L|) (no overflow for any c L), one exp and one log1p give
 * everything: log(1 + z^c) = max(c L, 0) + log1p(e), r(1 - r) = e / (1 + e)^2. */
static inline double fisk_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0];
    if (!(z > 0.0)) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    const double L = log(z), cL = c * L;
    const double e = exp(-fabs(cL));
    const double inv = 1.0 / (1.0 + e);
    const double r = cL > 0.0 ? inv : e * inv;
    const double q = e * inv * inv;             /* r (1 - r) */
    const double iz = 1.0 / z;
    const double a = c - 1.0 - 2.0 * c * r;
    g[0] = L * (1.0 - 2.0 * r);
    g[1] = a * iz;
    h[0] = -2.0 * L * L * q;
    h[1] = (1.0 - 2.0 * r - 2.0 * cL * q) * iz;
    h[2] = -(a + 2.0 * c * c * q) * iz * iz;
    return (c - 1.0) * L - 2.0 * ((cL > 0.0 ? cL : 0.0) + log1p(e));
}
