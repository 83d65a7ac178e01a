/* Vectorized log and exp over contiguous buffers, for the kernels' blocks.
 *
 * numpy ships SIMD implementations of log and exp selected at run time for
 * the CPU (AVX512F / AVX2 / baseline); one pass of np.log over 1e6 doubles
 * took 0.9 ms on this machine where a scalar libm loop took 3.1 ms. A kernel
 * block copies its values into a small contiguous buffer and calls numpy's
 * own inner loop on it (found once per module at import, see
 * _common.pxd:init_vecmath). The loops are plain C and need no GIL. If no
 * suitable loop was found (or it failed its self-check) the libm loop below
 * is used instead.
 *
 * Each extension module has its own copy of these statics (static linkage),
 * so each module initializes them when it is imported.
 */
#ifndef FASTMLE_VECMATH_H
#define FASTMLE_VECMATH_H
#include <math.h>
#include <stdint.h>

typedef void (*fm_loop_fn)(char **args, intptr_t const *dims, intptr_t const *steps, void *data);

static fm_loop_fn fm_log_loop = 0;
static void *fm_log_data = 0;
static fm_loop_fn fm_exp_loop = 0;
static void *fm_exp_data = 0;

static inline void fm_set_log_loop(fm_loop_fn fn, void *data) { fm_log_loop = fn; fm_log_data = data; }
static inline void fm_set_exp_loop(fm_loop_fn fn, void *data) { fm_exp_loop = fn; fm_exp_data = data; }
static inline int fm_have_simd_log(void) { return fm_log_loop != 0; }
static inline int fm_have_simd_exp(void) { return fm_exp_loop != 0; }

/* x[i] = log(x[i]) for i < n, in place (numpy's loops allow in == out). */
static inline void fm_vlog(double *x, intptr_t n) {
    if (fm_log_loop) {
        char *args[2] = {(char *)x, (char *)x};
        intptr_t steps[2] = {sizeof(double), sizeof(double)};
        fm_log_loop(args, &n, steps, fm_log_data);
    } else {
        for (intptr_t i = 0; i < n; i++) x[i] = log(x[i]);
    }
}

/* out[i] = log(in[i]) for i < n (saves the copy an in-place call needs). */
static inline void fm_vlog_to(const double *in, double *out, intptr_t n) {
    if (fm_log_loop) {
        char *args[2] = {(char *)in, (char *)out};
        intptr_t steps[2] = {sizeof(double), sizeof(double)};
        fm_log_loop(args, &n, steps, fm_log_data);
    } else {
        for (intptr_t i = 0; i < n; i++) out[i] = log(in[i]);
    }
}

/* x[i] = exp(x[i]) for i < n, in place. */
static inline void fm_vexp(double *x, intptr_t n) {
    if (fm_exp_loop) {
        char *args[2] = {(char *)x, (char *)x};
        intptr_t steps[2] = {sizeof(double), sizeof(double)};
        fm_exp_loop(args, &n, steps, fm_exp_data);
    } else {
        for (intptr_t i = 0; i < n; i++) x[i] = exp(x[i]);
    }
}
#endif
