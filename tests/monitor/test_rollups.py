"""Rollups on hand-built events: exact counts and rates per window, version and segment, kept up
incrementally, the same when run twice or from two processes at once."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from conftest import hours_ago
from flyloop import errors, labels
from flyloop.monitor import metrics, totals
from flyloop.monitor.rollups import rebuild, update_rollups
from flyloop.store import Store
from flyloop.store import schema as t

H = hours_ago(3)  # on the hour, three hours back


def it(iid, at, version="v1", plan="pro", output="The total is 84.", text="what is the total?"):
    return {
        "id": iid,
        "workload": "w",
        "input": text,
        "output": output,
        "ts": H + at,
        "user_id": "u-" + iid,
        "policy_version": version,
        "metadata": {"plan": plan},
    }


def sig(sid, iid, kind, at, **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": H + at, **kw}


def seed(capture):
    capture.ingest(
        "acme",
        {
            "interactions": [
                it("a", 10),
                it("b", 20),
                it("c", 30, plan="free"),
                it("d", 3600 + 5, version="v2", plan="free", text="x" * 40),
            ],
            "signals": [
                sig("s1", "a", "thumbs_up", 60),
                sig("s2", "a", "accept", 61),
                sig("s3", "b", "edit", 70, payload={"text": "The total is 85."}),
                sig("s4", "b", "thumbs_down", 71),
                sig("s5", "c", "requery", 80),
                sig("s6", "d", "abandon", 3700),
            ],
            "outcomes": [{"id": "o1", "name": "paid", "value": 1.0, "ts": H + 500, "interaction_id": "a"}],
        },
    )


def test_hour_counts_and_rates_are_exact(capture, store):
    seed(capture)
    labels.catch_up(store, "acme", settings=capture.settings)
    done = update_rollups(store, "acme", segment_key="plan", now=H + 7200)
    assert (done.interactions, done.hours) == (4, 0)
    got = metrics(store, "acme", grain="hour", since=H, until=H + 7200)
    first, second = got["windows"]
    assert first["start"] == H and first["counts"]["interactions"] == 3
    c = first["counts"]
    assert (c["with_feedback"], c["voted"], c["approved"], c["accepted"], c["edited"]) == (2, 2, 1, 1, 1)
    assert (c["edit_distance"], c["edits_measured"], c["requeried"], c["with_outcome"]) == (1, 1, 1, 1)
    r = first["rates"]
    assert r["feedback_coverage"] == pytest.approx(2 / 3, abs=1e-6)
    assert r["approval_rate"] == 0.5
    assert r["acceptance_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert r["mean_edit_distance"] == 1.0
    assert r["outcome_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert r["signals_by_kind"]["thumbs_up"] == pytest.approx(1 / 3, abs=1e-6)
    assert second["counts"]["interactions"] == 1 and second["rates"]["abandonment_rate"] == 1.0
    by_version = metrics(store, "acme", grain="hour", by="version", since=H, until=H + 7200)
    assert [(w["start"] - H, w["group"], w["counts"]["interactions"]) for w in by_version["windows"]] == [
        (0, "v1", 3),
        (3600, "v2", 1),
    ]
    seg = totals(store, "acme", start=H, end=H + 7200, by="segment")
    assert {k: v["interactions"] for k, v in seg.items()} == {"pro": 2, "free": 2}
    assert seg["free"]["input_chars.5"] == 1  # 40 characters: log2(41) = 5.4
    week = metrics(store, "acme", grain="week", since=H, until=H + 7200)
    assert sum(w["counts"]["interactions"] for w in week["windows"]) == 4


def test_incremental_run_twice_and_late_signal(capture, store):
    seed(capture)
    update_rollups(store, "acme", now=H + 7200)
    again = update_rollups(store, "acme", now=H + 7200)
    assert again.interactions == 0  # nothing landed behind the watermark: nothing read again
    once = totals(store, "acme", start=H, end=H + 7200)
    assert once[""]["interactions"] == 4 and once[""]["accepted"] == 1
    # A late accept for b: b becomes accepted once, not a second row for a.
    capture.ingest("acme", {"signals": [sig("s7", "b", "accept", 900), sig("s8", "a", "copy", 901)]})
    update_rollups(store, "acme")
    after = totals(store, "acme", start=H, end=H + 7200)
    assert after[""]["accepted"] == 2 and after[""]["interactions"] == 4
    with store.read() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(t.monitor_rollups)).scalar()
    rebuilt = rebuild(store, "acme")
    assert rebuilt.rebuilt is False and totals(store, "acme", start=H, end=H + 7200) == after
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.monitor_rollups)).scalar() == rows


def test_concurrent_upkeeps_agree(capture, database_url):
    store = Store(database_url)
    other = Store(database_url)
    try:
        from flyloop.capture.ingest import Capture

        seed(Capture(store, capture.settings))
        results = []

        def run(s: Store) -> None:
            results.append(update_rollups(s, "acme"))

        threads = [threading.Thread(target=run, args=(s,)) for s in (store, other)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        # One counted the four interactions; the other, waiting for it, found nothing left.
        assert sorted(r.interactions for r in results) == [0, 4]
        assert totals(store, "acme", start=H, end=H + 7200)[""]["interactions"] == 4
    finally:
        with store.write() as conn:
            for table in (
                t.monitor_rollups,
                t.monitor_marks,
                t.monitor_watermarks,
                t.interactions,
                t.signals,
                t.outcomes,
                t.outbox,
            ):
                conn.execute(sa.delete(table).where(table.c.project_id == "acme"))
        store.close()
        other.close()


def test_segment_key_change_rebuilds_and_missing_key_is_said(capture, store):
    seed(capture)
    update_rollups(store, "acme", segment_key="plan")
    again = update_rollups(store, "acme", segment_key="region")
    assert again.rebuilt is True
    # Grouping by a key no interaction carries is refused, naming the field, not one '(none)' bar.
    with pytest.raises(errors.ValidationError) as e:
        metrics(store, "acme", grain="day", by="segment", since=H, until=H + 7200, segment_key="region")
    assert e.value.field == "segment_key"
    assert e.value.message == (
        "no interaction carries the metadata key 'region' (monitor_segment_key): every one would be in "
        "segment '(none)'; name a key the interactions' metadata has"
    )
    # Ungrouped, the same rollups answer (the key only names segments).
    got = metrics(store, "acme", grain="day", since=H, until=H + 7200, segment_key="region")
    assert got["windows"][0]["counts"]["interactions"] > 0
    # A key other than the one the rollups are kept by is refused too.
    with pytest.raises(errors.ValidationError) as e:
        metrics(store, "acme", grain="day", since=H, until=H + 7200, segment_key="region", asked_segment_key="plan")
    assert (e.value.field, e.value.message) == (
        "segment_key",
        "the rollups are segmented by the metadata key 'region' (monitor_segment_key), not 'plan': set "
        "FLYLOOP_MONITOR_SEGMENT_KEY=plan where the rollups are kept to segment by it",
    )


def test_empty_store_and_bad_input_say_so(store):
    got = metrics(store, "acme", grain="day")
    assert got["windows"] == [] and got["notes"][0].startswith("no data: the store holds no interactions")
    with pytest.raises(errors.ValidationError) as e:
        metrics(store, "acme", grain="month")
    assert e.value.field == "grain"
    with pytest.raises(errors.ValidationError) as e:
        metrics(store, "acme", by="colour")
    assert e.value.field == "by"


def test_a_backlog_is_read_in_pages(capture, store, monkeypatch):
    from flyloop.monitor import rollups

    monkeypatch.setattr(rollups, "PAGE", 3)
    for k in range(5):  # five batches: five received_at stamps
        capture.ingest("acme", {"interactions": [it(f"p{k}", 100 + k)]})
    capture.ingest("acme", {"interactions": [it(f"q{k}", 200 + k) for k in range(7)]})  # one stamp, seven rows
    first = update_rollups(store, "acme")
    assert first.more is True and first.interactions == 2  # the third row's stamp is read next time, whole
    done = rollups.catch_up_rollups(store, "acme")
    assert done.more is False
    assert totals(store, "acme", start=H, end=H + 3600)[""]["interactions"] == 12
    assert update_rollups(store, "acme").interactions == 0


def test_a_backlog_takes_every_source_up_to_one_stamp(capture, store, monkeypatch):
    """An interaction and the signals that followed it are counted in the same upkeep, once: each
    source is read only as far as the shortest page reaches."""
    from flyloop.monitor import rollups

    monkeypatch.setattr(rollups, "PAGE", 4)
    for k in range(6):  # an interaction, then its two signals, six times: a stamp per batch
        capture.ingest("acme", {"interactions": [it(f"p{k}", 100 + k)]})
        capture.ingest("acme", {"signals": [sig(f"s{k}a", f"p{k}", "accept", 101 + k)]})
        capture.ingest("acme", {"signals": [sig(f"s{k}b", f"p{k}", "copy", 101 + k)]})
    counted = []
    while True:
        done = update_rollups(store, "acme")
        counted.append(done.interactions)
        if not done.more:
            break
    # Pages of 4: the signals' page ends first (two interactions' worth), and every source is taken
    # up to its end, so an upkeep counts those interactions with their signals; the one whose last
    # signal sits on the page's edge (read next time, whole) is the only one counted again.
    assert counted == [2, 3, 2, 2]
    got = totals(store, "acme", start=H, end=H + 3600)[""]
    assert (got["interactions"], got["accepted"], got["signals.copy"]) == (6, 6, 6)
    assert update_rollups(store, "acme").interactions == 0


def test_rollups_built_before_arms_were_counted_are_rebuilt_once(capture, store):
    seed(capture)
    update_rollups(store, "acme")
    w = t.monitor_watermarks
    with store.write() as conn:  # as an upkeep before the layout was recorded left it
        conn.execute(
            sa.update(w).where(w.c.project_id == "acme", w.c.source == "_upkeep").values(state={"segment_key": None})
        )
    again = update_rollups(store, "acme")
    assert (again.rebuilt, again.interactions) == (True, 4)
    assert update_rollups(store, "acme").rebuilt is False
    assert totals(store, "acme", start=H, end=H + 7200)[""]["interactions"] == 4
