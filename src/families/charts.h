/* Limit charts: families rewritten in coordinates where the limit a free
 * location runs off to is an ordinary point (M = 1, shape k >= 0, limit at
 * k = 0), so that Newton converges quadratically to a huge-but-finite shape
 * or stops on the limit instead of crawling along the ridge towards it
 * (fastmle/distributions/_charts.py maps the coordinates to scipy's).
 *
 * Every chart's loc and scale are the limit family's: z = (x - mu) / sigma,
 * and at k = 0 the log density is the limit's (the z-free constants are
 * added in Python).
 *
 * Box-Cox charts (lognorm, fisk, weibull_min): X = loc + scale exp(k B)
 * with B from a base density b; mu = loc + scale, sigma = k scale, so
 *     w = log1p(k z) / k = L(k, z),   log g(z) = log b(w) - log1p(k z).
 * Bases: normal (lognorm, s = k), logistic (fisk, c = 1/k), gumbel_l
 * (weibull_min, c = 1/k).  weibull_max is genextreme with c >= 0. */
#ifndef FASTMLE_CHARTS_H
#define FASTMLE_CHARTS_H

#include "_log1p_div.h"

#define FM_CHART_OUT()                                 \
    do {                                               \
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;        \
        return -INFINITY;                              \
    } while (0)

/* log b(w) - log1p(k z) from the base's b, b' and b'' at w = L(k, z). */
static inline double fm_boxcox(double k, double z, double L, double Lk, double Lkk, double b,
                               double b1, double b2, double* g, double* h) {
    const double q = 1.0 + k * z, iq = 1.0 / q, iq2 = iq * iq;
    g[0] = b1 * Lk - z * iq;
    g[1] = (b1 - k) * iq;
    h[0] = b2 * Lk * Lk + b1 * Lkk + z * z * iq2;
    h[1] = b2 * Lk * iq - (b1 * z + 1.0) * iq2;
    h[2] = (b2 - b1 * k + k * k) * iq2;
    return b - k * L;            /* k L = log1p(k z) */
}

/* lognorm chart: base normal, b = -w^2/2; constant -log(2 pi)/2 */
static inline double chart_lognorm_obs(double z, const double* P, double* g, double* h) {
    const double k = P[0];
    double L, Lk, Lkk;
    if (!(1.0 + k * z > 0.0)) FM_CHART_OUT();
    fm_log1p_div(k, z, &L, &Lk, &Lkk);
    return fm_boxcox(k, z, L, Lk, Lkk, -0.5 * L * L, -L, -1.0, g, h);
}

/* fisk chart: base logistic, b = -|w| - 2 log1p(e^-|w|) */
static inline double chart_fisk_obs(double z, const double* P, double* g, double* h) {
    const double k = P[0];
    double L, Lk, Lkk, a, e, r;
    if (!(1.0 + k * z > 0.0)) FM_CHART_OUT();
    fm_log1p_div(k, z, &L, &Lk, &Lkk);
    a = fabs(L);
    e = exp(-a);
    r = 1.0 / (1.0 + e);
    return fm_boxcox(k, z, L, Lk, Lkk, -a - 2.0 * log1p(e), -copysign((1.0 - e) * r, L),
                     -2.0 * e * r * r, g, h);
}

/* weibull_min chart: base gumbel_l, b = w - e^w */
static inline double chart_weibull_min_obs(double z, const double* P, double* g, double* h) {
    const double k = P[0];
    double L, Lk, Lkk, e;
    if (!(1.0 + k * z > 0.0)) FM_CHART_OUT();
    fm_log1p_div(k, z, &L, &Lk, &Lkk);
    e = exp(L);
    return fm_boxcox(k, z, L, Lk, Lkk, L - e, 1.0 - e, -e, g, h);
}

