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

/* cdf (see _natural_loop.h), k = 0, 1, ...:
 *   S(k) = (1 - pi) Sp(k),   F(k) = pi + (1 - pi) Fp(k) = 1 - (1 - pi) Sp(k),
 * Sp = P(k + 1, mu), Fp = Q(k + 1, mu) the Poisson's (fm_log_gammainc).
 * log F is a log-sum of two positive terms while Fp <= 1/2, else
 * log1p(-(1 - pi) Sp).  With pmf = Poisson pmf(k; mu), dFp/dmu = -pmf:
 *   F_mu = -(1 - pi) pmf, F_pi = Sp, F_mumu = -(1 - pi) pmf (k/mu - 1),
 *   F_mupi = pmf, F_pipi = 0; log S separates: log(1 - pi) + log Sp. */
static inline double zipoisson_lcdf(double k, const double* P, int upper, double* g, double* h) {
    const double mu = P[0], pi = P[1], l1mpi = P[3];
    double lSp, lp, km1;
    g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
    if (!(k >= 0.0)) return upper ? 0.0 : -INFINITY;
    if (isinf(k) || !(mu > 0.0) || !(pi < 1.0)) return upper ? -INFINITY : 0.0;
    lSp = fm_log_gammainc(k + 1.0, mu, 0, NULL);
    lp = k * P[2] - mu - fm_lgamma(k + 1.0);
    km1 = k / mu - 1.0;
    if (upper) {
        const double v = l1mpi + lSp;
        const double r = 1.0 / (1.0 - pi);
        double gm;
        if (!(v > -INFINITY)) return v;
        gm = exp(lp - lSp);
        g[0] = gm;
        g[1] = -r;
        h[0] = gm * km1 - gm * gm;
        h[2] = -r * r;
        return v;
    }
    {
        double v, A, B;
        const double lFp = fm_log_gammainc(k + 1.0, mu, 1, NULL);
        if (lFp <= -0.69314718055994530942) {
            const double l1 = pi > 0.0 ? log(pi) : -INFINITY, l2 = l1mpi + lFp;
            const double hi = l1 > l2 ? l1 : l2, lo = l1 > l2 ? l2 : l1;
            if (!(hi > -INFINITY)) return hi;
            v = hi + log1p(exp(lo - hi));
        } else {
            v = log1p(-exp(l1mpi + lSp));
        }
        A = exp(l1mpi + lp - v);            /* (1 - pi) pmf / F */
        B = exp(lSp - v);                   /* Sp / F */
        g[0] = -A;
        g[1] = B;
        h[0] = -A * km1 - A * A;
        h[1] = exp(lp - v) + A * B;
        h[2] = -B * B;
        return v;
    }
}
