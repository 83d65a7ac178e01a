/*
 * _glm.h -- the row pass of the regression models (fastmle.regression).
 *
 * One pass over the rows of X computes, for the coefficients beta,
 *
 *     ll    = sum_i w_i ll_i(eta_i)           eta_i = x_i . beta + offset_i
 *     grad  = X^T (w g),                      g_i = d ll_i / d eta_i
 *     H     = X^T diag(w h) X                 h_i = -d2 ll_i / d eta_i2 (>= 0)
 *
 * and, for the negative binomial (NB2) with dispersion alpha, the alpha
 * derivatives sum_i w_i d ll_i/d alpha, sum_i w_i d2 ll_i/d alpha2 and the
 * cross vector X^T (w d2 ll_i / d eta d alpha).  H is the negative Hessian in
 * beta.  Data-only constants (lgamma(y + 1)) are left out: the Python layer
 * adds them once.
 *
 * The rows are taken in blocks: fm_glm_block sums the rows [start, stop)
 * into one partial row (layout below), which the Cython driver combines in a
 * fixed pairwise order -- results are bitwise identical for any thread
 * count.  Inside a block the rows go through in sub-blocks of m rows copied
 * into a contiguous, zero-padded double buffer (float32 or any stride is
 * widened there, never copied as a whole) so that
 *   - eta is a dot product of length q (p rounded up to a multiple of 4),
 *   - X^T diag(h) X is a sum of 4x4 register tiles over the m rows (upper
 *     block triangle only; H is symmetric): each tile reads 8 values per row
 *     for 16 multiply-adds, which keeps the loop out of the load port limit
 *     a row-by-row rank-one update hits.
 *
 * Partial row layout (doubles): [FM_GLM_NS scalars][grad q][cross q][H q*q],
 * scalars = ll, dll/dalpha, d2ll/dalpha2, number of saturated rows (Logit
 * rows whose fitted probability equals y to float64 precision: the sign of
 * a perfect separation), number of rows whose column const_col is not 1
 * (the check that a constant column is one, made on data already loaded).
 *
 * Everything here is plain C that cannot fail: the Cython layer has checked
 * the inputs (finite X, y, w, offset; valid y for the family) with the GIL.
 */
#ifndef FASTMLE_GLM_H
#define FASTMLE_GLM_H

#include <math.h>
#include <string.h>
#include <stddef.h>
#include "_special.h"
#include "_vecmath.h"

enum { FM_LOGIT = 0, FM_POISSON = 1, FM_NB2 = 2, FM_GAUSSIAN = 3 };
enum { FM_GLM_NS = 5 };

/* exp(709.78) overflows; an eta beyond this gives ll = -inf (the Newton line
 * search then halves its step) and clamped, finite g and h. */
#define FM_GLM_ETA_MAX 700.0
/* |eta| beyond which a Logit row's fitted probability is 0 or 1 in float64
 * (exp(-36.8) < 2^-53). */
#define FM_GLM_LOGIT_SAT 36.8
/* NB2: sum_{k<y} log1p(k alpha) as a loop below this count, through
 * lgamma/digamma/trigamma differences above it (the loop is exact and cheap
 * for small counts; the differences lose digits as alpha -> 0). */
#define FM_GLM_NB_LOOP 16.0

/* The block loop is compiled twice on x86-64 Linux with GCC: for AVX2 + FMA
 * (x86-64-v3) and for the baseline; the loader picks one for the CPU at
 * run time (GCC function multi-versioning, an ifunc).  The 4x4 tiles and the
 * per-row arithmetic then use 4-wide fused multiply-adds where the CPU has
 * them, while the build stays portable (no -march=native). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    defined(__GLIBC__) && __GNUC__ >= 11  /* ifunc needs glibc (not musl) */
#define FM_GLM_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define FM_GLM_MULTIVERSION
#endif

