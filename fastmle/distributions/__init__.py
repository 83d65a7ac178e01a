"""fastmle's distributions: each module holds one distribution's Python face.

The formulas live in ``src/_<name>.pyx``; the classes here parse scipy's fit
arguments, choose start values and closed forms, and hand the optimizer a
log-likelihood with analytic gradient and Hessian.
"""
from ._base import Distribution
from .expon import Expon, expon
from .gamma import Gamma, gamma
from .lognorm import Lognorm, lognorm
from .norm import Norm, norm
from .poisson import Poisson, poisson
from .weibull_min import WeibullMin, weibull_min

#: Every distribution fastmle fits, by scipy name.
REGISTRY = {d.name: d for d in (norm, expon, gamma, lognorm, weibull_min, poisson)}

__all__ = ["Distribution", "REGISTRY", "norm", "expon", "gamma", "lognorm", "weibull_min", "poisson",
           "Norm", "Expon", "Gamma", "Lognorm", "WeibullMin", "Poisson"]
