/*
 * _special.h -- special functions for the fastmle kernels.
 *
 * Pure C99, header only.  Every function is `static inline`, keeps no state
 * and writes nothing but its return value, so it may be called from `nogil`
 * Cython code and from any number of OpenMP threads at once.  In particular
 * libm's lgamma() is NOT used: it stores the sign of Gamma(x) in the global
 * `signgam`.  Only log, log1p, exp, sin, tan, floor, round and ceil are taken
 * from libm.
 *
 *   fm_lgamma(x)      log|Gamma(x)|                (scipy.special.gammaln)
 *   fm_digamma(x)     psi(x) = d/dx log Gamma(x)   (scipy.special.psi)
 *   fm_trigamma(x)    psi'(x)                      (scipy.special.polygamma(1, x))
 *   fm_log1pexp(x)    log(1 + exp(x)), no overflow (numpy.logaddexp(0, x))
 *   fm_xlogy(x, y)    x*log(y), and 0 when x == 0  (scipy.special.xlogy)
 *
 * Target accuracy: a few ulp (relative error ~1e-15 or better) on x > 0,
 * including close to the zeros of lgamma (x = 1, 2) and of digamma
 * (x0 = 1.4616...) and close to the first negative zero of digamma
 * (-0.5040...).  For x < 0 the reflection formulas are used; they keep
 * relative accuracy except very close to the other (negative) zeros of
 * lgamma and digamma, where scipy.special loses it as well.
 *
 * Do not compile with -ffast-math or -ffinite-math-only: the special-value
 * handling and the error-free subtractions (x - x0_hi, x - round(x)) rely on
 * IEEE 754 semantics.  FMA contraction (-ffp-contract=fast) is harmless.
 *
 * Special values follow scipy.special:
 *   fm_lgamma:   +inf at 0 and the negative integers; +inf at +inf;
 *                -inf at -inf (this is what scipy.special.gammaln returns).
 *   fm_digamma:  -inf at +0, +inf at -0, nan at the negative integers and at
 *                -inf; +inf at +inf.
 *   fm_trigamma: +inf at 0, at the negative integers and at -inf; 0 at +inf.
 *   All return nan for a nan argument.
 *
 * References: DLMF = NIST Digital Library of Mathematical Functions,
 * https://dlmf.nist.gov/ (equation numbers quoted in the comments).
 *
 * Constant tables.  Every table below was computed with mpmath at 50 digits
 * and rounded to the nearest double (repr of float(mpf), which rounds to
 * nearest).  The generating script, verbatim:
 *
 *   import mpmath as mp
 *   mp.mp.dps = 50
 *   def emit(name, vals):
 *       print("static const double %s[%d] = {" % (name, len(vals)))
 *       for v in vals:
 *           print("    %s," % repr(float(v)))
 *       print("};")
 *   B = mp.bernoulli
 *   # lgamma(2+z) = sum_{k>=1} c_k z^k: c_1 = 1-gamma, c_k = (-1)^k (zeta(k)-1)/k
 *   emit("FM__LG2", [1 - mp.euler] + [(-1)**k * (mp.zeta(k) - 1) / k for k in range(2, 29)])
 *   emit("FM__STIRLING", [B(2*k) / (2*k * (2*k - 1)) for k in range(1, 9)])
 *   emit("FM__DIGAMMA_ASY", [B(2*k) / (2*k) for k in range(1, 10)])
 *   emit("FM__TRIGAMMA_ASY", [B(2*k) for k in range(1, 11)])
 *   for name, guess in (("POS", 1.46), ("NEG", -0.504)):
 *       r = mp.findroot(mp.digamma, guess)
 *       hi = float(r); lo = float(r - hi)
 *       print("/" "* root %s *" "/ #define FM__DIGAMMA_%s_HI %r\n#define FM__DIGAMMA_%s_LO %r"
 *             % (mp.nstr(r, 30), name, hi, name, lo))
 *       print("#define FM__DIGAMMA_%s_INV0 %r\n#define FM__DIGAMMA_%s_INV1 %r"
 *             % (name, float(1/r), name, float(1/(r+1))))
 *       emit("FM__DIGAMMA_" + name, [(-1)**(n + 1) * mp.zeta(n + 1, r + 2) for n in range(1, 21)])
 *   print(repr(float(mp.log(2*mp.pi)/2)), repr(float(mp.log(mp.pi))), repr(float(mp.pi)))
 *
 * Each table keeps enough terms that the truncation error (first omitted
 * term of an asymptotic series, tail of a convergent one) is below ~2e-18
 * relative on the interval where it is used; the remaining error is rounding.
 */
