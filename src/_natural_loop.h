/* Per-observation sums in natural parameters: censored observations, the
 * score outer products of the sandwich covariance, and cdf values.
 *
 * The fast family loop (_family_loop.h) sums derivatives in (shapes, z) and
 * leaves the chain rule to Python, which only works for sums that are linear
 * in the per-observation terms.  A censored interval's log probability
 * log(F(b) - F(a)) and a score outer product s s^T are not, so this loop
 * forms every observation's log-likelihood term, score and Hessian in the
 * natural parameters (shapes..., loc, scale) and sums those.  It costs more
 * per observation and runs where that is needed: censored fits, and once at
 * the estimate for the robust covariance.
 *
 * A family with a cdf supplies, next to NAME_obs (see _family_loop.h),
 *     double NAME_lcdf(double z, const double* P, int upper, double* g, double* h)
 * returning log F(z) = log P(Z <= z) (upper == 0) or log S(z) = log P(Z > z)
 * (upper == 1) of the standardized variable (location-scale kind), or of
 * k = x - loc for the shape kind (F(k) = P(K <= k), S(k) = P(K > k)), with
 * g and h in NAME_obs's layout: g[0..M-1] = d/dtheta, g[M] = d/dz (location-
 * scale only); h[0..T-1] = d2/dtheta2 packed row-major upper, then (location-
 * scale only) h[T + a] = d2/dtheta_a dz and h[T + M] = d2/dz2.  The log of a
 * probability that underflows is -INFINITY (derivatives then unused); it must
 * never be NaN for z in the support's closure or outside it (F = 0 or 1
 * there: return -INFINITY or 0 with zero derivatives).
 *
 * Observations come in one of two layouts (params[0], the mode):
 *   FM_NAT_EXACT  x[i * stride]: exact observations;
 *   FM_NAT_PAIRED x[i * stride], x[i * stride + 1]: (lower, upper) of a
 *                 float64 (n, 2) array.  lower == upper: exact at that value;
 *                 lower == -inf: left-censored, X <= upper; upper == +inf:
 *                 right-censored, X > lower; otherwise interval-censored,
 *                 lower < X <= upper.  Shape kind (integers): right-censored
 *                 means K >= lower, interval lower <= K <= upper (inclusive,
 *                 as counts are reported), so the cdf is read at lower - 1.
 *
 * params = [mode, loc, 1/scale (location-scale only), c0, c1 (M), c2 (T), P...]
 * where c0, c1, c2 are the z-free constant of the log density with its
 * gradient and Hessian in theta (added to exact observations only; the
 * -log(scale) Jacobian term is added here).
 *
 * Sums (N = M + 2 natural parameters for location-scale, M for the shape
 * kind; U = N(N + 1)/2): [sum w, sum w ll, sum w s (N), sum w H (U, packed
 * row-major upper), sum w s s^T (U, packed likewise)].
 */
#ifndef FASTMLE_NATURAL_LOOP_H
#define FASTMLE_NATURAL_LOOP_H

#include <math.h>
#include <string.h>

#define FM_NAT_EXACT 0
#define FM_NAT_PAIRED 1
#define FM_NAT_MAX_M 3
#define FM_NAT_MAX_N (FM_NAT_MAX_M + 2)
#define FM_NAT_MAX_U (FM_NAT_MAX_N * (FM_NAT_MAX_N + 1) / 2)

#define FM_NAT_N_LOCSCALE(M) ((M) + 2)
#define FM_NAT_N_SHAPE(M) (M)
#define FM_NAT_K(N) (2 + (N) + (N) * ((N) + 1))

/* log(1 - e^{-u}) for u >= 0 with d/du and d2/du2.  Below ln 2 the
 * difference 1 - e^{-u} is formed by expm1; above, the log is close to 0 and
 * log1p(-e^{-u}) keeps its relative precision (log of a number near 1 would
 * lose it: 2e-8 relative at u = 20). */
static inline double fm_log1mexp_neg(double u, double* d1, double* d2) {
    const double em = -expm1(-u);           /* 1 - e^{-u}, exact for small u */
    const double eu = exp(-u);
    *d1 = eu / em;                          /* 1 / expm1(u) */
    *d2 = -eu / (em * em);                  /* -e^u / expm1(u)^2 */
    return u > 0.6931471805599453 ? log1p(-eu) : log(em);
}

