/* Pieces shared by the closed-form cdfs (NAME_lcdf, see _natural_loop.h).
 *
 * Most closed-form cdfs are F = 1 - exp(-u) (or S = 1 - exp(-u)) for some
 * u(theta, z) >= 0: Weibull, Rayleigh, Pareto, Lomax, generalized Pareto,
 * the GEV's survival function, the geometric cdf.  The log of the other tail
 * is then simply -u; this one is log(1 - e^{-u}), and its derivatives, chained
 * through u, cancel badly when u is small (d/du ~ 1/u, d2/du2 ~ -1/u^2, and
 * the exact second derivatives are O(1)).  fm_log1mexp gives every
 * combination the families need without that cancellation. */
#ifndef FASTMLE_LCDF_UTIL_H
#define FASTMLE_LCDF_UTIL_H

#include <math.h>

#define FM_LOG_PI 1.1447298858494002
#define FM_LN2 0.6931471805599453

/* log(1 - e^{-u}) for u >= 0 and its derivatives, both in u and in
 * lu = log u (for u = exp(lu) that may underflow):
 *     v   = log(1 - e^{-u})
 *     d1  = dv/du = 1/expm1(u),  d2 = d2v/du2 = -e^u/expm1(u)^2
 *     phi = dv/dlu = u d1 = u/expm1(u)
 *     psi = d2v/dlu2 = u dphi/du
 *     w   = u^2 d2 = psi - phi
 * dphi/du = -1/2 + u/6 - ... is a difference of two O(1/u) terms in closed
 * form, so it comes from its Bernoulli series below u = 0.1 (terms to u^9;
 * the next is below 1e-19 there). */
typedef struct {
    double v, d1, d2, phi, psi, w;
} fm_l1me;

static inline void fm_log1mexp(double u, double lu, fm_l1me* o) {
    double K;
    if (u < 1e-10) {
        /* also u = 0 from an underflowed exp(lu): v = lu - u/2 + O(u^2) */
        if (isnan(lu)) lu = log(u);
        o->v = lu - 0.5 * u;
        o->phi = 1.0 - 0.5 * u;
        o->psi = u * (-0.5 + u / 6.0);
        o->w = -o->phi * (1.0 + 0.5 * u);
        o->d1 = 1.0 / u - 0.5;
        o->d2 = -1.0 / (u * u) + 1.0 / 12.0;
        return;
    }
    {
        const double eu = exp(-u), em = -expm1(-u);   /* e^{-u}, 1 - e^{-u} */
        const double q = u / em;                      /* u / (1 - e^{-u}) >= 1 */
        /* log1p(-e^{-u}) keeps the digits of v near 0 (F near 1) */
        o->v = u < FM_LN2 ? log(em) : log1p(-eu);
        o->d1 = eu / em;
        o->d2 = -o->d1 / em;
        o->phi = q * eu;
        o->w = -o->phi * q;
        if (u < 0.1) {
            const double u2 = u * u;
            K = -0.5 + u * (1.0 / 6.0 + u2 * (-1.0 / 180.0 + u2 * (1.0 / 5040.0
                + u2 * (-1.0 / 151200.0 + u2 * (1.0 / 4790016.0)))));
        } else {
            K = eu * (em - u) / (em * em);
        }
        o->psi = u * K;
    }
}

/* Chain rule for one shape and z: f(s(c, z)) with s's derivatives
 * (sc, sz, scc, scz, szz) and f's (f1, f2) -> g[0..1], h[0..2]. */
static inline void fm_chain2(double f1, double f2, double sc, double sz, double scc, double scz,
                             double szz, double* g, double* h) {
    g[0] = f1 * sc;
    g[1] = f1 * sz;
    h[0] = f2 * sc * sc + f1 * scc;
    h[1] = f2 * sc * sz + f1 * scz;
    h[2] = f2 * sz * sz + f1 * szz;
}

static inline double fm_lcdf_zero2(double v, double* g, double* h) {
    g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
    return v;
}

static inline double fm_lcdf_zero0(double v, double* g, double* h) {
    g[0] = h[0] = 0.0;
    return v;
}

/* Weibull-type tails, u = z^c (z > 0), lz = log z:
 *     upper: log S = -u,   lower: log F = log(1 - e^{-u}).
 * Derivatives in (c, z).  The lower tail is accurate as a log also when u
 * underflows (log F = c log z then). */
static inline double fm_weibull_tail(double lz, double z, double c, int upper, double* g,
                                     double* h) {
    const double v = c * lz, u = exp(v), iz = 1.0 / z;
    fm_l1me o;
    if (upper) {
        /* -u: d/dlu = -u, d2/dlu2 = -u, with lu = c lz */
        g[0] = -u * lz;
        g[1] = -u * c * iz;
        h[0] = -u * lz * lz;
        h[1] = -u * (v + 1.0) * iz;
        h[2] = -u * c * (c - 1.0) * iz * iz;
        return -u;
    }
    fm_log1mexp(u, v, &o);
    g[0] = o.phi * lz;
    g[1] = o.phi * c * iz;
    h[0] = o.psi * lz * lz;
    h[1] = (o.psi * v + o.phi) * iz;
    h[2] = c * (c * o.psi - o.phi) * iz * iz;
    return o.v;
}

/* Pareto-type tails, u = c l with l = log(y) > 0 (y = z for pareto, 1 + z
 * for lomax; dl/dz = 1/y), l > 0:
 *     upper: log S = -c l,   lower: log F = log(1 - e^{-c l}). */
static inline double fm_power_tail(double l, double y, double c, int upper, double* g, double* h) {
    const double iy = 1.0 / y;
    fm_l1me o;
    if (upper) {
        g[0] = -l;
        g[1] = -c * iy;
        h[0] = 0.0;
        h[1] = -iy;
        h[2] = c * iy * iy;
        return -c * l;
    }
    /* in lu = log c + log l: lu_c = 1/c, lu_z = 1/(y l), lu_cc = -1/c^2,
     * lu_cz = 0, lu_zz = -(1 + l)/(y l)^2; psi - phi = w has no cancellation */
    fm_log1mexp(c * l, NAN, &o);
    {
        const double ic = 1.0 / c, iyl = iy / l;
        g[0] = o.phi * ic;
        g[1] = o.phi * iyl;
        h[0] = o.w * ic * ic;
        h[1] = o.psi * ic * iyl;
        h[2] = (o.w - o.phi * l) * iyl * iyl;
    }
    return o.v;
}

#endif