/* gamma chart, k = 1/sqrt(a), mu = loc + a scale (the mean), sigma =
 * sqrt(a) scale (the sd): with u = k z and q = 1 + u,
 *     log g(z) = C(k) + M - log1p(u),   M = (log1p(u) - u) / k^2,
 * C(k) = (a - 1/2) log a - a - lgamma(a) in Python.  M -> -z^2/2 as k -> 0;
 * for |u| < 0.1 it and its k-derivatives come from their power series (the
 * closed forms cancel: M_kk ~ -z^4/2 from O(u^2 / k^4) terms), beyond from
 * the closed forms, which lose at most a factor 6/u^2 = 600 there. */
static const double fm_m_c0[22] = {-0.5, 0.3333333333333333, -0.25, 0.2, -0.16666666666666666, 0.14285714285714285, -0.125, 0.1111111111111111, -0.1, 0.09090909090909091, -0.08333333333333333, 0.07692307692307693, -0.07142857142857142, 0.06666666666666667, -0.0625, 0.058823529411764705, -0.05555555555555555, 0.05263157894736842, -0.05, 0.047619047619047616, -0.045454545454545456, 0.043478260869565216};
static const double fm_m_c1[21] = {0.3333333333333333, -0.5, 0.6, -0.6666666666666666, 0.7142857142857143, -0.75, 0.7777777777777778, -0.8, 0.8181818181818182, -0.8333333333333334, 0.8461538461538461, -0.8571428571428571, 0.8666666666666667, -0.875, 0.8823529411764706, -0.8888888888888888, 0.8947368421052632, -0.9, 0.9047619047619048, -0.9090909090909091, 0.9130434782608695};
static const double fm_m_c2[20] = {-0.5, 1.2, -2.0, 2.857142857142857, -3.75, 4.666666666666667, -5.6, 6.545454545454546, -7.5, 8.461538461538462, -9.428571428571429, 10.4, -11.375, 12.352941176470589, -13.333333333333334, 14.31578947368421, -15.3, 16.285714285714285, -17.272727272727273, 18.26086956521739};

/* M(k, z) = (log1p(k z) - k z) / k^2 with its first two k-derivatives;
 * also log1p(k z).  Requires 1 + k z > 0. */
static inline void fm_gamma_m(double k, double z, double* M, double* Mk, double* Mkk, double* lp) {
    const double u = k * z, q = 1.0 + u, z2 = z * z;
    int j;
    if (fabs(u) < 0.1) {
        /* terms to u^21 (0.1^22 < 1e-21); below |u| = 0.01, to u^10 */
        const int top = fabs(u) < 0.01 ? 10 : 21;
        double s0 = fm_m_c0[top], s1 = fm_m_c1[top - 1], s2 = fm_m_c2[top - 2];
        for (j = top - 1; j >= 0; --j) s0 = s0 * u + fm_m_c0[j];
        for (j = top - 2; j >= 0; --j) s1 = s1 * u + fm_m_c1[j];
        for (j = top - 3; j >= 0; --j) s2 = s2 * u + fm_m_c2[j];
        *M = z2 * s0;
        *Mk = z2 * z * s1;
        *Mkk = z2 * z2 * s2;
        *lp = log1p(u);
    } else {
        const double ik = 1.0 / k, ik2 = ik * ik;
        double n0;
        *lp = log1p(u);
        n0 = *lp - u;
        *M = n0 * ik2;
        *Mk = (-u * u / q - 2.0 * n0) * ik2 * ik;
        *Mkk = (u * u * u / (q * q) + 3.0 * u * u / q + 6.0 * n0) * ik2 * ik2;
    }
}

static inline double chart_gamma_obs(double z, const double* P, double* g, double* h) {
    const double k = P[0], q = 1.0 + k * z;
    double M, Mk, Mkk, lp, iq, iq2, z2;
    if (!(q > 0.0)) FM_CHART_OUT();
    fm_gamma_m(k, z, &M, &Mk, &Mkk, &lp);
    z2 = z * z;
    iq = 1.0 / q;
    iq2 = iq * iq;
    g[0] = Mk - z * iq;
    g[1] = -(z + k) * iq;
    h[0] = Mkk + z2 * iq2;
    h[1] = (z2 - 1.0) * iq2;
    h[2] = -(1.0 - k * k) * iq2;
    return M - lp;
}

