/*
 * _special_cdf.h -- special functions behind the cumulative distribution
 * functions of the fastmle distributions, with derivatives in their shape
 * arguments, for censored-data likelihoods (log F, log S, log(F(b) - F(a)))
 * and goodness-of-fit statistics.
 *
 * Pure C99, header only, like _special.h: every function is `static inline`,
 * allocates nothing, keeps no state and writes only its return value and the
 * caller's derivative array, so it may be called from `nogil` Cython code and
 * from any number of OpenMP threads.  From libm: exp, expm1, log, log1p,
 * erf, erfc, sqrt, sin, cos, atan, atan2, fabs, floor.  Do not build with -ffast-math:
 * the error-free transformations below (Veltkamp splitting, Dekker products)
 * need IEEE 754 semantics.
 *
 *   fm_ndtr(x)                     Phi(x)                   (scipy.special.ndtr)
 *   fm_log_ndtr(x)                 log Phi(x)               (scipy.special.log_ndtr)
 *   fm_ndtr_ratio(x)               phi(x) / Phi(x) = d/dx log Phi(x)
 *   fm_log_ndtr_derivs(x, d)       log Phi(x); d[0] = d/dx, d[1] = d2/dx2
 *   fm_owens_t(h, a)               Owen's T(h, a)           (scipy.special.owens_t)
 *   fm_log_gammainc(a, x, up, d)   log P(a, x) or log Q(a, x), 5 derivatives
 *   fm_log_betainc(a, b, x, up, d) log I_x(a, b) or log(1 - I_x(a, b)), 9 derivatives
 *   fm_log_vonmises_cdf(k, x, up, d)  log F or log S of von Mises(k), 5 derivatives
 *   fm_log_diff_exp(...)           log(exp(hi) - exp(lo)) with gradient and Hessian
 *
 * Derivative arrays: pass NULL to get the value only (the fast path used by
 * goodness-of-fit statistics).  The layout of each array is given at each
 * function.  Accuracy and ranges are stated at each function and measured by
 * tests/test_special_cdf.py.
 *
 * References: DLMF = NIST Digital Library of Mathematical Functions,
 * https://dlmf.nist.gov/ (equation numbers quoted in the comments).
 */
#ifndef FASTMLE_SPECIAL_CDF_H
#define FASTMLE_SPECIAL_CDF_H

#include <math.h>
#include <float.h>
#include <stddef.h>
#include "_special.h"

#define FM__EPS DBL_EPSILON
#define FM__SQRT1_2 0.7071067811865476                /* 1/sqrt(2) rounded */
#define FM__SQRT1_2_LO (-4.833646656726457e-17)       /* 1/sqrt(2) - FM__SQRT1_2 */
#define FM__INV_SQRT_2PI 0.3989422804014327           /* 1/sqrt(2 pi) */
#define FM__2_SQRTPI 1.1283791670955126               /* 2/sqrt(pi) */
#define FM__INV_2PI 0.15915494309189535               /* 1/(2 pi) */
#define FM__LN2 0.6931471805599453

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

/* log(1 - exp(l)) for l <= 0 (Maechler 2012: the switch at -log 2 keeps
 * full relative accuracy on both sides). */
static inline double fm__log1mexp(double l)
{
    return (l > -FM__LN2) ? log(-expm1(l)) : log1p(-exp(l));
}

/* log1p(t) - t without cancellation for small |t|.  For t in [-1/2, 1]
 * put u = t / (2 + t), |u| <= 1/3: log1p(t) = 2 atanh(u) = 2 sum u^(2k+1)/(2k+1)
 * (DLMF 4.6.4) and t - 2u = u t, so log1p(t) - t = -u t + 2 u^3 sum_{k>=0}
 * u^(2k) / (2k + 3); both parts have the sign of -t^2, nothing cancels, and
 * 15 terms of the sum leave < 1e-17 relative at |u| = 1/3.  Outside that
 * range the direct difference loses at most a factor ~5. */
static inline double fm__log1pmx(double t)
{
    if (t < -0.5 || t > 1.0)
        return log1p(t) - t;
    double u = t / (2.0 + t);
    double u2 = u * u;
    double s = 1.0 / 33.0;
    for (int k = 14; k >= 0; --k)
        s = s * u2 + 1.0 / (2 * k + 3);
    return -u * t + 2.0 * u * u2 * s;
}

/* Veltkamp split: x = hi + lo exactly, hi with at most 26 significant bits,
 * so that hi * hi and hi * c_hi are exact.  |x| < 1e300. */
static inline void fm__split(double x, double *hi, double *lo)
{
    double c = 134217729.0 * x;                        /* 2^27 + 1 */
    double h = c - (c - x);
    *hi = h;
    *lo = x - h;
}

/* psi(a + b) - psi(a) for a, b > 0, without the cancellation of two large
 * digammas when a is large: psi(x) = log x - (log x - psi(x)). */
static inline double fm__digamma_diff(double a, double b)
{
    if (a >= 10.0)
        return log1p(b / a) + fm_log_minus_digamma(a) - fm_log_minus_digamma(a + b);
    return fm_digamma(a + b) - fm_digamma(a);
}

/* ------------------------------------------------------------------ */
/* normal distribution                                                 */
/* ------------------------------------------------------------------ */

/* exp(-x^2 / 2) to a few ulp for |x| < 40: x = hi + lo with hi^2 exact, so
 * the large part of the exponent has no rounding error (the way cephes'
 * expx2 keeps erfc accurate). */
static inline double fm__exp_mhalf_x2(double x)
{
    double hi, lo;
    fm__split(x, &hi, &lo);
    return exp(-0.5 * (hi * hi)) * exp(-(lo * (hi + 0.5 * lo)));
}

/* Phi(x) for x <= 0, to a few ulp down to x = -38 (where it underflows).
 * Phi(x) = erfc(z)/2 with z = -x/sqrt(2).  Rounding z alone would cost a
 * relative error ~ x^2 eps (1e-13 at x = -30), so the exact error
 * dz = z - fl(z) is formed by a Dekker product and the result is corrected
 * to first order: erfc(z + dz) = erfc(z) (1 - dz * 2 exp(-z^2)/(sqrt(pi) erfc(z))). */
static inline double fm__ndtr_neg(double x)
{
    double y = -x;
    double z = y * FM__SQRT1_2;
    double e = erfc(z);
    if (y < 0.5 || e == 0.0)
        return 0.5 * e;
    double yh, yl, ch, cl;
    fm__split(y, &yh, &yl);
    fm__split(FM__SQRT1_2, &ch, &cl);
    double dz = (((yh * ch - z) + yh * cl + yl * ch) + yl * cl) + y * FM__SQRT1_2_LO;
    double ratio = FM__2_SQRTPI * fm__exp_mhalf_x2(y) / e;   /* exp(-z^2) = exp(-x^2/2) */
    return 0.5 * e * (1.0 - dz * ratio);
}

/* Asymptotic (Mills) series for x <= -20 (DLMF 7.12.1):
 *   Phi(x) = phi(x)/(-x) * (1 + s1),  s1 = sum_{k>=1} (-1)^k (2k-1)!! / x^(2k).
 * At |x| >= 20 the 15th term is < 1e-19, so 14 terms are kept.  s1 is
 * returned without the leading 1 so that 1 - 1/(1 + s1) needs no cancellation. */
#define FM__NDTR_ASY (-20.0)
static inline double fm__mills_s1(double x)
{
    double v = 1.0 / (x * x);
    double term = 1.0, s = 0.0;
    for (int k = 1; k <= 14; ++k) {
        term *= -(2.0 * k - 1.0) * v;
        s += term;
    }
    return s;
}

/* Phi(x) = P(N(0,1) <= x), as scipy.special.ndtr.  Relative error a few ulp
 * for x <= 0 (down to the underflow at x ~ -38.5); absolute a few ulp for
 * x > 0. */
static inline double fm_ndtr(double x)
{
    if (isnan(x))
        return x;
    return (x <= 0.0) ? fm__ndtr_neg(x) : 1.0 - fm__ndtr_neg(-x);
}

/* log Phi(x), as scipy.special.log_ndtr, with relative accuracy a few ulp on
 * the whole real line: the Mills series below -20 (no underflow: log Phi(-1e4)
 * = -5.0e7 is fine), log1p(-Phi(-x)) above 0 (so log Phi(x) ~ -Phi(-x) keeps
 * relative accuracy up to x ~ 38, beyond which Phi(-x) underflows and the
 * result is -0.0... rounded to 0).
 *
 * Derivatives: d/dx log Phi = fm_ndtr_ratio(x) = r, d2/dx2 = -r (x + r);
 * fm_log_ndtr_derivs returns both without the cancellation in x + r. */
static inline double fm_log_ndtr(double x)
{
    if (isnan(x))
        return x;
    if (x <= FM__NDTR_ASY)
        return -0.5 * x * x - log(-x) - FM__HALF_LOG_2PI + log1p(fm__mills_s1(x));
    if (x <= 0.0)
        return log(fm__ndtr_neg(x));
    return log1p(-fm__ndtr_neg(-x));
}

/* Inverse Mills ratio r(x) = phi(x) / Phi(x) = d/dx log Phi(x), relative
 * error a few ulp everywhere: r(x) = -x / (1 + s1) below -20 (r ~ -x), the
 * accurately split phi over Phi above; 0 at +inf (phi underflows). */
