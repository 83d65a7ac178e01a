/* Pieces shared by the normal-based cdfs of invgauss and skewnorm
 * (families/invgauss.h, families/skewnorm.h): quadrature rules for their
 * scaled tail integrals and the Mills ratio.  Needs _special_cdf.h. */
#ifndef FASTMLE_NORMAL_TAIL_H
#define FASTMLE_NORMAL_TAIL_H

#include <math.h>

#define FM_NT_PI 3.14159265358979323846
#define FM_NT_LOG_PI 1.14472988584940017414
#define FM_NT_LN2 0.69314718055994530942
#define FM_NT_RSQRT2 0.70710678118654752440
#define FM_NT_SQRT2 1.41421356237309504880
#define FM_NT_SQRT_PI 1.77245385090551602730
#define FM_NT_SQRT_2_OVER_PI 0.79788456080286535588
#define FM_NT_LOG_SQRT_2PI 0.91893853320467274178

/* 24-point Gauss-Laguerre rule, int_0^inf e^-u f(u) du ~ sum w_i f(u_i):
 * nodes (roots of L_24) and weights computed with mpmath at 50 digits.
 * It integrates the smooth, slowly varying factors left after a tail's
 * exponential is taken out; the callers' ranges were checked against
 * mpmath quadrature (tests/test_lcdf_norm.py). */
#define FM_LAG24_N 24
static const double FM_LAG24_X[FM_LAG24_N] = {
    0.059019852181507977, 0.31123914619848373, 0.76609690554593665,
    1.4255975908036131, 2.2925620586321903, 3.3707742642089977,
    4.6650837034671708, 6.1815351187367654, 7.9275392471721522,
    9.912098015077706, 12.146102711729766, 14.642732289596674,
    17.417992646508979, 20.491460082616425, 23.887329848169733,
    27.635937174332717, 31.776041352374723, 36.358405801651622,
    41.451720484870767, 47.153106445156323, 53.60857454469507,
    61.058531447218762, 69.96224003510503, 81.498279233948885,
};
static const double FM_LAG24_W[FM_LAG24_N] = {
    0.14281197333478185, 0.2587741075174239, 0.2588067072728698,
    0.18332268897777802, 0.098166272629918892, 0.040732478151408646,
    0.013226019405120157, 0.0033693490584783036, 0.00067216256409354789,
    0.00010446121465927518, 1.2544721977993333e-5, 1.1513158127372799e-6,
    7.9608129591336303e-8, 4.0728589875499997e-9, 1.5070082262925849e-10,
    3.9177365150584514e-12, 6.8941810529580857e-14, 7.8198003824594485e-16,
    5.3501888130100376e-18, 2.0105174645555035e-20, 3.605765864552959e-23,
    2.4518188458784027e-26, 4.0883015936806578e-30, 5.5753457883283568e-35,
};

/* 8-point Gauss-Legendre rule on [-1, 1]: positive nodes and their weights
 * (the rule is symmetric). */
static const double FM_LEG8_X[4] = {0.18343464249564980, 0.52553240991632899, 0.79666647741362674,
                                     0.96028985649753623};
static const double FM_LEG8_W[4] = {0.36268378337836198, 0.31370664587788729, 0.22238103445337447,
                                     0.10122853629037626};

/* Mills ratio m(x) = Phi(x) / phi(x) to a few ulp (finite for x below ~37). */
static inline double fm_mills(double x) { return 1.0 / fm_ndtr_ratio(x); }

#endif
