"""fastmle's distributions: each module holds one distribution's Python face.

The formulas live in ``src/_<name>.pyx`` (hand-written kernels) or
``src/families/<name>.h`` (densities run by the generic family kernel); the
classes here parse scipy's fit arguments, choose start values and closed
forms, and hand the optimizer a log-likelihood with analytic gradient and
Hessian. Every public module here defines one distribution instance named
after the module (``gamma.py`` -> ``gamma``); the registry collects them.
"""
import importlib as _importlib
import pkgutil as _pkgutil

from ._base import Distribution


def _collect():
    found = {}
    for info in sorted(_pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = _importlib.import_module(f"{__name__}.{info.name}")
        dist = getattr(module, info.name)
        if not isinstance(dist, Distribution):
            raise TypeError(f"fastmle.distributions.{info.name} must define a Distribution "
                            f"instance named {info.name!r}")
        found[dist.name] = dist
    return found


#: Every distribution fastmle fits, by scipy name.
REGISTRY = _collect()
globals().update(REGISTRY)

__all__ = ["Distribution", "REGISTRY"] + sorted(REGISTRY)
