/* Every family kernel: its density header, then one table entry.
 * To add a family: write src/families/<name>.h (see _family_loop.h for the
 * contract), include it below and add FM_FAMILY + FM_ENTRY lines. */
#ifndef FASTMLE_FAMILIES_H
#define FASTMLE_FAMILIES_H

#include "_family_loop.h"
#include "_special.h"

#include "families/logistic.h"
#include "families/t.h"
#include "families/pareto.h"
#include "families/vonmises.h"
#include "families/genpareto.h"
#include "families/genextreme.h"
#include "families/beta.h"

FM_FAMILY(logistic, LOCSCALE, 0)
FM_FAMILY(t, LOCSCALE, 1)
FM_FAMILY(pareto, LOCSCALE, 1)
FM_FAMILY(vonmises, LOCSCALE, 1)
FM_FAMILY(genpareto, LOCSCALE, 1)
FM_FAMILY(genextreme, LOCSCALE, 1)
FM_FAMILY(beta, LOCSCALE, 2)

static const fm_family FM_FAMILIES[] = {
    FM_ENTRY(logistic, LOCSCALE, 0),
    FM_ENTRY(t, LOCSCALE, 1),
    FM_ENTRY(pareto, LOCSCALE, 1),
    FM_ENTRY(vonmises, LOCSCALE, 1),
    FM_ENTRY(genpareto, LOCSCALE, 1),
    FM_ENTRY(genextreme, LOCSCALE, 1),
    FM_ENTRY(beta, LOCSCALE, 2),
};

static const int FM_N_FAMILIES = (int)(sizeof FM_FAMILIES / sizeof FM_FAMILIES[0]);

#endif
