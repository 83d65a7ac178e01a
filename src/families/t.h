/* Student's t, shape df = nu (M = 1), P = [nu].
 * log g(z) = c(nu) - (nu + 1)/2 log(1 + z^2/nu); c(nu) is added in Python.
 *
 * The df-derivative  -L/2 + (nu + 1) u / 2  (L = log1p(y), y = z^2/nu,
 * u = y / (nu (1 + y))) is a difference of two terms of order y that agree
 * to order y^2: for large nu (the data look normal and the df MLE runs off
 * towards infinity) it would lose all its digits.  It is written as
 *     (y / (nu (1 + y)) - f(y)) / 2,   f(y) = log1p(y) - y / (1 + y),
 * with f from its series sum_{k>=2} (-1)^k (k-1)/k y^k for small y. */
static inline double fm_t_log1p_minus(double y) {
    if (y < 0.05) {
        /* Horner over k = 2..16; the k = 17 term is below 1e-17 f(y) */
        double s = 0.0;
        int k;
        for (k = 16; k >= 2; --k) s = s * y + ((k & 1) ? -1.0 : 1.0) * (k - 1.0) / k;
        return s * y * y;
    }
    return log1p(y) - y / (1.0 + y);
}

static inline double t_obs(double z, const double* P, double* g, double* h) {
    const double nu = P[0];
    const double z2 = z * z;
    const double d = nu + z2;
    const double y = z2 / nu;
    const double L = log1p(y);
    const double u = z2 / (nu * d);              /* -dL/dnu */
    const double du = -z2 * (nu + d) / (nu * nu * d * d);
    g[0] = 0.5 * (y / (nu * (1.0 + y)) - fm_t_log1p_minus(y));
    g[1] = -(nu + 1.0) * z / d;
    h[0] = u + 0.5 * (nu + 1.0) * du;
    h[1] = z * (1.0 - z2) / (d * d);
    h[2] = -(nu + 1.0) * (nu - z2) / (d * d);
    return -0.5 * (nu + 1.0) * L;
}
