"""The one door every captured event comes through.

The HTTP API, the SDK's local transport and any later path (OpenTelemetry spans, the OpenAI
wrapper) all call :meth:`Capture.ingest`, so whatever must happen to every event (validation,
the privacy gate, incremental label updates) happens once, here, for all of them.

Stages are plain callables registered in order. A *gate* sees the validated batch before it is
stored and returns the batch to store (redacted, minimized, or with events refused); a *listener*
sees what was stored after the transaction commits (to update labels incrementally, say).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flyloop.events.wire import IngestBatch, IngestResult, parse_batch
from flyloop.settings import Settings
from flyloop.store.engine import Store


class Gate(Protocol):
    def __call__(self, store: Store, project_id: str, batch: IngestBatch) -> IngestBatch: ...


Listener = Callable[[Store, str, IngestBatch, IngestResult], None]


class Capture:
    """Validates, gates and stores batches for any transport."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.gates: list[Gate] = []
        self.listeners: list[Listener] = []
        for install in _INSTALLERS:
            install(self)

    @property
    def limits(self) -> dict[str, float]:
        return {
            "max_text_chars": self.settings.max_text_chars,
            "max_payload_bytes": self.settings.max_payload_bytes,
            "max_clock_skew_s": self.settings.max_clock_skew_s,
        }

    def parse(self, body: bytes | str | dict[str, Any]) -> IngestBatch:
        return parse_batch(body, self.limits)

    def ingest(self, project_id: str, batch: IngestBatch | bytes | str | dict[str, Any]) -> IngestResult:
        """Validate (if raw), gate and store one batch, all or nothing."""
        if not isinstance(batch, IngestBatch):
            batch = self.parse(batch)
        for gate in self.gates:
            batch = gate(self.store, project_id, batch)
        result = self.store.ingest(project_id, batch)
        for listener in self.listeners:
            listener(self.store, project_id, batch, result)
        return result


_INSTALLERS: list[Callable[[Capture], None]] = []


def stage(install: Callable[[Capture], None]) -> Callable[[Capture], None]:
    """Register a function that adds gates or listeners to every new :class:`Capture`.

    Modules that own a stage (privacy, labels) register themselves at import; flyloop's package
    ``__init__`` imports them, so no path can forget one."""
    _INSTALLERS.append(install)
    return install
