"""Label weights: how much each kind of signal counts toward a verdict.

Defaults follow the seeds' ranking: corrections and outcomes strongest (3), escalation strong
(2), a choice between drafts 1.5, thumbs and ratings cheap (1), implicit behaviour weak (0.2 to
0.8). A project overrides any of them (:func:`configure`), and the incremental
path and a full recompute then read the same ones.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from flyloop import errors
from flyloop.events import EDIT_CLASSES, KINDS, EditThresholds
from flyloop.store import Store, schema

DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "edit": 3.0,
    "outcome": 3.0,
    "escalate": 2.0,
    "choice": 1.5,
    "thumbs_up": 1.0,
    "thumbs_down": 1.0,
    "rating": 1.0,
    "reject": 0.8,
    "regenerate": 0.8,
    "requery": 0.8,
    "accept": 0.6,
    "comment": 0.5,
    "copy": 0.4,
    "abandon": 0.3,
    "follow_up": 0.2,
    "dwell": 0.0,
}
# A kind registered later without a weight of its own gets its category's.
CATEGORY_WEIGHTS: dict[str, float] = {"explicit": 1.0, "implicit": 0.5, "outcome": 3.0}


@dataclass(frozen=True)
class Weights:
    """How much each kind of signal counts. ``kinds`` and ``outcomes`` (per outcome name) are
    merged over the defaults, so ``Weights(kinds={"thumbs_up": 0.5})`` changes one weight."""

    kinds: Mapping[str, float] = field(default_factory=dict)
    outcomes: Mapping[str, float] = field(default_factory=dict)
    inferred: float = 1.0
    min_score: float = 0.5
    # One unopposed explicit vote at full strength (weight 1, evidence 1) has confidence
    # 1 - exp(-1 / scale) = 1/2 exactly: curation's default min_confidence of 0.5 then admits one
    # clear vote and nothing weaker (see flyloop.labels.verdicts, rule 5).
    confidence_scale: float = 1 / math.log(2)
    edit_thresholds: EditThresholds = field(default_factory=EditThresholds)
    corrected_classes: tuple[str, ...] = ("substantive", "rewrite")

    def __post_init__(self) -> None:
        merged = {**DEFAULT_KIND_WEIGHTS, **dict(self.kinds)}
        for name, weight in {**merged, **dict(self.outcomes)}.items():
            if not isinstance(weight, (int, float)) or weight < 0 or not math.isfinite(weight):
                raise errors.ValidationError(
                    f"the weight of {name!r} must be a finite number >= 0", field=f"weights.{name}"
                )
        if self.min_score <= 0 or self.confidence_scale <= 0 or self.inferred < 0:
            raise errors.ValidationError("min_score and confidence_scale must be > 0, inferred >= 0", field="weights")
        bad = sorted(set(self.corrected_classes) - set(EDIT_CLASSES))
        if bad:
            raise errors.ValidationError(f"unknown edit classes {', '.join(bad)}", field="weights.corrected_classes")
        object.__setattr__(self, "kinds", merged)
        object.__setattr__(self, "outcomes", dict(self.outcomes))
        object.__setattr__(self, "corrected_classes", tuple(self.corrected_classes))

    def weight(self, kind: str, payload: Mapping[str, Any] | None = None) -> float:
        if kind == "outcome" and payload and payload.get("name") in self.outcomes:
            return self.outcomes[payload["name"]]
        if kind in self.kinds:
            return self.kinds[kind]
        return CATEGORY_WEIGHTS[KINDS[kind].category] if kind in KINDS else 0.0

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["corrected_classes"] = list(self.corrected_classes)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Weights:
        data = dict(data)
        if isinstance(data.get("edit_thresholds"), Mapping):
            data["edit_thresholds"] = EditThresholds(**data["edit_thresholds"])
        try:
            return cls(**data)
        except TypeError as exc:
            raise errors.ValidationError(f"not a label weights object: {exc}", field="weights") from None


# --- weights per project --------------------------------------------------------------------


def configure(store: Store, project_id: str, weights: Weights) -> None:
    """Make ``weights`` the project's: every later label, incremental or full, uses them."""
    t = schema.label_config
    with store.write() as conn:
        conn.execute(sa.delete(t).where(t.c.project_id == project_id))
        conn.execute(
            sa.insert(t), [{"project_id": project_id, "weights": weights.to_json(), "updated_at": time.time()}]
        )


def load_weights(store: Store, project_id: str) -> Weights:
    t = schema.label_config
    with store.read() as conn:
        data = conn.execute(sa.select(t.c.weights).where(t.c.project_id == project_id)).scalar()
    return Weights.from_json(data) if data else Weights()
