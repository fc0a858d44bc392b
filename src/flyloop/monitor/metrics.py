"""Moved to :mod:`flyloop.monitor.series` (a module named ``metrics`` clashes with the face's
``metrics`` function); this re-export goes once ``report*.py`` import from ``.series``."""

from .series import GROUPS, LAGGING, RATES, derive, metrics, totals

__all__ = ["GROUPS", "LAGGING", "RATES", "derive", "metrics", "totals"]
