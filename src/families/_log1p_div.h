/* L(c, z) = log1p(c z) / c and its c-derivatives, smooth through c = 0
 * (where L = z): shared by genpareto and genextreme, whose densities are
 * built on it. For |c z| < 0.05 the power series
 *     L = sum_k (-1)^k c^k z^(k+1) / (k+1)
 * (terms to k = 14: 0.05^15 < 1e-19) replaces the closed forms, which
 * cancel near c = 0 (dL/dc ~ -z^2/2 from two O(z) terms, d2L/dc2 ~ 2 z^3/3
 * from O(z^2) terms); at |c z| = 0.05 the closed forms lose at most a
 * factor 1/|c z| = 20 in relative accuracy (about 4e-15).
 * The coefficients are tabulated: the Horner loops then cost no division.
 * Requires 1 + c z > 0. */
#ifndef FASTMLE_LOG1P_DIV_H
#define FASTMLE_LOG1P_DIV_H

#include <math.h>

#define FM_L1P_K 14
/* (-1)^k / (k+1), k = 0..K */
static const double fm_l1p_c0[FM_L1P_K + 1] = {1.0, -0.5, 0.3333333333333333, -0.25, 0.2, -0.16666666666666666, 0.14285714285714285, -0.125, 0.1111111111111111, -0.1, 0.09090909090909091, -0.08333333333333333, 0.07692307692307693, -0.07142857142857142, 0.06666666666666667};
/* (-1)^k k / (k+1), k = 1..K (coefficient of u^(k-1) in dL/dc / z^2) */
static const double fm_l1p_c1[FM_L1P_K] = {-0.5, 0.6666666666666666, -0.75, 0.8, -0.8333333333333334, 0.8571428571428571, -0.875, 0.8888888888888888, -0.9, 0.9090909090909091, -0.9166666666666666, 0.9230769230769231, -0.9285714285714286, 0.9333333333333333};
/* (-1)^k k (k-1) / (k+1), k = 2..K (coefficient of u^(k-2) in d2L/dc2 / z^3) */
static const double fm_l1p_c2[FM_L1P_K - 1] = {0.6666666666666666, -1.5, 2.4, -3.3333333333333335, 4.285714285714286, -5.25, 6.222222222222222, -7.2, 8.181818181818182, -9.166666666666666, 10.153846153846153, -11.142857142857142, 12.133333333333333};

static inline void fm_log1p_div(double c, double z, double* L, double* Lc, double* Lcc) {
    const double u = c * z;
    if (fabs(u) < 0.05) {
        double s0 = fm_l1p_c0[FM_L1P_K], s1 = fm_l1p_c1[FM_L1P_K - 1], s2 = fm_l1p_c2[FM_L1P_K - 2];
        int k;
        for (k = FM_L1P_K - 1; k >= 0; --k) s0 = s0 * u + fm_l1p_c0[k];
        for (k = FM_L1P_K - 2; k >= 0; --k) s1 = s1 * u + fm_l1p_c1[k];
        for (k = FM_L1P_K - 3; k >= 0; --k) s2 = s2 * u + fm_l1p_c2[k];
        *L = z * s0;
        *Lc = z * z * s1;
        *Lcc = z * z * z * s2;
    } else {
        const double lp = log1p(u);
        const double r = u / (1.0 + u);
        const double N = r - lp;                       /* c^2 dL/dc */
        const double ic = 1.0 / c;
        *L = lp * ic;
        *Lc = N * ic * ic;
        *Lcc = (-r * r - 2.0 * N) * ic * ic * ic;
    }
}

#endif