#ifndef FASTMLE_SPECIAL_H
#define FASTMLE_SPECIAL_H

#include <math.h>

#define FM__PI 3.141592653589793
#define FM__LOG_PI 1.1447298858494002          /* log(pi) */
#define FM__HALF_LOG_2PI 0.9189385332046728    /* log(2 pi) / 2 */

/* Horner evaluation of c[0] + c[1] z + ... + c[n-1] z^(n-1).  n is a
 * compile-time constant at every call site, so the loop is unrolled. */
static inline double fm__poly(const double *c, int n, double z)
{
    double s = c[n - 1];
    for (int i = n - 2; i >= 0; --i)
        s = s * z + c[i];
    return s;
}

/* sin(pi x) for non-integer x with |x| < 2^52, to full relative accuracy:
 * r = x - round(x) is exact and |r| <= 1/2, and sin(pi x) = (-1)^n sin(pi r).
 * Only |sin(pi x)| is needed by the callers, so the sign (-1)^n is dropped. */
static inline double fm__abs_sinpi(double x)
{
    double r = x - round(x);
    return fabs(sin(FM__PI * r));
}

/* cot(pi x) for non-integer x with |x| < 2^52.  cot has period 1, so reduce
 * to r = x - round(x) (exact, |r| <= 1/2).  For |r| <= 1/4 use 1/tan(pi r);
 * for |r| > 1/4 use cot(pi r) = tan(pi (1/2 - r)) with 1/2 - |r| exact, so the
 * result keeps relative accuracy as it goes through 0 at r = +-1/2. */
static inline double fm__cotpi(double x)
{
    double r = x - round(x);
    double a = fabs(r);
    double c = (a <= 0.25) ? 1.0 / tan(FM__PI * a) : tan(FM__PI * (0.5 - a));
    return (r < 0.0) ? -c : c;
}

/* ------------------------------------------------------------------ */
/* lgamma                                                              */
/* ------------------------------------------------------------------ */

/* lgamma(2 + z) for |z| <= 1/2.  Taylor series, DLMF 5.7.3 combined with
 * lgamma(2 + z) = lgamma(1 + z) + log(1 + z) (DLMF 5.5.1):
 *     lgamma(2 + z) = (1 - gamma) z + sum_{k>=2} (-1)^k (zeta(k) - 1) z^k / k.
 * zeta(k) - 1 ~ 2^-k, so the terms decay like (z/2)^k / k; 28 terms leave an
 * absolute tail below 2e-19 at |z| = 1/2.  The series is z * (polynomial),
 * so relative accuracy is kept as lgamma(2 + z) -> 0 at z = 0. */
static inline double fm__lgamma2p(double z)
{
    static const double FM__LG2[28] = {
        0.42278433509846713,
        0.3224670334241132,
        -0.0673523010531981,
        0.020580808427784546,
        -0.007385551028673986,
        0.0028905103307415234,
        -0.001192753911703261,
        0.0005096695247430425,
        -0.00022315475845357939,
        9.945751278180853e-05,
        -4.492623673813314e-05,
        2.050721277567069e-05,
        -9.439488275268397e-06,
        4.374866789907488e-06,
        -2.039215753801366e-06,
        9.55141213040742e-07,
        -4.492469198764566e-07,
        2.1207184805554665e-07,
        -1.0043224823968099e-07,
        4.7698101693639804e-08,
        -2.2711094608943164e-08,
        1.0838659214896955e-08,
        -5.183475041970047e-09,
        2.4836745438024785e-09,
        -1.1921401405860912e-09,
        5.731367241678862e-10,
        -2.7595228851242334e-10,
        1.330476437424449e-10,
    };
    return z * fm__poly(FM__LG2, 28, z);
}

