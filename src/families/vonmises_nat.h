/* von Mises censoring on the circle: the natural-parameter term of one
 * observation (see _natural_loop.h), written out for this family because a
 * censoring interval of angles is an arc.  Included after _natural_loop.h.
 *
 * vonmises_lcdf reads the circle cut at loc +- pi.  Bounds are first moved
 * by whole turns (in z = (x - loc) / scale) into that window, so angles given
 * in any range (scipy's rvs wraps to [-pi, pi] whatever loc is) mean the
 * same; an interval keeps its width: its lower end a is wrapped and
 * b = a + width.  Inside the window the arc has F(b) - F(a); an arc across
 * the cut (b > pi) has S(a) + F(b - 2 pi); one of 2 pi or more is the whole
 * circle and tells nothing.  This equals scipy's F(b) - F(a) with its
 * unwrapped cdf (F(z + 2 pi) = F(z) + 1) for every interval.  One-sided
 * censoring means X <= b (X > a) within the window about loc.  The turns
 * added are constant, so the chain rule to (loc, scale) uses the unwrapped z.
 * Exact angles use the periodic density as they are. */
#ifndef FASTMLE_VONMISES_NAT_H
#define FASTMLE_VONMISES_NAT_H

#define FM_VM_TWO_PI 6.283185307179586

/* z moved by whole turns into [-pi, pi) */
static inline double vonmises_wrap(double z) {
    return z - FM_VM_TWO_PI * floor((z + M_PI) / FM_VM_TWO_PI);
}

/* a term from log F or log S at the wrapped z of bound v */
static inline void vonmises_nat_at(fm_term* t, double zw, int upper, double v, const double* P,
                                   double loc, double is) {
    double g[2], h[3];
    const double lv = vonmises_lcdf(zw, P, upper, g, h);
    fm_nat_from_z(t, 1, (v - loc) * is, is, lv, g, h);
}

static inline int vonmises_nat_term(fm_term* t, double lo, double hi, double loc, double is,
                                    const double* c, const double* P) {
    fm_term A, B;
    if (lo == hi) {
        double g[2], h[3];
        const double z = (lo - loc) * is;
        fm_nat_from_z(t, 1, z, is, vonmises_obs(z, P, g, h), g, h);
        fm_nat_exact_extra(t, 1, 1, is, c);
        return 0;
    }
    if (isinf(lo) && isinf(hi)) return 1;
    if (isinf(lo)) {
        vonmises_nat_at(t, vonmises_wrap((hi - loc) * is), 0, hi, P, loc, is);
        return 0;
    }
    if (isinf(hi)) {
        vonmises_nat_at(t, vonmises_wrap((lo - loc) * is), 1, lo, P, loc, is);
        return 0;
    }
    {
        const double width = (hi - lo) * is;
        const double a = vonmises_wrap((lo - loc) * is), b = a + width;
        if (!(width < FM_VM_TWO_PI)) return 1;          /* the whole circle */
        if (b <= M_PI) {
            /* inside the window: the difference on the smaller side */
            vonmises_nat_at(&A, b, 0, hi, P, loc, is);
            if (A.ll <= -0.6931471805599453) {
                vonmises_nat_at(&B, a, 0, lo, P, loc, is);
            } else {
                vonmises_nat_at(&A, a, 1, lo, P, loc, is);
                vonmises_nat_at(&B, b, 1, hi, P, loc, is);
            }
            if (A.ll == -INFINITY) {
                t->ll = -INFINITY;
                return 0;
            }
            fm_nat_difference(t, &A, &B, 3);
        } else {
            /* across the cut at loc + pi: the two pieces */
            vonmises_nat_at(&A, a, 1, lo, P, loc, is);
            vonmises_nat_at(&B, b - FM_VM_TWO_PI, 0, hi, P, loc, is);
            if (A.ll == -INFINITY && B.ll == -INFINITY) {
                t->ll = -INFINITY;
                return 0;
            }
            fm_nat_sum(t, &A, &B, 3);
        }
        return 0;
    }
}

#endif