static inline double fm_ndtr_ratio(double x)
{
    if (isnan(x))
        return x;
    if (x <= FM__NDTR_ASY)
        return -x / (1.0 + fm__mills_s1(x));
    if (x > 38.5)
        return 0.0;
    double phi = FM__INV_SQRT_2PI * fm__exp_mhalf_x2(x);
    return phi / ((x <= 0.0) ? fm__ndtr_neg(x) : 1.0 - fm__ndtr_neg(-x));
}

/* log Phi(x); d[0] = r = d/dx log Phi(x), d[1] = d2/dx2 log Phi(x) = -r (x + r).
 * Below -20, x + r = x s1 / (1 + s1) is formed without cancellation, so
 * d[1] -> -1 keeps relative accuracy; between -20 and -1 the difference
 * x + r loses up to a factor x^2 (<= 400 eps relative in d[1]). */
static inline double fm_log_ndtr_derivs(double x, double *d)
{
    if (x <= FM__NDTR_ASY) {
        double s1 = fm__mills_s1(x);
        double r = -x / (1.0 + s1);
        d[0] = r;
        d[1] = -r * (x * s1 / (1.0 + s1));
        return -0.5 * x * x - log(-x) - FM__HALF_LOG_2PI + log1p(s1);
    }
    double r = fm_ndtr_ratio(x);
    d[0] = r;
    d[1] = -r * (x + r);
    return fm_log_ndtr(x);
}

/* ------------------------------------------------------------------ */
/* log(exp(hi) - exp(lo)) with derivatives: interval-censored terms      */
/* ------------------------------------------------------------------ */

/* L = log(exp(hi) - exp(lo)) for lo < hi (e.g. log(F(b) - F(a)) from
 * log F(b) and log F(a), or log(S(a) - S(b)) from the survival side, which
 * is the accurate choice in the right tail).  If g is not NULL, the gradient
 * and the packed Hessian of L are written from those of hi and lo over n
 * variables:
 *   g_hi, g_lo, g:  n entries;
 *   h_hi, h_lo, h:  n (n + 1) / 2 entries, upper triangle row by row
 *                   (00, 01, ..., 0n-1, 11, 12, ...); h may be NULL.
 * With w = exp(lo - hi), A = 1/(1 - w), B = -w/(1 - w):
 *   grad L = A grad hi + B grad lo,
 *   hess L = A (H_hi + g_hi g_hi') + B (H_lo + g_lo g_lo') - grad L grad L'.
 * Returns -inf (and leaves g, h unwritten) when lo >= hi. */
static inline double fm_log_diff_exp(double hi, double lo, int n,
                                     const double *g_hi, const double *g_lo,
                                     const double *h_hi, const double *h_lo,
                                     double *g, double *h)
{
    if (!(lo < hi))
        return (isnan(lo) || isnan(hi)) ? NAN : -INFINITY;
    double dl = lo - hi;                           /* < 0 */
    double value = hi + fm__log1mexp(dl);
    if (g == NULL)
        return value;
    double om = -expm1(dl);                        /* 1 - w, accurate */
    double A = 1.0 / om;
    double B = -exp(dl) / om;
    for (int i = 0; i < n; ++i)
        g[i] = A * g_hi[i] + B * g_lo[i];
    if (h != NULL) {
        int k = 0;
        for (int i = 0; i < n; ++i)
            for (int j = i; j < n; ++j, ++k)
                h[k] = A * (h_hi[k] + g_hi[i] * g_hi[j])
                       + B * (h_lo[k] + g_lo[i] * g_lo[j]) - g[i] * g[j];
    }
    return value;
}

/* ------------------------------------------------------------------ */
/* forward-mode automatic differentiation                              */
/* ------------------------------------------------------------------ */

/* A number with its first and second derivative in one variable. */
typedef struct { double v, d, dd; } fm_d1;

static inline fm_d1 fm__d1(double v, double d, double dd)
{
    fm_d1 r;
    r.v = v; r.d = d; r.dd = dd;
    return r;
}

static inline fm_d1 fm__d1_mul(fm_d1 u, fm_d1 w)
{
    return fm__d1(u.v * w.v, u.d * w.v + u.v * w.d,
                  u.dd * w.v + 2.0 * u.d * w.d + u.v * w.dd);
}

/* u / w from u = q w differentiated twice. */
static inline fm_d1 fm__d1_div(fm_d1 u, fm_d1 w)
{
    double iw = 1.0 / w.v;
    double q = u.v * iw;
    double q1 = (u.d - q * w.d) * iw;
    return fm__d1(q, q1, (u.dd - 2.0 * q1 * w.d - q * w.dd) * iw);
}

/* log of a positive dual number. */
static inline fm_d1 fm__d1_log(fm_d1 u)
{
    double g = u.d / u.v;
    return fm__d1(log(u.v), g, u.dd / u.v - g * g);
}

/* f(u) for a scalar function with value f0 and derivatives f1, f2 at u.v. */
static inline fm_d1 fm__d1_chain(fm_d1 u, double f0, double f1, double f2)
{
    return fm__d1(f0, f1 * u.d, f2 * u.d * u.d + f1 * u.dd);
}

/* log(1 - exp(l)) of a dual l < 0:  f' = -1/expm1(-l), f'' = f' (1 - f'). */
static inline fm_d1 fm__d1_log1mexp(fm_d1 l)
{
    double f1 = -1.0 / expm1(-l.v);
    return fm__d1_chain(l, fm__log1mexp(l.v), f1, f1 * (1.0 - f1));
}

/* A number with its gradient and Hessian in two variables (a, b), and its
 * first derivative in a third variable x (the beta continued fraction needs
 * d/dx of its value only, for the second x-derivative of log I). */
typedef struct { double v, a, b, aa, ab, bb, x; } fm_d2;

static inline fm_d2 fm__d2(double v, double a, double b, double aa, double ab, double bb,
                           double x)
{
    fm_d2 r;
    r.v = v; r.a = a; r.b = b; r.aa = aa; r.ab = ab; r.bb = bb; r.x = x;
    return r;
}

static inline fm_d2 fm__d2_add(fm_d2 u, fm_d2 w)
{
    return fm__d2(u.v + w.v, u.a + w.a, u.b + w.b, u.aa + w.aa, u.ab + w.ab, u.bb + w.bb,
                  u.x + w.x);
}

static inline fm_d2 fm__d2_mul(fm_d2 u, fm_d2 w)
{
    return fm__d2(u.v * w.v,
                  u.a * w.v + u.v * w.a,
                  u.b * w.v + u.v * w.b,
                  u.aa * w.v + 2.0 * u.a * w.a + u.v * w.aa,
                  u.ab * w.v + u.a * w.b + u.b * w.a + u.v * w.ab,
                  u.bb * w.v + 2.0 * u.b * w.b + u.v * w.bb,
                  u.x * w.v + u.v * w.x);
}

static inline fm_d2 fm__d2_div(fm_d2 u, fm_d2 w)
{
    double iw = 1.0 / w.v;
    double q = u.v * iw;
    double qa = (u.a - q * w.a) * iw;
    double qb = (u.b - q * w.b) * iw;
    return fm__d2(q, qa, qb,
                  (u.aa - 2.0 * qa * w.a - q * w.aa) * iw,
                  (u.ab - qa * w.b - qb * w.a - q * w.ab) * iw,
                  (u.bb - 2.0 * qb * w.b - q * w.bb) * iw,
                  (u.x - q * w.x) * iw);
}

static inline fm_d2 fm__d2_log(fm_d2 u)
{
    double iv = 1.0 / u.v;
    double ga = u.a * iv, gb = u.b * iv;
    return fm__d2(log(u.v), ga, gb, u.aa * iv - ga * ga, u.ab * iv - ga * gb,
                  u.bb * iv - gb * gb, u.x * iv);
}

static inline fm_d2 fm__d2_chain(fm_d2 u, double f0, double f1, double f2)
{
    return fm__d2(f0, f1 * u.a, f1 * u.b, f2 * u.a * u.a + f1 * u.aa,
                  f2 * u.a * u.b + f1 * u.ab, f2 * u.b * u.b + f1 * u.bb, f1 * u.x);
}

static inline fm_d2 fm__d2_log1mexp(fm_d2 l)
{
    double f1 = -1.0 / expm1(-l.v);
    return fm__d2_chain(l, fm__log1mexp(l.v), f1, f1 * (1.0 - f1));
}

/* ------------------------------------------------------------------ */
/* regularized incomplete gamma function                               */
/* ------------------------------------------------------------------ */

/* log D(a, x), D = x^a e^-x / Gamma(a + 1), the common factor of the series
 * and of the continued fraction, and (if d1 != NULL) its first and second
 * derivatives in a.  For a >= 10 the large terms are cancelled analytically
 * (Stirling, DLMF 5.11.1, with t = (x - a)/a):
 *   log D = a (log1p(t) - t) - log(a)/2 - log(2 pi)/2 - omega(a),
 *   d/da log D = log1p(t) + (log a - psi(a)) - 1/a,
 * so log D keeps absolute accuracy ~eps log(a) instead of eps a. */
