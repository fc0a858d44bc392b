"""The ``flyloop`` command. Each command body is one library call of the same name; the
modules here mirror the library's: ``core`` (serve, demo, status, config, keys), ``labels``,
``privacy``, ``datasets``, ``registry`` (workloads, policies), ``improve`` (banks, loops),
``artifacts`` (what the training loops made) and ``retrieval`` (retrieval feedback, reward flags).
Errors print as one line with exit status 2."""

from . import (  # noqa: F401  (importing registers their commands)
    artifacts,
    datasets,
    evaluate,
    experiments,
    improve,
    labels,
    monitor,
    privacy,
    registry,
    report,
    retrieval,
    versions,
)
from .core import app, main

__all__ = ["app", "main"]
