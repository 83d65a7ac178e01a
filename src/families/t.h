/* Student's t, shape df = nu (M = 1), P = [nu].
 * log g(z) = c(nu) - (nu + 1)/2 log(1 + z^2/nu); c(nu) is added in Python. */
static inline double t_obs(double z, const double* P, double* g, double* h) {
    const double nu = P[0];
    const double z2 = z * z;
    const double d = nu + z2;
    const double L = log1p(z2 / nu);
    const double u = z2 / (nu * d);              /* -dL/dnu */
    const double du = -z2 * (nu + d) / (nu * nu * d * d);
    g[0] = -0.5 * L + 0.5 * (nu + 1.0) * u;
    g[1] = -(nu + 1.0) * z / d;
    h[0] = u + 0.5 * (nu + 1.0) * du;
    h[1] = z * (1.0 - z2) / (d * d);
    h[2] = -(nu + 1.0) * (nu - z2) / (d * d);
    return -0.5 * (nu + 1.0) * L;
}