/* Stirling correction lgamma(x) - [(x - 1/2) log x - x + log(2 pi)/2] for
 * x >= 10 (or +inf), DLMF 5.11.1:
 *     sum_{k>=1} B_2k / (2k (2k-1) x^(2k-1)).
 * At x >= 10 the 9th term is < 2e-19 relative.  Exposed on its own because
 * differences of lgamma at large arguments (log-beta, incomplete gamma and
 * beta prefactors in _special_cdf.h) need it without the large terms. */
static inline double fm__lgamma_stirling_corr(double x)
{
    static const double FM__STIRLING[8] = {
        0.08333333333333333,
        -0.002777777777777778,
        0.0007936507936507937,
        -0.0005952380952380953,
        0.0008417508417508417,
        -0.0019175269175269176,
        0.00641025641025641,
        -0.029550653594771242,
    };
    double w = 1.0 / x;
    return w * fm__poly(FM__STIRLING, 8, w * w);
}

/* lgamma(x) for finite x > 0. */
static inline double fm__lgamma_pos(double x)
{
    if (x >= 10.0) {
        /* Stirling series (fm__lgamma_stirling_corr).  (x - 1/2) log x - x
         * is regrouped as x (log x - 1) - log(x)/2: less cancellation at
         * x ~ 10 and no intermediate overflow as lgamma(x) -> DBL_MAX. */
        double lx = log(x);
        return x * (lx - 1.0) - 0.5 * lx
               + (FM__HALF_LOG_2PI + fm__lgamma_stirling_corr(x));
    }
    if (x >= 2.5) {
        /* Recurrence DOWN (DLMF 5.5.1): lgamma(x) = lgamma(x - n) +
         * log((x-1)(x-2)...(x-n)) with x - n in [1.5, 2.5).  Every x - k is
         * exact and every term is positive, so nothing cancels. */
        int n = (int)(x - 1.5);
        double p = x - 1.0;
        for (int k = 2; k <= n; ++k)
            p *= x - (double)k;
        return fm__lgamma2p((x - (double)n) - 2.0) + log(p);
    }
    if (x >= 1.5)
        return fm__lgamma2p(x - 2.0);            /* x - 2 is exact */
    if (x >= 0.5) {
        /* lgamma(1 + z) = lgamma(2 + z) - log1p(z), z = x - 1 exact: keeps
         * relative accuracy at the zero x = 1. */
        double z = x - 1.0;
        return fm__lgamma2p(z) - log1p(z);
    }
    /* 0 < x < 1/2: lgamma(x) = lgamma(1 + x) - log(x). */
    return (fm__lgamma2p(x) - log1p(x)) - log(x);
}

/* log|Gamma(x)|, as scipy.special.gammaln. */
static inline double fm_lgamma(double x)
{
    if (isnan(x))
        return x;
    if (x > 0.0)
        return (x == INFINITY) ? x : fm__lgamma_pos(x);
    if (x > -0.5) {
        if (x == 0.0)
            return INFINITY;                     /* pole */
        /* |Gamma(x)| = Gamma(1 + x) / |x|, with 1 + x in (1/2, 1). */
        return (fm__lgamma2p(x) - log1p(x)) - log(-x);
    }
    if (x == -INFINITY)
        return -INFINITY;                        /* as scipy.special.gammaln */
    if (x == floor(x))
        return INFINITY;                         /* negative integers: poles */
    /* Reflection, DLMF 5.5.3: Gamma(x) Gamma(1 - x) = pi / sin(pi x), and
     * Gamma(1 - x) = -x Gamma(-x), so
     *   log|Gamma(x)| = log(pi) - log|x sin(pi x)| - lgamma(-x),
     * which uses the exact -x instead of the rounded 1 - x. */
    return (FM__LOG_PI - log(-x * fm__abs_sinpi(x))) - fm__lgamma_pos(-x);
}

/* ------------------------------------------------------------------ */
/* digamma                                                             */
/* ------------------------------------------------------------------ */

