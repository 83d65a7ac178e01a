/* Gumbel, right- and left-skewed (M = 0).
 *   gumbel_r: log g(z) = -z - e^{-z}
 *   gumbel_l: log g(z) =  z - e^{z}   (gumbel_r at -z)
 * e^{-z} overflows to +inf for z < -709: the density is then 0 in float64
 * and log g = -inf, as in scipy. */
static inline double gumbel_r_obs(double z, const double* P, double* g, double* h) {
    const double e = exp(-z);
    (void)P;
    g[0] = e - 1.0;
    h[0] = -e;
    return -z - e;
}

static inline double gumbel_l_obs(double z, const double* P, double* g, double* h) {
    const double e = exp(z);
    (void)P;
    g[0] = 1.0 - e;
    h[0] = -e;
    return z - e;
}
