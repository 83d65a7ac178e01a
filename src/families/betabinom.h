/* Beta-binomial (scipy.stats.betabinom) with n fixed by the caller: the
 * kernel differentiates in (a, b) (M = 2); P = [a, b, n].
 * log pmf = lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)
 *           + lgamma(k+a) + lgamma(n-k+b) - lgamma(n+a+b) + lgamma(a+b) - lgamma(a) - lgamma(b);
 * the k-free terms are added in Python.
 *   d/da = digamma(k+a), d/db = digamma(n-k+b), d2 = diag(trigamma(k+a), trigamma(n-k+b)). */
static inline double betabinom_obs(double k, const double* P, double* g, double* h) {
    const double a = P[0], b = P[1], n = P[2];
    const double j = n - k;
    if (!(k >= 0.0 && j >= 0.0)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return -INFINITY;
    }
    g[0] = fm_digamma(k + a);
    g[1] = fm_digamma(j + b);
    h[0] = fm_trigamma(k + a);
    h[1] = 0.0;
    h[2] = fm_trigamma(j + b);
    return fm_lgamma(k + a) + fm_lgamma(j + b) - fm_lgamma(k + 1.0) - fm_lgamma(j + 1.0);
}

/* -- cdf (see _natural_loop.h) -------------------------------------------------
 * P = [a, b, n, c1_a, c1_b, c2_aa, c2_ab, c2_bb] here: betabinom's
 * _natural_map appends the gradient and Hessian in (a, b) of the k-free
 * part of the log pmf, lgamma(a + b) - lgamma(n + a + b) - lgamma(a) - lgamma(b).
 *
 * F(k) = sum_{j <= k} pmf(j) and S(k) = sum_{j > k} pmf(j), summed as they
 * are (positive terms, each relatively accurate).  The side expected to be
 * the smaller (by the mean n a / (a + b)) is summed first; if it is below
 * 1/2 the other follows as log1p(-sum), else the other side is summed too
 * (so a log near 0, a probability near 1, always comes from the small
 * complement).  Only the first term of a sum needs lgamma/digamma/trigamma;
 * the others follow from
 *   pmf(j + 1) / pmf(j) = (n - j)(j + a) / ((j + 1)(n - j - 1 + b))
 * and psi(j + 1 + a) = psi(j + a) + 1/(j + a) (likewise trigamma and the
 * b-terms).  The log of the sum has gradient E[grad log pmf] and Hessian
 * E[hess log pmf] + Cov(grad log pmf) under the weights pmf(j) / sum; the
 * covariance is accumulated by the weighted Welford recurrence (no
 * cancellation of squared means); weights are rescaled when they grow.
 *
 * Cost: one step (four divisions) per count summed, so O(n) per
 * observation in general.  For a, b >= 1 the pmf is log-concave: its
 * ratios fall monotonically along a sum moving away from the mode, and a
 * sum stops once the geometric bound of what is left is below 1e-17 of it,
 * which makes the cost ~ the number of counts of non-negligible mass. */

/* lgamma(x + m) - lgamma(x) for x > 0, x + m > 0, with absolute error
 * ~eps |m| log(x + m) rather than eps x log x: for large x from Stirling's
 * series, whose large terms cancel analytically. */
static inline double betabinom_lgamma_shift(double x, double m) {
    if (m == 0.0) return 0.0;
    if (x >= 10.0 && x + m >= 10.0)
        return (x - 0.5) * log1p(m / x) + m * (log(x + m) - 1.0)
               + (fm__lgamma_stirling_corr(x + m) - fm__lgamma_stirling_corr(x));
    return fm_lgamma(x + m) - fm_lgamma(x);
}

/* log pmf(j).  Its lgamma terms are large (~(n + a + b) log(n + a + b)) and
 * cancel to a moderate value, so they are paired into shifts whose rounding
 * is ~eps (shift) log(...): by j and n - j when a + b >= n,
 *   log C(n, j) + [lgamma(j+a) - lgamma(a)] + [lgamma(n-j+b) - lgamma(b)]
 *   - [lgamma(n+a+b) - lgamma(a+b)],
 * and by a - 1, b - 1 and a + b - 1 when n is the larger,
 *   [lgamma(j+a) - lgamma(j+1)] + [lgamma(n-j+b) - lgamma(n-j+1)]
 *   - [lgamma(n+a+b) - lgamma(n+1)] - log B(a, b). */
static inline double betabinom_log_pmf(double j, double a, double b, double n) {
    if (a + b >= n)
        return fm_lgamma(n + 1.0) - fm_lgamma(j + 1.0) - fm_lgamma(n - j + 1.0)
               + betabinom_lgamma_shift(a, j) + betabinom_lgamma_shift(b, n - j)
               - betabinom_lgamma_shift(a + b, n);
    return betabinom_lgamma_shift(j + 1.0, a - 1.0) + betabinom_lgamma_shift(n - j + 1.0, b - 1.0)
           - betabinom_lgamma_shift(n + 1.0, a + b - 1.0)
           - (a >= b ? fm_lgamma(b) - betabinom_lgamma_shift(a, b)
                     : fm_lgamma(a) - betabinom_lgamma_shift(b, a));
}

