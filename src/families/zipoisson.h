/* Zero-inflated Poisson (fastmle.zipoisson; not in scipy), shapes (mu, pi)
 * (M = 2), k = 0, 1, ...; P = [mu, pi, log mu, log1p(-pi), exp(-mu)].
 *   pmf(0) = pi + (1 - pi) e^-mu,   pmf(k) = (1 - pi) e^-mu mu^k / k!  (k > 0).
 * At k = 0 with q = pmf(0): d log q = dq / q, d2 log q = d2q / q - dq dq' / q^2,
 *   dq/dmu = -(1-pi) e^-mu, dq/dpi = 1 - e^-mu,
 *   d2q/dmu2 = (1-pi) e^-mu, d2q/dmu dpi = e^-mu, d2q/dpi2 = 0.
 * 1 - e^-mu is computed as -expm1(-mu): exact for tiny mu. */
static inline double zipoisson_obs(double k, const double* P, double* g, double* h) {
    const double mu = P[0], pi = P[1], e = P[4];
    if (!(k >= 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    if (k == 0.0) {
        const double one_minus_e = -expm1(-mu);
        const double q = pi + (1.0 - pi) * e;
        const double qm = -(1.0 - pi) * e, qp = one_minus_e;
        const double gm = qm / q, gp = qp / q;
        g[0] = gm;
        g[1] = gp;
        h[0] = (1.0 - pi) * e / q - gm * gm;
        h[1] = e / q - gm * gp;
        h[2] = -gp * gp;
        return log(q);
    }
    {
        const double r = 1.0 / (1.0 - pi);
        g[0] = k / mu - 1.0;
        g[1] = -r;
        h[0] = -k / (mu * mu);
        h[1] = 0.0;
        h[2] = -r * r;
        return P[3] - mu + k * P[2] - fm_lgamma(k + 1.0);
    }
}
