"""Labels: the verdict rules, overrides and conflicts, bad input, incremental updates, API and CLI."""

from __future__ import annotations

import math
import time

import pytest
from typer.testing import CliRunner

from flyloop import Flywheel, NotFound, ValidationError, Weights
from flyloop.labels import verdicts as labels
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


def confidence(side, total, scale=1 / math.log(2)):
    return round(side / total * (1 - math.exp(-side / scale)), 6)


def test_thumbs_up_alone_is_good_with_the_documented_confidence(capture, store):
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.score, label.confidence, label.signal_ids) == ("good", 1.0, confidence(1, 1), ["s1"])
    # One unopposed explicit vote is exactly enough for curation's default min_confidence.
    assert label.confidence == 0.5
    assert label.corrected_text is None and label.workload == "math" and label.ts == pytest.approx(T)


def test_no_signal_is_unknown(capture, store):
    capture.ingest("acme", {"interactions": [interaction()]})
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.confidence, label.score, label.signal_ids) == ("unknown", 0.0, 0.0, [])


def test_thumbs_up_then_edit_is_corrected_and_the_conflict_lowers_confidence(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [signal("s1", "thumbs_up"), signal("s2", "edit", 20, payload={"text": "The answer is 85."})],
        },
    )
    label = labels.get(store, "acme", "i1")
    assert (
        label.verdict == "corrected"
        and label.corrected_text == "The answer is 85."
        and label.edit_class == "substantive"
    )
    # edit: 3 x -0.8 = -2.4 against; thumbs +1 for: agreement 2.4 / 3.4
    assert label.score == pytest.approx(-1.4)
    assert label.confidence == confidence(2.4, 3.4)
    assert label.signal_ids == ["s1", "s2"]


def test_a_touch_up_keeps_its_text_but_counts_as_praise(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(output="The answer is 85.")],
            "signals": [signal("s1", "edit", payload={"text": "the answer is 85!"})],
        },
    )
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.edit_class, label.corrected_text) == ("good", "trivial", "the answer is 85!")
    assert label.score == pytest.approx(0.9)


def test_the_latest_vote_of_an_actor_wins_and_others_votes_still_count(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [
                signal("s1", "thumbs_up", 10, actor="u1"),
                signal("s2", "thumbs_down", 20, actor="u1"),
                signal("s3", "rating", 30, actor="u2", value=2, payload={"scale": [1, 5]}),
            ],
        },
    )
    label = labels.get(store, "acme", "i1")
    assert label.verdict == "bad" and label.score == pytest.approx(-1.5)
    assert label.signal_ids == ["s2", "s3"]
    assert label.excluded == [{"signal_id": "s1", "reason": "superseded"}]


def test_an_explicit_override_removes_the_signal_it_names(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [signal("s1", "escalate", 10), signal("s2", "accept", 20, overrides="s1")],
        },
    )
    label = labels.get(store, "acme", "i1")
    assert (label.verdict, label.signal_ids) == ("good", ["s2"])
    assert {"signal_id": "s1", "reason": "overridden"} in label.excluded


def test_the_latest_correction_wins(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction()],
            "signals": [
                signal("s1", "edit", 10, payload={"text": "The answer is 86."}),
                signal("s2", "edit", 20, payload={"text": "The answer is 85."}),
            ],
        },
    )
    label = labels.get(store, "acme", "i1")
    assert (label.corrected_text, label.signal_ids) == ("The answer is 85.", ["s2"])
    assert label.excluded == [{"signal_id": "s1", "reason": "superseded"}]


def test_a_signal_stamped_before_its_interaction_is_stored_and_left_out(capture, store):
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_down", -3600)]})
    label = labels.get(store, "acme", "i1")
    assert label.verdict == "unknown" and label.excluded == [{"signal_id": "s1", "reason": "before_interaction"}]
    assert store.status("acme")["counts"]["signals"] == 1
    # within the clock skew allowance it counts
    capture.ingest("acme", {"signals": [signal("s2", "thumbs_down", -60)]})
    assert labels.get(store, "acme", "i1").verdict == "bad"


