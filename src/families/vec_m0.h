/* Vectorized block loops for the families whose cost is dominated by one
 * exp (gumbel_r, gumbel_l), one log (cauchy, t) or both (logistic) per
 * observation.
 *
 * The generic FM_FAMILY loop calls libm's scalar exp/log per observation
 * (~4-6 ns each); these blocks stage up to FM_VB values of z in a stack
 * buffer and run numpy's SIMD exp/log loops over it (_vecmath.h, installed
 * by _families.pyx's init_vecmath; libm if numpy's loop is unavailable).
 * The arithmetic per observation, the sums and their order are exactly
 * those of FM_FAMILY (fm_add_locscale, observations in index order), so
 * results do not depend on the thread count.  Same formulas as
 * logistic_obs / gumbel_r_obs / gumbel_l_obs (which stay the reference),
 * and the same *_given_log functions as cauchy_obs / t_obs. */
#ifndef FASTMLE_VEC_M0_H
#define FASTMLE_VEC_M0_H

#include "_vecmath.h"

#define FM_VB 256

/* z = (x - loc) / scale for observations [i0, i0 + n) into zb */
static inline void fm_load_z(const void* x, Py_ssize_t stride, int is_f32, Py_ssize_t i0, int n,
                             double loc, double inv_scale, double* zb) {
    int j;
    if (is_f32) {
        const float* xf = (const float*)x;
        for (j = 0; j < n; ++j) zb[j] = ((double)xf[(i0 + j) * stride] - loc) * inv_scale;
    } else {
        const double* xd = (const double*)x;
        for (j = 0; j < n; ++j) zb[j] = (xd[(i0 + j) * stride] - loc) * inv_scale;
    }
}

static void logistic_vblock(const void* x, Py_ssize_t stride, int is_f32, const double* w,
                            Py_ssize_t start, Py_ssize_t stop, const double* params, double* out) {
    const double loc = params[0], inv_scale = params[1];
    double acc[FM_K_LOCSCALE(0)];
    double zb[FM_VB], eb[FM_VB], lb[FM_VB];
    double g[1], h[1];
    Py_ssize_t i0;
    int j, n;
    memset(acc, 0, sizeof acc);
    for (i0 = start; i0 < stop; i0 += FM_VB) {
        n = (int)(stop - i0 < FM_VB ? stop - i0 : FM_VB);
        fm_load_z(x, stride, is_f32, i0, n, loc, inv_scale, zb);
        for (j = 0; j < n; ++j) eb[j] = -fabs(zb[j]);
        fm_vexp(eb, n);                          /* e = exp(-|z|) in (0, 1] */
        for (j = 0; j < n; ++j) lb[j] = 1.0 + eb[j];
        fm_vlog(lb, n);                          /* log(1 + e), 1.2e-16 absolute */
        for (j = 0; j < n; ++j) {
            const double z = zb[j], e = eb[j];
            const double r = 1.0 / (1.0 + e);
            const double th = (1.0 - e) * r;
            g[0] = -copysign(th, z);
            h[0] = -2.0 * e * r * r;
            fm_add_locscale(acc, 0, w ? w[i0 + j] : 1.0, z, -fabs(z) - 2.0 * lb[j], g, h);
        }
    }
    memcpy(out, acc, sizeof acc);
}

/* sign = +1: gumbel_r (log g = -z - e^{-z}); sign = -1: gumbel_l (z - e^{z}) */
static inline void fm_gumbel_vblock(double sign, const void* x, Py_ssize_t stride, int is_f32,
                                    const double* w, Py_ssize_t start, Py_ssize_t stop,
                                    const double* params, double* out) {
    const double loc = params[0], inv_scale = params[1];
    double acc[FM_K_LOCSCALE(0)];
    double zb[FM_VB], eb[FM_VB];
    double g[1], h[1];
    Py_ssize_t i0;
    int j, n;
    memset(acc, 0, sizeof acc);
    for (i0 = start; i0 < stop; i0 += FM_VB) {
        n = (int)(stop - i0 < FM_VB ? stop - i0 : FM_VB);
        fm_load_z(x, stride, is_f32, i0, n, loc, inv_scale, zb);
        for (j = 0; j < n; ++j) eb[j] = -sign * zb[j];
        fm_vexp(eb, n);                          /* e = exp(-sign z); +inf past 709 */
        for (j = 0; j < n; ++j) {
            const double z = zb[j], e = eb[j];
            g[0] = sign * (e - 1.0);
            h[0] = -e;
            fm_add_locscale(acc, 0, w ? w[i0 + j] : 1.0, z, -sign * z - e, g, h);
        }
    }
    memcpy(out, acc, sizeof acc);
}

