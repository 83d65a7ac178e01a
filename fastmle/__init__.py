"""fastmle: fast maximum likelihood estimation.

Drop-in replacements for ``scipy.stats.<dist>.fit`` (same arguments, same
tuple) and ``fastmle.fit`` for a rich result with standard errors,
confidence intervals and diagnostics. The hot loops are Cython kernels with
OpenMP that return log-likelihood, gradient and Hessian in one pass.
``fastmle.patch_scipy()`` (or ``with fastmle.scipy_patched():``) makes existing
``scipy.stats`` fit calls use fastmle without editing them.

Data larger than memory: memory maps are read chunk by chunk,
``fastmle.chunks(...)`` reads files, callables or Parquet pass by pass, and
dask arrays are fitted where their chunks live (a ``dask.distributed``
cluster included). Threads: ``n_threads=`` on every fit,
``fastmle.set_num_threads``, ``with fastmle.num_threads(n):``,
``OMP_NUM_THREADS`` and ``threadpoolctl``; results are bitwise the same for
any thread count.
"""
__version__ = "0.1.0"

import os as _os

# OpenMP threads that busy-wait between parallel regions steal the core from
# the main thread (and from other processes) on a shared machine; measured
# here with one core busy, the default (active) policy made a 2-thread kernel
# pass 3x slower than 1 thread, the passive one never slower. OpenMP reads this
# once, when its runtime loads with our first kernel module, so it is set (if
# the user has not) before that import.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from ._api import fit, get_distribution
from ._censored import Censored
from ._config import get_config, get_num_threads, num_threads, set_num_threads, show_config
from ._data import FitDataError
from ._optimize import ConvergenceWarning
from ._patch import is_scipy_patched, patch_scipy, scipy_patched, unpatch_scipy
from ._results import FitResult
from ._select import SelectResult, select
from .distributions import REGISTRY
from .regression import (GaussianLM, LogisticRegression, Logit, NegativeBinomial, PerfectSeparationWarning,
                         Poisson, PoissonRegressor, RegressionResults)
from ._sources import chunks
from . import priors

# OpenMP's team size as the runtime set it at load: a later change (by
# threadpoolctl) then limits fastmle's default thread count (see _config)
from ._config import _omp_limit as _read_omp_limit

_read_omp_limit()
del _read_omp_limit

# every distribution under its scipy name: fastmle.gamma, fastmle.t, ...
globals().update(REGISTRY)

__all__ = [
    "Censored",
    "fit", "get_distribution", "FitResult", "select", "SelectResult", "FitDataError", "ConvergenceWarning",
    "show_config", "get_config", "REGISTRY", "chunks", "priors",
    "set_num_threads", "get_num_threads", "num_threads",
    "patch_scipy", "unpatch_scipy", "scipy_patched", "is_scipy_patched",
    "Logit", "Poisson", "NegativeBinomial", "GaussianLM", "RegressionResults", "PerfectSeparationWarning",
    "LogisticRegression", "PoissonRegressor",
] + sorted(REGISTRY)