/* invgauss chart, d = sqrt(mu) (skewness 3 d), mu_x = loc + scale mu (the
 * mean), sigma = scale mu^1.5 (the sd): with q = 1 + d z,
 *     log g(z) = -1.5 log1p(d z) - z^2 / (2 q);   constant -log(2 pi)/2. */
static inline double chart_invgauss_obs(double z, const double* P, double* g, double* h) {
    const double d = P[0], q = 1.0 + d * z;
    double iq, iq2, z2;
    if (!(q > 0.0)) FM_CHART_OUT();
    iq = 1.0 / q;
    iq2 = iq * iq;
    z2 = z * z;
    g[0] = -1.5 * z * iq + 0.5 * z2 * z * iq2;
    g[1] = -1.5 * d * iq - 0.5 * z * (2.0 + d * z) * iq2;
    h[0] = 1.5 * z2 * iq2 - z2 * z2 * iq2 * iq;
    h[1] = -1.5 * iq2 + 0.5 * z2 * (3.0 + d * z) * iq2 * iq;
    h[2] = 1.5 * d * d * iq2 - iq2 * iq;
    return -1.5 * log1p(d * z) - 0.5 * z2 * iq;
}

/* t chart, e = 1/df: log g(z) = C(e) - (1 + e)/2 L(e, z^2); constant in
 * Python. */
static inline double chart_t_obs(double z, const double* P, double* g, double* h) {
    const double e = P[0], y = z * z, q = 1.0 + e * y, iq = 1.0 / q;
    const double half1e = 0.5 * (1.0 + e);
    double L, Le, Lee, fy, fyy, fey;
    fm_log1p_div(e, y, &L, &Le, &Lee);
    fy = -half1e * iq;                         /* d/dy */
    fyy = half1e * e * iq * iq;
    fey = 0.5 * (y - 1.0) * iq * iq;
    g[0] = -0.5 * L - half1e * Le;
    g[1] = 2.0 * z * fy;
    h[0] = -Le - half1e * Lee;
    h[1] = 2.0 * z * fey;
    h[2] = 4.0 * y * fyy + 2.0 * fy;
    return -half1e * L;
}

/* skewnorm in the centred parametrization: mu, sigma the mean and sd, and
 * c = mu_z / sqrt(1 - mu_z^2) with mu_z = delta sqrt(2/pi) the standardized
 * mean (c^3 = 2 skewness / (4 - pi)); a = c / sqrt(b^2 - c^2 (1 - b^2)),
 * b^2 = 2/pi, so |c| < 1.3236.  At a = 0 the direct parametrization's
 * information is singular (the a-score is the loc-score) and Newton crawls;
 * here the density is phi(z) + O(c^3), every c-derivative is finite and the
 * maximum, c* ~ skewness^(1/3), is regular.  With r = sqrt(1 + c^2) and
 * u = (z + c) / r the direct parametrization's standardized value:
 *     log g(z) = -u^2/2 + log Phi(a u)   (+ log 2 - log(2 pi)/2 - log r in Python)
 * P = [c, 1/r, a, da/dc, d2a/dc2]. */