static inline double fm__gamma_logd(double a, double x, double *d1, double *d2)
{
    double value;
    if (a >= 10.0) {
        double t = (x - a) / a;
        /* near t = -1 (x << a) the rounding of t would be amplified by
         * log1p; log(x) - log(a) is exact to a few ulp there */
        double lxa = (t < -0.5) ? log(x) - log(a) : log1p(t);
        double core = (t < -0.5) ? a * lxa + (a - x) : a * fm__log1pmx(t);
        value = core - 0.5 * log(a) - FM__HALF_LOG_2PI - fm__lgamma_stirling_corr(a);
        if (d1 != NULL)
            *d1 = lxa + fm_log_minus_digamma(a) - 1.0 / a;
    } else {
        double lx = log(x);
        value = a * lx - x - fm_lgamma(a + 1.0);
        if (d1 != NULL)
            *d1 = lx - fm_digamma(a + 1.0);
    }
    if (d2 != NULL)
        *d2 = -fm_trigamma(a + 1.0);
    return value;
}

/* Which of P and Q is computed directly (the other as 1 minus it), after
 * Gautschi (1979), section 3, with the boundaries scipy.special.gammainc
 * uses: each method is used only where its result is <~ 0.7, so the
 * complement loses at most ~2 bits.
 *   0: series for P (DLMF 8.7.1 with 8.5.1), x below ~a;
 *   1: continued fraction for Q (DLMF 8.9.2), x > 1.1 and x >= a;
 *   2: series for Q = 1 - P at small a and x <= 1.1 (DLMF 8.7.3), where P
 *      is close to 1 because x^a is. */
static inline int fm__gamma_method(double a, double x)
{
    if (x > 1.1)
        return (x < a) ? 0 : 1;
    if (x <= 0.5)
        return (a > -0.4 / log(x)) ? 0 : 2;
    return (x * 1.1 < a) ? 0 : 2;
}

/* Iteration cap of the series and continued fractions: near x = a they need
 * ~ 9 sqrt(a) terms; beyond the cap the result is NaN, never a silently
 * truncated value. */
static inline int fm__gamma_maxit(double a)
{
    double m = 200.0 + 30.0 * sqrt(a);      /* (int) of more than INT_MAX is undefined */
    return m < 2e9 ? (int)m : 2000000000;
}

/* P series: P = D * S, S = sum_{n>=0} t_n, t_n = x^n / ((a+1)(a+2)...(a+n))
 * (DLMF 8.7.1, 8.5.1).  Returns log S.  With d != NULL also
 *   d[0], d[1]: first and second derivative of log S in a, from
 *               t_n' = -t_n H1_n and t_n'' = t_n (H1_n^2 + H2_n) where
 *               H1_n = sum_{k<=n} 1/(a+k), H2_n = sum 1/(a+k)^2;
 *   d[2]:       x dS/dx / S = sum n t_n / S (for d2/dx2 log P).
 * Every sum has terms of one sign.  Stop when the remaining geometric tail
 * (ratio x/(a+n) < 1) is below eps of each sum. */
static inline double fm__gamma_series_p(double a, double x, double *d)
{
    double t = 1.0, s = 1.0, s1 = 0.0, s2 = 0.0, sn = 0.0, h1 = 0.0, h2 = 0.0;
    int maxit = fm__gamma_maxit(a);
    for (int n = 1; n <= maxit; ++n) {
        double ia = 1.0 / (a + n);
        double rho = x * ia;
        t *= rho;
        s += t;
        if (d != NULL) {
            h1 += ia;
            h2 += ia * ia;
            s1 -= t * h1;
            s2 += t * (h1 * h1 + h2);
            sn += n * t;
        }
        if (rho < 1.0) {
            double tail = t / (1.0 - rho);
            if (tail <= 0.5 * FM__EPS * s
                && (d == NULL || tail * (h1 * h1 + h2 + h1 + n) <= 0.5 * FM__EPS * (s2 - s1 + sn))) {
                if (d != NULL) {
                    double g = s1 / s;
                    d[0] = g;
                    d[1] = s2 / s - g * g;
                    d[2] = sn / s;
                }
                return log(s);
            }
        }
    }
    return NAN;
}

/* lgamma(1 + a) to full relative accuracy for 0 < a < 1.5 (also near a = 1
 * where it vanishes), from the Taylor series of lgamma(2 + z) in _special.h. */
static inline double fm__lgamma1p(double a)
{
    if (a < 0.5)
        return fm__lgamma2p(a) - log1p(a);
    return fm__lgamma2p(a - 1.0);                      /* a - 1 exact */
}

/* Q series for small a and x <= 1.1 (DLMF 8.7.3 rearranged):
 *   P = x^a / Gamma(a+1) * (1 + a s),  s = sum_{n>=1} (-x)^n / (n! (a+n)) < 0,
 *   Q = -expm1(u) - e^u a s,  u = a log x - lgamma(1+a),
 * two positive terms, so Q keeps relative accuracy as a -> 0 where Q ~ a E1(x).
 * Returns Q as a dual number in a. */
static inline fm_d1 fm__gamma_series_q(double a, double x, int want_d)
{
    double c = 1.0, s0 = 0.0, s1 = 0.0, s2 = 0.0;
    for (int n = 1; n < 60; ++n) {
        c *= -x / n;
        double ia = 1.0 / (a + n);
        double term = c * ia;
        s0 += term;
        s1 -= term * ia;
        s2 += 2.0 * term * ia * ia;
        if (fabs(term) <= 0.25 * FM__EPS * fabs(s0))
            break;
    }
    double lx = log(x);
    double u = a * lx - fm__lgamma1p(a);
    double eu = exp(u);
    double q = -expm1(u) - eu * a * s0;
    if (!want_d)
        return fm__d1(q, 0.0, 0.0);
    fm_d1 ud = fm__d1(u, lx - fm_digamma(1.0 + a), -fm_trigamma(1.0 + a));
    fm_d1 e = fm__d1_chain(ud, eu, eu, eu);                      /* e^u */
    fm_d1 as = fm__d1(a * s0, s0 + a * s1, 2.0 * s1 + a * s2);   /* a s */
    fm_d1 eas = fm__d1_mul(e, as);
    return fm__d1(q, -e.d - eas.d, -e.dd - eas.dd);
}

/* Legendre continued fraction for Q (DLMF 8.9.2, NR 6.2.7):
 *   Q = x^a e^-x / Gamma(a) / f = a D / f,
 *   f = b0 + g,  g = a1/(b1 + a2/(b2 + ...)),  b_n = x + 2n + 1 - a,
 *   a_n = -n (n - a).
 * h = b1 + a2/(b2 + ...) is evaluated by the modified Lentz method (Press et
 * al., Numerical Recipes, 5.2), then g = a1 / h (a1 = a - 1 may be 0).  With
 * want_d the same recurrence runs on dual numbers in a, so the derivatives
 * converge with the value.  g is returned besides f because
 * d2/dx2 log Q = -f g / x^2 needs it without the cancellation of f - b0.
 * Used for x >= a and x > 1.1, where every b_n > 0.  On non-convergence
 * f is NaN. */
static inline void fm__gamma_cf(double a, double x, int want_d, fm_d1 *f_out, fm_d1 *g_out)
{
    const double tiny = 1e-300;
    int maxit = fm__gamma_maxit(a);
    double b0 = x + 1.0 - a;
    if (!want_d) {
        double h = x + 3.0 - a, C = h, D = 0.0;
        for (int n = 2; n <= maxit; ++n) {
            double an = -n * (n - a);
            double bn = x + 2.0 * n + 1.0 - a;
            D = bn + an * D;
            C = bn + an / C;
            if (fabs(D) < tiny) D = tiny;
            if (fabs(C) < tiny) C = tiny;
            D = 1.0 / D;
            double delta = C * D;
            h *= delta;
            if (fabs(delta - 1.0) <= FM__EPS) {
                double g = (a - 1.0) / h;
                *g_out = fm__d1(g, 0.0, 0.0);
                *f_out = fm__d1(b0 + g, 0.0, 0.0);
                return;
            }
        }
        *f_out = *g_out = fm__d1(NAN, NAN, NAN);
        return;
    }
    fm_d1 one = fm__d1(1.0, 0.0, 0.0);
    fm_d1 h = fm__d1(x + 3.0 - a, -1.0, 0.0);
    fm_d1 C = h, D = fm__d1(0.0, 0.0, 0.0);
    for (int n = 2; n <= maxit; ++n) {
        fm_d1 an = fm__d1(-n * (n - a), (double)n, 0.0);
        fm_d1 bn = fm__d1(x + 2.0 * n + 1.0 - a, -1.0, 0.0);
        fm_d1 aD = fm__d1_mul(an, D);
        D = fm__d1(bn.v + aD.v, bn.d + aD.d, bn.dd + aD.dd);
        fm_d1 aC = fm__d1_div(an, C);
        C = fm__d1(bn.v + aC.v, bn.d + aC.d, bn.dd + aC.dd);
        D = fm__d1_div(one, D);
        fm_d1 delta = fm__d1_mul(C, D);
        h = fm__d1_mul(h, delta);
        /* log h changes by about (delta.v - 1, delta.d, delta.dd): stop when
         * all three are below eps on the scale of the derivatives of log h */
        double g1 = h.d / h.v;
        if (fabs(delta.v - 1.0) <= FM__EPS
            && fabs(delta.d) <= FM__EPS * (1.0 + fabs(g1))
            && fabs(delta.dd) <= FM__EPS * (1.0 + fabs(h.dd / h.v - g1 * g1) + g1 * g1)) {
            fm_d1 g = fm__d1_div(fm__d1(a - 1.0, 1.0, 0.0), h);
            *g_out = g;
            *f_out = fm__d1(b0 + g.v, g.d - 1.0, g.dd);
            return;
        }
    }
    *f_out = *g_out = fm__d1(NAN, NAN, NAN);
}

