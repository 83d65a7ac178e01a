/* Student's t, shape df = nu (M = 1), P = [nu, 1/nu].
 * log g(z) = c(nu) - (nu + 1)/2 log(1 + z^2/nu); c(nu) is added in Python.
 *
 * The df-derivative  -L/2 + (nu + 1) u / 2  (L = log1p(y), y = z^2/nu,
 * u = y / (nu (1 + y))) is a difference of two terms of order y that agree
 * to order y^2: for large nu (the data look normal and the df MLE runs off
 * towards infinity) it would lose all its digits.  It is written as
 *     (y / (nu (1 + y)) - f(y)) / 2,   f(y) = log1p(y) - y / (1 + y),
 * with f from its series sum_{k>=2} (-1)^k (k-1)/k y^k for small y. */
/* (-1)^k (k-1)/k for k = 16, 15, ..., 2 (Horner order) */
static const double FM_T_F_COEF[15] = {
    15.0 / 16, -14.0 / 15, 13.0 / 14, -12.0 / 13, 11.0 / 12, -10.0 / 11, 9.0 / 10, -8.0 / 9,
    7.0 / 8, -6.0 / 7, 5.0 / 6, -4.0 / 5, 3.0 / 4, -2.0 / 3, 1.0 / 2};

/* f(y) for 0 <= y < 0.05: Horner over k = 16..2; the k = 17 term is
 * below 1e-17 f(y) */
static inline double fm_t_log1p_minus(double y) {
    double s = 0.0;
    int k;
    for (k = 0; k < 15; ++k) s = s * y + FM_T_F_COEF[k];
    return s * y * y;
}

/* Everything but the logarithm: L = log(1 + z^2/nu) is given (the
 * vectorized block in vec_m0.h computes it for a whole buffer at once). */
static inline double t_obs_given_log(double z, double L, const double* P, double* g, double* h) {
    const double nu = P[0], inv_nu = P[1];
    const double z2 = z * z;
    const double y = z2 * inv_nu;
    const double iopy = 1.0 / (1.0 + y);         /* nu / d, d = nu + z^2 */
    const double id = iopy * inv_nu;             /* 1 / d */
    const double yid = y * id;                   /* u = z^2 / (nu d) = -dL/dnu */
    const double du = -y * (2.0 + y) * id * id; /* du/dnu = -z^2 (nu + d) / (nu d)^2 */
    const double f = y < 0.05 ? fm_t_log1p_minus(y) : L - y * iopy;
    g[0] = 0.5 * (yid - f);
    g[1] = -(nu + 1.0) * z * id;
    h[0] = yid + 0.5 * (nu + 1.0) * du;
    h[1] = z * (1.0 - z2) * id * id;
    h[2] = -(nu + 1.0) * (nu - z2) * id * id;
    return -0.5 * (nu + 1.0) * L;
}

/* log(1 + y) is accurate to 1.2e-16 absolute and ~3x faster than log1p;
 * the log-likelihood multiplies it by (nu + 1)/2, so large nu (the normal
 * limit) needs log1p's relative accuracy. */
#define FM_T_LOG1P_NU 64.0

static inline double t_obs(double z, const double* P, double* g, double* h) {
    /* P = [nu, 1/nu]: one division per observation instead of six */
    const double y = z * z * P[1];
    const double L = P[0] < FM_T_LOG1P_NU ? log(1.0 + y) : log1p(y);
    return t_obs_given_log(z, L, P, g, h);
}
