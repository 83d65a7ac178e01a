#include "_normal_tail.h"

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

/* -- cdf (see _natural_loop.h) ------------------------------------------------
 * With a = (z/mu - 1)/sqrt(z), b = -(z/mu + 1)/sqrt(z) and b^2 = a^2 + 4/mu,
 * the classical F = Phi(a) + e^{2/mu} Phi(b) is, in Mills ratios m = Phi/phi,
 *     F = phi(a) (m(a) + m(b))        (a <= 0; a > 0: Phi(a) + phi(a) m(b))
 *     S = phi(a) (m(-a) - m(b)),
 * so e^{2/mu} never overflows and S's cancellation is confined to the
 * difference of two Mills ratios at points delta = 2/sqrt(z) apart
 * (-a - b = delta), which fm_ig_mills_diff forms without cancelling.
 * The smaller of F and S is computed, the other as log1p(-it).
 * Derivatives, from dF/dz = f and
 *     dF/dmu = -(2/mu^2) phi(a) m(b)                (d/dmu of the classical form,
 *     d2F/dmu2 = phi(a) (4 m(b) (1/mu^3 + 1/mu^4) - 2 sqrt(z)/mu^4)   using
 *     d2F/dmu dz = f (z - mu)/mu^3,                 e^{2/mu} phi(b) = phi(a)),
 * f = phi(a) z^{-3/2}; every ratio to F or S is formed from phi(a)/F or
 * phi(a)/S, never from a difference of large logs. */

/* m(x1) - m(x1 - d), d > 0.  m(x) = int_0^inf exp(x s - s^2/2) ds, so
 *   D = int_0^inf exp(x1 s - s^2/2) (1 - e^{-d s}) ds,
 * a positive integrand.  For x1 <= -3, u = -x1 s leaves e^-u times the
 * smooth exp(-u^2/(2 x1^2)) (1 - e^{-d u/|x1|}): Gauss-Laguerre.  Above,
 * D = int_{x1-d}^{x1} m'(t) dt with m' = 1 + t m(t) (the caller only comes
 * here when d is small on the scale of m, so 8 Gauss-Legendre points do). */
static inline double fm_ig_mills_diff(double x1, double d) {
    double s = 0.0;
    int i;
    if (x1 <= -3.0) {
        const double ax = -x1, k = d / ax, c = 0.5 / (ax * ax);
        for (i = 0; i < FM_LAG24_N; ++i) {
            const double u = FM_LAG24_X[i];
            s += FM_LAG24_W[i] * exp(-c * u * u) * -expm1(-k * u);
        }
        return s / ax;
    }
    {
        const double mid = x1 - 0.5 * d, half = 0.5 * d;
        for (i = 0; i < 4; ++i) {
            const double t1 = mid + half * FM_LEG8_X[i], t2 = mid - half * FM_LEG8_X[i];
            s += FM_LEG8_W[i] * ((1.0 + t1 * fm_mills(t1)) + (1.0 + t2 * fm_mills(t2)));
        }
        return half * s;
    }
}

static inline double invgauss_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double mu = P[0];
    double sz, a, b, lphia, mb, lF, rF, v, rphi;
    g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
    if (!(z > 0.0)) return upper ? 0.0 : -INFINITY;     /* F = 0 */
    if (isinf(z)) return upper ? -INFINITY : 0.0;        /* F = 1 */
    sz = sqrt(z);
    a = (z / mu - 1.0) / sz;
    b = -(z / mu + 1.0) / sz;
    lphia = -0.5 * a * a - FM_NT_LOG_SQRT_2PI;
    mb = fm_mills(b);
    if (a <= 0.0) {
        const double sm = fm_mills(a) + mb;             /* F = phi(a) sm */
        lF = lphia + log(sm);
        rF = 1.0 / sm;
    } else {                                            /* F >= Phi(a) > 1/2 */
        const double F = fm_ndtr(a) + exp(lphia) * mb;
        lF = log(F);
        rF = exp(lphia) / F;
    }
    if (lF < -FM_NT_LN2) {                              /* F < 1/2 is the accurate one */
        if (!upper) {
            v = lF;
            rphi = rF;
        } else {
            v = log1p(-exp(lF));
            rphi = exp(lphia - v);
        }
    } else {                                            /* S <= 1/2 */
        const double x1 = -a, rx1 = fm_ndtr_ratio(x1);
        const double R = mb * rx1;                      /* m(b) / m(-a) in (0, 1) */
        double lS, rS;
        if (R <= 0.9) {                                 /* S = Phi(-a) (1 - R) */
            lS = fm_log_ndtr(x1) + log1p(-R);
            rS = rx1 / (1.0 - R);
        } else {
            const double D = fm_ig_mills_diff(x1, 2.0 / sz);
            lS = lphia + log(D);
            rS = 1.0 / D;
        }
        if (upper) {
            v = lS;
            rphi = rS;
        } else {
            v = log1p(-exp(lS));
            rphi = exp(lphia - v);
        }
    }
    if (!(v > -INFINITY)) return v;
    {
        const double sgn = upper ? -1.0 : 1.0;
        const double im = 1.0 / mu, im2 = im * im, im3 = im2 * im, im4 = im2 * im2;
        const double iz = 1.0 / z;
        const double rE = rphi * mb;                    /* phi(a) m(b) / V */
        const double rf = rphi * iz / sz;               /* f / V */
        const double gm = -2.0 * im2 * rE * sgn, gz = rf * sgn;
        g[0] = gm;
        g[1] = gz;
        h[0] = sgn * (4.0 * rE * (im3 + im4) - 2.0 * sz * rphi * im4) - gm * gm;
        h[1] = sgn * rf * (z - mu) * im3 - gm * gz;
        h[2] = sgn * rf * (-1.5 * iz - 0.5 * im2 + 0.5 * iz * iz) - gz * gz;
    }
    return v;
}
