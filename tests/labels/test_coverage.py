"""Per-workload signal coverage and the kinds never collected."""

from __future__ import annotations

import time

from flyloop import KINDS
from flyloop.labels import measure_coverage as coverage

T = time.time() - 86400


def test_coverage_shares_and_never_collected(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [
                {"id": f"i{n}", "workload": "draft" if n < 4 else "chat", "input": f"q{n}", "output": "a", "ts": T + n}
                for n in range(6)
            ],
            "signals": [
                {"id": "s1", "interaction_id": "i0", "kind": "edit", "payload": {"text": "b"}, "ts": T + 10},
                {"id": "s2", "interaction_id": "i0", "kind": "thumbs_up", "ts": T + 11},
                {"id": "s3", "interaction_id": "i1", "kind": "thumbs_up", "ts": T + 12},
                {"id": "s4", "interaction_id": "i4", "kind": "accept", "ts": T + 13},
            ],
        },
    )
    report = coverage(store, "acme")["workloads"]
    draft = report["draft"]
    assert draft["interactions"] == 4
    assert draft["kinds"]["thumbs_up"] == {"interactions": 2, "share": 0.5, "category": "explicit", "reported": 2}
    assert draft["kinds"]["edit"]["share"] == 0.25
    assert draft["kinds"]["dwell"] == {"interactions": 0, "share": 0.0, "category": "implicit"}
    assert draft["categories"] == {"explicit": 0.5, "implicit": 0.0, "outcome": 0.0}
    assert draft["no_signal_share"] == 0.5
    assert set(draft["never_collected"]) == set(KINDS) - {"edit", "thumbs_up"}
    assert report["chat"]["kinds"]["accept"]["share"] == 0.5
    assert coverage(store, "rival")["workloads"] == {}
    assert list(coverage(store, "acme", workload="chat")["workloads"]) == ["chat"]
    assert coverage(store, "acme", since=T + 3.5)["workloads"]["chat"]["interactions"] == 2
