/* Lane sums: the moment and range loops of the one-pass fits, vectorized.
 *
 * norm, expon, uniform and pareto (and the one-sided families) need nothing
 * from a pass but sum(x - shift), sum((x - shift)^2), min(x) and max(x).
 * With four scalar accumulators per quantity and the kernels' generic
 * ``x[i * stride]`` indexing, which keeps the compiler from vectorizing,
 * such a pass took ~1 ns per value on this machine (norm's fit at 1e6 rows:
 * 0.97 ms on one thread); vectorized it takes 0.31 ms.
 *
 * Here each quantity has FM_LANES accumulators: value i goes to lane
 * i % FM_LANES of its 16-value group, the values after the last full group
 * to lane 0, and the lanes are combined in one fixed pairwise order. Every
 * lane is an ordinary IEEE sequence of additions, so the SSE2 and AVX2
 * builds of the contiguous loop (chosen at run time by GCC's target_clones
 * on x86-64 Linux), the plain loops of other compilers and the strided loop
 * give bitwise equal results, and so do 1 and 2 threads (the blocks do not
 * change). The build passes -ffp-contract=off so that no build fuses
 * d * d + s into an FMA (which changes the last bits).
 *
 * min/max take `v < lo ? v : lo`, which ignores NaN; NaN and infinities
 * show up in the sums instead (the callers check those for finiteness).
 */
#ifndef FASTMLE_LANE_SUMS_H
#define FASTMLE_LANE_SUMS_H
#include <math.h>
#include <stdint.h>
#include <string.h>

#define FM_LANES 16

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 9 && defined(__x86_64__) && defined(__linux__)
#define FM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FM_CLONES
#endif

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 9
/* GCC vector extensions (clang types vector comparisons differently; it
 * gets the plain loops): four groups of four lanes, lane 4k + j of a
 * 16-value group in element j of vector k (ymm registers with AVX2, pairs of
 * xmm with SSE2). Elsewhere the plain lane loops below do the same sums. */
#define FM_HAVE_VECTORS 1
typedef double fm_v4d __attribute__((vector_size(32)));
typedef float fm_v4f __attribute__((vector_size(16)));
typedef long long fm_v4l __attribute__((vector_size(32)));

/* Macros rather than functions: a function passing vectors by value draws
 * GCC's -Wpsabi note in the builds without AVX. */
#define fm_load4_f64(V, P) memcpy(&(V), (P), sizeof(V))
#define fm_load4_f32(V, P)                    \
    do {                                      \
        fm_v4f f_;                            \
        memcpy(&f_, (P), sizeof f_);          \
        (V) = __builtin_convertvector(f_, fm_v4d); \
    } while (0)

/* elementwise M = V < M ? V : M (and the max): a NaN in V leaves M as it is */
#define FM_VMIN(V, M)                                                      \
    do {                                                                   \
        fm_v4l lt_ = (V) < (M);                                            \
        (M) = (fm_v4d)(((fm_v4l)(V) & lt_) | ((fm_v4l)(M) & ~lt_));        \
    } while (0)
#define FM_VMAX(V, M)                                                      \
    do {                                                                   \
        fm_v4l gt_ = (V) > (M);                                            \
        (M) = (fm_v4d)(((fm_v4l)(V) & gt_) | ((fm_v4l)(M) & ~gt_));        \
    } while (0)
#else
#define FM_HAVE_VECTORS 0
#endif

/* ((l0 + l1) + (l2 + l3)) + ... : the fixed combination of the lanes */
static inline double fm_lane_total(const double *l) {
    double t[FM_LANES];
    int width, j;
    for (j = 0; j < FM_LANES; j++) t[j] = l[j];
    for (width = 1; width < FM_LANES; width *= 2)
        for (j = 0; j + width < FM_LANES; j += 2 * width) t[j] += t[j + width];
    return t[0];
}

static inline double fm_lane_min(const double *l) {
    double m = l[0];
    int j;
    for (j = 1; j < FM_LANES; j++) m = l[j] < m ? l[j] : m;
    return m;
}

/* One lane update of the moments loop: value V into lane J. */
#define FM_MOMENT_STEP(V, J)                     \
    do {                                         \
        double v_ = (V), d_ = v_ - shift;        \
        s1l[J] += d_;                            \
        if (squares) s2l[J] += d_ * d_;          \
        lol[J] = v_ < lol[J] ? v_ : lol[J];      \
    } while (0)