/* log P(a, x) (upper = 0) or log Q(a, x) (upper = 1), the regularized lower
 * and upper incomplete gamma functions (scipy.special.gammainc/gammaincc),
 * for a > 0 and x >= 0.  If d is not NULL it receives the derivatives of the
 * returned log:
 *   d[0] = d/da, d[1] = d/dx, d[2] = d2/da2, d[3] = d2/dadx, d[4] = d2/dx2.
 * The x-derivatives come from the density p = x^(a-1) e^-x / Gamma(a):
 * with r = p/P (lower) or -p/Q (upper),
 *   d[1] = r,  d[4] = r ((a-1)/x - 1) - r^2,  d[3] = r (log x - psi(a) - d[0]).
 *
 * Accuracy: relative ~1e-14 for the log (hence for P and Q themselves far
 * into either tail: log Q(a, 1000 a), log P(a, 1e-300)), for 1e-300 <= a <= 1e5
 * and any x; derivatives to ~1e-12 relative (absolute ~1e-14 where they
 * vanish).  The cost grows like sqrt(a) near x = a (series / continued
 * fraction terms): about 3000 terms at a = 1e5.  Above the iteration cap
 * (a ~ 1e7 near x = a) NaN is returned.
 * Special values: x = 0 gives log P = -inf, log Q = 0; x = +inf gives
 * log P = 0, log Q = -inf; derivatives of an infinite log are NaN, those
 * of log 1 = 0 are 0.  NaN for a <= 0, x < 0 or NaN input. */
static inline double fm_log_gammainc(double a, double x, int upper, double *d)
{
    if (!(a > 0.0) || !(x >= 0.0) || a == INFINITY) {
        if (d != NULL)
            for (int i = 0; i < 5; ++i) d[i] = NAN;
        return NAN;
    }
    if (x == 0.0 || x == INFINITY) {
        int is_one = (x == 0.0) == (upper != 0);       /* the log is log 1 */
        if (d != NULL)
            for (int i = 0; i < 5; ++i) d[i] = is_one ? 0.0 : NAN;
        return is_one ? 0.0 : -INFINITY;
    }
    int method = fm__gamma_method(a, x);
    int want_d = (d != NULL);
    double ld1 = 0.0, ld2 = 0.0;
    double logd = fm__gamma_logd(a, x, want_d ? &ld1 : NULL, want_d ? &ld2 : NULL);
    fm_d1 direct;                      /* log of the directly computed side */
    int direct_is_upper;
    /* x-derivatives of the direct side in closed forms without cancellation
     * (set for methods 0 and 1): first, mixed with a, second */
    double dx1 = 0.0, dax = 0.0, dxx = 0.0;
    int have_dx = 0;
    if (method == 0) {
        double sd[3] = {0.0, 0.0, 0.0};
        double ls = fm__gamma_series_p(a, x, want_d ? sd : NULL);
        direct = fm__d1(logd + ls, ld1 + sd[0], ld2 + sd[1]);
        direct_is_upper = 0;
        if (want_d) {
            /* p / P = (a D / x) / (D S) = a / (x S) */
            dx1 = a / (x * exp(ls));
            dax = dx1 * (1.0 / a - sd[0]);
            dxx = -(dx1 / x) * (1.0 + sd[2]);
            have_dx = 1;
        }
    } else if (method == 1) {
        fm_d1 f, g;
        fm__gamma_cf(a, x, want_d, &f, &g);
        /* log Q = log a + log D - log f */
        fm_d1 lf = want_d ? fm__d1_log(f) : fm__d1(log(f.v), 0.0, 0.0);
        direct = fm__d1(log(a) + logd - lf.v, 1.0 / a + ld1 - lf.d,
                        -1.0 / (a * a) + ld2 - lf.dd);
        direct_is_upper = 1;
        if (want_d) {
            /* -p / Q = -(a D / x) / (a D / f) = -f / x, and f = x + 1 - a + g */
            dx1 = -f.v / x;
            dax = -f.d / x;
            dxx = -f.v * g.v / (x * x);
            have_dx = 1;
        }
    } else {
        fm_d1 q = fm__gamma_series_q(a, x, want_d);
        direct = want_d ? fm__d1_log(q) : fm__d1(log(q.v), 0.0, 0.0);
        direct_is_upper = 1;
    }
    if (direct_is_upper == (upper != 0)) {
        if (want_d && have_dx) {
            d[0] = direct.d;
            d[1] = dx1;
            d[2] = direct.dd;
            d[3] = dax;
            d[4] = dxx;
        }
        if (!want_d || have_dx)
            return direct.v;
    }
    fm_d1 res;
    if (direct_is_upper == (upper != 0))
        res = direct;
    else
        res = want_d ? fm__d1_log1mexp(direct) : fm__d1(fm__log1mexp(direct.v), 0.0, 0.0);
    if (want_d) {
        /* from the density p = a D / x: r = p/P or -p/Q */
        double r = exp(logd + log(a) - log(x) - res.v);
        if (upper)
            r = -r;
        d[0] = res.d;
        d[1] = r;
        d[2] = res.dd;
        /* d/da log p = log x - psi(a) = d/da log D + 1/a */
        d[3] = r * ((ld1 + 1.0 / a) - res.d);
        d[4] = r * ((a - 1.0) / x - 1.0) - r * r;
    }
    return res.v;
}

/* ------------------------------------------------------------------ */
/* regularized incomplete beta function                                */
/* ------------------------------------------------------------------ */

/* lgamma(a) - lgamma(a + b) for a >= 10, b > 0, by Stirling (DLMF 5.11.1)
 * with the large terms cancelled: (a - 1/2) log a - (a + b - 1/2) log(a + b)
 * + b = -(a - 1/2) log1p(b/a) - b log(a + b) + b. */
static inline double fm__lgamma_diff(double a, double b)
{
    double c = a + b;
    return fm__lgamma_stirling_corr(a) - fm__lgamma_stirling_corr(c)
           - (a - 0.5) * log1p(b / a) - b * log(c) + b;
}

/* log K, K = x^a y^b / (a B(a, b)) with y = 1 - x given by the caller (so
 * that an exactly known complement is used), and its gradient and Hessian
 * in (a, b) (x-part 0).  lx, ly: log x, log y as computed by the caller.
 * When a, b >= 10 the large terms are cancelled analytically (Stirling):
 *   a log x + b log y - log B(a, b)
 *     = a log(x/x0) + b log(y/y0) + log(a b / c)/2 - log(2 pi)/2
 *       - omega(a) - omega(b) + omega(c),    c = a + b, x0 = a/c, y0 = b/c,
 * and a log(x/x0) + b log(y/y0) = a log1pmx(t1) + b log1pmx(t2) with
 * t1 = (x - x0)/x0, t2 = (y - y0)/y0 (a t1 + b t2 = 0), so log K keeps
 * absolute accuracy ~eps log(c) near the mode instead of eps c. */
