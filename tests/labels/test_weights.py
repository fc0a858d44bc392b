"""Label weights (flyloop.labels.weights): per project, validated, applied by a recompute."""

from __future__ import annotations

import time

import pytest

from flyloop import ValidationError, Weights, labels

T = time.time() - 86400


OUT = "The answer is 84."


def interaction(iid="i1", **kw):
    return {
        "id": iid,
        "workload": "math",
        "input": "What is 37 + 48?",
        "output": OUT,
        "user_id": "u1",
        "session_id": "s-" + iid,
        "ts": T,
        **kw,
    }


def signal(sid, kind, at=10.0, iid="i1", **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": T + at, **kw}


def test_weights_are_the_projects_and_recompute_applies_them(capture, store):
    capture.ingest(
        "acme",
        {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up"), signal("s2", "regenerate", 20)]},
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").verdict == "unknown"  # +1 - 0.8 = 0.2
    result = labels.recompute(store, "acme", weights=Weights(kinds={"thumbs_up": 2.0}))
    assert result.labelled == 1 and result.counts == {"good": 1, "bad": 0, "corrected": 0, "unknown": 0}
    assert labels.get(store, "acme", "i1").score == pytest.approx(1.2)
    # the incremental path now uses the same weights
    capture.ingest("acme", {"signals": [signal("s3", "copy", 30)]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").score == pytest.approx(1.4)
    assert labels.load_weights(store, "acme").kinds["thumbs_up"] == 2.0
    assert labels.load_weights(store, "other").kinds["thumbs_up"] == 1.0


def test_bad_weights_are_rejected():
    with pytest.raises(ValidationError) as err:
        Weights(kinds={"edit": -1})
    assert err.value.field == "weights.edit"
    with pytest.raises(ValidationError):
        Weights(corrected_classes=("nonsense",))
    assert Weights.from_json(Weights(min_score=0.7).to_json()) == Weights(min_score=0.7)