/* One lane update of the range loop: zl collects 0 * v (NaN iff v is not finite). */
#define FM_RANGE_STEP(V, J)                      \
    do {                                         \
        double v_ = (V);                         \
        lol[J] = v_ < lol[J] ? v_ : lol[J];      \
        hil[J] = v_ > hil[J] ? v_ : hil[J];      \
        zl[J] += 0.0 * v_;                       \
    } while (0)

#if FM_HAVE_VECTORS
/* The full 16-value groups of a contiguous run, lanes in and out through
 * the arrays (held in registers in between). */
#define FM_DEFINE_CONTIG(SUFFIX, T)                                                           \
    FM_CLONES static void fm_moments_contig_##SUFFIX(const T *x, intptr_t n_groups,          \
                                                     double shift, int squares, double *s1l,  \
                                                     double *s2l, double *lol) {              \
        fm_v4d a[4], b[4], m[4], sh = {shift, shift, shift, shift};                           \
        intptr_t g;                                                                           \
        int k;                                                                                \
        for (k = 0; k < 4; k++) {                                                             \
            memcpy(&a[k], s1l + 4 * k, sizeof a[k]);                                          \
            memcpy(&b[k], s2l + 4 * k, sizeof b[k]);                                          \
            memcpy(&m[k], lol + 4 * k, sizeof m[k]);                                          \
        }                                                                                     \
        for (g = 0; g < n_groups; g++) {                                                      \
            for (k = 0; k < 4; k++) {                                                         \
                fm_v4d v, d;                                                                  \
                fm_load4_##SUFFIX(v, x + FM_LANES * g + 4 * k);                               \
                d = v - sh;                                                                   \
                a[k] += d;                                                                    \
                if (squares) /* loop-invariant: -O3 unswitches it */                          \
                    b[k] += d * d;                                                            \
                FM_VMIN(v, m[k]);                                                             \
            }                                                                                 \
        }                                                                                     \
        for (k = 0; k < 4; k++) {                                                             \
            memcpy(s1l + 4 * k, &a[k], sizeof a[k]);                                          \
            memcpy(s2l + 4 * k, &b[k], sizeof b[k]);                                          \
            memcpy(lol + 4 * k, &m[k], sizeof m[k]);                                          \
        }                                                                                     \
    }                                                                                         \
    FM_CLONES static void fm_range_contig_##SUFFIX(const T *x, intptr_t n_groups, double *lol, \
                                                   double *hil, double *zl) {                 \
        fm_v4d lo[4], hi[4], z[4];                                                            \
        intptr_t g;                                                                           \
        int k;                                                                                \
        for (k = 0; k < 4; k++) {                                                             \
            memcpy(&lo[k], lol + 4 * k, sizeof lo[k]);                                        \
            memcpy(&hi[k], hil + 4 * k, sizeof hi[k]);                                        \
            memcpy(&z[k], zl + 4 * k, sizeof z[k]);                                           \
        }                                                                                     \
        for (g = 0; g < n_groups; g++) {                                                      \
            for (k = 0; k < 4; k++) {                                                         \
                fm_v4d v;                                                                     \
                fm_load4_##SUFFIX(v, x + FM_LANES * g + 4 * k);                               \
                FM_VMIN(v, lo[k]);                                                            \
                FM_VMAX(v, hi[k]);                                                            \
                z[k] += 0.0 * v;                                                              \
            }                                                                                 \
        }                                                                                     \
        for (k = 0; k < 4; k++) {                                                             \
            memcpy(lol + 4 * k, &lo[k], sizeof lo[k]);                                        \
            memcpy(hil + 4 * k, &hi[k], sizeof hi[k]);                                        \
            memcpy(zl + 4 * k, &z[k], sizeof z[k]);                                           \
        }                                                                                     \
    }
#define FM_CONTIG_MOMENTS(SUFFIX) fm_moments_contig_##SUFFIX(x, n_groups, shift, squares, s1l, s2l, lol)
#define FM_CONTIG_RANGE(SUFFIX) fm_range_contig_##SUFFIX(x, n_groups, lol, hil, zl)
#else
#define FM_DEFINE_CONTIG(SUFFIX, T)
#define FM_CONTIG_MOMENTS(SUFFIX) ((void)0)
#define FM_CONTIG_RANGE(SUFFIX) ((void)0)
#endif

/* fm_moments_<T>(x, stride, n, shift, &s1, &s2, &vmin):
 * s1 = sum(x - shift), s2 = sum((x - shift)^2) over x[0], x[stride], ...,
 * x[(n-1) * stride]; vmin holds a running minimum of x on entry and exit.
 * s2 = NULL skips the squares (expon needs only the sum and the minimum:
 * a lighter loop streams faster). 
 * fm_range_<T>(x, stride, n, &lo, &hi, &z): min, max and sum(0 * x) (0 if
 * every value is finite, else NaN); lo, hi start at +-inf. */
