#include "_normal_tail.h"

/* Skew-normal, shape a (any real; M = 1), P = [a].
 *   log g(z) = log 2 + log phi(z) + log Phi(a z)
 * with the constant log 2 - log(2 pi)/2 added in Python.
 *
 * log Phi(u) and the inverse Mills ratio r(u) = phi(u)/Phi(u) = d/du log Phi(u)
 * must stay accurate far into the left tail (a z -> -inf when the shape is
 * large and an observation lies on the short side):
 *   u > 0:        log Phi(u) = log1p(-erfc(u/sqrt2)/2)  (no 1 - small cancellation)
 *   -30 < u <= 0: log(erfc(-u/sqrt2)/2); libm's erfc keeps its relative
 *                 accuracy down to ~1e-300 (u ~ -37), so this is direct
 *   u <= -30:     the asymptotic (Mills) series
 *                 Phi(u) = phi(u)/(-u) * S, S = sum_k (-1)^k (2k-1)!! / u^{2k},
 *                 whose 12 terms at |u| >= 30 truncate below 1e-20 relative.
 * r(u) is phi(u)/Phi(u) in the first two ranges and -u/S in the last.
 * d r/du = -r (u + r). */
#define FM_SN_TAIL (-30.0)

static inline double fm_mills_series(double u) {
    /* S(u) for u <= -30 */
    const double v = 1.0 / (u * u);
    double term = 1.0, s = 1.0;
    int k;
    for (k = 1; k <= 12; ++k) {
        term *= -(2.0 * k - 1.0) * v;
        s += term;
    }
    return s;
}

/* log Phi(u) and r(u) = phi(u) / Phi(u) */
static inline double fm_log_ndtr_ratio(double u, double* r) {
    const double RSQRT2 = 0.70710678118654752440;
    const double LOG_SQRT_2PI = 0.91893853320467274178;
    if (u > 0.0) {
        const double q = 0.5 * erfc(u * RSQRT2);   /* 1 - Phi(u) */
        *r = exp(-0.5 * u * u - LOG_SQRT_2PI) / (1.0 - q);
        return log1p(-q);
    }
    if (u > FM_SN_TAIL) {
        const double p = 0.5 * erfc(-u * RSQRT2);
        *r = exp(-0.5 * u * u - LOG_SQRT_2PI) / p;
        return log(p);
    }
    {
        const double s = fm_mills_series(u);
        *r = -u / s;
        return -0.5 * u * u - LOG_SQRT_2PI - log(-u) + log(s);
    }
}

static inline double skewnorm_obs(double z, const double* P, double* g, double* h) {
    const double a = P[0];
    const double u = a * z;
    double r, dr;
    const double lp = fm_log_ndtr_ratio(u, &r);
    dr = -r * (u + r);
    g[0] = z * r;
    g[1] = -z + a * r;
    h[0] = z * z * dr;
    h[1] = r + u * dr;
    h[2] = -1.0 + a * a * dr;
    return -0.5 * z * z + lp;
}

/* -- cdf (see _natural_loop.h) ------------------------------------------------
 * F(z; a) = 2 int_{-inf}^z phi(t) Phi(a t) dt = Phi(z) - 2 T(z, a) (Owen's T).
 * F(z; -a) = S(-z; a), so a >= 0 below.  Everything rests on the lower tail
 * L(h) = F(-h; a), h >= 0, which for a >= 0 is (dF/da below, F(-h; inf) = 0)
 *     L(h) = (1/pi) int_a^inf exp(-h^2 (1 + b^2)/2) / (1 + b^2) db
 *          = (1/pi) exp(-(1 + a^2) h^2/2) W,
 * with the exponential taken out exactly so that log L and ratios to L
 * never difference large logs.  Then, for z = h >= 0,
 *     F(h) = erf(h/sqrt2) + L(h),    S(h) = 2 Phi(-h) - L(h) >= Phi(-h):
 * sums of positive terms, or a difference that loses at most a factor 2.
 * Derivatives: dF/dz = f = 2 phi(z) Phi(a z),
 *     dF/da = -exp(-(1 + a^2) z^2/2) / (pi (1 + a^2)),
 *     d2F/da dz = z exp(-(1 + a^2) z^2/2) / pi,
 *     d2F/da2 = -a (z^2 + 2/(1 + a^2)) dF/da,
 *     d2F/dz2 = f (-z + a r(a z)),   r = phi/Phi. */

/* W of L(h) = F(-h; a) = exp(-(1 + a^2) h^2/2) W / pi, h >= 0, a >= 0;
 * returns log L.  With t0 = a h/sqrt2, b = sqrt2 t/h:
 *     W = (sqrt2/h) int_{t0}^inf exp(t0^2 - t^2) / (1 + 2 t^2/h^2) dt.
 * t0 >= 2: t = t0 + u/(2 t0) leaves e^-u times a smooth factor
 *     (Gauss-Laguerre, 1e-14 relative against mpmath for t0 >= 2);
 * h >= 20 (t0 < 2): 1/(1 + beta t^2) = sum (-beta)^k t^{2k}, beta = 2/h^2,
 *     with int_{t0}^inf t^{2k} e^{t0^2 - t^2} dt by upward recurrence
 *     (positive terms); the terms fall by ~beta (k + t0^2) <= 0.03;
 * otherwise (h < 20, a h < 2 sqrt2) the Owen's T forms, which lose at most
 *     ~2.5 digits: Phi(-h) - 2 T(h, a) for a <= 1 and, for a > 1 (where
 *     that cancels as 1/(pi a) at h -> 0), 2 T(a h, 1/a) - erf(h/sqrt2) Phi(-a h). */
