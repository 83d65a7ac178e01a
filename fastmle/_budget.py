"""A work budget shared by the fits run inside a ``with`` block.

``fastmle.select`` fits every candidate distribution, and a candidate that
is a poor model of the data often has no regular maximum: its likelihood
keeps rising towards a limit (a shape going to infinity, a location running
off to minus infinity) and Newton crawls along that ridge for hundreds of
passes over the data. A :class:`WorkBudget` bounds that work: every kernel
pass (``Data.reduce`` / ``Data.map``) charges the rows it reads, so a pass
over a warm-start subsample costs what it really costs, a small fraction of a
pass over all the data. Once the budget is spent the optimizer stops as it
does at its iteration limit: the fit ends where it got to, flagged as not
converged. The budget counts rows, not seconds, so a budgeted fit gives the
same answer on a busy machine and an idle one.
"""
import contextvars

__all__ = ["WorkBudget", "charge_pass", "spent"]

_active = contextvars.ContextVar("fastmle_work_budget", default=None)


class WorkBudget:
    """Rows that kernel passes may read inside ``with WorkBudget(rows):``.

    Parameters
    ----------
    rows : float
        Rows the passes may read in total (``k * n`` for ``k`` passes over
        ``n`` observations); ``inf`` counts without limiting.

    Attributes
    ----------
    used : float
        Rows read so far.
    cut : bool
        Whether a computation stopped early because the budget was spent (a
        fit that finished exactly on its last row was not cut).
    """

    def __init__(self, rows):
        rows = float(rows)
        if not rows > 0:
            raise ValueError(f"a work budget must be positive, got {rows}")
        self.rows = rows
        self.used = 0.0
        self.cut = False
        self._tokens = []

    @property
    def exhausted(self):
        """Whether the passes have read all the rows allowed."""
        return self.used >= self.rows

    def __enter__(self):
        self._tokens.append(_active.set(self))
        return self

    def __exit__(self, *exc):
        _active.reset(self._tokens.pop())
        return False


def charge_pass(data):
    """Charge the active budget (if any) for one pass over ``data``."""
    budget = _active.get()
    if budget is not None:
        budget.used += data.n_rows


def spent():
    """Whether a budget is active and spent: the caller then stops early,
    and the budget records that it cut a computation short."""
    budget = _active.get()
    if budget is None or budget.used < budget.rows:
        return False
    budget.cut = True
    return True
