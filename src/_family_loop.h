/* The one loop behind every "family" kernel (src/families/<name>.h).
 *
 * A family supplies only its per-observation log density and derivatives as
 * a static inline C function; FM_FAMILY() wraps it in the block loop that the
 * OpenMP driver (_common.pxd: sum_chunk) runs, once for float32 and once for
 * float64 input, accumulating weighted sums in double.  The loop is inlined
 * around the density, so a family costs what its own arithmetic costs.
 *
 * Location-scale families (kind FM_LOCSCALE, M shape parameters theta):
 *     double NAME_obs(double z, const double* P, double* g, double* h)
 * gets the standardized z = (x - loc) / scale and the parameter block P
 * (see the family's Python class: usually the shapes, then constants), and
 * returns log g(z; theta), the log density of z (the -log(scale) term is
 * added in Python), or -INFINITY outside the support.  It writes
 *     g[0..M-1] = d/dtheta_a,  g[M] = d/dz,
 *     h[0..T-1] = d2/dtheta_a dtheta_b, packed row-major upper (T = M(M+1)/2),
 *     h[T + a]  = d2/dtheta_a dz,       h[T + M] = d2/dz2.
 * Terms that do not depend on z (normalizing constants, lgamma of shapes)
 * belong in Python, multiplied by sum(w): per observation they are waste.
 *
 * The block sums (K = 7 + 3M + T values), from which Python assembles the
 * log-likelihood, gradient and Hessian in (theta, loc, scale) by the chain
 * rule (fastmle/distributions/_family.py):
 *     [sum w, sum w lg, sum w g_theta (M), sum w g_z, sum w g_z z,
 *      sum w h_theta_theta (T), sum w h_theta_z (M), sum w h_theta_z z (M),
 *      sum w h_zz, sum w h_zz z, sum w h_zz z^2]
 *
 * Discrete / shape-only families (kind FM_SHAPE):
 *     double NAME_obs(double k, const double* P, double* g, double* h)
 * gets k = x - loc and returns the log pmf (or density) with g[0..M-1] and
 * h[0..T-1] as above; the block sums (K = 2 + M + T) are
 *     [sum w, sum w lg, sum w g (M), sum w h (T)].
 */
#ifndef FASTMLE_FAMILY_LOOP_H
#define FASTMLE_FAMILY_LOOP_H

#include <math.h>
#include <string.h>

#define FM_LOCSCALE 1
#define FM_SHAPE 0

#define FM_TRI(M) ((M) * ((M) + 1) / 2)
#define FM_K_LOCSCALE(M) (7 + 3 * (M) + FM_TRI(M))
#define FM_K_SHAPE(M) (2 + (M) + FM_TRI(M))

typedef void (*fm_block_fn)(const void* x, Py_ssize_t stride, int is_f32, const double* w,
                            Py_ssize_t start, Py_ssize_t stop, const double* params, double* out);

typedef struct {
    const char* name;
    fm_block_fn block;
    int n_shapes;
    int kind;
    int n_sums;
} fm_family;

static inline void fm_add_locscale(double* acc, const int M, const double wi, const double z,
                                   const double lg, const double* g, const double* h) {
    const int T = FM_TRI(M);
    int a, o;
    double gz, hz;
    acc[0] += wi;
    acc[1] += wi * lg;
    for (a = 0; a < M; ++a) acc[2 + a] += wi * g[a];
    gz = wi * g[M];
    acc[2 + M] += gz;
    acc[3 + M] += gz * z;
    o = 4 + M;
    for (a = 0; a < T; ++a) acc[o + a] += wi * h[a];
    o += T;
    for (a = 0; a < M; ++a) {
        hz = wi * h[T + a];
        acc[o + a] += hz;
        acc[o + M + a] += hz * z;
    }
    o += 2 * M;
    hz = wi * h[T + M];
    acc[o] += hz;
    acc[o + 1] += hz * z;
    acc[o + 2] += hz * z * z;
}

static inline void fm_add_shape(double* acc, const int M, const double wi, const double lg,
                                const double* g, const double* h) {
    int a;
    acc[0] += wi;
    acc[1] += wi * lg;
    for (a = 0; a < M; ++a) acc[2 + a] += wi * g[a];
    for (a = 0; a < FM_TRI(M); ++a) acc[2 + M + a] += wi * h[a];
}

#define FM_LOOP_LOCSCALE(NAME, M, T)                                                            \
    static void NAME##_loop_##T(const T* x, Py_ssize_t stride, const double* w, Py_ssize_t start, \
                                Py_ssize_t stop, const double* params, double* out) {          \
        const double loc = params[0], inv_scale = params[1];                                   \
        const double* P = params + 2;                                                          \
        double acc[FM_K_LOCSCALE(M)];                                                          \
        double g[(M) + 1], h[FM_TRI(M) + (M) + 1];                                             \
        Py_ssize_t i;                                                                          \
        memset(acc, 0, sizeof acc);                                                            \
        for (i = start; i < stop; ++i) {                                                       \
            const double z = ((double)x[i * stride] - loc) * inv_scale;                        \
            const double lg = NAME##_obs(z, P, g, h);                                          \
            fm_add_locscale(acc, M, w ? w[i] : 1.0, z, lg, g, h);                              \
        }                                                                                      \
        memcpy(out, acc, sizeof acc);                                                          \
    }

#define FM_LOOP_SHAPE(NAME, M, T)                                                               \
    static void NAME##_loop_##T(const T* x, Py_ssize_t stride, const double* w, Py_ssize_t start, \
                                Py_ssize_t stop, const double* params, double* out) {          \
        const double loc = params[0];                                                          \
        const double* P = params + 1;                                                          \
        double acc[FM_K_SHAPE(M)];                                                             \
        double g[(M) + 1], h[FM_TRI(M) + 1];                                                   \
        Py_ssize_t i;                                                                          \
        memset(acc, 0, sizeof acc);                                                            \
        for (i = start; i < stop; ++i) {                                                       \
            const double lg = NAME##_obs((double)x[i * stride] - loc, P, g, h);                \
            fm_add_shape(acc, M, w ? w[i] : 1.0, lg, g, h);                                    \
        }                                                                                      \
        memcpy(out, acc, sizeof acc);                                                          \
    }

/* FM_FAMILY(NAME, KIND, M): the float and double loops and NAME_block. */
#define FM_FAMILY(NAME, KIND, M)                                                                \
    FM_LOOP_##KIND(NAME, M, float)                                                             \
    FM_LOOP_##KIND(NAME, M, double)                                                            \
    static void NAME##_block(const void* x, Py_ssize_t stride, int is_f32, const double* w,     \
                             Py_ssize_t start, Py_ssize_t stop, const double* params,          \
                             double* out) {                                                    \
        if (is_f32)                                                                            \
            NAME##_loop_float((const float*)x, stride, w, start, stop, params, out);           \
        else                                                                                   \
            NAME##_loop_double((const double*)x, stride, w, start, stop, params, out);         \
    }

#define FM_ENTRY(NAME, KIND, M) {#NAME, NAME##_block, M, FM_##KIND, FM_K_##KIND(M)}

#endif