def test_an_edit_of_an_unknown_interaction_waits_and_labels_when_it_arrives(capture, store):
    capture.ingest("acme", {"signals": [signal("s1", "edit", payload={"text": "The answer is 85."})]})
    with pytest.raises(NotFound):
        labels.get(store, "acme", "i1")
    assert store.status("acme")["waiting_signals"] == 1
    assert labels.stats(store, "acme")["signals_waiting_for_interaction"] == 1
    capture.ingest("acme", {"interactions": [interaction()]})
    assert labels.get(store, "acme", "i1").verdict == "corrected"
    assert labels.stats(store, "acme")["signals_waiting_for_interaction"] == 0


def test_a_direct_outcome_outside_the_window_is_stored_and_not_counted(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(ts=T - 10 * 86400)],
            "outcomes": [{"id": "o1", "name": "task_completed", "value": 1.0, "interaction_id": "i1", "ts": T}],
        },
    )
    assert labels.get(store, "acme", "i1").verdict == "unknown"
    assert labels.stats(store, "acme")["unattributed_outcomes"]["outside_attribution_window"] == 1
    shown = labels.explain(store, "acme", "i1")
    assert shown["unattributed_outcomes"] == [
        {"outcome_id": "o1", "name": "task_completed", "reason": "outside_attribution_window"}
    ]


def test_an_outcome_signal_sent_directly_outside_the_window_is_left_out(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction(ts=T - 10 * 86400)],
            "signals": [signal("s1", "outcome", value=1.0, payload={"name": "sale"})],
        },
    )
    assert labels.get(store, "acme", "i1").excluded == [{"signal_id": "s1", "reason": "outside_attribution_window"}]


def test_weights_are_the_projects_and_recompute_applies_them(capture, store):
    capture.ingest(
        "acme",
        {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up"), signal("s2", "regenerate", 20)]},
    )
    assert labels.get(store, "acme", "i1").verdict == "unknown"  # +1 - 0.8 = 0.2
    result = labels.recompute(store, "acme", weights=Weights(kinds={"thumbs_up": 2.0}))
    assert result.labelled == 1 and result.counts == {"good": 1, "bad": 0, "corrected": 0, "unknown": 0}
    assert labels.get(store, "acme", "i1").score == pytest.approx(1.2)
    # the incremental path now uses the same weights
    capture.ingest("acme", {"signals": [signal("s3", "copy", 30)]})
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


def test_iter_labels_filters_and_projects_are_isolated(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction("a"), interaction("b"), interaction("c", workload="other")],
            "signals": [signal("s1", "thumbs_up", iid="a"), signal("s2", "thumbs_down", iid="b")],
        },
    )
    capture.ingest("rival", {"interactions": [interaction("a")], "signals": [signal("s1", "thumbs_down", iid="a")]})
    assert [lb.interaction_id for lb in labels.iter_labels(store, "acme", verdicts=["good", "bad"])] == ["a", "b"]
    assert [lb.interaction_id for lb in labels.iter_labels(store, "acme", workload="other")] == ["c"]
    assert [lb.interaction_id for lb in labels.iter_labels(store, "acme", batch=1)] == ["a", "b", "c"]
    assert labels.get(store, "acme", "a").verdict == "good" and labels.get(store, "rival", "a").verdict == "bad"
    with pytest.raises(ValidationError):
        list(labels.iter_labels(store, "acme", verdicts=["great"]))
    stats = labels.stats(store, "acme")
    assert stats["verdicts"] == {"good": 1, "bad": 1, "corrected": 0, "unknown": 1}
    assert stats["workloads"]["math"]["verdicts"]["good"] == 1 and stats["workloads"]["other"]["labels"] == 1


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


