/* Every family kernel: its density header, then one table entry.
 * To add a family: write src/families/<name>.h (see _family_loop.h for the
 * contract), include it below and add FM_FAMILY + FM_ENTRY lines. */
#ifndef FASTMLE_FAMILIES_H
#define FASTMLE_FAMILIES_H

#include "_family_loop.h"
#include "_special.h"
#include "_special_cdf.h"
#include "_natural_loop.h"     /* lcdf contract and helpers, before the families */

#include "families/logistic.h"
#include "families/t.h"
/* whole-real-line group (helper "realline") */
#include "families/cauchy.h"
#include "families/laplace.h"
#include "families/gumbel.h"
#include "families/skewnorm.h"
#include "families/vec_m0.h"

/* positive group: supports bounded on one side at loc */
#include "families/rayleigh.h"
#include "families/halfnorm.h"
#include "families/invgauss.h"
#include "families/fisk.h"
#include "families/lomax.h"
#include "families/weibull_max.h"

/* discrete (helper "discrete") */
#include "families/betabinom.h"
#include "families/binom.h"
#include "families/geom.h"
#include "families/nbinom.h"
#include "families/zipoisson.h"

/* bounded group (helper "bounded") */
#include "families/pareto.h"
#include "families/vonmises.h"
#include "families/genpareto.h"
#include "families/genextreme.h"
#include "families/beta.h"

/* limit charts (fastmle/distributions/_charts.py) */
#include "families/charts.h"

FM_FAMILY(laplace, LOCSCALE, 0)
FM_FAMILY(skewnorm, LOCSCALE, 1)
FM_FAMILY(rayleigh, LOCSCALE, 0)
FM_FAMILY(halfnorm, LOCSCALE, 0)
FM_FAMILY(invgauss, LOCSCALE, 1)
FM_FAMILY(fisk, LOCSCALE, 1)
FM_FAMILY(lomax, LOCSCALE, 1)
FM_FAMILY(weibull_max, LOCSCALE, 1)
FM_FAMILY(betabinom, SHAPE, 2)
FM_FAMILY(binom, SHAPE, 1)
FM_FAMILY(geom, SHAPE, 1)
FM_FAMILY(nbinom, SHAPE, 2)
FM_FAMILY(zipoisson, SHAPE, 2)
FM_FAMILY(pareto, LOCSCALE, 1)
FM_FAMILY(vonmises, LOCSCALE, 1)
FM_FAMILY(genpareto, LOCSCALE, 1)
FM_FAMILY(genextreme, LOCSCALE, 1)
FM_FAMILY(beta, LOCSCALE, 2)
FM_FAMILY(chart_lognorm, LOCSCALE, 1)
FM_FAMILY(chart_fisk, LOCSCALE, 1)
FM_FAMILY(chart_weibull_min, LOCSCALE, 1)
FM_FAMILY(chart_gamma, LOCSCALE, 1)
FM_FAMILY(chart_invgauss, LOCSCALE, 1)
FM_FAMILY(chart_t, LOCSCALE, 1)
FM_FAMILY(chart_skewnorm, LOCSCALE, 1)
FM_FAMILY(chart_beta, LOCSCALE, 2)

static const fm_family FM_FAMILIES[] = {
    /* whole-real-line group; FM_VENTRY: SIMD exp/log blocks (families/vec_m0.h) */
    FM_VENTRY(logistic, 0),
    FM_VENTRY(t, 1),
    FM_VENTRY(cauchy, 0),
    FM_ENTRY(laplace, LOCSCALE, 0),
    FM_VENTRY(gumbel_r, 0),
    FM_VENTRY(gumbel_l, 0),
    FM_ENTRY(skewnorm, LOCSCALE, 1),
    FM_ENTRY(rayleigh, LOCSCALE, 0),
    FM_ENTRY(halfnorm, LOCSCALE, 0),
    FM_ENTRY(invgauss, LOCSCALE, 1),
    FM_ENTRY(fisk, LOCSCALE, 1),
    FM_ENTRY(lomax, LOCSCALE, 1),
    FM_ENTRY(weibull_max, LOCSCALE, 1),
    FM_ENTRY(betabinom, SHAPE, 2),
    FM_ENTRY(binom, SHAPE, 1),
    FM_ENTRY(geom, SHAPE, 1),
    FM_ENTRY(nbinom, SHAPE, 2),
    FM_ENTRY(zipoisson, SHAPE, 2),
    FM_ENTRY(pareto, LOCSCALE, 1),
    FM_ENTRY(vonmises, LOCSCALE, 1),
    FM_ENTRY(genpareto, LOCSCALE, 1),
    FM_ENTRY(genextreme, LOCSCALE, 1),
    FM_ENTRY(beta, LOCSCALE, 2),
    FM_ENTRY(chart_lognorm, LOCSCALE, 1),
    FM_ENTRY(chart_fisk, LOCSCALE, 1),
    FM_ENTRY(chart_weibull_min, LOCSCALE, 1),
    FM_ENTRY(chart_gamma, LOCSCALE, 1),
    FM_ENTRY(chart_invgauss, LOCSCALE, 1),
    FM_ENTRY(chart_t, LOCSCALE, 1),
    FM_ENTRY(chart_skewnorm, LOCSCALE, 1),
    FM_ENTRY(chart_beta, LOCSCALE, 2),
};