/* Taylor expansion of psi around one of its zeros r, with the two nearest
 * poles taken out so that the series converges fast.  From the recurrence
 * psi(x) = psi(x + 2) - 1/x - 1/(x + 1) (DLMF 5.5.2) and psi(r) = 0:
 *   psi(r + h) = h * [ 1/(r x) + 1/((r + 1)(x + 1)) + sum_{n>=1} c_n h^(n-1) ],
 *   c_n = psi^(n)(r + 2) / n! = (-1)^(n+1) zeta(n + 1, r + 2)  (DLMF 25.11.12),
 * where x = r + h.  The sum is the Taylor series of psi(x + 2), whose nearest
 * singularity is the pole at x = -2, i.e. |h| < r + 2.  Since the result is
 * h * (bracket) and h = (x - r_hi) - r_lo is computed with r as a two-double
 * sum (x - r_hi is exact by Sterbenz near the zero), psi keeps full relative
 * accuracy through the zero.  The bracket itself is ~ psi'(r) and only needs
 * ordinary relative accuracy, so x and x + 1 there may be rounded. */
static inline double fm__digamma_zero(double x, double h, double inv_r,
                                      double inv_r1, const double *c)
{
    return h * ((inv_r / x + inv_r1 / (x + 1.0)) + fm__poly(c, 20, h));
}

/* Positive zero x0 = 1.46163214496836234126... of psi.  Used on
 * [x0 - 1/2, x0 + 1/2): |h| <= 1/2 < x0 + 2 = 3.46, so the terms decay like
 * (1/6.9)^n and 20 of them leave < 2e-18. */
#define FM__DIGAMMA_POS_HI 1.4616321449683622
#define FM__DIGAMMA_POS_LO 9.549995429965697e-17
#define FM__DIGAMMA_POS_INV0 0.6841666717870696       /* 1 / x0 */
#define FM__DIGAMMA_POS_INV1 0.40623453916297975      /* 1 / (x0 + 1) */
/* Reduction interval for positive x is [FM__DIGAMMA_A, FM__DIGAMMA_A + 1). */
#define FM__DIGAMMA_A (FM__DIGAMMA_POS_HI - 0.5)      /* exact */

static inline double fm__digamma_pos_zero(double x, double h)
{
    static const double FM__DIGAMMA_POS[20] = {
        0.3345617098544669,
        -0.055476208282819656,
        0.012163351366549665,
        -0.002976677050430833,
        0.0007713020708922787,
        -0.00020674607628354467,
        5.663403931142351e-05,
        -1.5742042793645156e-05,
        4.4203814378014486e-06,
        -1.2502790337317232e-06,
        3.555004365548999e-07,
        -1.0147423082995085e-07,
        2.9048430651778795e-08,
        -8.333507652457267e-09,
        2.3946448469644645e-09,
        -6.889561205460084e-10,
        1.9840436029350833e-10,
        -5.717729634679893e-11,
        1.648677489663636e-11,
        -4.755891089999048e-12,
    };
    return fm__digamma_zero(x, h, FM__DIGAMMA_POS_INV0, FM__DIGAMMA_POS_INV1,
                            FM__DIGAMMA_POS);
}

/* First negative zero r = -0.504083008264455409... of psi (scipy.special.psi
 * also has a series there).  Used for |h| <= 0.2; the series converges for
 * |h| < r + 2 = 1.496, so 20 terms leave < 2e-18 relative.  The other
 * negative zeros (one in each (-n-1, -n)) go through the reflection. */
#define FM__DIGAMMA_NEG_HI -0.5040830082644554
#define FM__DIGAMMA_NEG_LO -8.15428206243813e-18
#define FM__DIGAMMA_NEG_INV0 -1.9838002543330588      /* 1 / r */
#define FM__DIGAMMA_NEG_INV1 2.01646649875886         /* 1 / (r + 1) */

static inline double fm__digamma_neg_zero(double x, double h)
{
    static const double FM__DIGAMMA_NEG[20] = {
        0.9381979690834112,
        -0.41728953034468597,
        0.23722825947363899,
        -0.1466662943236801,
        0.09410557231158634,
        -0.06150600545373637,
        0.040595095830363755,
        -0.026938776410793626,
        0.017931311290499935,
        -0.011956729288150053,
        0.007981037191019603,
        -0.0053305093968389755,
        0.0035615020417106057,
        -0.002380069950809624,
        0.0015907466485162271,
        -0.0010632734592477787,
        0.0007107361968853117,
        -0.0004750983849279137,
        0.00031758914424013574,
        -0.00021230094089949749,
    };
    return fm__digamma_zero(x, h, FM__DIGAMMA_NEG_INV0, FM__DIGAMMA_NEG_INV1,
                            FM__DIGAMMA_NEG);
}

