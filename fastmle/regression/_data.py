"""Input handling for the regression models: arrays or pandas objects in, checked arrays out.

pandas is not a dependency: a DataFrame/Series is recognized by its
attributes (``columns``/``name`` and ``to_numpy``) and pandas is only used
through ``sys.modules`` when the input already came from it.
"""
import sys

import numpy as np

__all__ = ["Design", "as_design", "as_vector", "as_dask_vector", "is_pandas"]


def is_pandas(obj):
    """Whether ``obj`` looks like a pandas DataFrame or Series (duck-typed)."""
    return hasattr(obj, "to_numpy") and (hasattr(obj, "columns") or hasattr(obj, "name")) \
        and type(obj).__module__.split(".")[0] == "pandas"


def pandas_module():
    """The pandas module if it is already imported (inputs came from it), else None."""
    return sys.modules.get("pandas")


class Design:
    """The design matrix as the kernel reads it, with its column names and row index."""

    def __init__(self, X, names, index, pandas, const=None):
        # const: the columns that are 1 on a sample of rows, verified in full
        # later (during the first kernel pass, which loads every row anyway)
        self.const = const if const is not None else candidate_constant_columns(X)
        self.X = X
        self.names = names
        self.index = index
        self.pandas = pandas

    @property
    def shape(self):
        return self.X.shape


def as_design(exog, name="exog"):
    """A 2-D float32/float64 array (no copy when it already is one) and column names.

    Integer and boolean inputs are converted to float64; anything else that
    is not numeric raises TypeError. Finiteness is checked later, inside the
    first kernel pass (an extra pass over a large X would cost as much as a
    Newton iteration): see ``check_finite``.
    """
    from .._sources import is_dask_array

    if is_dask_array(exog):
        return _dask_design(exog, name)
    pandas = is_pandas(exog)
    index = None
    if pandas:
        if hasattr(exog, "columns"):
            names = [str(c) for c in exog.columns]
            index = exog.index
            X = exog.to_numpy()
        else:
            names = [str(exog.name) if exog.name is not None else "x1"]
            index = exog.index
            X = exog.to_numpy()[:, None]
    else:
        X = np.asarray(exog)
        names = None
    X = _as_2d_float(X, name)
    if not X.dtype.isnative:
        X = X.astype(X.dtype.newbyteorder("="))
    const_list = candidate_constant_columns(X)
    if names is None:
        names = default_names(X.shape[1], const_list)
    return Design(X, names, index, pandas, const_list)


def _as_2d_float(X, name):
    """``X`` as 2-D float32/float64 (numpy or dask): a 1-D design becomes one
    column, other numeric types float64; anything else a clear error."""
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D, got shape {X.shape}")
    if X.dtype not in (np.float32, np.float64):
        if X.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be numeric, got dtype {X.dtype}")
        X = X.astype(np.float64)
    return X


def _dask_design(exog, name):
    """A dask design stays where it is: rows chunked as given, columns in one chunk.

    The constant-column candidates come from a computed sample of ~1000 rows.
    """
    X = exog
    X = _as_2d_float(X, name)
    if any(not np.isfinite(c) for c in X.chunks[0]):
        X = X.compute_chunk_sizes()
    if len(X.chunks[1]) != 1:
        X = X.rechunk({1: -1})
    n = X.shape[0]
    const = []
    if n:
        sample = np.asarray(X[:: max(1, n // 1000)].compute())
        last = np.asarray(X[n - 1].compute())
        const = [j for j in range(X.shape[1]) if bool(np.all(sample[:, j] == 1.0)) and last[j] == 1.0]
    return Design(X, default_names(X.shape[1], const), None, False, const)


def as_dask_vector(v, rows, n, name, allow_none=True):
    """A 1-D float64 dask vector chunked like the design's rows (or None)."""
    import dask.array as da

    from .._sources import is_dask_array

    if v is None:
        if allow_none:
            return None
        raise ValueError(f"{name} is required")
    if is_pandas(v):
        v = v.to_numpy()
    if not is_dask_array(v):
        v = np.asarray(v)
        if v.ndim == 2 and v.shape[1] == 1:
            v = v[:, 0]
        if v.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {v.shape}")
        if v.shape[0] != n:
            raise ValueError(f"{name} has {v.shape[0]} rows, exog has {n}")
        v = da.from_array(v, chunks=(rows,))
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {v.shape}")
    if v.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {v.dtype}")
    if any(not np.isfinite(c) for c in v.chunks[0]):
        v = v.compute_chunk_sizes()
    if v.shape[0] != n:
        raise ValueError(f"{name} has {v.shape[0]} rows, exog has {n}")
    v = v.astype(np.float64)
    return v if v.chunks[0] == tuple(rows) else v.rechunk((rows,))


def default_names(p, const):
    """statsmodels' names for array columns: "const" for the column of ones, x1, x2, ... for the rest."""
    const = set(const)
    names, k = [], 0
    for j in range(p):
        if j in const:
            names.append("const")
        else:
            k += 1
            names.append(f"x{k}")
    return names


def candidate_constant_columns(X):
    """Columns that are 1.0 on a sample of ~1000 rows (and in the first and last row).

    A column of ones is always a candidate; a candidate is verified in full
    by ``verify_constant_columns`` or, for free, by the first kernel pass
    (reading the column alone is a strided pass over all of X: ~9 ms at
    N = 1e6, p = 20, a third of a Newton iteration).
    """
    if X.shape[0] == 0:
        return []
    from .._sources import strided_copy

    # (a memory map is sampled a slice at a time, its pages released)
    sample = strided_copy(X, max(1, X.shape[0] // 1000))
    return [j for j in range(X.shape[1])
            if bool(np.all(sample[:, j] == 1.0)) and X[-1, j] == 1.0]


def verify_constant_columns(X, cand):
    """The candidates that are 1.0 in every row."""
    return [j for j in cand if bool(np.all(X[:, j] == 1.0))]


def as_vector(v, n, name, allow_none=True, check=True):
    """A contiguous float64 vector of length ``n`` with finite values (or None).

    ``check=False`` leaves the finiteness check to the caller (the response
    is checked by the kernels' validation scan together with its other rules).
    """
    if v is None:
        if allow_none:
            return None
        raise ValueError(f"{name} is required")
    if is_pandas(v):
        v = v.to_numpy()
    a = np.asarray(v)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {a.dtype}")
    a = np.ascontiguousarray(a, dtype=np.float64)
    if a.shape[0] != n:
        raise ValueError(f"{name} has {a.shape[0]} rows, exog has {n}")
    if check and not np.isfinite(a).all():
        raise_nonfinite(a, name)
    return a


def raise_nonfinite(a, name):
    bad = ~np.isfinite(a)
    raise ValueError(f"{name} contains NaN or inf ({int(bad.sum())} values, first at row "
                     f"{int(np.flatnonzero(bad)[0])})")


def check_finite(X, names):
    """Raise ValueError naming the columns of X that hold NaN or inf."""
    bad = []
    for j in range(X.shape[1]):
        col = X[:, j]
        if not np.isfinite(col).all():
            bad.append(names[j])
    if bad:
        raise ValueError(f"exog contains NaN or inf in column(s): {', '.join(bad)}")