def test_api_routes(api, store):
    api.post(
        "/v1/ingest",
        json={
            "interactions": [interaction()],
            "signals": [signal("s1", "edit", payload={"text": "The answer is 85."})],
        },
    )
    response = api.get("/v1/labels/i1")
    assert response.status_code == 200
    body = response.json()
    assert (body["verdict"], body["corrected_text"], body["edit"]["diff"]) == (
        "corrected",
        "The answer is 85.",
        "The answer is [-84-]{+85+}.",
    )
    assert body["signals"][0]["weight"] == 3.0
    assert api.get("/v1/labels/nope").status_code == 404
    assert api.get("/v1/labels/i1", project="rival").status_code == 404
    stats = api.get("/v1/labels/stats").json()
    assert stats["verdicts"]["corrected"] == 1
    cov = api.get("/v1/coverage").json()
    assert cov["workloads"]["math"]["kinds"]["edit"]["share"] == 1.0
    assert api.get("/v1/labels/stats", scopes=("ingest",)).status_code == 403


def test_cli_labels_and_coverage(database_url, settings, monkeypatch):
    from flyloop.cli import app
    from flyloop.store.engine import Store

    monkeypatch.setenv("FLYLOOP_DATABASE_URL", database_url)
    with Flywheel(database_url=database_url, project="cli", spool_dir=settings.home + "/spool2") as fw:
        it = fw.log("math", "What is 37 + 48?", OUT, id="cli-1", ts=T)
        it.edit("The answer is 85.", ts=T + 5)
    runner = CliRunner()
    shown = runner.invoke(app, ["labels", "show", "cli-1", "--project", "cli"])
    assert shown.exit_code == 0 and "corrected" in shown.stdout and "[-84-]{+85+}" in shown.stdout
    assert runner.invoke(app, ["labels", "show", "nope", "--project", "cli"]).exit_code == 2
    stats = runner.invoke(app, ["labels", "stats", "--project", "cli", "--json"])
    assert stats.exit_code == 0 and '"corrected": 1' in stats.stdout
    again = runner.invoke(app, ["labels", "recompute", "--project", "cli", "--infer"])
    assert again.exit_code == 0 and "labelled 1 interactions" in again.stdout
    cov = runner.invoke(app, ["coverage", "--project", "cli"])
    assert cov.exit_code == 0 and "never collected" in cov.stdout
    Store(database_url).close()


def test_serve_labels_in_the_background_without_a_read(store, settings):
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from flyloop import Settings
    from flyloop.server.app import create_app
    from flyloop.store import tables as schema

    fast = Settings(database_url="sqlite://", home=settings.home, label_interval_s=0.05)
    _key, secret = store.create_key("acme", ["ingest"])
    with TestClient(create_app(store, fast)) as client:  # runs the lifespan, as uvicorn does
        r = client.post(
            "/v1/ingest",
            headers={"Authorization": f"Bearer {secret}"},
            json={"interactions": [interaction()], "signals": [signal("s1", "thumbs_down")]},
        )
        assert r.status_code == 200
        deadline = time.time() + 10
        while labels.pending(store, "acme") and time.time() < deadline:
            time.sleep(0.05)
    assert labels.pending(store, "acme") == 0
    lb = schema.labels
    with store.read() as conn:  # the table itself: labels.get would catch up on its own
        verdict = conn.execute(
            sa.select(lb.c.verdict).where(lb.c.project_id == "acme", lb.c.interaction_id == "i1")
        ).scalar()
    assert verdict == "bad"


def test_an_ingest_leaves_work_in_the_outbox_until_a_catch_up(capture, store):
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    assert labels.pending(store, "acme") == 2  # the new interaction, and the one the signal touched
    done = labels.catch_up(store, "acme")
    assert (done.labelled, done.counts["good"], labels.pending(store, "acme")) == (1, 1, 0)
    assert labels.catch_up(store, "acme").labelled == 0  # idempotent: nothing left