static const int FM_N_FAMILIES = (int)(sizeof FM_FAMILIES / sizeof FM_FAMILIES[0]);

/* Natural-parameter loops (censored data, robust covariance, cdf values) of
 * every family with a cdf, NAME_lcdf (see _natural_loop.h).  To add one:
 * write NAME_lcdf next to NAME_obs, then one FM_NATURAL and one
 * FM_NAT_ENTRY line. */
#include "families/basic.h"

FM_NATURAL(logistic, LOCSCALE, 0)
FM_NATURAL(gumbel_r, LOCSCALE, 0)
FM_NATURAL(gumbel_l, LOCSCALE, 0)
FM_NATURAL(expon, LOCSCALE, 0)
FM_NATURAL(weibull_min, LOCSCALE, 1)
/* closed-form cdfs (helper "lcdf_elem") */
FM_NATURAL(cauchy, LOCSCALE, 0)
FM_NATURAL(laplace, LOCSCALE, 0)
FM_NATURAL(pareto, LOCSCALE, 1)
FM_NATURAL(lomax, LOCSCALE, 1)
FM_NATURAL(fisk, LOCSCALE, 1)
FM_NATURAL(genextreme, LOCSCALE, 1)
FM_NATURAL(genpareto, LOCSCALE, 1)
FM_NATURAL(rayleigh, LOCSCALE, 0)
FM_NATURAL(weibull_max, LOCSCALE, 1)
FM_NATURAL(geom, SHAPE, 1)
FM_NATURAL(uniform, LOCSCALE, 0)
/* cdfs on incomplete gamma/beta and von Mises functions (helper "lcdf_gb") */
FM_NATURAL(gamma, LOCSCALE, 1)
FM_NATURAL(t, LOCSCALE, 1)
FM_NATURAL(beta, LOCSCALE, 2)
#include "families/vonmises_nat.h"
FM_NATURAL_OWN_TERM(vonmises, LOCSCALE, 1)
FM_NATURAL(binom, SHAPE, 1)
FM_NATURAL(nbinom, SHAPE, 2)
FM_NATURAL(betabinom, SHAPE, 2)
/* normal-based and Poisson cdfs (helper "lcdf_norm") */
FM_NATURAL(norm, LOCSCALE, 0)
FM_NATURAL(lognorm, LOCSCALE, 1)
FM_NATURAL(halfnorm, LOCSCALE, 0)
FM_NATURAL(invgauss, LOCSCALE, 1)
FM_NATURAL(skewnorm, LOCSCALE, 1)
FM_NATURAL(poisson, SHAPE, 1)
FM_NATURAL(zipoisson, SHAPE, 2)

static const fm_nat_family FM_NAT_FAMILIES[] = {
    FM_NAT_ENTRY(logistic, LOCSCALE, 0),
    FM_NAT_ENTRY(gumbel_r, LOCSCALE, 0),
    FM_NAT_ENTRY(gumbel_l, LOCSCALE, 0),
    FM_NAT_ENTRY(expon, LOCSCALE, 0),
    FM_NAT_ENTRY(weibull_min, LOCSCALE, 1),
    /* closed-form cdfs (helper "lcdf_elem") */
    FM_NAT_ENTRY(cauchy, LOCSCALE, 0),
    FM_NAT_ENTRY(laplace, LOCSCALE, 0),
    FM_NAT_ENTRY(pareto, LOCSCALE, 1),
    FM_NAT_ENTRY(lomax, LOCSCALE, 1),
    FM_NAT_ENTRY(fisk, LOCSCALE, 1),
    FM_NAT_ENTRY(genextreme, LOCSCALE, 1),
    FM_NAT_ENTRY(genpareto, LOCSCALE, 1),
    FM_NAT_ENTRY(rayleigh, LOCSCALE, 0),
    FM_NAT_ENTRY(weibull_max, LOCSCALE, 1),
    FM_NAT_ENTRY(geom, SHAPE, 1),
    FM_NAT_ENTRY(uniform, LOCSCALE, 0),
    /* cdfs on incomplete gamma/beta and von Mises functions (helper "lcdf_gb") */
    FM_NAT_ENTRY(gamma, LOCSCALE, 1),
    FM_NAT_ENTRY(t, LOCSCALE, 1),
    FM_NAT_ENTRY(beta, LOCSCALE, 2),
    FM_NAT_ENTRY(vonmises, LOCSCALE, 1),
    FM_NAT_ENTRY(binom, SHAPE, 1),
    FM_NAT_ENTRY(nbinom, SHAPE, 2),
    FM_NAT_ENTRY(betabinom, SHAPE, 2),
    FM_NAT_ENTRY(norm, LOCSCALE, 0),
    FM_NAT_ENTRY(lognorm, LOCSCALE, 1),
    FM_NAT_ENTRY(halfnorm, LOCSCALE, 0),
    FM_NAT_ENTRY(invgauss, LOCSCALE, 1),
    FM_NAT_ENTRY(skewnorm, LOCSCALE, 1),
    FM_NAT_ENTRY(poisson, SHAPE, 1),
    FM_NAT_ENTRY(zipoisson, SHAPE, 2),
};

static const int FM_N_NAT_FAMILIES = (int)(sizeof FM_NAT_FAMILIES / sizeof FM_NAT_FAMILIES[0]);

#endif
