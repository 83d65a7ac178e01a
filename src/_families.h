/* Every family kernel: its density header, then one table entry.
 * To add a family: write src/families/<name>.h (see _family_loop.h for the
 * contract), include it below and add FM_FAMILY + FM_ENTRY lines. */
#ifndef FASTMLE_FAMILIES_H
#define FASTMLE_FAMILIES_H

#include "_family_loop.h"
#include "_special.h"

#include "families/logistic.h"
#include "families/t.h"
#include "families/cauchy.h"
#include "families/laplace.h"
#include "families/gumbel.h"
#include "families/skewnorm.h"
#include "families/vec_m0.h"

FM_FAMILY(laplace, LOCSCALE, 0)
FM_FAMILY(skewnorm, LOCSCALE, 1)

static const fm_family FM_FAMILIES[] = {
    /* SIMD exp/log blocks (families/vec_m0.h) */
    FM_VENTRY(logistic, 0),
    FM_VENTRY(t, 1),
    FM_VENTRY(cauchy, 0),
    FM_ENTRY(laplace, LOCSCALE, 0),
    FM_VENTRY(gumbel_r, 0),
    FM_VENTRY(gumbel_l, 0),
    FM_ENTRY(skewnorm, LOCSCALE, 1),
};

static const int FM_N_FAMILIES = (int)(sizeof FM_FAMILIES / sizeof FM_FAMILIES[0]);

#endif