static inline fm_d2 fm__beta_logk(double a, double b, double x, double y,
                                  double lx, double ly, int want_d)
{
    double c = a + b, value;
    if (a >= 10.0 && b >= 10.0) {
        double x0 = a / c, y0 = b / c;
        double xd = (x0 <= 0.5) ? x - x0 : y0 - y;      /* x - x0 */
        double t1 = xd / x0, t2 = -xd / y0;
        double core;
        if (t1 >= -0.5 && t1 <= 1.0 && t2 >= -0.5 && t2 <= 1.0)
            core = a * fm__log1pmx(t1) + b * fm__log1pmx(t2);
        else
            core = a * (lx + log1p(b / a)) + b * (ly + log1p(a / b));
        value = core + 0.5 * log(a * (b / c)) - FM__HALF_LOG_2PI
                - fm__lgamma_stirling_corr(a) - fm__lgamma_stirling_corr(b)
                + fm__lgamma_stirling_corr(c);
    } else {
        double lbeta;
        if (a >= 10.0)
            lbeta = fm_lgamma(b) + fm__lgamma_diff(a, b);
        else if (b >= 10.0)
            lbeta = fm_lgamma(a) + fm__lgamma_diff(b, a);
        else
            lbeta = fm_lgamma(a) + fm_lgamma(b) - fm_lgamma(c);
        value = a * lx + b * ly - lbeta;
    }
    value -= log(a);
    if (!want_d)
        return fm__d2(value, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    /* d/da [a log x + b log y - log B - log a] = log x + psi(c) - psi(a) - 1/a */
    double tc = fm_trigamma(c);
    return fm__d2(value,
                  lx + fm__digamma_diff(a, b) - 1.0 / a,
                  ly + fm__digamma_diff(b, a),
                  1.0 / (a * a) - fm_trigamma(a) + tc, tc, tc - fm_trigamma(b), 0.0);
}

static inline int fm__beta_maxit(double a, double b)
{
    double m = 200.0 + 30.0 * sqrt(a > b ? a : b);   /* (int) of more than INT_MAX is undefined */
    return m < 2e9 ? (int)m : 2000000000;
}

/* Terms of the continued fraction below, as dual numbers in (a, b) with
 * d/dx (c = a + b, y = 1 - x exact from the caller):
 *   even d_{2m}   = m (b - m) x / ((a+2m-1)(a+2m)),
 *   odd  d_{2m+1} = -(a+m)(c+m) x / ((a+2m)(a+2m+1)), and 1 + d_{2m+1}.
 * For x > 1/2, 1 + d_{2m+1} is formed from y without cancellation:
 *   (a+2m)(a+2m+1) - (a+m)(c+m)(1-y)
 *     = a (2m+1-b) + m (3m+2-b) + (a+m)(c+m) y. */
static inline fm_d2 fm__beta_cf_even(double a, double b, double x, int m)
{
    double p = a + 2 * m - 1.0, q = p + 1.0;
    return fm__d2_div(fm__d2(m * (b - m) * x, 0.0, m * x, 0.0, 0.0, 0.0, m * (b - m)),
                      fm__d2(p * q, p + q, 0.0, 2.0, 0.0, 0.0, 0.0));
}

static inline void fm__beta_cf_odd(double a, double b, double x, double y, int m,
                                   fm_d2 *d, fm_d2 *one_plus_d)
{
    double c = a + b, u = a + m, w = c + m;
    double p = a + 2 * m, q = p + 1.0;
    fm_d2 den = fm__d2(p * q, p + q, 0.0, 2.0, 0.0, 0.0, 0.0);
    *d = fm__d2_div(fm__d2(-u * w * x, -(u + w) * x, -u * x, -2.0 * x, -x, 0.0, -u * w), den);
    if (x <= 0.5) {
        *one_plus_d = *d;
        one_plus_d->v += 1.0;
    } else {
        fm_d2 num = fm__d2(a * (2 * m + 1.0 - b) + m * (3.0 * m + 2.0 - b) + u * w * y,
                           (2 * m + 1.0 - b) + (u + w) * y, -u + u * y,
                           2.0 * y, y - 1.0, 0.0, -u * w);
        *one_plus_d = fm__d2_div(num, den);
    }
}

/* The same terms in plain double precision (value-only path). */
static inline double fm__beta_cf_even_v(double a, double b, double x, int m)
{
    return m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m));
}

static inline double fm__beta_cf_odd_v(double a, double b, double x, double y, int m,
                                       double *one_plus_d)
{
    double c = a + b, u = a + m, w = c + m, den = (a + 2 * m) * (a + 2 * m + 1.0);
    double d = -u * w * x / den;
    *one_plus_d = (x <= 0.5) ? 1.0 + d
                             : (a * (2 * m + 1.0 - b) + m * (3.0 * m + 2.0 - b) + u * w * y) / den;
    return d;
}

/* Continued fraction for I_x(a, b) (DLMF 8.17.22, NR 6.4.5):
 *   I_x(a, b) = K / f,   f = 1 + d1/(1 + d2/(1 + d3/(1 + ...))),
 * by the modified Lentz method (Numerical Recipes 5.2), two steps (even,
 * odd) per m.  It converges fast for x < (a+1)/(a+b+2) (the caller swaps a, b
 * and x, 1-x otherwise).  With want_d the recurrence runs on dual numbers:
 * gradient and Hessian in (a, b) and d/dx.  f is NaN if the iteration cap is
 * reached.
 *
 * Rounding: when a >> b and x is near 1 (the swapped side for b >> a, e.g.
 * I_{1-x}(1e5, 2.5)), every odd step has d_{2m+1} ~ -1 while the even-step
 * Lentz quantities C, D are ~ 1 + tiny, so 1 + d C and 1 + d D cancel.  The
 * recurrence therefore carries the even-step deviations dC = C - 1, dD = D - 1
 * (formed as products) and 1 + d_{2m+1} exactly (fm__beta_cf_odd):
 *   odd C = (1 + d + dC) / (1 + dC),  odd 1/D = (1 + d) + d dD.
 * In that corner the error drops from ~eps a/b (1e-11 at a/b = 4e4) to
 * ~2e-12; it is ~eps elsewhere. */
static inline fm_d2 fm__beta_cf(double a, double b, double x, double y, int want_d)
{
    const double tiny = 1e-300;
    int maxm = fm__beta_maxit(a, b);
    if (!want_d) {
        double opd;
        fm__beta_cf_odd_v(a, b, x, y, 0, &opd);
        double f = opd, C = opd, D = 1.0;          /* after the first step */
        if (fabs(C) < tiny) C = tiny;
        for (int m = 1; m <= maxm; ++m) {
            double de = fm__beta_cf_even_v(a, b, x, m);
            double dCe = de / C;
            double Dn = 1.0 + de * D;
            if (fabs(Dn) < tiny) Dn = tiny;
            double De = 1.0 / Dn;
            double dDe = -(de * D) * De;
            double delta = (1.0 + dCe) * De;
            f *= delta;
            double dd = fm__beta_cf_odd_v(a, b, x, y, m, &opd);
            double Co = (opd + dCe) / (1.0 + dCe);
            Dn = opd + dd * dDe;
            if (fabs(Dn) < tiny) Dn = tiny;
            if (fabs(Co) < tiny) Co = tiny;
            D = 1.0 / Dn;
            C = Co;
            double delta2 = C * D;
            f *= delta2;
            if (fabs(delta - 1.0) <= FM__EPS && fabs(delta2 - 1.0) <= FM__EPS)
                return fm__d2(f, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        }
        return fm__d2(NAN, NAN, NAN, NAN, NAN, NAN, NAN);
    }
    fm_d2 one = fm__d2(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    fm_d2 dd, opd;
    fm__beta_cf_odd(a, b, x, y, 0, &dd, &opd);
    fm_d2 f = opd, C = opd, D = one;
    for (int m = 1; m <= maxm; ++m) {
        fm_d2 de = fm__beta_cf_even(a, b, x, m);
        fm_d2 dCe = fm__d2_div(de, C);
        fm_d2 deD = fm__d2_mul(de, D);
        fm_d2 De = fm__d2_div(one, fm__d2_add(one, deD));
        fm_d2 dDe = fm__d2_mul(deD, De);
        dDe = fm__d2(-dDe.v, -dDe.a, -dDe.b, -dDe.aa, -dDe.ab, -dDe.bb, -dDe.x);
        fm_d2 opdC = fm__d2_add(one, dCe);
        fm_d2 delta = fm__d2_mul(opdC, De);
        f = fm__d2_mul(f, delta);
        fm__beta_cf_odd(a, b, x, y, m, &dd, &opd);
        C = fm__d2_div(fm__d2_add(opd, dCe), opdC);
        D = fm__d2_div(one, fm__d2_add(opd, fm__d2_mul(dd, dDe)));
        fm_d2 delta2 = fm__d2_mul(C, D);
        f = fm__d2_mul(f, delta2);
        /* log f changes by about delta - 1 and the derivatives of delta:
         * stop when both steps are below eps on the scale of the
         * derivatives of log f so far */
        double iv = 1.0 / f.v;
        double g1 = fabs(f.a * iv) + fabs(f.b * iv);
        double g2 = (fabs(f.aa) + fabs(f.ab) + fabs(f.bb)) * fabs(iv) + g1 * g1;
        double gx = fabs(f.x * x * iv);
        int done = 1;
        for (int k = 0; k < 2; ++k) {
            fm_d2 dl = k ? delta2 : delta;
            done = done && fabs(dl.v - 1.0) <= FM__EPS
                   && fabs(dl.a) + fabs(dl.b) <= FM__EPS * (1.0 + g1)
                   && fabs(dl.aa) + fabs(dl.ab) + fabs(dl.bb) <= FM__EPS * (1.0 + g2)
                   && fabs(dl.x) * x <= FM__EPS * (1.0 + gx);
        }
        if (done)
            return f;
    }
    return fm__d2(NAN, NAN, NAN, NAN, NAN, NAN, NAN);
}

/* log I_x(a, b) (upper = 0) or log(1 - I_x(a, b)) (upper = 1), the
 * regularized incomplete beta function (scipy.special.betainc/betaincc), for
 * a, b > 0 and 0 <= x <= 1.  If d is not NULL it receives the gradient and
 * the packed Hessian of the returned log in (a, b, x):
 *   d[0] = d/da, d[1] = d/db, d[2] = d/dx,
 *   d[3] = d2/da2, d[4] = d2/dadb, d[5] = d2/dadx,
 *   d[6] = d2/db2, d[7] = d2/dbdx, d[8] = d2/dx2.
 *
 * Method: the continued fraction on the side x < (a+1)/(a+b+2), on
 * (b, a, 1-x) otherwise (I_x(a, b) = 1 - I_{1-x}(b, a)); the side not computed
 * is 1 minus the other.  1 - x is exact for x >= 1/2; a caller who knows
 * 1 - x more accurately than the rounded x (Student t near 0: 1 - x =
 * t^2/(df + t^2)) should call fm_log_betainc(b, a, 1 - x, !upper, d) with
 * d[0] <-> d[1], d[2] -> -d[2], d[5] <-> d[7] sign-flipped.
 *
 * Accuracy: the log to ~1e-14 relative (both tails: log I of order -1e4 and
 * log(1 - I) of order -1e-300 alike) for a, b in [1e-3, 1e5]; derivatives to
 * ~1e-12 relative where they are not near 0.  The side computed as 1 minus
 * the other is only as good, relative to itself, as eps / (its value): this
 * matters only when min(a, b) < ~0.1 (the directly computed side can then be
 * close to 1 while x is below the switch point).  Cost grows like
 * sqrt(max(a, b)) near the mode; NaN beyond the iteration cap.
 * Special values: x = 0 and x = 1 give log 0 = -inf or log 1 = 0 (derivatives
 * NaN or 0); NaN for a <= 0, b <= 0, x outside [0, 1] or NaN input. */
static inline double fm_log_betainc(double a, double b, double x, int upper, double *d)
{
    if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0)
        || a == INFINITY || b == INFINITY) {
        if (d != NULL)
            for (int i = 0; i < 9; ++i) d[i] = NAN;
        return NAN;
    }
    if (x == 0.0 || x == 1.0) {
        int is_one = (x == 1.0) == (upper == 0);
        if (d != NULL)
            for (int i = 0; i < 9; ++i) d[i] = is_one ? 0.0 : NAN;
        return is_one ? 0.0 : -INFINITY;
    }
    int want_d = (d != NULL);
    double y = 1.0 - x;
    int swap = x > (a + 1.0) / (a + b + 2.0);
    /* the side computed directly: I_u(p, q) with u = x or y */
    double p = swap ? b : a, q = swap ? a : b;
    double u = swap ? y : x, v = swap ? x : y;
    double lu = (u <= 0.5) ? log(u) : log1p(-v);
    double lv = (v <= 0.5) ? log(v) : log1p(-u);
    fm_d2 lk = fm__beta_logk(p, q, u, v, lu, lv, want_d);
    fm_d2 f = fm__beta_cf(p, q, u, v, want_d);
    fm_d2 lf = want_d ? fm__d2_log(f) : fm__d2(log(f.v), 0, 0, 0, 0, 0, 0);
    /* log of the direct side, derivatives in (p, q) */
    fm_d2 direct = fm__d2(lk.v - lf.v, lk.a - lf.a, lk.b - lf.b,
                          lk.aa - lf.aa, lk.ab - lf.ab, lk.bb - lf.bb, 0.0);
    int complement = (swap != 0) != (upper != 0);
    if (!want_d)
        return complement ? fm__log1mexp(direct.v) : direct.v;
    /* density of the direct side's variable u: dens = K p / (u v) */
    double ldens = lk.v + log(p) - lu - lv;
    double dens_a = lk.a + 1.0 / p, dens_b = lk.b;        /* d/dp, d/dq log dens */
    fm_d2 res;
    double r, ru_x, rax, rbx;       /* d/du log, second in u, mixed (p,u), (q,u) */
    if (!complement) {
        res = direct;
        /* d/du log(K/f) = p f/(u v) (= dens / I), and
         * log r = log p + log f - log u - log v, hence the forms below */
        r = p * f.v / (u * v);
        rax = r * (1.0 / p + lf.a);
        rbx = r * lf.b;
        ru_x = r * (lf.x - 1.0 / u + 1.0 / v);
    } else {
        res = fm__d2_log1mexp(direct);
        r = -exp(ldens - res.v);
        rax = r * (dens_a - res.a);
        rbx = r * (dens_b - res.b);
        ru_x = r * ((p - 1.0) / u - (q - 1.0) / v) - r * r;
    }
    /* map (p, q, u) back to (a, b, x): if swapped, u = 1 - x flips the sign
     * of every odd power of d/dx */
    if (!swap) {
        d[0] = res.a;  d[1] = res.b;  d[2] = r;
        d[3] = res.aa; d[4] = res.ab; d[5] = rax;
        d[6] = res.bb; d[7] = rbx;    d[8] = ru_x;
    } else {
        d[0] = res.b;  d[1] = res.a;  d[2] = -r;
        d[3] = res.bb; d[4] = res.ab; d[5] = -rbx;
        d[6] = res.aa; d[7] = -rax;   d[8] = ru_x;
    }
    return res.v;
}

