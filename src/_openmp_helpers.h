/* OpenMP status without requiring omp.h when the build has no OpenMP.
 * The extensions must still compile (serially) on a compiler without OpenMP. */
#ifndef FASTMLE_OPENMP_HELPERS_H
#define FASTMLE_OPENMP_HELPERS_H
#ifdef _OPENMP
#include <omp.h>
static inline int fm_openmp_enabled(void) { return 1; }
static inline int fm_omp_max_threads(void) { return omp_get_max_threads(); }
#else
static inline int fm_openmp_enabled(void) { return 0; }
static inline int fm_omp_max_threads(void) { return 1; }
#endif
#endif