def test_worker_once_labels_everything_pending(database_url, settings):
    import sqlalchemy as sa

    from flyloop import Capture, Settings, Store
    from flyloop.store import tables as schema
    from flyloop.worker import worker

    store = Store(database_url)
    Capture(store, settings).ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    assert labels.pending(store, "acme") == 2
    worker(Settings(database_url=database_url, home=settings.home), once=True)
    lb = schema.labels
    with store.read() as conn:
        verdict = conn.execute(
            sa.select(lb.c.verdict).where(lb.c.project_id == "acme", lb.c.interaction_id == "i1")
        ).scalar()
    assert (labels.pending(store, "acme"), verdict) == (0, "good")
    store.close()


def test_the_worker_command_labels_at_its_niceness_and_refuses_a_bad_one(database_url, settings):
    """``flyloop worker --once`` in its own process (it lowers that process's priority)."""
    import os
    import subprocess
    import sys

    from flyloop import Capture, Store

    store = Store(database_url)
    # Ids of its own: on PostgreSQL the database outlives each test.
    Capture(store, settings).ingest(
        "acme", {"interactions": [interaction("wk1")], "signals": [signal("wk-s1", "thumbs_down", iid="wk1")]}
    )
    env = {**os.environ, "FLYLOOP_HOME": settings.home, "FLYLOOP_WORKER_NICE": "12"}
    command = [
        sys.executable,
        "-c",
        "from flyloop.cli import main; main()",
        "worker",
        "--once",
        "--database-url",
        database_url,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (labels.pending(store, "acme"), labels.get(store, "acme", "wk1").verdict) == (0, "bad")
    bad = subprocess.run(command, env={**env, "FLYLOOP_WORKER_NICE": "40"}, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "worker_nice must be between 0 and 19" in bad.stdout + bad.stderr
    assert len((bad.stdout + bad.stderr).strip().splitlines()) == 1  # a one-line error, no traceback
    store.close()


def test_a_label_decided_from_older_reads_never_overwrites_a_newer_one(capture, store):
    """On SQLite labels are decided outside the write, so a slow catch-up may write after a
    faster one that began later; its older verdict is skipped."""
    from flyloop.labels.verdicts import _upsert

    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL serializes label writers with an advisory lock instead")
    capture.ingest("acme", {"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
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
        _upsert(store, conn, "acme", [stale])
    assert labels.get(store, "acme", "i1").verdict == "good"
    with store.write() as conn:
        _upsert(store, conn, "acme", [{**stale, "updated_at": time.time() + 60}])
    assert labels.get(store, "acme", "i1").verdict == "bad"


def test_the_worker_lowers_its_own_cpu_priority_and_refuses_a_bad_niceness():
    import os
    import subprocess
    import sys

    from flyloop import ConfigError
    from flyloop.worker import lower_priority

    code = (
        "import os; from flyloop.worker import lower_priority; lower_priority(7); a = os.getpriority(os.PRIO_PROCESS, 0); "
        "lower_priority(3); print(a, os.getpriority(os.PRIO_PROCESS, 0))"
    )
    start = os.getpriority(os.PRIO_PROCESS, 0)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # Never raised back: going from 7 to 3 would need privileges, and is not what was asked.
    assert out == ([str(max(7, start))] * 2)
    for bad in (-1, 20):
        with pytest.raises(ConfigError, match="worker_nice"):
            lower_priority(bad)


def test_a_catch_up_in_small_chunks_labels_every_waiting_batch_once(capture, store):
    for n in range(5):
        capture.ingest(
            "acme", {"interactions": [interaction(f"i{n}")], "signals": [signal(f"s{n}", "thumbs_up", iid=f"i{n}")]}
        )
    capture.ingest("acme", {"signals": [signal("s9", "thumbs_down", at=20.0, iid="i0")]})
    assert labels.pending(store, "acme") == 11  # 5 batches of 2 entries, then one touch
    done = labels.catch_up(store, "acme", chunk=3)  # a batch at a time: each holds 2 entries
    assert (done.labelled, labels.pending(store, "acme")) == (6, 0)  # i0 twice: its batch, then the touch
    verdicts = {n: labels.get(store, "acme", f"i{n}").verdict for n in range(5)}
    assert verdicts == {0: "bad", 1: "good", 2: "good", 3: "good", 4: "good"}  # i0: the later vote stands