typedef struct {
    const char *X;          /* first element of X */
    ptrdiff_t rs, cs;       /* row and column strides of X, in bytes */
    int is_f32;
    ptrdiff_t n, p, q;      /* rows, columns of the model, p rounded up to a multiple of 4 */
    int intercept;          /* 1: column 0 is an implicit 1 and X holds columns 1..p-1 */
    ptrdiff_t const_col;    /* >= 0: count the rows where this model column is not 1 */
    const double *y;
    const double *w;        /* NULL: unit weights */
    const double *off;      /* NULL: no offset */
    const double *beta;     /* length q, zero padded */
    int family;
    double alpha;           /* NB2 dispersion */
    int need;               /* 0: ll only, 1: + gradient, 2: + H */
} fm_glm_problem;

static inline ptrdiff_t fm_glm_row_len(ptrdiff_t q) { return FM_GLM_NS + 2 * q + q * q; }

/* ---- per-row log-likelihoods ------------------------------------------- */

/* Logit (Bernoulli, logit link).  With e = exp(-|eta|) in (0, 1]:
 *   log(1 + exp(eta)) = max(eta, 0) + log1p(e)   (no overflow, no
 *   cancellation; Maechler 2012, "Accurately computing log(1 - exp(-|a|))")
 *   p = 1/(1+e) or e/(1+e),  h = p (1 - p) = e / (1+e)^2. */
static inline double fm_glm_logit(double y, double eta, double e, double l1pe, double *g, double *h,
                                  double *sat)
{
    double inv = 1.0 / (1.0 + e);
    double p = eta >= 0.0 ? inv : e * inv;
    *g = y - p;
    *h = e * inv * inv;
    *sat = (fabs(eta) > FM_GLM_LOGIT_SAT && ((eta > 0.0) == (y > 0.5))) ? 1.0 : 0.0;
    return y * eta - (eta > 0.0 ? eta : 0.0) - l1pe;
}

/* Poisson (log link): ll = y eta - mu (- lgamma(y+1), added by Python). */
static inline double fm_glm_poisson(double y, double eta, double mu, double *g, double *h)
{
    *g = y - mu;
    *h = mu;
    return eta < FM_GLM_ETA_MAX ? y * eta - mu : -INFINITY;
}

/* NB2 (log link, Var = mu + alpha mu^2), with r = 1/alpha, u = alpha mu:
 *   ll = S(y) - (r + y) log1p(u) + y eta   (- lgamma(y+1), added by Python)
 *   S(y) = lgamma(y + r) - lgamma(r) - y log r = sum_{k<y} log1p(k alpha)
 * (the sum form is exact for integer counts and has no cancellation as
 * alpha -> 0).  Derivatives: with L = log1p(u), L' = mu/(1+u), L'' = -L'^2
 * (in alpha),
 *   d/deta         = (y - mu)/(1+u)
 *   -d2/deta2      = mu (1 + alpha y)/(1+u)^2
 *   d2/deta dalpha = -(y - mu) mu/(1+u)^2
 *   d/dalpha       = S' + r^2 L - (r + y) L'
 *   d2/dalpha2     = S'' - 2 r^3 L + 2 r^2 L' - (r + y) L''. */
static inline double fm_glm_nb2(double y, double eta, double mu, double a, double *g, double *h,
                                double *ga, double *gaa, double *gea)
{
    double u = a * mu, opu = 1.0 + u, L = log1p(u), r = 1.0 / a;
    double Lp = mu / opu, Lpp = -Lp * Lp;
    double S = 0.0, S1 = 0.0, S2 = 0.0;
    *g = (y - mu) / opu;
    *h = mu * (1.0 + a * y) / (opu * opu);
    *gea = -(y - mu) * mu / (opu * opu);
    if (y < FM_GLM_NB_LOOP) {
        for (double k = 1.0; k < y; k += 1.0) {
            double t = k / (1.0 + k * a);
            S += log1p(k * a);
            S1 += t;
            S2 -= t * t;
        }
    } else {
        double dpsi = fm_digamma(y + r) - fm_digamma(r);
        S = fm_lgamma(y + r) - fm_lgamma(r) - y * log(r);
        S1 = -r * r * dpsi + y * r;
        S2 = 2.0 * r * r * r * dpsi + r * r * r * r * (fm_trigamma(y + r) - fm_trigamma(r)) - y * r * r;
    }
    *ga = S1 + r * r * L - (r + y) * Lp;
    *gaa = S2 - 2.0 * r * r * r * L + 2.0 * r * r * Lp - (r + y) * Lpp;
    return eta < FM_GLM_ETA_MAX ? S - (r + y) * L + y * eta : -INFINITY;
}