/* ------------------------------------------------------------------ */
/* Owen's T function                                                   */
/* ------------------------------------------------------------------ */

/* Owen's T function restricted to h >= 0, 0 <= a <= 1 (ah = a h), by the
 * algorithm of M. Patefield and D. Tandy, "Fast and accurate calculation of
 * Owen's T function", J. Statistical Software 5(5), 2000: the (h, a) plane is
 * cut into regions (tables HRANGE, ARANGE, SELECT), each with one of six
 * methods and a number of terms (METH, ORD) chosen by the authors for an
 * absolute error below 1e-16:
 *   T1  Owen's series in h^2 (Owen 1956, eq. 2.4), for small h;
 *   T2  series from expanding 1/(1 + x^2) in powers of x^2, for moderate h;
 *   T3  the same with the Chebyshev-economized coefficients C2;
 *   T4  series in a^2 from repeated integration by parts, for large h;
 *   T5  13-point Gauss-Legendre quadrature in x^2 (PTS, WTS);
 *   T6  the expansion around a = 1 (T(h, 1) = Phi(h)(1 - Phi(h))/2).
 * The tables are the published ones. */
static inline double fm__owens_t_dispatch(double h, double a, double ah)
{
    static const double HRANGE[14] = {0.02, 0.06, 0.09, 0.125, 0.26, 0.4, 0.6,
                                      1.6, 1.7, 2.33, 2.4, 3.36, 3.4, 4.8};
    static const double ARANGE[7] = {0.025, 0.09, 0.15, 0.36, 0.5, 0.9, 0.99999};
    /* SELECT[a region][h region] = method code 1..18 */
    static const unsigned char SELECT[8][15] = {
        {1, 1, 2, 13, 13, 13, 13, 13, 13, 13, 13, 16, 16, 16, 9},
        {1, 2, 2, 3, 3, 5, 5, 14, 14, 15, 15, 16, 16, 16, 9},
        {2, 2, 3, 3, 3, 5, 5, 15, 15, 15, 15, 16, 16, 16, 10},
        {2, 2, 3, 5, 5, 5, 5, 7, 7, 16, 16, 16, 16, 16, 10},
        {2, 3, 3, 5, 5, 6, 6, 8, 8, 17, 17, 17, 12, 12, 11},
        {2, 3, 5, 5, 5, 6, 6, 8, 8, 17, 17, 17, 12, 12, 12},
        {2, 3, 4, 4, 6, 6, 8, 8, 17, 17, 17, 17, 17, 12, 12},
        {2, 3, 4, 4, 6, 6, 18, 18, 18, 18, 17, 17, 17, 12, 12},
    };
    static const unsigned char METH[18] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4, 5, 6};
    static const unsigned char ORD[18] = {2, 3, 4, 5, 7, 10, 12, 18, 10, 20, 30, 20, 4, 7, 8, 20, 13, 0};
    static const double C2[21] = {
        0.99999999999999987510, -0.99999999999988796462, 0.99999999998290743652,
        -0.99999999896282500134, 0.99999996660459362918, -0.99999933986272476760,
        0.99999125611136965852, -0.99991777624463387686, 0.99942835555870132569,
        -0.99697311720723000295, 0.98751448037275303682, -0.95915857980572882813,
        0.89246305511006708555, -0.76893425990463999675, 0.58893528468484693250,
        -0.38380345160440256652, 0.20317601701045299653, -0.82813631607004984866e-01,
        0.24167984735759576523e-01, -0.44676566663971825242e-02, 0.39141169402373836468e-03};
    static const double PTS[13] = {
        0.35082039676451715489e-02, 0.31279042338030753740e-01, 0.85266826283219451090e-01,
        0.16245071730812277011, 0.25851196049125434828, 0.36807553840697533536,
        0.48501092905604697475, 0.60277514152618576821, 0.71477884217753226516,
        0.81475510988760098605, 0.89711029755948965867, 0.95723808085944261843,
        0.99178832974629703586};
    static const double WTS[13] = {
        0.18831438115323502887e-01, 0.18567086243977649478e-01, 0.18042093461223385584e-01,
        0.17263829606398753364e-01, 0.16243219975989856730e-01, 0.14994592034116704829e-01,
        0.13535474469662088392e-01, 0.11886351605820165233e-01, 0.10070377242777431897e-01,
        0.81130545742299586629e-02, 0.60419009528470238773e-02, 0.38862217010742057883e-02,
        0.16793031084546090448e-02};
    int ih = 14, ia = 7;
    for (int i = 0; i < 14; ++i)
        if (h <= HRANGE[i]) { ih = i; break; }
    for (int i = 0; i < 7; ++i)
        if (a <= ARANGE[i]) { ia = i; break; }
    int code = SELECT[ia][ih] - 1;
    int m = ORD[code];
    double value = 0.0;
    switch (METH[code]) {
    case 1: {   /* T1: sum_j (-1)^j a^(2j+1)/(2j+1) (1 - e^{-h^2/2} sum_{i<=j} (h^2/2)^i / i!) */
        double hs = -0.5 * h * h;
        double dhs = exp(hs);
        double as = a * a;
        double aj = FM__INV_2PI * a;
        double dj = expm1(hs);                    /* dhs - 1 without cancellation */
        double gj = hs * dhs;
        value = FM__INV_2PI * atan(a);
        for (int j = 1;; ++j) {
            value += dj * aj / (2 * j - 1);
            if (j >= m)
                break;
            aj *= as;
            dj = gj - dj;
            gj *= hs / (j + 1);
        }
        break;
    }
    case 2: {   /* T2 */
        int maxii = m + m + 1;
        double hs = h * h, as = -a * a;
        double vi = FM__INV_SQRT_2PI * a * exp(-0.5 * ah * ah);
        double z = 0.5 * erf(ah * FM__SQRT1_2) / h;
        double y = 1.0 / hs;
        for (int ii = 1;; ii += 2) {
            value += z;
            if (ii >= maxii)
                break;
            z = y * (vi - ii * z);
            vi *= as;
        }
        value *= FM__INV_SQRT_2PI * exp(-0.5 * hs);
        break;
    }
    case 3: {   /* T3 */
        double hs = h * h, as = a * a;
        double vi = FM__INV_SQRT_2PI * a * exp(-0.5 * ah * ah);
        double zi = 0.5 * erf(ah * FM__SQRT1_2) / h;
        double y = 1.0 / hs;
        for (int i = 0, ii = 1; i < 21; ++i, ii += 2) {
            value += zi * C2[i];
            zi = y * (ii * zi - vi);
            vi *= as;
        }
        value *= FM__INV_SQRT_2PI * exp(-0.5 * hs);
        break;
    }
    case 4: {   /* T4 */
        int maxii = m + m + 1;
        double hs = h * h, as = -a * a;
        double ai = FM__INV_2PI * a * exp(-0.5 * hs * (1.0 - as));
        double yi = 1.0;
        for (int ii = 1;; ) {
            value += ai * yi;
            if (ii >= maxii)
                break;
            ii += 2;
            yi = (1.0 - hs * yi) / ii;
            ai *= as;
        }
        break;
    }
    case 5: {   /* T5: Gauss-Legendre in x^2 */
        double as = a * a, hs = -0.5 * h * h;
        for (int i = 0; i < 13; ++i) {
            double r = 1.0 + as * PTS[i];
            value += WTS[i] * exp(hs * r) / r;
        }
        value *= a;
        break;
    }
    default: {  /* T6: a close to 1 */
        double normh = 0.5 * erfc(h * FM__SQRT1_2);
        double y = 1.0 - a;
        double r = atan2(y, 1.0 + a);
        value = 0.5 * normh * (1.0 - normh);
        if (r != 0.0)
            value -= FM__INV_2PI * r * exp(-0.5 * y * h * h / r);
        break;
    }
    }
    return value;
}