/* log(x) - psi(x) for x >= 10 (or +inf). Asymptotic expansion, DLMF 5.11.2:
 *   psi(x) = log x - 1/(2x) - sum_{k>=1} B_2k / (2k x^2k).
 * At x >= 10 the 10th term is < 2e-19 relative. */
static inline double fm__log_minus_digamma_asy(double x)
{
    static const double FM__DIGAMMA_ASY[9] = {
        0.08333333333333333,
        -0.008333333333333333,
        0.003968253968253968,
        -0.004166666666666667,
        0.007575757575757576,
        -0.021092796092796094,
        0.08333333333333333,
        -0.4432598039215686,
        3.0539543302701198,
    };
    double w = 1.0 / (x * x);
    return 0.5 / x + w * fm__poly(FM__DIGAMMA_ASY, 9, w);
}

/* psi(x) for x > 0 (including +inf). */
static inline double fm__digamma_pos(double x)
{
    if (x >= 10.0)
        return log(x) - fm__log_minus_digamma_asy(x);
    if (x >= FM__DIGAMMA_A + 1.0) {
        /* Recurrence DOWN (DLMF 5.5.2): psi(x) = psi(y) + sum_{k=1}^{n} 1/(x-k)
         * with y = x - n in [x0 - 1/2, x0 + 1/2); x - k is exact.  The sum is
         * positive and psi(y) >= psi(x0 - 1/2) ~ -0.64, so the cancellation
         * is mild: at most a factor ~4, at x ~ 1.96, and it decreases with x. */
        int n = (int)(x - FM__DIGAMMA_A);
        double y = x - (double)n;
        double s = 0.0;
        for (int k = 1; k <= n; ++k)           /* smallest terms first */
            s += 1.0 / (x - (double)k);
        double h = (y - FM__DIGAMMA_POS_HI) - FM__DIGAMMA_POS_LO;
        return fm__digamma_pos_zero(y, h) + s;
    }
    if (x >= FM__DIGAMMA_A) {
        double h = (x - FM__DIGAMMA_POS_HI) - FM__DIGAMMA_POS_LO;
        return fm__digamma_pos_zero(x, h);
    }
    {
        /* 0 < x < x0 - 1/2: psi(x) = psi(x + 1) - 1/x.  h = (x + 1) - x0 is
         * formed without rounding x + 1: (x - (x0_hi - 1)) - x0_lo. */
        double h = (x - (FM__DIGAMMA_POS_HI - 1.0)) - FM__DIGAMMA_POS_LO;
        return fm__digamma_pos_zero(x + 1.0, h) - 1.0 / x;
    }
}

/* psi(x), as scipy.special.psi. */
static inline double fm_digamma(double x)
{
    if (isnan(x))
        return x;
    if (x > 0.0)
        return fm__digamma_pos(x);
    if (x == 0.0)
        return signbit(x) ? INFINITY : -INFINITY;   /* psi(x) ~ -1/x */
    if (x == floor(x))
        return NAN;                      /* negative integers, and -inf */
    {
        double h = (x - FM__DIGAMMA_NEG_HI) - FM__DIGAMMA_NEG_LO;
        if (fabs(h) <= 0.2)
            return fm__digamma_neg_zero(x, h);
    }
    /* Reflection, DLMF 5.5.4: psi(x) = psi(1 - x) - pi cot(pi x). */
    return fm__digamma_pos(1.0 - x) - FM__PI * fm__cotpi(x);
}

/* log(x) - psi(x) for x > 0: the left side of the gamma shape equation
 * log(a) - psi(a) = log(mean y) - mean(log y). The difference is about
 * 1/(2x), so computing it as log(x) - fm_digamma(x) would lose digits as x
 * grows (2e-11 relative at 1e4, 4e-7 at 1e8); from x = 10 the asymptotic
 * series gives it directly. nan for x <= 0 or nan. */
