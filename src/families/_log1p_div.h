/* L(c, z) = log1p(c z) / c and its c-derivatives, smooth through c = 0
 * (where L = z): shared by genpareto and genextreme, whose densities are
 * built on it. For |c z| < 0.1 the power series
 *     L = sum_k (-1)^k c^k z^(k+1) / (k+1)
 * (26 terms: 0.1^26 is far below an ulp) replaces the closed forms, which
 * cancel catastrophically near c = 0 (dL/dc ~ -z^2/2 from two O(z) terms,
 * d2L/dc2 ~ 2 z^3/3 from O(1) terms). Requires 1 + c z > 0. */
#ifndef FASTMLE_LOG1P_DIV_H
#define FASTMLE_LOG1P_DIV_H

#include <math.h>

static inline void fm_log1p_div(double c, double z, double* L, double* Lc, double* Lcc) {
    const double u = c * z;
    if (fabs(u) < 0.1) {
        /* Horner in u from the highest term down */
        double s0 = 0.0, s1 = 0.0, s2 = 0.0;
        int k;
        for (k = 26; k >= 0; --k) {
            const double sg = (k & 1) ? -1.0 : 1.0;
            s0 = s0 * u + sg / (k + 1);
            if (k >= 1) s1 = s1 * u + sg * k / (k + 1);
            if (k >= 2) s2 = s2 * u + sg * k * (k - 1) / (k + 1);
        }
        /* L = z s0(u); Lc = z^2 s1(u) (series starts at k = 1, power c^(k-1));
         * Lcc = z^3 s2(u) (starts at k = 2, power c^(k-2)) */
        *L = z * s0;
        *Lc = z * z * s1;
        *Lcc = z * z * z * s2;
    } else {
        const double lp = log1p(u);
        const double r = u / (1.0 + u);
        const double N = r - lp;                       /* c^2 dL/dc */
        *L = lp / c;
        *Lc = N / (c * c);
        *Lcc = (-r * r - 2.0 * N) / (c * c * c);
    }
}

#endif