static inline double chart_skewnorm_obs(double z, const double* P, double* g, double* h) {
    const double c = P[0], ir = P[1], a = P[2], ap = P[3], app = P[4];
    const double ir3 = ir * ir * ir;
    const double u = (z + c) * ir;
    const double uc = (1.0 - c * z) * ir3;
    const double ucc = -z * ir3 - 3.0 * c * (1.0 - c * z) * ir3 * ir * ir;
    const double ucz = -c * ir3;
    const double v = a * u, vc = ap * u + a * uc, vz = a * ir;
    const double vcc = app * u + 2.0 * ap * uc + a * ucc, vcz = ap * ir + a * ucz;
    double R, dR;
    const double lp = fm_log_ndtr_ratio(v, &R);
    dR = -R * (v + R);
    g[0] = -u * uc + R * vc;
    g[1] = -u * ir + R * vz;
    h[0] = -uc * uc - u * ucc + dR * vc * vc + R * vcc;
    h[1] = -ir * uc - u * ucz + dR * vc * vz + R * vcz;
    h[2] = -ir * ir + dR * vz * vz;
    return -0.5 * u * u + lp;
}

/* beta chart (M = 2): X = loc + scale B with B ~ beta(a, b); mu, sigma the
 * mean and sd, and al = s/m, be = s/(1 - m) (m, s the mean and sd of B):
 * al = sqrt(b / (a (a + b + 1))), be = sqrt(a / (b (a + b + 1))).  The
 * support is -1/al < z < 1/be; be = 0 is the gamma (b -> inf; al is then
 * the gamma chart's k), al = 0 the reflected gamma, al = be = 0 the normal.
 * With W = -int_0^z t / ((1 + al t)(1 - be t)) dt (analytic in al, be):
 *     log g(z) = (1 - al be) W - log1p(al z) - log1p(-be z)
 * (constant in Python).  W and its al/be-derivatives: a 10-point
 * Gauss-Legendre rule in t = z s when |al z|, |be z| <= 0.5 (poles of the
 * integrand at least a unit beyond [0, 1]: ~1e-15), else partial fractions,
 * W = (al M(al, z) + be M(-be, z)) / (al + be) with M of the gamma chart
 * (al + be >= 0.5/|z| there: no cancellation). */
static const double FM_GL6_S[6] = {0.03376524289842403, 0.16939530676686776, 0.38069040695840156, 0.6193095930415985, 0.8306046932331322, 0.9662347571015759};
static const double FM_GL6_W[6] = {0.08566224618958514, 0.18038078652406936, 0.23395696728634552, 0.23395696728634552, 0.18038078652406936, 0.08566224618958514};
static const double FM_GL7_S[7] = {0.0254460438286207, 0.12923440720030277, 0.2970774243113014, 0.5, 0.7029225756886985, 0.8707655927996972, 0.9745539561713793};
static const double FM_GL7_W[7] = {0.06474248308443487, 0.13985269574463843, 0.19091502525255935, 0.20897959183673465, 0.19091502525255935, 0.13985269574463843, 0.06474248308443487};
static const double FM_GL10_S[10] = {0.013046735741414128, 0.06746831665550773, 0.16029521585048778, 0.2833023029353764, 0.4255628305091844, 0.5744371694908156, 0.7166976970646236, 0.8397047841495122, 0.9325316833444923, 0.9869532642585859};
static const double FM_GL10_W[10] = {0.03333567215434407, 0.0747256745752902, 0.109543181257991, 0.13463335965499826, 0.1477621123573764, 0.1477621123573764, 0.13463335965499826, 0.109543181257991, 0.0747256745752902, 0.03333567215434407};