static inline double betabinom_tail_sum(double j0, double count, int up, const double* P,
                                        double* g, double* h) {
    const double a = P[0], b = P[1], n = P[2];
    const int log_concave = a >= 1.0 && b >= 1.0;
    const double l0 = betabinom_log_pmf(j0, a, b, n);
    double W = 1.0, r = 1.0, loff = 0.0;
    double dA = 0.0, dB = 0.0, d1A = 0.0, d1B = 0.0;     /* deviations from term j0 */
    double mA = 0.0, mB = 0.0, CAA = 0.0, CAB = 0.0, CBB = 0.0, S1A = 0.0, S1B = 0.0;
    double j = j0, i;
    for (i = 1.0; i < count; i += 1.0) {
        double q, ja, nb, eA, eB, f;
        if (up) {                  /* j -> j + 1 */
            ja = j + a;
            nb = n - j - 1.0 + b;
            q = (n - j) * ja / ((j + 1.0) * nb);
            dA += 1.0 / ja;
            d1A -= 1.0 / (ja * ja);
            dB -= 1.0 / nb;
            d1B += 1.0 / (nb * nb);
            j += 1.0;
        } else {                   /* j -> j - 1 */
            ja = j - 1.0 + a;
            nb = n - j + b;
            q = j * nb / ((n - j + 1.0) * ja);
            dA -= 1.0 / ja;
            d1A += 1.0 / (ja * ja);
            dB += 1.0 / nb;
            d1B -= 1.0 / (nb * nb);
            j -= 1.0;
        }
        r *= q;
        W += r;
        f = r / W;
        eA = dA - mA;
        eB = dB - mB;
        mA += f * eA;
        mB += f * eB;
        CAA += r * eA * (dA - mA);
        CAB += r * eA * (dB - mB);
        CBB += r * eB * (dB - mB);
        S1A += r * d1A;
        S1B += r * d1B;
        if (W > 1e250) {
            W *= 1e-250;
            r *= 1e-250;
            CAA *= 1e-250;
            CAB *= 1e-250;
            CBB *= 1e-250;
            S1A *= 1e-250;
            S1B *= 1e-250;
            loff += 575.6462732485114;    /* 250 log 10 */
        }
        if (log_concave && q < 1.0 && r * q <= 1e-17 * (1.0 - q) * W) break;
    }
    g[0] = fm_digamma(j0 + a) + P[3] + mA;
    g[1] = fm_digamma(n - j0 + b) + P[4] + mB;
    h[0] = fm_trigamma(j0 + a) + P[5] + (S1A + CAA) / W;
    h[1] = P[6] + CAB / W;
    h[2] = fm_trigamma(n - j0 + b) + P[7] + (S1B + CBB) / W;
    return l0 + loff + log(W);
}

/* log(1 - e^l) = log1p(-e^l) for l < -log 2 (accurate there, Maechler
 * 2012), with its gradient and Hessian from l's */
static inline double betabinom_log1mexp(double l, const double* gl, const double* hl, double* g,
                                        double* h) {
    const double f1 = -1.0 / expm1(-l), f2 = f1 * (1.0 - f1);
    g[0] = f1 * gl[0];
    g[1] = f1 * gl[1];
    h[0] = f1 * hl[0] + f2 * gl[0] * gl[0];
    h[1] = f1 * hl[1] + f2 * gl[0] * gl[1];
    h[2] = f1 * hl[2] + f2 * gl[1] * gl[1];
    return log1p(-exp(l));
}

static inline double betabinom_lcdf(double k, const double* P, int upper, double* g, double* h) {
    const double a = P[0], b = P[1], n = P[2];
    double g1[2], h1[3], l1;
    int first_upper;
    k = floor(k);
    if (k < 0.0 || k >= n) {               /* F = 0 or 1 */
        const int one = k >= n;
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return (one != (upper != 0)) ? 0.0 : -INFINITY;
    }
    /* F: terms k, k - 1, ..., 0; S: terms k + 1, ..., n */
    first_upper = k + 0.5 >= n * a / (a + b);
    l1 = first_upper ? betabinom_tail_sum(k + 1.0, n - k, 1, P, g1, h1)
                     : betabinom_tail_sum(k, k + 1.0, 0, P, g1, h1);
    if (l1 >= -0.6931471805599453) {       /* the guess was the larger side */
        first_upper = !first_upper;
        l1 = first_upper ? betabinom_tail_sum(k + 1.0, n - k, 1, P, g1, h1)
                         : betabinom_tail_sum(k, k + 1.0, 0, P, g1, h1);
    }
    if (first_upper == (upper != 0)) {
        g[0] = g1[0];
        g[1] = g1[1];
        h[0] = h1[0];
        h[1] = h1[1];
        h[2] = h1[2];
        return l1;
    }
    return betabinom_log1mexp(l1, g1, h1, g, h);
}