/* Gaussian (identity link), unit variance: the Python layer scales by sigma^2. */
static inline double fm_glm_gaussian(double y, double eta, double *g, double *h)
{
    double res = y - eta;
    *g = res;
    *h = 1.0;
    return -0.5 * res * res;
}

/* ---- the block ------------------------------------------------------- */

/* Copy rows [s, s + mm) of X into xb (mm x q, row-major, zero padded). */
static inline void fm_glm_load(const fm_glm_problem *P, ptrdiff_t s, ptrdiff_t mm, double *xb)
{
    /* an implicit intercept is written here, never added to X (no copy) */
    const ptrdiff_t p = P->p - P->intercept, q = P->q;
    for (ptrdiff_t r = 0; r < mm; r++) {
        const char *row = P->X + (s + r) * P->rs;
        double *dst = xb + r * q + P->intercept;
        if (P->intercept) dst[-1] = 1.0;
        if (P->is_f32) {
            if (P->cs == (ptrdiff_t)sizeof(float)) {
                const float *src = (const float *)row;
                for (ptrdiff_t j = 0; j < p; j++) dst[j] = (double)src[j];
            } else {
                for (ptrdiff_t j = 0; j < p; j++) dst[j] = (double)*(const float *)(row + j * P->cs);
            }
        } else {
            if (P->cs == (ptrdiff_t)sizeof(double)) {
                memcpy(dst, row, p * sizeof(double));
            } else {
                for (ptrdiff_t j = 0; j < p; j++) dst[j] = *(const double *)(row + j * P->cs);
            }
        }
        for (ptrdiff_t j = p + P->intercept; j < q; j++) dst[j - P->intercept] = 0.0;
    }
}

/* H[I0:I0+4, J0:J0+4] += sum_r z[r, I0:I0+4] (x) x[r, J0:J0+4] over mm rows.
 * With GCC/clang vector extensions a tile row is one 4-double vector (one
 * AVX2 register, or two SSE2 ones in the baseline build); elsewhere plain
 * scalars. */
#if defined(__GNUC__) || defined(__clang__)
typedef double fm_v4d __attribute__((vector_size(32)));
static inline void fm_glm_tile(const double *z, const double *xb, ptrdiff_t mm, ptrdiff_t q,
                               ptrdiff_t I0, ptrdiff_t J0, double *H)
{
    fm_v4d a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
    for (ptrdiff_t r = 0; r < mm; r++) {
        const double *zr = z + r * q + I0;
        fm_v4d x;
        memcpy(&x, xb + r * q + J0, sizeof x);
        a0 += zr[0] * x;
        a1 += zr[1] * x;
        a2 += zr[2] * x;
        a3 += zr[3] * x;
    }
    double *h = H + I0 * q + J0;
    for (int b = 0; b < 4; b++) {
        h[b] += a0[b];
        h[q + b] += a1[b];
        h[2 * q + b] += a2[b];
        h[3 * q + b] += a3[b];
    }
}
#else
static inline void fm_glm_tile(const double *z, const double *xb, ptrdiff_t mm, ptrdiff_t q,
                               ptrdiff_t I0, ptrdiff_t J0, double *H)
{
    double acc[4][4] = {{0}};
    for (ptrdiff_t r = 0; r < mm; r++) {
        const double *zr = z + r * q + I0, *xr = xb + r * q + J0;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) acc[a][b] += zr[a] * xr[b];
    }
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++) H[(I0 + a) * q + J0 + b] += acc[a][b];
}
#endif

