/* Inverse Gaussian, shape mu (M = 1), P = [mu], z > 0:
 *     log g(z) = -1.5 log z - (z/mu - 1)^2 / (2 z)   (+ -log sqrt(2 pi) in Python)
 * The value keeps scipy's form (no cancellation between z/(2 mu^2), 1/mu and
 * 1/(2z) near z = mu); the derivatives use the expanded one,
 *     (z/mu - 1)^2 / (2z) = z / (2 mu^2) - 1/mu + 1 / (2z). */
static inline double invgauss_obs(double z, const double* P, double* g, double* h) {
    const double mu = P[0];
    if (!(z > 0.0)) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    const double im = 1.0 / mu, im2 = im * im, im3 = im2 * im;
    const double iz = 1.0 / z;
    const double r = z * im - 1.0;
    g[0] = z * im3 - im2;                       /* d/dmu of -(z/(2mu^2) - 1/mu) */
    g[1] = -1.5 * iz - 0.5 * im2 + 0.5 * iz * iz;
    h[0] = -3.0 * z * im3 * im + 2.0 * im3;
    h[1] = im3;
    h[2] = 1.5 * iz * iz - iz * iz * iz;
    return -1.5 * log(z) - 0.5 * r * r * iz;
}
