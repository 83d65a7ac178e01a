"""fastmle: fast maximum likelihood estimation.

Drop-in replacements for ``scipy.stats.<dist>.fit`` (same arguments, same
tuple) and ``fastmle.fit`` for a rich result with standard errors,
confidence intervals and diagnostics. The hot loops are Cython kernels with
OpenMP that return log-likelihood, gradient and Hessian in one pass.
"""
__version__ = "0.1.0"

from ._api import fit, get_distribution
from ._config import get_config, show_config
from ._data import FitDataError
from ._optimize import ConvergenceWarning
from ._results import FitResult
from .distributions import REGISTRY, expon, gamma, lognorm, norm, poisson, weibull_min

__all__ = [
    "fit", "get_distribution", "FitResult", "FitDataError", "ConvergenceWarning",
    "show_config", "get_config", "REGISTRY",
    "norm", "expon", "gamma", "lognorm", "weibull_min", "poisson",
]