#define FM_DEFINE_LANE_SUMS(SUFFIX, T)                                                        \
    FM_DEFINE_CONTIG(SUFFIX, T)                                                               \
    static inline void fm_moments_##SUFFIX(const T *x, intptr_t stride, intptr_t n,          \
                                           double shift, double *s1, double *s2,              \
                                           double *vmin) {                                    \
        double s1l[FM_LANES], s2l[FM_LANES], lol[FM_LANES];                                   \
        intptr_t n_groups = n / FM_LANES, i = 0;                                              \
        int j, squares = s2 != NULL;                                                          \
        for (j = 0; j < FM_LANES; j++) {                                                      \
            s1l[j] = 0.0;                                                                     \
            s2l[j] = 0.0;                                                                     \
            lol[j] = *vmin;                                                                   \
        }                                                                                     \
        if (FM_HAVE_VECTORS && stride == 1) {                                                \
            FM_CONTIG_MOMENTS(SUFFIX);                                                        \
            i = n_groups * FM_LANES;                                                          \
        } else {                                                                              \
            for (; i + FM_LANES <= n; i += FM_LANES)                                          \
                for (j = 0; j < FM_LANES; j++) FM_MOMENT_STEP((double)x[(i + j) * stride], j); \
        }                                                                                     \
        for (; i < n; i++) FM_MOMENT_STEP((double)x[i * stride], 0);                          \
        *s1 = fm_lane_total(s1l);                                                             \
        if (squares) *s2 = fm_lane_total(s2l);                                                \
        *vmin = fm_lane_min(lol);                                                             \
    }                                                                                         \
    static inline void fm_range_##SUFFIX(const T *x, intptr_t stride, intptr_t n, double *lo, \
                                         double *hi, double *z) {                             \
        double lol[FM_LANES], hil[FM_LANES], zl[FM_LANES];                                    \
        intptr_t n_groups = n / FM_LANES, i = 0;                                              \
        int j;                                                                                \
        for (j = 0; j < FM_LANES; j++) {                                                      \
            lol[j] = INFINITY;                                                                \
            hil[j] = -INFINITY;                                                               \
            zl[j] = 0.0;                                                                      \
        }                                                                                     \
        if (FM_HAVE_VECTORS && stride == 1) {                                                \
            FM_CONTIG_RANGE(SUFFIX);                                                          \
            i = n_groups * FM_LANES;                                                          \
        } else {                                                                              \
            for (; i + FM_LANES <= n; i += FM_LANES)                                          \
                for (j = 0; j < FM_LANES; j++) FM_RANGE_STEP((double)x[(i + j) * stride], j); \
        }                                                                                     \
        for (; i < n; i++) FM_RANGE_STEP((double)x[i * stride], 0);                           \
        *lo = fm_lane_min(lol);                                                               \
        for (j = 0; j < FM_LANES; j++) hil[j] = -hil[j];                                      \
        *hi = -fm_lane_min(hil);                                                              \
        *z = fm_lane_total(zl);                                                               \
    }

FM_DEFINE_LANE_SUMS(f64, double)
FM_DEFINE_LANE_SUMS(f32, float)


/* ---- sum(y) and sum(log y), y = x - shift, without a log per value ----
 *
 * gamma's and pareto's fits with a fixed location need only sum(y) and
 * sum(log y); a log per value made that pass 3x slower than a plain sum
 * (np.log alone: 0.9 ms per 1e6 values here). Instead each lane multiplies
 * its values into a running product and moves the product's binary exponent
 * into an integer every FM_RENORM_GROUPS groups, so that
 *
 *     sum(log y) = ln2 * E + sum over lanes of log(P_lane),  P_lane in [1, 2^961)
 *
 * with 16 logs per block instead of 4096. The product is exact but for one
 * rounding per multiplication (relative 2^-53), so the error is about
 * 2^-53 per value in absolute terms: below that of summing rounded logs
 * when |log y| > 1, and up to ~1e-16 per value when y is near 1.
 * ln2 * E is formed in two parts (ln2_hi has 32 trailing zero bits, so
 * ln2_hi * E is exact for |E| < 2^32).
 *
 * The products cannot overflow or underflow while every y lies in
 * [2^-60, 2^60]: 16 such values times a renormalized product (in [1, 2))
 * stay in [2^-960, 2^961]. The loop tracks min(y) and max(y) and reports
 * failure (returns 0) when a value falls outside (zero, negative and
 * infinite values included) or is NaN (seen in sum(y)); the caller then
 * takes logs one by one, which also handles the invalid values. */