/* Owen's T function
 *   T(h, a) = 1/(2 pi) int_0^a exp(-h^2 (1 + x^2)/2) / (1 + x^2) dx,
 * as scipy.special.owens_t, for all real h and a.  T is even in h and odd in
 * a; for |a| > 1 the identity (Owen 1956, eq. 2.3; h, a >= 0)
 *   T(h, a) = [Phi(h) + Phi(ah)]/2 - Phi(h) Phi(ah) - T(ah, 1/a)
 *           = 1/4 - (Phi(h) - 1/2)(Phi(ah) - 1/2) - T(ah, 1/a)      (h small)
 *           = [Q(h) + Q(ah)]/2 - Q(h) Q(ah) - T(ah, 1/a)            (Q = 1 - Phi)
 * reduces it to 0 <= a <= 1, where fm__owens_t_dispatch applies.
 * Absolute error ~1e-16 (measured: < 3e-17 against mpmath); the relative
 * error grows as T itself underflows in the tail h >> 1.
 * T(h, 0) = 0, T(0, a) = atan(a)/(2 pi), T(h, +-inf) = +-Q(|h|)/2; NaN in,
 * NaN out. */
static inline double fm_owens_t(double h, double a)
{
    if (isnan(h) || isnan(a))
        return NAN;
    double sign = (a < 0.0) ? -1.0 : 1.0;
    h = fabs(h);
    a = fabs(a);
    double t;
    if (a == 0.0)
        t = 0.0;
    else if (h == 0.0)
        t = FM__INV_2PI * atan(a);
    else if (h == INFINITY)
        t = 0.0;
    else if (a == INFINITY)
        t = 0.25 * erfc(h * FM__SQRT1_2);
    else if (a <= 1.0)
        t = fm__owens_t_dispatch(h, a, a * h);
    else {
        double ah = a * h;
        double ta = fm__owens_t_dispatch(ah, 1.0 / a, h);
        if (h <= 0.67) {
            double nh = 0.5 * erf(h * FM__SQRT1_2), nah = 0.5 * erf(ah * FM__SQRT1_2);
            t = 0.25 - nh * nah - ta;
        } else {
            double qh = 0.5 * erfc(h * FM__SQRT1_2), qah = 0.5 * erfc(ah * FM__SQRT1_2);
            t = 0.5 * (qh + qah) - qh * qah - ta;
        }
    }
    return sign * t;
}

/* ------------------------------------------------------------------ */
/* von Mises distribution                                              */
/* ------------------------------------------------------------------ */

/* Lower tail of the von Mises cdf by quadrature, for -pi < x <= 0:
 *   F(x) = C e^{kappa (cos x - 1)} J,  J = int_{-pi}^{x} exp(kappa (cos t - cos x)) dt,
 * with C = (1 + 2 sum rho_k) / (2 pi) = 1 / (2 pi i0e(kappa)) given as log_c.
 * The integrand of J is 1 at t = x and falls as t goes down; it is
 * integrated panel by panel from x downwards with 8-point Gauss-Legendre,
 * each panel short enough that the exponent drops by at most 2 over it
 * (so the integrand is a low-degree polynomial to ~1e-18 on it), until the
 * exponent is below -45 - log(1 + kappa) or t = -pi.  Relative accuracy of
 * F is therefore kept however small F is, where the Fourier series only has
 * absolute accuracy.  cos t - cos x and sin x - sin t are formed as products
 * of half-angle sines (no cancellation near t = x).
 * With d != NULL (and rho1 = I_1/I_0, drho1 = d rho1/dkappa) the moments
 * M1 = int dc e^phi, M2 = int dc^2 e^phi (dc = cos t - cos x) and
 * Mx = int kappa (sin x - sin t) e^phi give, without cancellation,
 *   d/dkappa log F = cos x + M1/J - rho1,
 *   d2/dkappa2     = M2/J - (M1/J)^2 - drho1,
 *   d/dx           = 1/J,   d2/dkappa dx = -M1/J^2,
 *   d2/dx2         = -(Mx + exp(-kappa (1 + cos x))) / J^2
 * (the last from J' = 1 + kappa sin(x) J and int kappa sin t e^{kappa cos t}
 * = -[e^{kappa cos t}]). */
static inline double fm__vonmises_lower_tail(double kappa, double x, double log_c,
                                             double rho1, double drho1, double *d)
{
    static const double GL_X[4] = {0.1834346424956498, 0.525532409916329,
                                   0.7966664774136267, 0.9602898564975363};
    static const double GL_W[4] = {0.362683783378362, 0.31370664587788727,
                                   0.22238103445337448, 0.10122853629037626};
    const double stop = -45.0 - log1p(kappa);
    double J = 0.0, M1 = 0.0, M2 = 0.0, Mx = 0.0;
    double hi = x;
    while (hi > -FM__PI) {
        /* phi' = -kappa sin t >= 0 and |phi''| <= kappa, so over a panel of
         * width h phi drops by at most slope h + kappa h^2/2; h makes that 2,
         * where the 8-point rule's error on e^phi is < 1e-18 relative */
        double slope = -kappa * sin(hi);
        double h = 4.0 / (slope + sqrt(slope * slope + 4.0 * kappa));
        if (h > FM__PI / 8.0) h = FM__PI / 8.0;
        double lo = hi - h;
        if (lo < -FM__PI) lo = -FM__PI;
        double mid = 0.5 * (hi + lo), half = 0.5 * (hi - lo);
        double phi_lo = 0.0;
        for (int k = 0; k < 8; ++k) {
            double t = (k < 4) ? mid - half * GL_X[k] : mid + half * GL_X[k - 4];
            double wgt = half * GL_W[k & 3];
            double sp = sin(0.5 * (t + x)), sm = sin(0.5 * (t - x));
            double dc = -2.0 * sp * sm;                 /* cos t - cos x */
            double e = wgt * exp(kappa * dc);
            J += e;
            if (d != NULL) {
                M1 += dc * e;
                M2 += dc * dc * e;
                Mx += kappa * (-2.0 * cos(0.5 * (t + x)) * sm) * e;   /* sin x - sin t */
            }
        }
        {
            double sp = sin(0.5 * (lo + x)), sm = sin(0.5 * (lo - x));
            phi_lo = -2.0 * kappa * sp * sm;
        }
        if (phi_lo < stop)
            break;
        hi = lo;
    }
    double sh = sin(0.5 * x);
    double value = log_c - 2.0 * kappa * sh * sh + log(J);
    if (d != NULL) {
        double m1 = M1 / J;
        double iJ = 1.0 / J;
        double ch = cos(0.5 * x);
        d[0] = (1.0 - 2.0 * sh * sh) + m1 - rho1;
        d[1] = iJ;
        d[2] = M2 / J - m1 * m1 - drho1;
        d[3] = -m1 * iJ;
        d[4] = -(Mx + exp(-2.0 * kappa * ch * ch)) * iJ * iJ;
    }
    return value;
}