typedef double (*fm_lcdf_fn)(double z, const double* P, int upper, double* g, double* h);

/* One term in natural parameters: log value, score s[N], Hessian H (packed). */
typedef struct {
    double ll;
    double s[FM_NAT_MAX_N];
    double H[FM_NAT_MAX_U];
} fm_term;

/* (shapes, z) derivatives of a location-scale term -> (shapes, loc, scale).
 * With z = (x - loc) / scale: dz/dloc = -1/scale, dz/dscale = -z/scale. */
static inline void fm_nat_from_z(fm_term* t, const int M, const double z, const double is,
                                 const double lg, const double* g, const double* h) {
    const int N = M + 2, T = FM_TRI(M);
    const double gz = g[M], hzz = h[T + M];
    int a, b, k = 0;
    t->ll = lg;
    for (a = 0; a < M; ++a) t->s[a] = g[a];
    t->s[M] = -gz * is;
    t->s[M + 1] = -z * gz * is;
    /* packed row-major upper over N: rows of the shapes first */
    for (a = 0; a < M; ++a) {
        for (b = a; b < M; ++b) t->H[k++] = h[a * M - a * (a - 1) / 2 + (b - a)];
        t->H[k++] = -h[T + a] * is;
        t->H[k++] = -z * h[T + a] * is;
    }
    t->H[k++] = hzz * is * is;
    t->H[k++] = (z * hzz + gz) * is * is;
    t->H[k++] = (z * z * hzz + 2.0 * z * gz) * is * is;
    (void)N;
}

/* An exact observation's term also has the z-free constant (c0, c1, c2 in
 * the shapes) and the Jacobian -log(scale). */
static inline void fm_nat_exact_extra(fm_term* t, const int M, const int locscale, const double is,
                                      const double* c) {
    const int N = locscale ? M + 2 : M;
    const double* c1 = c + 1;
    const double* c2 = c + 1 + M;
    int a, b, k = 0, kc = 0;
    t->ll += c[0];
    for (a = 0; a < M; ++a) {
        t->s[a] += c1[a];
        for (b = a; b < N; ++b, ++k)
            if (b < M) t->H[k] += c2[kc++];
    }
    if (locscale) {
        t->ll += log(is);
        t->s[M + 1] -= is;
        t->H[N * (N + 1) / 2 - 1] += is * is;
    }
}

/* log(P_A - P_B) from two terms of the same tail, P_A >= P_B (interval). */
static inline void fm_nat_difference(fm_term* out, const fm_term* A, const fm_term* B, const int N) {
    const double r = exp(B->ll - A->ll);      /* P_B / P_A in [0, 1] */
    const double q = 1.0 / (1.0 - r);
    int a, b, k = 0;
    out->ll = A->ll + log1p(-r);
    for (a = 0; a < N; ++a) out->s[a] = (A->s[a] - r * B->s[a]) * q;
    for (a = 0; a < N; ++a)
        for (b = a; b < N; ++b, ++k)
            out->H[k] = (A->H[k] + A->s[a] * A->s[b] - r * (B->H[k] + B->s[a] * B->s[b])) * q
                        - out->s[a] * out->s[b];
}

/* log(P_A + P_B) from two terms (an arc of a circle cut in two). */
static inline void fm_nat_sum(fm_term* out, const fm_term* A, const fm_term* B, const int N) {
    const double m = A->ll > B->ll ? A->ll : B->ll;
    const double ea = exp(A->ll - m), eb = exp(B->ll - m);
    const double pa = ea / (ea + eb), pb = eb / (ea + eb);
    int a, b, k = 0;
    out->ll = m + log(ea + eb);
    for (a = 0; a < N; ++a) out->s[a] = pa * A->s[a] + pb * B->s[a];
    for (a = 0; a < N; ++a)
        for (b = a; b < N; ++b, ++k)
            out->H[k] = pa * (A->H[k] + A->s[a] * A->s[b]) + pb * (B->H[k] + B->s[a] * B->s[b])
                        - out->s[a] * out->s[b];
}

