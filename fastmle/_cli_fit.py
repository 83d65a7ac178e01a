"""``fastmle fit FILE``: read one column of a data file, fit, print the summary.

Files: CSV (``.csv``, ``.tsv``, or any text whose first line holds a comma;
a header is detected when its first line is not all numbers), whitespace-
separated text, ``.npy`` (memory-mapped) and Parquet (``.parquet``/``.pq``,
with pyarrow). Text is parsed by numpy: no pandas needed.
"""
import json
import math
import os
import sys
import warnings

import numpy as np

__all__ = ["FitInputError", "add_arguments", "main_fit", "read_column"]

_PARQUET_SUFFIXES = (".parquet", ".pq")
_SNIFF_LINES = 100
_SHAPE_FLAGS = ("f0", "f1", "f2")


class FitInputError(ValueError):
    """A file, column or option that ``fastmle fit`` cannot use (one line on stderr, exit 1)."""


# -- reading ----------------------------------------------------------------------
def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _choose(names, width, numeric, column, path):
    """Index of the requested column (by name, else by 0-based index); by
    default the only column, or the only numeric one."""
    if column is None:
        if width == 1:
            return 0
        if len(numeric) == 1:
            return numeric[0]
        if not numeric:
            raise FitInputError(f"{path}: no numeric column found")
        shown = ", ".join(repr(names[i]) if names else str(i) for i in numeric)
        raise FitInputError(f"{path} has {len(numeric)} numeric columns ({shown}): choose one with --column")
    if names and column in names:
        return names.index(column)
    try:
        index = int(column)
    except ValueError:
        index = None
    if index is not None and 0 <= index < width:
        return index
    if names:
        where = (f"it has {width} columns (0 to {width - 1}): {', '.join(map(repr, names))}"
                 if index is not None else f"its columns are {', '.join(map(repr, names))}")
    else:
        where = f"it has {width} columns without a header (0 to {width - 1})"
    raise FitInputError(f"{path}: no column {column!r}; {where}")


def _text_layout(path, delimiter):
    """From the first lines: (names or None, lines before the data for loadtxt's skiprows,
    fields per line, numeric column indices, the split lines)."""
    head = []
    first_line = 0      # physical line of the first data (or header) line, for loadtxt's skiprows
    with open(path, "r", encoding="utf-8-sig", errors="strict") as fh:
        for number, line in enumerate(fh):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if not head:
                first_line = number
            head.append(stripped)
            if len(head) > _SNIFF_LINES:
                break
    if not head:
        raise FitInputError(f"{path} holds no data")

    def fields(line):
        parts = line.split(delimiter) if delimiter else line.split()
        return [p.strip().strip('"').strip("'") for p in parts]

    first = fields(head[0])
    names = None
    if not all(_is_number(f) for f in first):
        names = first
        head = head[1:]
        if not head:
            raise FitInputError(f"{path} holds a header ({', '.join(first)}) but no data rows")
    rows = [fields(line) for line in head]
    width = len(names) if names else len(rows[0])
    numeric = [j for j in range(width)
               if all(j < len(r) and _is_number(r[j]) for r in rows)]
    return names, first_line + 1 if names else 0, width, numeric, rows


