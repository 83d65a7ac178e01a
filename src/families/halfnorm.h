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

/* F(z) = erf(z/sqrt2), S(z) = 2 Phi(-z) on z > 0, f = 2 phi(z), r = f/V:
 * d/dz log F = r, d2 = -z r - r^2; d/dz log S = -r, d2 = z r - r^2.
 * Below z = 1/2 F = erf(z/sqrt2) (relative accuracy near 0, F ~ z sqrt(2/pi))
 * and log S = log1p(-F); above, log S = log 2 + log Phi(-z) (Mills series in
 * the far tail) and log F = log1p(-erfc(z/sqrt2)). */
static inline double halfnorm_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double RSQRT2 = 0.70710678118654752440, SQRT_2_OVER_PI = 0.79788456080286535588;
    double v, r;
    (void)P;
    g[0] = h[0] = 0.0;
    if (!(z > 0.0)) return upper ? 0.0 : -INFINITY;
    if (isinf(z)) return upper ? -INFINITY : 0.0;
    if (upper && z >= 0.5) {
        double d[2];
        v = 0.69314718055994530942 + fm_log_ndtr_derivs(-z, d);
        g[0] = -d[0];
        h[0] = d[1];
        return v;
    }
    if (z < 0.5) {
        const double F = erf(z * RSQRT2);
        v = upper ? log1p(-F) : log(F);
        r = SQRT_2_OVER_PI * exp(-0.5 * z * z) / (upper ? 1.0 - F : F);
    } else {
        const double S = erfc(z * RSQRT2);
        v = log1p(-S);
        r = SQRT_2_OVER_PI * exp(-0.5 * z * z) / (1.0 - S);
    }
    g[0] = upper ? -r : r;
    h[0] = (upper ? z * r : -z * r) - r * r;
    return v;
}