static inline void fm_nat_add(double* acc, const int N, const double wi, const fm_term* t) {
    const int U = N * (N + 1) / 2;
    int a, b, k = 0;
    acc[0] += wi;
    acc[1] += wi * t->ll;
    for (a = 0; a < N; ++a) acc[2 + a] += wi * t->s[a];
    for (a = 0; a < U; ++a) acc[2 + N + a] += wi * t->H[a];
    for (a = 0; a < N; ++a)
        for (b = a; b < N; ++b, ++k) acc[2 + N + U + k] += wi * t->s[a] * t->s[b];
}

/* Shape kind: derivatives are already in theta (loc is an integer). */
static inline void fm_nat_from_k(fm_term* t, const int M, const double lg, const double* g,
                                 const double* h) {
    int a;
    t->ll = lg;
    for (a = 0; a < M; ++a) t->s[a] = g[a];
    for (a = 0; a < FM_TRI(M); ++a) t->H[a] = h[a];
}

/* The term of one observation (lo, hi) in natural parameters; returns 1 if
 * it contributes nothing (-inf < X < inf), else 0 (t->ll may be -inf). */
#define FM_NAT_TERM_FN(NAME, LOCSCALE, M)                                                       \
    static inline void NAME##_nat_term_at(fm_term* t, double v, double lg, const double* g,    \
                                          const double* h, double loc, double is) {            \
        if (LOCSCALE)                                                                          \
            fm_nat_from_z(t, M, (v - loc) * is, is, lg, g, h);                                 \
        else                                                                                   \
            fm_nat_from_k(t, M, lg, g, h);                                                     \
    }                                                                                          \
    static inline double NAME##_nat_arg(double v, double loc, double is) {                     \
        return (LOCSCALE) ? (v - loc) * is : v - loc;                                          \
    }                                                                                          \
    static inline int NAME##_nat_term(fm_term* t, double lo, double hi, double loc, double is, \
                                      const double* c, const double* P) {                      \
        double g[(M) + 1], h[FM_TRI(M) + (M) + 1];                                             \
        const int N = (LOCSCALE) ? (M) + 2 : (M);                                              \
        /* counts: "K >= lower" is "K > lower - 1" */                                          \
        const double below = (LOCSCALE) ? lo : lo - 1.0;                                       \
        fm_term A, B;                                                                          \
        double v;                                                                              \
        if (lo == hi) {                                                                        \
            v = NAME##_obs(NAME##_nat_arg(lo, loc, is), P, g, h);                              \
            NAME##_nat_term_at(t, lo, v, g, h, loc, is);                                       \
            fm_nat_exact_extra(t, M, LOCSCALE, is, c);                                         \
            return 0;                                                                          \
        }                                                                                      \
        if (isinf(lo) && isinf(hi)) return 1;                                                  \
        if (isinf(lo)) {                                                                       \
            v = NAME##_lcdf(NAME##_nat_arg(hi, loc, is), P, 0, g, h);                          \
            NAME##_nat_term_at(t, hi, v, g, h, loc, is);                                       \
            return 0;                                                                          \
        }                                                                                      \
        if (isinf(hi)) {                                                                       \
            v = NAME##_lcdf(NAME##_nat_arg(below, loc, is), P, 1, g, h);                       \
            NAME##_nat_term_at(t, below, v, g, h, loc, is);                                    \
            return 0;                                                                          \
        }                                                                                      \
        /* interval: difference in the tail where both probabilities are                      \
           smaller, which keeps the digits */                                                  \
        v = NAME##_lcdf(NAME##_nat_arg(hi, loc, is), P, 0, g, h);                              \
        if (v <= -0.6931471805599453) {                                                        \
            NAME##_nat_term_at(&A, hi, v, g, h, loc, is);                                      \
            v = NAME##_lcdf(NAME##_nat_arg(below, loc, is), P, 0, g, h);                       \
            NAME##_nat_term_at(&B, below, v, g, h, loc, is);                                   \
        } else {                                                                               \
            v = NAME##_lcdf(NAME##_nat_arg(below, loc, is), P, 1, g, h);                       \
            NAME##_nat_term_at(&A, below, v, g, h, loc, is);                                   \
            v = NAME##_lcdf(NAME##_nat_arg(hi, loc, is), P, 1, g, h);                          \
            NAME##_nat_term_at(&B, hi, v, g, h, loc, is);                                      \
        }                                                                                      \
        if (A.ll == -INFINITY) { *t = A; return 0; }   /* derivatives unused at -inf */      \
        fm_nat_difference(t, &A, &B, N);                                                       \
        return 0;                                                                              \
    }

