/* von Mises, shape kappa (M = 1), P = [kappa]; circular: every real z.
 * log g(z) = kappa (cos z - 1) - log(2 pi i0e(kappa)); the kappa-only term
 * (exponentially scaled Bessel function, no overflow) is added in Python.
 * cos z - 1 = -2 sin^2(z/2) keeps full relative precision near z = 0, where
 * concentrated data (large kappa) put every observation. With kappa = 1 and
 * loc = 0 the sums give sum cos x - n and -sum sin x: the circular mean. */
static inline double vonmises_obs(double z, const double* P, double* g, double* h) {
    const double kappa = P[0];
    /* one sincos at z/2 (half-angle forms) instead of sin, cos and sin(z/2) */
    const double sh = sin(0.5 * z), ch = cos(0.5 * z);
    const double cm1 = -2.0 * sh * sh;
    const double s = 2.0 * sh * ch, c = 1.0 + cm1;
    g[0] = cm1;
    g[1] = -kappa * s;
    h[0] = 0.0;
    h[1] = -s;
    h[2] = -kappa * c;
    return kappa * cm1;
}
