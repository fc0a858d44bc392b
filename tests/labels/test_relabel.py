"""Writing labels (flyloop.labels.relabel): incremental equals a full recompute, and a newer label wins."""

from __future__ import annotations

import time

from flyloop import Flywheel, labels
from flyloop.testing import Simulation

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


def test_incremental_labels_equal_a_full_recompute(store, settings):
    fw = Flywheel(store=store, settings=settings, spool_dir=settings.home + "/spool")
    sim = Simulation(fw, users=40, seed=11)
    sim.run(400)
    assert fw.flush(60)
    incremental = {
        lb.interaction_id: (lb.verdict, lb.score, lb.corrected_text, lb.signal_ids)
        for lb in labels.iter_labels(store, fw.project)
    }
    result = labels.recompute(store, fw.project, settings=settings)
    full = {
        lb.interaction_id: (lb.verdict, lb.score, lb.corrected_text, lb.signal_ids)
        for lb in labels.iter_labels(store, fw.project)
    }
    fw.close()
    assert result.labelled == len(sim.truth.correct) == len(full)
    assert incremental == full
    # and the labels track the truth only the simulator knows
    good = [iid for iid, v in full.items() if v[0] == "good"]
    assert sum(sim.truth.correct[i] for i in good) / len(good) > 0.9
    bad = [iid for iid, v in full.items() if v[0] == "bad"]
    assert sum(not sim.truth.correct[i] for i in bad) / len(bad) > 0.9


def test_a_label_decided_from_older_reads_never_overwrites_a_newer_one(capture, store):
    """On SQLite labels are decided outside the write, so a slow catch-up may write after a
    faster one that began later; its older verdict is skipped (on both stores: the upsert keeps
    the newer row wherever writers may overlap)."""
    from flyloop.labels.relabel import _upsert

    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    assert labels.get(store, "acme", "i1").verdict == "good"
    stale = {
        "interaction_id": "i1",
        "workload": "math",
        "verdict": "bad",
        "confidence": 0.5,
        "score": -1.0,
        "corrected_text": None,
        "signal_ids": [],
        "updated_at": 1.0,
        "ts": T,
        "edit_class": None,
        "excluded": [],
        "time_to_action_s": None,
    }
    with store.write() as conn:
        _upsert(conn, "acme", [stale])
    assert labels.get(store, "acme", "i1").verdict == "good"
    with store.write() as conn:
        _upsert(conn, "acme", [{**stale, "updated_at": time.time() + 60}])
    assert labels.get(store, "acme", "i1").verdict == "bad"