static inline double fm_sn_left(double h, double a, double* W) {
    const double t0 = a * h * FM_NT_RSQRT2;
    int i;
    if (t0 >= 2.0) {
        const double c0 = 0.5 / t0, h2 = h * h;
        double s = 0.0;
        for (i = 0; i < FM_LAG24_N; ++i) {
            const double c = FM_LAG24_X[i] * c0, y = t0 + c;
            s += FM_LAG24_W[i] * exp(-c * c) / (h2 + 2.0 * y * y);
        }
        *W = s / a;
        return -FM_NT_LOG_PI - (0.5 * h2 + t0 * t0) + log(*W);
    }
    if (h >= 20.0) {
        const double beta = 2.0 / (h * h), t02 = t0 * t0;
        double M = 0.5 * FM_NT_SQRT_PI * erfc(t0) * exp(t02);
        double s = M, tk = t0, bk = 1.0;
        for (i = 1; i < 60; ++i) {
            double term;
            M = 0.5 * (tk + (2.0 * i - 1.0) * M);
            tk *= t02;
            bk *= -beta;
            term = bk * M;
            s += term;
            if (fabs(term) < 1e-17 * s) break;
        }
        *W = FM_NT_SQRT2 / h * s;
        return -FM_NT_LOG_PI - (0.5 * h * h + t02) + log(*W);
    }
    {
        const double F = a <= 1.0 ? fm_ndtr(-h) - 2.0 * fm_owens_t(h, a)
                                  : 2.0 * fm_owens_t(a * h, 1.0 / a) - erf(h * FM_NT_RSQRT2) * fm_ndtr(-a * h);
        *W = FM_NT_PI * F * exp(0.5 * h * h * (1.0 + a * a));
        return log(F);
    }
}

/* skewnorm_lcdf for a >= 0 */
static inline double fm_sn_lcdf_nonneg(double z, double a, int upper, double* g, double* h) {
    const double A = 1.0 + a * a;
    double W, lL, v;
    /* F's derivatives over X (qa = F_a/X, ...), X/V, and the sign of V_theta = sgn F_theta */
    double qa, qf, qaa, qaz, qzz, ratio, sgn;
    if (z <= 0.0) {
        const double hh = -z;
        lL = fm_sn_left(hh, a, &W);                          /* X = F = L(h) */
        qf = fm_mills(-a * hh) / W;
        qa = -1.0 / (A * W);
        qaz = -hh / W;
        qzz = qf * (hh + a * fm_ndtr_ratio(-a * hh));
        if (!upper) {
            v = lL;
            ratio = 1.0;
            sgn = 1.0;
        } else {                                             /* S = 1 - F >= 1/2 */
            const double F = exp(lL);
            v = log1p(-F);
            ratio = F / (1.0 - F);
            sgn = -1.0;
        }
    } else {
        const double hh = z, e = exp(-0.5 * a * a * hh * hh);
        double St, lS;
        lL = fm_sn_left(hh, a, &W);
        /* X = exp(-h^2/2): S / X = sqrt(2/pi) m(-h) - e W / pi */
        St = FM_NT_SQRT_2_OVER_PI * fm_mills(-hh) - e * W / FM_NT_PI;
        lS = -0.5 * hh * hh + log(St);
        qf = FM_NT_SQRT_2_OVER_PI * fm_ndtr(a * hh);
        qa = -e / (FM_NT_PI * A);
        qaz = hh * e / FM_NT_PI;
        qzz = qf * (-hh + a * fm_ndtr_ratio(a * hh));
        {
            /* log of the smaller of F and S, log1p(-it) for the other */
            const double F = erf(hh * FM_NT_RSQRT2) + exp(lL);
            if (upper) {
                v = F < 0.5 ? log1p(-F) : lS;
                ratio = 1.0 / St;
                sgn = -1.0;
            } else {
                v = F < 0.5 ? log(F) : log1p(-exp(lS));
                ratio = exp(-0.5 * hh * hh) / F;
                sgn = 1.0;
            }
        }
    }
    qaa = -a * (z * z + 2.0 / A) * qa;
    if (!(v > -INFINITY)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return v;
    }
    {
        const double s = sgn * ratio;
        const double ga = s * qa, gz = s * qf;
        g[0] = ga;
        g[1] = gz;
        h[0] = s * qaa - ga * ga;
        h[1] = s * qaz - ga * gz;
        h[2] = s * qzz - gz * gz;
    }
    return v;
}

static inline double skewnorm_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double a = P[0];
    double v;
    if (isinf(z)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return (z > 0) == (upper != 0) ? -INFINITY : 0.0;
    }
    if (a >= 0.0) return fm_sn_lcdf_nonneg(z, a, upper, g, h);
    /* F(z; a) = S(-z; -a): the first derivatives change sign, the second do not */
    v = fm_sn_lcdf_nonneg(-z, -a, !upper, g, h);
    g[0] = -g[0];
    g[1] = -g[1];
    return v;
}