def _first_bad_line(path, delimiter, index, header):
    """Line number and text of the first data line whose field ``index`` is not a number."""
    skip = 1 if header else 0
    seen = 0
    with open(path, "r", encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            seen += 1
            if seen <= skip:
                continue
            parts = stripped.split(delimiter) if delimiter else stripped.split()
            if index >= len(parts):
                return number, f"has {len(parts)} fields, no column {index}"
            value = parts[index].strip().strip('"').strip("'")
            if not _is_number(value):
                return number, f"{value!r} is not a number"
    return None, None


def _read_text(path, column):
    with open(path, "rb") as fh:
        sample = fh.read(1 << 16)
    if b"\0" in sample:
        raise FitInputError(f"{path} is not a text file (and not .npy or Parquet by its name)")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        # a cut multi-byte character at the end of the sample is fine; anything else is not text
        try:
            sample[:-4].decode("utf-8")
        except UnicodeDecodeError:
            raise FitInputError(f"{path} is not a UTF-8 text file") from None
    lower = path.lower()
    if lower.endswith(".tsv"):
        delimiter = "\t"
    elif lower.endswith(".csv"):
        delimiter = ","
    else:
        first = next((ln for ln in sample.decode("utf-8", "ignore").splitlines()
                      if ln.strip() and not ln.strip().startswith("#")), "")
        delimiter = "," if "," in first else None
    names, skip, width, numeric, rows = _text_layout(path, delimiter)
    ragged = len({len(r) for r in rows}) > 1
    if delimiter is None and names is None and column is None and (ragged or len(rows) == 1):
        # numbers separated by any whitespace, not a table: one sample
        try:
            values = np.loadtxt(path, comments="#", ndmin=1, dtype=np.float64).ravel()
        except ValueError:
            values = _flat_numbers(path)
        return values, None
    index = _choose(names, width, numeric, column, path)
    label = names[index] if names else index
    try:
        values = np.loadtxt(path, delimiter=delimiter, skiprows=skip, usecols=[index], comments="#",
                            quotechar='"' if delimiter else None, ndmin=1, dtype=np.float64,
                            encoding="utf-8-sig")
    except ValueError:
        line, what = _first_bad_line(path, delimiter, index, names is not None)
        if line is None:
            raise
        raise FitInputError(f"{path}, line {line}: column {label!r}: {what}") from None
    return values, label


def _flat_numbers(path):
    values = []
    with open(path, "r", encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, 1):
            text = line.split("#", 1)[0]
            for token in text.split():
                try:
                    values.append(float(token))
                except ValueError:
                    raise FitInputError(f"{path}, line {number}: {token!r} is not a number") from None
    return np.array(values, dtype=np.float64)


def _read_npy(path, column):
    try:
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise FitInputError(f"{path} is not a readable .npy file: {exc}") from None
    if arr.dtype.names:
        names = list(arr.dtype.names)
        numeric = [i for i, n in enumerate(names) if arr.dtype[n].kind in "iuf"]
        index = _choose(names, len(names), numeric, column, path)
        values = arr[names[index]]
        label = names[index]
    elif arr.ndim == 2:
        numeric = list(range(arr.shape[1])) if arr.dtype.kind in "iufb" else []
        index = _choose(None, arr.shape[1], numeric, column, path)
        values, label = arr[:, index], index
    else:
        if column is not None and arr.ndim <= 1:
            raise FitInputError(f"{path} holds a single 1-D array; it has no column {column!r}")
        values, label = arr.reshape(-1), None
    if values.dtype.kind not in "iufb":
        raise FitInputError(f"{path}: the data have dtype {values.dtype}, not numbers")
    return values, label


def _read_parquet(path, column):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise FitInputError("reading Parquet needs pyarrow: pip install 'fastmle[parquet]'") from None
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise FitInputError(f"{path} is not a readable Parquet file: {exc}") from None
    names = list(schema.names)
    numeric = [i for i, f in enumerate(schema) if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]
    index = _choose(names, len(names), numeric, column, path)
    if index not in numeric:
        raise FitInputError(f"{path}: column {names[index]!r} has type {schema.field(index).type}, not numbers")
    col = pq.read_table(path, columns=[names[index]]).column(0)
    if col.null_count:
        raise FitInputError(f"{path}: column {names[index]!r} has {col.null_count} missing values")
    return col.to_numpy(), names[index]


def read_column(path, column=None):
    """One numeric column of a data file as a 1-D array.

    Parameters
    ----------
    path : str
        CSV/TSV, whitespace-separated text, ``.npy`` or Parquet file.
    column : str, optional
        Column name (header, structured ``.npy`` field or Parquet column)
        or 0-based index. Default: the only numeric column; several numeric
        columns are an error asking for this.

    Returns
    -------
    (ndarray, label)
        The values and the column's name or index (None for a file that
        is one sample).

    Raises
    ------
    FitInputError
        Unreadable or empty file, missing column, a value that is not a
        number (with its line).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FitInputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise FitInputError(f"{path} is a directory, not a data file")
    lower = path.lower()
    if lower.endswith(".npy"):
        values, label = _read_npy(path, column)
    elif lower.endswith(_PARQUET_SUFFIXES):
        values, label = _read_parquet(path, column)
    else:
        values, label = _read_text(path, column)
    if values.size == 0:
        raise FitInputError(f"{path} holds no data" + (f" in column {label!r}" if label is not None else ""))
    return values, label


# -- the command --------------------------------------------------------------------
def add_arguments(parser):
    """Add ``fastmle fit``'s arguments to an argparse parser."""
    parser.add_argument("file", metavar="FILE",
                        help="CSV/TSV, whitespace-separated text, .npy or Parquet (.parquet, .pq) file")
    parser.add_argument("--column", metavar="NAME",
                        help="column name or 0-based index (default: the only numeric column)")
    parser.add_argument("--dist", default="auto", metavar="NAME|auto",
                        help="distribution to fit (scipy name, e.g. gamma), or auto (default) to fit "
                             "every candidate and print them ranked (fastmle.select)")
    parser.add_argument("--floc", type=float, metavar="V", help="hold loc fixed at V")
    parser.add_argument("--fscale", type=float, metavar="V", help="hold scale fixed at V")
    for i, flag in enumerate(_SHAPE_FLAGS):
        parser.add_argument(f"--{flag}", type=float, metavar="V",
                            help=f"hold shape parameter {i} fixed at V (e.g. binom's n with --f0)")
    parser.add_argument("--candidates", metavar="NAME,...",
                        help="with --dist auto: only these distributions (default: all of the data's kind)")
    parser.add_argument("--criterion", choices=("aic", "bic"), default="aic",
                        help="with --dist auto: rank by AIC (default) or BIC")
    parser.add_argument("--plot", metavar="OUT.png",
                        help="save the fitted pdf (pmf) over the data's histogram (with auto: the best three)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    return parser


def _finite_or_none(v):
    v = float(v)
    return v if math.isfinite(v) else None


def fit_to_dict(result):
    """A FitResult as JSON-ready values (NaN and infinities as None)."""
    names = result.param_names
    bse = result.bse
    ci = result.conf_int()
    return {
        "dist": result.dist.name,
        "params": {n: _finite_or_none(v) for n, v in zip(names, result.params)},
        "fixed": {n: float(v) for n, v in result.fixed.items()},
        "bse": {n: _finite_or_none(v) for n, v in zip(names, bse)},
        "conf_int": {n: [_finite_or_none(lo), _finite_or_none(hi)] for n, (lo, hi) in zip(names, ci)},
        "llf": _finite_or_none(result.llf),
        "aic": _finite_or_none(result.aic),
        "bic": _finite_or_none(result.bic),
        "nobs": result.nobs,
        "converged": result.converged,
        "message": result.message,
    }


def _save_plot(draw, path):
    """Draw on a new Agg figure (no display, no pyplot state) and save it to ``path``."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    draw(ax)
    fig.tight_layout()
    fig.savefig(path)


def main_fit(args, out=None, err=None):
    """Run ``fastmle fit`` with parsed arguments; return the exit status.

    Raises
    ------
    FitInputError
        Bad file, column or options (the CLI prints it as one line).
    """
    from ._api import fit, get_distribution
    from ._select import select

    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    auto = args.dist.lower() == "auto"
    shape_fixes = {flag: getattr(args, flag) for flag in _SHAPE_FLAGS if getattr(args, flag) is not None}
    if auto and shape_fixes:
        raise FitInputError(f"--{', --'.join(shape_fixes)} fix(es) a shape, which means something "
                            f"different for each candidate: name the distribution with --dist")
    if not auto and (args.candidates or args.criterion != "aic"):
        raise FitInputError("--candidates and --criterion go with --dist auto")
    if not auto:
        try:
            dist = get_distribution(args.dist)
        except ValueError as exc:
            raise FitInputError(str(exc)) from None
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise FitInputError("--plot needs matplotlib: pip install 'fastmle[plot]'") from None
    values, _ = read_column(args.file, args.column)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if auto:
            candidates = "all" if not args.candidates else [c.strip() for c in args.candidates.split(",") if c.strip()]
            try:
                res = select(values, candidates, args.criterion, floc=args.floc, fscale=args.fscale)
            except ValueError as exc:
                raise FitInputError(str(exc)) from None
            text = res.to_json(indent=2) if args.json else res.summary()

            def draw(ax):
                res.plot(top=3, ax=ax)
        else:
            kwds = dict(shape_fixes)
            if args.floc is not None:
                kwds["floc"] = args.floc
            if args.fscale is not None:
                if dist.discrete:
                    raise FitInputError(f"--fscale: {dist.name} is discrete and has no scale")
                kwds["fscale"] = args.fscale
            try:
                res = fit(dist, values, **kwds)
            except (ValueError, TypeError) as exc:
                raise FitInputError(f"{dist.name}: {exc}") from None
            text = json.dumps(fit_to_dict(res), indent=2, allow_nan=False) if args.json else res.summary()

            def draw(ax):
                res.plot(ax=ax)
        if args.plot:
            _save_plot(draw, args.plot)
    print(text, file=out)
    for w in caught:
        print(f"fastmle fit: warning: {w.category.__name__}: {w.message}", file=err)
    return 0