static void gumbel_r_vblock(const void* x, Py_ssize_t stride, int is_f32, const double* w,
                            Py_ssize_t start, Py_ssize_t stop, const double* params, double* out) {
    fm_gumbel_vblock(1.0, x, stride, is_f32, w, start, stop, params, out);
}

static void gumbel_l_vblock(const void* x, Py_ssize_t stride, int is_f32, const double* w,
                            Py_ssize_t start, Py_ssize_t stop, const double* params, double* out) {
    fm_gumbel_vblock(-1.0, x, stride, is_f32, w, start, stop, params, out);
}

static void cauchy_vblock(const void* x, Py_ssize_t stride, int is_f32, const double* w,
                          Py_ssize_t start, Py_ssize_t stop, const double* params, double* out) {
    const double loc = params[0], inv_scale = params[1];
    double acc[FM_K_LOCSCALE(0)];
    double zb[FM_VB], lb[FM_VB];
    double g[1], h[1];
    Py_ssize_t i0;
    int j, n;
    memset(acc, 0, sizeof acc);
    for (i0 = start; i0 < stop; i0 += FM_VB) {
        n = (int)(stop - i0 < FM_VB ? stop - i0 : FM_VB);
        fm_load_z(x, stride, is_f32, i0, n, loc, inv_scale, zb);
        for (j = 0; j < n; ++j) lb[j] = 1.0 + zb[j] * zb[j];
        fm_vlog(lb, n);
        for (j = 0; j < n; ++j) {
            const double lg = cauchy_obs_given_log(zb[j], lb[j], g, h);
            fm_add_locscale(acc, 0, w ? w[i0 + j] : 1.0, zb[j], lg, g, h);
        }
    }
    memcpy(out, acc, sizeof acc);
}

/* Student's t (M = 1, P = [nu, 1/nu]): the log through numpy's SIMD loop
 * for nu < FM_T_LOG1P_NU, scalar log1p (t_obs) beyond. */
static void t_vblock(const void* x, Py_ssize_t stride, int is_f32, const double* w,
                     Py_ssize_t start, Py_ssize_t stop, const double* params, double* out) {
    const double loc = params[0], inv_scale = params[1];
    const double* P = params + 2;
    double acc[FM_K_LOCSCALE(1)];
    double zb[FM_VB], lb[FM_VB];
    double g[2], h[3];
    Py_ssize_t i0;
    int j, n;
    const int vec = P[0] < FM_T_LOG1P_NU;
    memset(acc, 0, sizeof acc);
    for (i0 = start; i0 < stop; i0 += FM_VB) {
        n = (int)(stop - i0 < FM_VB ? stop - i0 : FM_VB);
        fm_load_z(x, stride, is_f32, i0, n, loc, inv_scale, zb);
        if (vec) {
            for (j = 0; j < n; ++j) lb[j] = 1.0 + zb[j] * zb[j] * P[1];
            fm_vlog(lb, n);
        }
        for (j = 0; j < n; ++j) {
            const double lg = vec ? t_obs_given_log(zb[j], lb[j], P, g, h) : t_obs(zb[j], P, g, h);
            fm_add_locscale(acc, 1, w ? w[i0 + j] : 1.0, zb[j], lg, g, h);
        }
    }
    memcpy(out, acc, sizeof acc);
}

#define FM_VENTRY(NAME, M) {#NAME, NAME##_vblock, M, FM_LOCSCALE, FM_K_LOCSCALE(M)}

#endif