#define FM_NAT_LOOP(NAME, LOCSCALE, M, T)                                                       \
    static void NAME##_nat_loop_##T(const T* x, Py_ssize_t stride, const double* w,             \
                                    Py_ssize_t start, Py_ssize_t stop, const double* params,   \
                                    double* out) {                                             \
        const int N = (LOCSCALE) ? (M) + 2 : (M);                                              \
        const int paired = params[0] == FM_NAT_PAIRED;                                         \
        const double loc = params[1];                                                          \
        const double is = (LOCSCALE) ? params[2] : 1.0;                                        \
        const double* c = params + ((LOCSCALE) ? 3 : 2);                                       \
        const double* P = c + 1 + (M) + FM_TRI(M);                                             \
        double acc[FM_NAT_K(FM_NAT_MAX_N)];                                                    \
        fm_term t;                                                                             \
        Py_ssize_t i;                                                                          \
        memset(acc, 0, sizeof acc);                                                            \
        for (i = start; i < stop; ++i) {                                                       \
            const double lo = (double)x[i * stride];                                           \
            const double hi = paired ? (double)x[i * stride + 1] : lo;                         \
            const double wi = w ? w[i] : 1.0;                                                  \
            if (wi == 0.0) continue;     /* zero weight: not an observation */                 \
            if (NAME##_nat_term(&t, lo, hi, loc, is, c, P)) acc[0] += wi;                      \
            else fm_nat_add(acc, N, wi, &t);                                                   \
        }                                                                                      \
        memcpy(out, acc, FM_NAT_K(N) * sizeof(double));                                        \
    }

/* FM_NATURAL(NAME, KIND, M): NAME_nat_block for a family with NAME_obs and
 * NAME_lcdf (KIND LOCSCALE or SHAPE, as in FM_FAMILY). */
#define FM_NAT_IS_LOCSCALE 1
#define FM_NAT_IS_SHAPE 0
#define FM_NATURAL(NAME, KIND, M) FM_NATURAL_(NAME, FM_NAT_IS_##KIND, M)
#define FM_NATURAL_(NAME, LOCSCALE, M)                                                          \
    FM_NAT_TERM_FN(NAME, LOCSCALE, M)                                                          \
    FM_NATURAL_LOOPS_(NAME, LOCSCALE, M)
/* FM_NATURAL_OWN_TERM: the same for a family that writes its own
 * NAME_nat_term (von Mises: censoring intervals are arcs of the circle). */
#define FM_NATURAL_OWN_TERM(NAME, KIND, M) FM_NATURAL_LOOPS_(NAME, FM_NAT_IS_##KIND, M)
#define FM_NATURAL_LOOPS_(NAME, LOCSCALE, M)                                                    \
    FM_NAT_LOOP(NAME, LOCSCALE, M, float)                                                      \
    FM_NAT_LOOP(NAME, LOCSCALE, M, double)                                                     \
    static void NAME##_nat_block(const void* x, Py_ssize_t stride, int is_f32, const double* w, \
                                 Py_ssize_t start, Py_ssize_t stop, const double* params,      \
                                 double* out) {                                                \
        if (is_f32)                                                                            \
            NAME##_nat_loop_float((const float*)x, stride, w, start, stop, params, out);       \
        else                                                                                   \
            NAME##_nat_loop_double((const double*)x, stride, w, start, stop, params, out);     \
    }                                                                                          \
    static double NAME##_lcdf_fn(double z, const double* P, int upper, double* g, double* h) { \
        return NAME##_lcdf(z, P, upper, g, h);                                                 \
    }

typedef struct {
    const char* name;
    fm_block_fn block;
    fm_lcdf_fn lcdf;
    int n_shapes;
    int kind;
    int n_sums;
} fm_nat_family;

#define FM_NAT_ENTRY(NAME, KIND, M)                                                             \
    {#NAME, NAME##_nat_block, NAME##_lcdf_fn, M, FM_##KIND, FM_NAT_K(FM_NAT_N_##KIND(M))}

#endif