/* Turn log G and its (kappa, x) derivatives d[0..4] (layout of
 * fm_log_vonmises_cdf) into those of log(1 - G). */
static inline double fm__log1mexp_d5(double l, double *d)
{
    double f1 = -1.0 / expm1(-l), f2 = f1 * (1.0 - f1);
    if (d != NULL) {
        double gk = d[0], gx = d[1];
        d[0] = f1 * gk;
        d[1] = f1 * gx;
        d[2] = f2 * gk * gk + f1 * d[2];
        d[3] = f2 * gk * gx + f1 * d[3];
        d[4] = f2 * gx * gx + f1 * d[4];
    }
    return fm__log1mexp(l);
}

/* log F(x) (upper = 0) or log S(x) = log(1 - F(x)) (upper = 1) of the von
 * Mises distribution with concentration kappa > 0 on [-pi, pi]
 * (scipy.stats.vonmises.cdf/sf with loc = 0), for -pi <= x <= pi.  If d is
 * not NULL it receives the derivatives of the returned log:
 *   d[0] = d/dkappa, d[1] = d/dx, d[2] = d2/dkappa2, d[3] = d2/dkappa dx,
 *   d[4] = d2/dx2.
 *
 * Method.  The Fourier series of the cdf (Hill 1977, ACM Algorithm 518)
 *   F(x) = 1/2 + x/(2 pi) + (1/pi) sum_{k>=1} rho_k sin(k x)/k,
 *   rho_k = I_k(kappa)/I_0(kappa),
 * summed from the top down in nested form, V_n = r_n (sin(n x)/n + V_{n+1}),
 * with the ratios r_n = I_n/I_{n-1} = 1/(2n/kappa + r_{n+1}) of the backward
 * recurrence (DLMF 10.29.1; started at 0 ten terms above the last one used,
 * which damps the start error below eps), so no Bessel function is evaluated
 * and nothing is stored.  The same recurrence on dual numbers in kappa gives
 * dF/dkappa and d2F/dkappa2.  The density f = exp(kappa (cos x - 1)) C uses
 * the same ratios: C = 1/(2 pi i0e(kappa)) = (1 + 2 sum_k rho_k)/(2 pi)
 * (DLMF 10.35.5 at theta = 0); the x-derivatives are f, -kappa sin(x) f and
 * f (cos x - rho_1).  Terms: n up to 12 + 9 sqrt(kappa) (rho_n < 1e-17
 * beyond, checked against scipy.special.ive for kappa in [1e-3, 1e5]), so
 * the cost grows like sqrt(kappa): 21 terms at kappa = 1, 102 at 100.
 * The series has only absolute accuracy (measured <= 1.3e-15 in F), so
 * where the smaller of F and S is below FM__VM_TAIL = 0.01 that side is
 * computed by quadrature instead (fm__vonmises_lower_tail, with S(x) = F(-x);
 * a few microseconds) and the other side as 1 minus it.
 *
 * Accuracy: the log to ~2e-14 relative in both tails (F or S down to the
 * underflow of exp(kappa (cos x - 1)), and beyond: the log itself is
 * computed); F and S to ~1.3e-15 absolute, so ~1.3e-13 relative at the
 * switch (0.01).  scipy.stats.vonmises.cdf
 * agrees to ~1e-13 for kappa < 50; for kappa >= 50 scipy uses a normal
 * approximation (errors up to 3e-6 at kappa = 50, 4e-11 at 1e4).
 * Special values: F(-pi) = 0 (log -inf, derivatives NaN), F(pi) = 1.  NaN for
 * kappa <= 0, kappa > 1e8, x outside [-pi, pi] or NaN. */
#define FM__VM_TAIL 0.01
static inline double fm_log_vonmises_cdf(double kappa, double x, int upper, double *d)
{
    if (!(kappa > 0.0 && kappa <= 1e8) || !(x >= -FM__PI && x <= FM__PI)) {
        if (d != NULL)
            for (int i = 0; i < 5; ++i) d[i] = NAN;
        return NAN;
    }
    int n_top = 12 + (int)(9.0 * sqrt(kappa));
    int n_start = n_top + 10;                  /* recurrence starts here */
    double s1 = sin(x), c1 = cos(x);
    /* sin(n x), cos(n x) from n = n_top down by rotation, re-anchored with
     * libm every 64 steps so rounding does not accumulate over n */
    double sn = sin(n_top * x), cn = cos(n_top * x);
    double rho1, drho1 = 0.0, V, dV = 0.0, ddV = 0.0, W;
    if (d == NULL) {
        double r = 0.0, v = 0.0, w = 0.0;
        for (int n = n_start; n >= 1; --n) {
            r = 1.0 / (2.0 * n / kappa + r);
            if (n <= n_top) {
                v = r * (sn / n + v);
                w = r * (1.0 + w);
                if (((n - 1) & 63) == 0) {
                    sn = sin((n - 1) * x);
                    cn = cos((n - 1) * x);
                } else {
                    double t = sn * c1 - cn * s1;
                    cn = cn * c1 + sn * s1;
                    sn = t;
                }
            }
        }
        rho1 = r; V = v; W = w;
    } else {
        fm_d1 one = fm__d1(1.0, 0.0, 0.0);
        fm_d1 r = fm__d1(0.0, 0.0, 0.0), v = r;
        double w = 0.0;
        double ik = 1.0 / kappa;
        for (int n = n_start; n >= 1; --n) {
            /* r_n = 1 / (2n/kappa + r_{n+1}) */
            double u = 2.0 * n * ik;
            r = fm__d1_div(one, fm__d1(u + r.v, -u * ik + r.d, 2.0 * u * ik * ik + r.dd));
            if (n <= n_top) {
                v = fm__d1_mul(r, fm__d1(sn / n + v.v, v.d, v.dd));
                w = r.v * (1.0 + w);
                if (((n - 1) & 63) == 0) {
                    sn = sin((n - 1) * x);
                    cn = cos((n - 1) * x);
                } else {
                    double t = sn * c1 - cn * s1;
                    cn = cn * c1 + sn * s1;
                    sn = t;
                }
            }
        }
        rho1 = r.v; drho1 = r.d; V = v.v; dV = v.d; ddV = v.dd; W = w;
    }
    double log_c = log1p(2.0 * W) - log(2.0 * FM__PI);
    if (x == -FM__PI || x == FM__PI) {
        /* F(-pi) = 0, F(pi) = 1 for every kappa: the side that is 1 has log 0
         * with zero kappa-derivatives; its x-derivatives come from the
         * density f(+-pi) = exp(-2 kappa) C, where f' = 0 */
        int is_one = (x == FM__PI) == (upper == 0);
        if (!is_one) {
            if (d != NULL)
                for (int i = 0; i < 5; ++i) d[i] = NAN;
            return -INFINITY;
        }
        if (d != NULL) {
            double f = exp(-2.0 * kappa + log_c), sg = (x > 0.0) ? 1.0 : -1.0;
            d[0] = 0.0;
            d[1] = sg * f;
            d[2] = 0.0;
            d[3] = -sg * f * (1.0 + rho1);
            d[4] = -f * f;
        }
        return 0.0;
    }
    double sum = V / FM__PI + x * FM__INV_2PI;         /* F - 1/2 */
    double F = 0.5 + sum, S = 0.5 - sum;
    if (F < FM__VM_TAIL || S < FM__VM_TAIL) {
        /* the small side by quadrature: F(x) for x < 0, S(x) = F(-x) */
        int lower_side = (F < S);
        double l = fm__vonmises_lower_tail(kappa, lower_side ? x : -x, log_c, rho1, drho1, d);
        if (!lower_side && d != NULL) {     /* d/dx of F(-x): odd orders flip */
            d[1] = -d[1];
            d[3] = -d[3];
        }
        /* l is log F (lower_side) or log S */
        if (lower_side == (upper == 0))
            return l;
        return fm__log1mexp_d5(l, d);
    }
    double G = upper ? S : F;
    if (d != NULL) {
        double sg = upper ? -1.0 : 1.0;         /* derivatives of S are -those of F */
        double Fk = sg * dV / FM__PI, Fkk = sg * ddV / FM__PI;
        double sh = sin(0.5 * x);
        double cm1 = -2.0 * sh * sh;            /* cos x - 1 without cancellation */
        double f = exp(kappa * cm1 + log_c);
        double Fx = sg * f, Fxx = sg * (-kappa * s1 * f), Fkx = sg * f * ((cm1 + 1.0) - rho1);
        double iG = 1.0 / G;
        double gk = Fk * iG, gx = Fx * iG;
        d[0] = gk;
        d[1] = gx;
        d[2] = Fkk * iG - gk * gk;
        d[3] = Fkx * iG - gk * gx;
        d[4] = Fxx * iG - gx * gx;
    }
    return log(G);
}

#endif /* FASTMLE_SPECIAL_CDF_H */