/* eta for rows [s, s + mm) (xb loaded), then the transcendental functions of
 * the whole sub-block through numpy's SIMD exp/log loops (_vecmath.h):
 * Logit e = exp(-|eta|) into t1 and log(1 + e) into t2 (log(1 + e) for
 * e in (0, 1] is accurate to 1 ulp of 1 + e, i.e. 2e-16 absolute per row:
 * nothing against a sum of rows); Poisson and NB2 mu = exp(min(eta, max))
 * into t1.  Scalar libm calls cost more than the rest of the row. */
static inline void fm_glm_eta(const fm_glm_problem *P, ptrdiff_t s, ptrdiff_t mm, const double *xb,
                              double *eta, double *t1, double *t2)
{
    const ptrdiff_t q = P->q;
    for (ptrdiff_t r = 0; r < mm; r++) {
        const double *xr = xb + r * q;
        /* four partial sums: q is a multiple of 4 */
        double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (ptrdiff_t j = 0; j < q; j += 4) {
            e0 += xr[j] * P->beta[j];
            e1 += xr[j + 1] * P->beta[j + 1];
            e2 += xr[j + 2] * P->beta[j + 2];
            e3 += xr[j + 3] * P->beta[j + 3];
        }
        eta[r] = (e0 + e1) + (e2 + e3) + (P->off ? P->off[s + r] : 0.0);
    }
    if (P->family == FM_LOGIT) {
        for (ptrdiff_t r = 0; r < mm; r++) t1[r] = -fabs(eta[r]);
        fm_vexp(t1, mm);
        for (ptrdiff_t r = 0; r < mm; r++) t2[r] = 1.0 + t1[r];
        fm_vlog(t2, mm);
    } else if (P->family == FM_POISSON || P->family == FM_NB2) {
        for (ptrdiff_t r = 0; r < mm; r++) t1[r] = eta[r] < FM_GLM_ETA_MAX ? eta[r] : FM_GLM_ETA_MAX;
        fm_vexp(t1, mm);
    }
}

/* Row r of a sub-block: weighted ll (returned), g, h and the NB2 terms. */
static inline double fm_glm_row(const fm_glm_problem *P, ptrdiff_t i, double eta, double t1, double t2,
                                double *g, double *h, double *ga, double *gaa, double *gea, double *sat)
{
    double y = P->y[i], li;
    *ga = 0.0; *gaa = 0.0; *gea = 0.0; *sat = 0.0;
    switch (P->family) {
    case FM_LOGIT: li = fm_glm_logit(y, eta, t1, t2, g, h, sat); break;
    case FM_POISSON: li = fm_glm_poisson(y, eta, t1, g, h); break;
    case FM_NB2: li = fm_glm_nb2(y, eta, t1, P->alpha, g, h, ga, gaa, gea); break;
    default: li = fm_glm_gaussian(y, eta, g, h); break;
    }
    if (P->w) {
        double wi = P->w[i];
        /* a zero weight drops the row, even where ll_i is -inf */
        li = wi != 0.0 ? wi * li : 0.0;
        *sat = wi != 0.0 ? *sat : 0.0;
        *g *= wi; *h *= wi; *ga *= wi; *gaa *= wi; *gea *= wi;
    }
    return li;
}

/* Sum rows [start, stop) into out[0 : fm_glm_row_len(q)].  scratch holds
 * 2 m q + 5 m doubles (one thread's). */
