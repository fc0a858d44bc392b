"""Optional dependencies, imported where a feature needs them and named when they are missing.

The core install captures, labels and curates with nothing heavy; Parquet, language detection
and output-schema checks come with the ``exports`` extra. A feature that needs one imports it
through :func:`require`, so a core-only install answers with one line naming the install command
instead of a ``ModuleNotFoundError`` from deep inside a build.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from flyloop import errors


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``; a :class:`~flyloop.errors.ConfigError` naming
    ``pip install 'flyloop[extra]'`` when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise errors.ConfigError(
            f"{feature} needs the {extra} extra ({exc.name or module} is not installed): pip install 'flyloop[{extra}]'"
        ) from None