#define FM_RENORM_GROUPS 16
#define FM_LOG_Y_MIN 8.673617379884035e-19 /* 2^-60 */
#define FM_LOG_Y_MAX 1.152921504606846976e18 /* 2^60 */
#define FM_LN2_HI 6.93147180369123816490e-01
#define FM_LN2_LO 1.90821492927058770002e-10
#define FM_EXP_MASK 0x7FF0000000000000LL
#define FM_MANT_MASK 0x000FFFFFFFFFFFFFLL
#define FM_ONE_BITS 0x3FF0000000000000LL

/* P = mantissa of P (in [1, 2)) and E += its unbiased exponent, P > 0 normal */
static inline void fm_renorm_lane(double *p, long long *e) {
    long long b;
    memcpy(&b, p, sizeof b);
    *e += ((b & FM_EXP_MASK) >> 52) - 1023;
    b = (b & FM_MANT_MASK) | FM_ONE_BITS;
    memcpy(p, &b, sizeof b);
}

static inline double fm_log_sum_total(double *pl, long long *el) {
    double lp[FM_LANES];
    long long e = 0;
    int j;
    for (j = 0; j < FM_LANES; j++) {
        fm_renorm_lane(&pl[j], &el[j]);
        e += el[j];
        lp[j] = log(pl[j]);
    }
    return FM_LN2_HI * (double)e + (FM_LN2_LO * (double)e + fm_lane_total(lp));
}

#define FM_LOGSUM_STEP(V, J)                     \
    do {                                         \
        double d_ = (V) - shift;                 \
        yl[J] += d_;                             \
        pl[J] *= d_;                             \
        lo = d_ < lo ? d_ : lo;                  \
        hi = d_ > hi ? d_ : hi;                  \
    } while (0)

#if FM_HAVE_VECTORS
/* four named vectors rather than arrays of them: GCC kept an indexed array of
 * vectors on the stack, and its 16-byte stores stalled the 32-byte loads */
#define FM_LOGSUM_LOAD(K, SUFFIX)                                                             \
    fm_load4_##SUFFIX(d##K, x + FM_LANES * g + 4 * K);                                        \
    d##K -= sh;                                                                               \
    y##K += d##K;                                                                             \
    p##K *= d##K
#define FM_DEFINE_LOGSUM_CONTIG(SUFFIX, T)                                                    \
    FM_CLONES static void fm_log_sums_contig_##SUFFIX(const T *x, intptr_t n_groups,         \
                                                      double shift, double *yl, double *pl,   \
                                                      long long *el, double *lohi) {          \
        fm_v4d y0, y1, y2, y3, p0, p1, p2, p3, lo, hi, sh = {shift, shift, shift, shift};     \
        intptr_t g = 0, g_end;                                                                \
        int j;                                                                                \
        lo = (fm_v4d){lohi[0], lohi[0], lohi[0], lohi[0]};                                    \
        hi = (fm_v4d){lohi[1], lohi[1], lohi[1], lohi[1]};                                    \
        memcpy(&y0, yl, sizeof y0);                                                           \
        memcpy(&y1, yl + 4, sizeof y1);                                                       \
        memcpy(&y2, yl + 8, sizeof y2);                                                       \
        memcpy(&y3, yl + 12, sizeof y3);                                                      \
        while (g < n_groups) {                                                                \
            memcpy(&p0, pl, sizeof p0);                                                       \
            memcpy(&p1, pl + 4, sizeof p1);                                                   \
            memcpy(&p2, pl + 8, sizeof p2);                                                   \
            memcpy(&p3, pl + 12, sizeof p3);                                                  \
            g_end = g + FM_RENORM_GROUPS < n_groups ? g + FM_RENORM_GROUPS : n_groups;        \
            for (; g < g_end; g++) {                                                          \
                fm_v4d d0, d1, d2, d3, a, b;                                                  \
                FM_LOGSUM_LOAD(0, SUFFIX);                                                    \
                FM_LOGSUM_LOAD(1, SUFFIX);                                                    \
                FM_LOGSUM_LOAD(2, SUFFIX);                                                    \
                FM_LOGSUM_LOAD(3, SUFFIX);                                                    \
                /* the range: one dependent min and max per group */                          \
                a = d0;                                                                       \
                FM_VMIN(d1, a);                                                               \
                b = d2;                                                                       \
                FM_VMIN(d3, b);                                                               \
                FM_VMIN(a, b);                                                                \
                FM_VMIN(b, lo);                                                               \
                a = d0;                                                                       \
                FM_VMAX(d1, a);                                                               \
                b = d2;                                                                       \
                FM_VMAX(d3, b);                                                               \
                FM_VMAX(a, b);                                                                \
                FM_VMAX(b, hi);                                                               \
            }                                                                                 \
            memcpy(pl, &p0, sizeof p0);                                                       \
            memcpy(pl + 4, &p1, sizeof p1);                                                   \
            memcpy(pl + 8, &p2, sizeof p2);                                                   \
            memcpy(pl + 12, &p3, sizeof p3);                                                  \
            for (j = 0; j < FM_LANES; j++) fm_renorm_lane(&pl[j], &el[j]);                    \
        }                                                                                     \
        memcpy(yl, &y0, sizeof y0);                                                           \
        memcpy(yl + 4, &y1, sizeof y1);                                                       \
        memcpy(yl + 8, &y2, sizeof y2);                                                       \
        memcpy(yl + 12, &y3, sizeof y3);                                                      \
        for (j = 0; j < 4; j++) {                                                             \
            lohi[0] = lo[j] < lohi[0] ? lo[j] : lohi[0];                                      \
            lohi[1] = hi[j] > lohi[1] ? hi[j] : lohi[1];                                      \
        }                                                                                     \
    }