FM_GLM_MULTIVERSION
static void fm_glm_block(const fm_glm_problem *P, ptrdiff_t start, ptrdiff_t stop,
                         double *scratch, ptrdiff_t m, double *out)
{
    const ptrdiff_t q = P->q;
    double *xb = scratch, *z = xb + m * q, *gr = z + m * q, *hr = gr + m, *er = hr + m;
    double *t1 = er + m, *t2 = t1 + m;
    double *grad = out + FM_GLM_NS, *cross = grad + q, *H = cross + q;
    double ll = 0.0, sa = 0.0, saa = 0.0, nsat = 0.0, nonconst = 0.0;
    memset(out, 0, fm_glm_row_len(q) * sizeof(double));
    for (ptrdiff_t s = start; s < stop; s += m) {
        ptrdiff_t mm = stop - s < m ? stop - s : m;
        fm_glm_load(P, s, mm, xb);
        if (P->const_col >= 0)
            for (ptrdiff_t r = 0; r < mm; r++) nonconst += xb[r * q + P->const_col] != 1.0;
        fm_glm_eta(P, s, mm, xb, gr, t1, t2);
        for (ptrdiff_t r = 0; r < mm; r++) {
            double g, h, ga, gaa, gea, sat;
            ll += fm_glm_row(P, s + r, gr[r], t1[r], t2[r], &g, &h, &ga, &gaa, &gea, &sat);
            sa += ga; saa += gaa; nsat += sat;
            gr[r] = g; hr[r] = h; er[r] = gea;
        }
        if (P->need >= 1) {
            for (ptrdiff_t r = 0; r < mm; r++) {
                const double *xr = xb + r * q;
                double g = gr[r];
                for (ptrdiff_t j = 0; j < q; j++) grad[j] += g * xr[j];
            }
            if (P->family == FM_NB2) {
                for (ptrdiff_t r = 0; r < mm; r++) {
                    const double *xr = xb + r * q;
                    double c = er[r];
                    for (ptrdiff_t j = 0; j < q; j++) cross[j] += c * xr[j];
                }
            }
        }
        if (P->need >= 2) {
            for (ptrdiff_t r = 0; r < mm; r++) {
                const double *xr = xb + r * q;
                double *zr = z + r * q, h = hr[r];
                for (ptrdiff_t j = 0; j < q; j++) zr[j] = h * xr[j];
            }
            for (ptrdiff_t I0 = 0; I0 < q; I0 += 4)
                for (ptrdiff_t J0 = I0; J0 < q; J0 += 4)
                    fm_glm_tile(z, xb, mm, q, I0, J0, H);
        }
    }
    out[0] = ll; out[1] = sa; out[2] = saa; out[3] = nsat; out[4] = nonconst;
}

/* Per-row weights only (no products): w g and w h into arrays, sums[0] = ll
 * and sums[1] = saturated rows -- the first step of the "BLAS on row blocks"
 * pass of wide designs (see fastmle/regression/_kernel.py).  scratch holds
 * m q + 3 m doubles. */
FM_GLM_MULTIVERSION
static void fm_glm_rows(const fm_glm_problem *P, ptrdiff_t start, ptrdiff_t stop,
                        double *scratch, ptrdiff_t m, double *g_out, double *h_out, double *sums)
{
    double *xb = scratch, *eta = xb + m * P->q, *t1 = eta + m, *t2 = t1 + m;
    double ll = 0.0, nsat = 0.0;
    for (ptrdiff_t s = start; s < stop; s += m) {
        ptrdiff_t mm = stop - s < m ? stop - s : m;
        fm_glm_load(P, s, mm, xb);
        fm_glm_eta(P, s, mm, xb, eta, t1, t2);
        for (ptrdiff_t r = 0; r < mm; r++) {
            double ga, gaa, gea, sat;
            ll += fm_glm_row(P, s + r, eta[r], t1[r], t2[r], &g_out[s + r], &h_out[s + r], &ga, &gaa, &gea,
                             &sat);
            nsat += sat;
        }
    }
    sums[0] = ll;
    sums[1] = nsat;
}

#endif