static inline double chart_beta_obs(double z, const double* P, double* g, double* h) {
    const double al = P[0], be = P[1];
    const double u1 = al * z, u2 = be * z, q1 = 1.0 + u1, q2 = 1.0 - u2;
    const double Pf = 1.0 - al * be;
    double W, Wa, Wb, Waa, Wab, Wbb, Wz, Wzz, Waz, Wbz, l1, l2, iq1, iq2, z2, umax;
    if (!(q1 > 0.0 && q2 > 0.0)) {
        int j;
        for (j = 0; j < 3; ++j) g[j] = 0.0;
        for (j = 0; j < 6; ++j) h[j] = 0.0;
        return -INFINITY;
    }
    z2 = z * z;
    umax = fabs(u1) > fabs(u2) ? fabs(u1) : fabs(u2);
    if (umax <= 0.25) {
        /* nodes enough for ~1e-16 (checked against mpmath): 6 up to 0.05,
         * 7 up to 0.1, 10 up to 0.25 */
        const double *S, *Wt;
        int nn, j;
        double i1 = 0.0, i2a = 0.0, i2b = 0.0, i3a = 0.0, i3ab = 0.0, i3b = 0.0;
        if (umax <= 0.05) {
            S = FM_GL6_S; Wt = FM_GL6_W; nn = 6;
        } else if (umax <= 0.1) {
            S = FM_GL7_S; Wt = FM_GL7_W; nn = 7;
        } else {
            S = FM_GL10_S; Wt = FM_GL10_W; nn = 10;
        }
        for (j = 0; j < nn; ++j) {
            const double sj = S[j], wj = Wt[j];
            const double pa = 1.0 + u1 * sj, pb = 1.0 - u2 * sj, iab = 1.0 / (pa * pb);
            const double A = pb * iab, B = pa * iab;     /* one division for both */
            const double w1 = wj * sj * A * B, w2 = w1 * sj, w3 = w2 * sj;
            i1 += w1;
            i2a += w2 * A;
            i2b += w2 * B;
            i3a += w3 * A * A;
            i3ab += w3 * A * B;
            i3b += w3 * B * B;
        }
        W = -z2 * i1;
        Wa = z2 * z * i2a;
        Wb = -z2 * z * i2b;
        Waa = -2.0 * z2 * z2 * i3a;
        Wab = z2 * z2 * i3ab;
        Wbb = -2.0 * z2 * z2 * i3b;
    } else {
        double M1, M1c, M1cc, M2, M2c, M2cc, lp;
        const double S = al + be, iS = 1.0 / S;
        fm_gamma_m(al, z, &M1, &M1c, &M1cc, &lp);
        fm_gamma_m(-be, z, &M2, &M2c, &M2cc, &lp);
        W = (al * M1 + be * M2) * iS;
        Wa = (M1 + al * M1c - W) * iS;
        Wb = (M2 - be * M2c - W) * iS;
        Waa = (2.0 * M1c + al * M1cc - 2.0 * Wa) * iS;
        Wbb = (-2.0 * M2c + be * M2cc - 2.0 * Wb) * iS;
        Wab = -(Wa + Wb) * iS;
    }
    iq2 = 1.0 / (q1 * q2);
    iq1 = q2 * iq2;
    iq2 = q1 * iq2;
    Wz = -z * iq1 * iq2;
    Wzz = -(1.0 + al * be * z2) * iq1 * iq1 * iq2 * iq2;
    Waz = z2 * iq1 * iq1 * iq2;
    Wbz = -z2 * iq1 * iq2 * iq2;
    /* log1p(u1) + log1p(-u2) as one log: its absolute error, ~1e-16 an
     * observation, is all a sum of log densities needs (the derivatives
     * do not use it) */
    l1 = -log(q1 * q2);
    l2 = 0.0;
    g[0] = -be * W + Pf * Wa - z * iq1;
    g[1] = -al * W + Pf * Wb + z * iq2;
    g[2] = Pf * Wz - al * iq1 + be * iq2;
    h[0] = -2.0 * be * Wa + Pf * Waa + z2 * iq1 * iq1;
    h[1] = -W - al * Wa - be * Wb + Pf * Wab;
    h[2] = -2.0 * al * Wb + Pf * Wbb + z2 * iq2 * iq2;
    h[3] = -be * Wz + Pf * Waz - iq1 * iq1;
    h[4] = -al * Wz + Pf * Wbz + iq2 * iq2;
    h[5] = Pf * Wzz + al * al * iq1 * iq1 + be * be * iq2 * iq2;
    return Pf * W + l1 + l2;
}

#endif
