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


def test_the_table_shows_every_kind_with_reported_and_inferred_counts():
    from flyloop.labels.coverage import table

    entry = {
        "interactions": 1234,
        "kinds": {
            "thumbs_up": {"interactions": 617, "share": 0.5, "category": "explicit", "reported": 617},
            "requery": {"interactions": 12, "share": 0.0097, "category": "implicit", "inferred": 12},
            "outcome": {"interactions": 3, "share": 0.0024, "category": "outcome", "reported": 1, "system": 2},
        },
        "never_collected": ["edit", "dwell"],
        "no_signal_share": 0.25,
    }
    rendered = table("draft", entry)
    assert rendered.title == "signal coverage of draft (1,234 interactions)"
    assert [c.header for c in rendered.columns] == ["kind", "category", "share", "reported", "inferred"]
    assert [list(c.cells) for c in rendered.columns] == [
        ["thumbs_up", "requery", "outcome"],
        ["explicit", "implicit", "outcome"],
        ["50.0%", "1.0%", "0.2%"],
        ["617", "0", "3"],  # attributed outcomes count as reported
        ["0", "12", "0"],
    ]
    assert rendered.caption == "never collected: edit, dwell; no signal at all: 25.0%"
    entry["never_collected"] = []
    assert table("draft", entry).caption == "never collected: none; no signal at all: 25.0%"