#define FM_CONTIG_LOGSUM(SUFFIX) fm_log_sums_contig_##SUFFIX(x, n_groups, shift, yl, pl, el, lohi)
#else
#define FM_DEFINE_LOGSUM_CONTIG(SUFFIX, T)
#define FM_CONTIG_LOGSUM(SUFFIX) ((void)0)
#endif

/* fm_log_sums_<T>(x, stride, n, shift, &sum_y, &sum_log_y): 1 on success,
 * 0 if some y = x - shift lies outside [2^-60, 2^60] or is NaN (the sums are
 * then not set). */
#define FM_DEFINE_LOG_SUMS(SUFFIX, T)                                                         \
    FM_DEFINE_LOGSUM_CONTIG(SUFFIX, T)                                                        \
    static inline int fm_log_sums_##SUFFIX(const T *x, intptr_t stride, intptr_t n,          \
                                           double shift, double *sum_y, double *sum_log_y) {  \
        double yl[FM_LANES], pl[FM_LANES], lohi[2] = {INFINITY, -INFINITY}, lo, hi;          \
        long long el[FM_LANES];                                                               \
        intptr_t n_groups = n / FM_LANES, i = 0, g = 0;                                       \
        int j;                                                                                \
        for (j = 0; j < FM_LANES; j++) {                                                      \
            yl[j] = 0.0;                                                                      \
            pl[j] = 1.0;                                                                      \
            el[j] = 0;                                                                        \
        }                                                                                     \
        if (FM_HAVE_VECTORS && stride == 1) {                                                 \
            FM_CONTIG_LOGSUM(SUFFIX);                                                         \
            i = n_groups * FM_LANES;                                                          \
        } else {                                                                              \
            lo = lohi[0];                                                                     \
            hi = lohi[1];                                                                     \
            for (; g < n_groups; g++, i += FM_LANES) {                                        \
                for (j = 0; j < FM_LANES; j++) FM_LOGSUM_STEP((double)x[(i + j) * stride], j); \
                if ((g + 1) % FM_RENORM_GROUPS == 0 || g + 1 == n_groups)                     \
                    for (j = 0; j < FM_LANES; j++) fm_renorm_lane(&pl[j], &el[j]);            \
            }                                                                                 \
            lohi[0] = lo;                                                                     \
            lohi[1] = hi;                                                                     \
        }                                                                                     \
        lo = lohi[0];                                                                         \
        hi = lohi[1];                                                                         \
        for (; i < n; i++) FM_LOGSUM_STEP((double)x[i * stride], 0);                          \
        /* lo and hi skip NaN (a renormalized product even launders it): sum_y keeps it */   \
        if (!(lo >= FM_LOG_Y_MIN && hi <= FM_LOG_Y_MAX) || n == 0) return 0;                  \
        *sum_y = fm_lane_total(yl);                                                           \
        *sum_log_y = fm_log_sum_total(pl, el);                                                \
        return isfinite(*sum_log_y) && isfinite(*sum_y);                                      \
    }

FM_DEFINE_LOG_SUMS(f64, double)
FM_DEFINE_LOG_SUMS(f32, float)

#endif
