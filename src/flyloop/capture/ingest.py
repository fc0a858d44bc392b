"""The one door every captured event comes through.

The HTTP API, the SDK's local transport and any later path (OpenTelemetry spans, the OpenAI
wrapper) all call :meth:`Capture.ingest`, so whatever must happen to every event happens once,
here, for all of them. Its steps, in order and by name:

1. :meth:`Capture.parse` validates a raw body against the limits in force;
2. :func:`flyloop.privacy.gate.privacy_gate` applies the project's privacy policy (erased users'
   events dropped, consent recorded, minimization, content removal, redaction, pseudonyms) and
   says what it did in a :class:`~flyloop.privacy.gate.GateReport`. No other step sees the batch
   before it;
3. ``Store.ingest`` stores the gated batch, all or nothing, with its outbox row (what labels have
   to catch up on: :mod:`flyloop.labels.catchup`), and the flags of outputs that break their
   workload's declaration (:func:`flyloop.capture.workloads.flags_for`: a choice workload's output
   outside its label set is stored, flagged and counted, never dropped);
4. :func:`flyloop.privacy.gate.record_gate` writes what the gate did (audit rows, drop counters)
   once the store committed, from the report the gate returned.

An erasure that commits between steps 2 and 3 (its tombstones unseen by the gate) makes step 3 store
nothing and the batch go through the gate again: ``Store.ingest`` checks for tombstones written since the
gate's read, under a lock the erasure holds alone.

Labels are not computed here: ingest speed does not depend on labelling.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from flyloop import errors
from flyloop.events import IngestBatch, IngestResult, parse_batch
from flyloop.privacy import GateReport, privacy_gate, record_gate, tombstone_digests
from flyloop.settings import Settings
from flyloop.store import ErasedMeanwhile, Store

from .workloads import flags_for

# How often a batch is gated again when erasures keep committing between its gate and its write.
ERASURE_RETRIES = 5


class Capture:
    """Validates, gates and stores batches for any transport."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()

    @property
    def limits(self) -> dict[str, float]:
        return {
            "max_text_chars": self.settings.max_text_chars,
            "max_payload_bytes": self.settings.max_payload_bytes,
            "max_clock_skew_s": self.settings.max_clock_skew_s,
        }

    def parse(self, body: bytes | str | dict[str, Any]) -> IngestBatch:
        return parse_batch(body, self.limits)

    def gate(self, project_id: str, batch: IngestBatch) -> tuple[IngestBatch, GateReport]:
        return privacy_gate(self.store, project_id, batch)

    def record(self, project_id: str, batch: IngestBatch, report: GateReport, result: IngestResult) -> None:
        record_gate(self.store, project_id, batch, report, result)

    def ingest(self, project_id: str, batch: IngestBatch | bytes | str | dict[str, Any]) -> IngestResult:
        """Validate (if raw), gate and store one batch, all or nothing; see the module docstring."""
        if not isinstance(batch, IngestBatch):
            batch = self.parse(batch)
        for _ in range(ERASURE_RETRIES):
            # the gate reads tombstones; an erasure that commits before the write makes it gate again
            # (a margin for clocks: erasures are rare, a retry costs one more gate)
            since = time.time() - 5.0
            gated, report = self.gate(project_id, batch)
            # Judged on the output as it will be stored: the gate is the first to see a batch.
            flags = flags_for(self.store, project_id, gated)
            digests = partial(tombstone_digests, self.store, project_id, batch, gated)
            try:
                result = self.store.ingest(project_id, gated, flags, erased_since=since, digests=digests)
            except ErasedMeanwhile:
                continue
            self.record(project_id, gated, report, result)
            return result
        raise errors.Unavailable("users of this project are being erased; send the batch again")