static inline double fm_log_minus_digamma(double x)
{
    if (!(x > 0.0))
        return NAN;
    if (x >= 10.0)
        return fm__log_minus_digamma_asy(x);
    /* Recurrence up to y = x + n >= 10 (DLMF 5.5.2):
     *   log x - psi(x) = -log1p(n/x) + (log y - psi(y)) + sum_{k<n} 1/(x+k),
     * which cancels far less than log x - psi(x) itself near x = 1.5..10. */
    int n = (int)ceil(10.0 - x);
    double acc = 0.0;
    for (int k = n - 1; k >= 0; k--)
        acc += 1.0 / (x + k);
    return (fm__log_minus_digamma_asy(x + n) - log1p(n / x)) + acc;
}

/* ------------------------------------------------------------------ */
/* trigamma                                                            */
/* ------------------------------------------------------------------ */

/* psi'(x) for x >= 10 (or +inf).  Asymptotic expansion, DLMF 5.15.8:
 *   psi'(x) = 1/x + 1/(2 x^2) + sum_{k>=1} B_2k / x^(2k+1).
 * At x >= 10 the 11th term is < 1e-18 relative. */
static inline double fm__trigamma_asy(double x)
{
    static const double FM__TRIGAMMA_ASY[10] = {
        0.16666666666666666,
        -0.03333333333333333,
        0.023809523809523808,
        -0.03333333333333333,
        0.07575757575757576,
        -0.2531135531135531,
        1.1666666666666667,
        -7.092156862745098,
        54.971177944862156,
        -529.1242424242424,
    };
    double w = 1.0 / x;
    double w2 = w * w;
    return w + w2 * (0.5 + w * fm__poly(FM__TRIGAMMA_ASY, 10, w2));
}

/* psi'(x) for x > 0. */
static inline double fm__trigamma_pos(double x)
{
    if (x >= 10.0)
        return fm__trigamma_asy(x);
    /* Recurrence UP (DLMF 5.15.5): psi'(x) = psi'(x + n) + sum_{k=0}^{n-1}
     * 1/(x + k)^2.  All terms are positive: no cancellation.  Add the
     * smallest first.  (1/t)^2 rather than 1/t^2 so that t^2 never goes
     * subnormal for tiny x. */
    int n = (int)ceil(10.0 - x);
    double s = fm__trigamma_asy(x + (double)n);
    for (int k = n - 1; k >= 0; --k) {
        double w = 1.0 / (x + (double)k);
        s += w * w;
    }
    return s;
}

/* psi'(x), as scipy.special.polygamma(1, x). */
static inline double fm_trigamma(double x)
{
    if (isnan(x))
        return x;
    if (x > 0.0)
        return fm__trigamma_pos(x);
    if (x == floor(x))
        return INFINITY;                 /* 0, negative integers, -inf */
    /* Reflection, DLMF 5.15.6: psi'(x) + psi'(1 - x) = pi^2 / sin^2(pi x).
     * For x < 0, psi'(1 - x) <= pi^2/6 while pi^2/sin^2 >= pi^2: at most a
     * factor 1.2 of cancellation. */
    {
        double q = FM__PI / fm__abs_sinpi(x);
        return q * q - fm__trigamma_pos(1.0 - x);
    }
}

/* ------------------------------------------------------------------ */
/* log1pexp, xlogy                                                     */
/* ------------------------------------------------------------------ */

/* log(1 + exp(x)) without overflow or loss of accuracy; the cut-offs are
 * those of M. Maechler, "Accurately Computing log(1 - exp(-|a|)) Assessed by
 * the Rmpfr package" (2012): beyond them the dropped terms are below half
 * an ulp. */
static inline double fm_log1pexp(double x)
{
    if (x <= -37.0)
        return exp(x);                   /* log1p(e) = e (1 - e/2 + ...) */
    if (x <= 18.0)
        return log1p(exp(x));
    if (x <= 33.3)
        return x + exp(-x);              /* x + log1p(e), e = exp(-x) < 2e-8 */
    return x;                            /* also nan and +inf */
}

/* x * log(y), defined as 0 when x == 0 (unless y is nan), as
 * scipy.special.xlogy: the convention 0 log 0 = 0 of likelihood terms. */
static inline double fm_xlogy(double x, double y)
{
    if (x == 0.0 && !isnan(y))
        return 0.0;
    return x * log(y);
}

#endif /* FASTMLE_SPECIAL_H */
