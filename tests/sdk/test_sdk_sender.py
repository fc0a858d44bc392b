"""The SDK client's background sender, through the client: events that break a rule are rejected
on record (written and counted, once, never retried forever) while the rest lands; delivery
faults (a failing store, a full queue, a restart, an unreadable spool file, a sink's bug, a full
disk) spool or count, never raise into the app; and the invariant: every event is stored once or
rejected on record, never dropped."""

from __future__ import annotations

import errno
import os
import re
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_client import Outage, counts, make, rejected_lines, spooled_events

from conftest import eventually

# --- events that break a rule -------------------------------------------------------------------


def test_rejected_events_are_written_and_counted_and_the_rest_lands(store, tmp_path, settings):
    client = make(store, tmp_path, max_text_chars=50)
    good = client.log("w", "fine", "short")
    too_long = client.log("w", "fine", "x" * 51)
    good.rate(5)
    bad_rating = good.rate(9)
    bad_dwell = good.dwell(-1.0)
    no_text = client.signal(good.id, "edit")
    assert client.flush()
    assert client.stats.rejected == 4 and client.stats.sent == 2
    lines = rejected_lines(tmp_path / "spool")
    assert sorted(line["event"]["id"] for line in lines) == sorted([too_long.id, bad_rating, bad_dwell, no_text])
    by_id = {line["event"]["id"]: line for line in lines}
    assert by_id[too_long.id]["kind"] == "interactions"
    assert by_id[too_long.id]["error"] == {
        "error": "ValidationError",
        "field": "output",
        "message": "longer than 50 characters (51)",
        "details": {"problems": [{"field": "output", "message": "longer than 50 characters (51)"}]},
    }
    assert "within its scale [1, 5]" in by_id[bad_rating]["error"]["message"]
    assert "value >= 0" in by_id[bad_dwell]["error"]["message"]
    assert "payload.text" in by_id[no_text]["error"]["message"]
    assert counts(store) == {"interactions": 1, "signals": 1, "outcomes": 0}
    client.close()


def test_a_rejected_event_is_recorded_once_even_when_its_batch_is_retried(store, tmp_path, settings):
    client = make(store, tmp_path)
    outage = Outage(client)
    it = client.log("w", "q")
    bad = it.rate(9)
    it.thumbs_up()
    assert client.flush(timeout=0.6) is False
    assert outage.attempts >= 2  # retried while down
    outage.up()
    assert client.flush()
    assert client.stats.rejected == 1
    assert [line["event"]["id"] for line in rejected_lines(tmp_path / "spool")] == [bad]
    assert counts(store) == {"interactions": 1, "signals": 1, "outcomes": 0}
    client.close()


def test_a_value_the_store_cannot_hold_is_rejected_on_record_not_retried_forever(store, tmp_path, settings):
    client = make(store, tmp_path)
    huge = client.log("w", "q", tokens_in=2**40)  # past the INTEGER column: refused by the rules
    nul = client.log("w", "before\x00after")  # no store keeps NUL in text: one rule on both
    fine = client.log("w", "q")
    assert client.flush(timeout=10)
    lines = {line["event"]["id"]: line["error"] for line in rejected_lines(tmp_path / "spool")}
    assert lines[huge.id]["field"] == "tokens_in"
    assert store.get_interaction("acme", fine.id)["input"] == "q"
    assert lines[nul.id]["field"] == "input" and client.stats.rejected == 2
    client.close()


def test_python_values_no_store_can_hold_are_rejected_on_record(store, tmp_path, settings):
    # One slot in the queue and a sleeping sender: every second event overflows to disk.
    client = make(store, tmp_path, sdk_queue_size=1, sdk_flush_interval_s=3600)
    fine = client.log("w", "q")
    a_set = client.log("w", "q", metadata={"tags": {"a", "b"}})  # overflows: must not raise here
    fine_too = client.log("w", "q2")
    surrogate = client.log("w", "bad \ud800 text")
    assert client.stats.overflowed == 4 and client.pending == 0  # each overflow spills the queued one too
    assert client.flush()
    errors_by_id = {}
    for line in rejected_lines(tmp_path / "spool"):
        event = line["event"]  # kept as its ascii() text where JSON cannot hold it
        errors_by_id[event["id"] if isinstance(event, dict) else re.search(r"'id': '(\w+)'", event)[1]] = line["error"][
            "message"
        ]
    assert set(errors_by_id) == {a_set.id, surrogate.id}
    assert "JSON" in errors_by_id[a_set.id] and "surrogate" in errors_by_id[surrogate.id]
    assert [store.get_interaction("acme", h.id)["input"] for h in (fine, fine_too)] == ["q", "q2"]
    assert client.stats.rejected == 2 and client.stats.sent == 2
    client.close()


# --- delivery faults: spool, overflow, restart ----------------------------------------------------


def test_a_failing_store_spools_to_disk_and_replays_with_exact_counts(store, tmp_path, settings):
    client = make(store, tmp_path, sdk_batch_size=100)
    outage = Outage(client)
    handles = [client.log("w", f"q{n}") for n in range(250)]
    for handle in handles[:50]:
        handle.accept()
    assert client.flush(timeout=0.5) is False
    assert counts(store)["interactions"] == 0
    # On disk or still queued, none lost (checked between two retries: a batch in the sender's
    # hands during one is in neither place for that instant).
    assert eventually(
        lambda: (
            client.stats.spooled + client.pending == 300
            and len(spooled_events(tmp_path / "spool")) == client.stats.spooled
        )
    )
    assert client.stats.sent == 0 and client.stats.failures >= 1
    outage.up()
    assert client.flush()
    assert counts(store) == {"interactions": 250, "signals": 50, "outcomes": 0}
    assert client.stats.sent == 300 and client.stats.rejected == 0
    assert list((tmp_path / "spool").glob("*.json*")) == []
    client.close()


def test_a_full_queue_overflows_to_the_spool_not_to_the_floor(store, tmp_path, settings):
    # A long flush interval and a big batch keep the sender asleep, so the queue really fills.
    client = make(store, tmp_path, sdk_queue_size=10, sdk_batch_size=500, sdk_flush_interval_s=3600)
    ids = [client.log("w", f"q{n}").id for n in range(30)]
    # The 11th event spills the 10 queued and itself in one file; so does the 22nd.
    assert client.stats.overflowed == 22 and client.pending == 8
    assert [e[1]["id"] for e in spooled_events(tmp_path / "spool")] == ids[:22]
    assert len(list((tmp_path / "spool").glob("*.json"))) == 2
    assert client.flush()
    assert counts(store)["interactions"] == 30
    assert client.stats.sent == 30 and list((tmp_path / "spool").glob("*.json")) == []
    client.close()


def test_close_spools_what_is_undelivered_and_the_next_client_sends_it(store, tmp_path, settings):
    first = make(store, tmp_path)
    Outage(first)
    ids = {first.log("w", f"q{n}").id for n in range(40)}
    assert first.close(timeout=0.3) is False
    assert {e[1]["id"] for e in spooled_events(tmp_path / "spool")} == ids
    second = make(store, tmp_path)  # same spool folder: a restarted app
    assert second.flush()
    assert counts(store)["interactions"] == 40
    assert second.stats.sent == 40 and spooled_events(tmp_path / "spool") == []
    second.close()


def test_an_unreadable_spool_file_is_set_aside_and_the_rest_flows(store, tmp_path, settings):
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "00000000000000000001-1-000001.json").write_bytes(b'[["interactions", {"id": "tr')
    client = make(store, tmp_path)
    client.log("w", "q", id="after-corruption")
    assert client.flush()
    assert store.get_interaction("acme", "after-corruption")["input"] == "q"
    assert [p.name for p in spool.iterdir() if p.name != "rejected.jsonl"] == ["00000000000000000001-1-000001.corrupt"]
    client.close()


def test_an_unexpected_sink_error_keeps_the_events(store, tmp_path, settings):
    client = make(store, tmp_path)
    real = client.capture.ingest
    calls = {"n": 0}

    def flaky(project_id, batch):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a bug in some stage")
        return real(project_id, batch)

    client.capture.ingest = flaky
    client.log("w", "q", id="survivor")
    assert client.flush()
    assert store.get_interaction("acme", "survivor")["input"] == "q"
    assert client.stats.failures == 1 and client.stats.sent == 1
    client.close()


# --- the invariant: stored or rejected on record, never dropped -----------------------------------


def _encodable(text: str) -> bool:
    try:
        text.encode()
        return True
    except UnicodeEncodeError:
        return False


# Letters, spaces and lone surrogates (which no store can hold: those interactions are rejected).
# No digits or '@', so the privacy gate's PII patterns leave the texts as they are.
TEXT = st.text(st.characters(whitelist_categories=("L", "Zs", "Cs")), max_size=8)
EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("log"), st.integers(0, 12), TEXT),
        st.tuples(st.just("rate"), st.integers(0, 12), st.integers(-2, 8)),
        st.tuples(st.just("dwell"), st.integers(0, 12), st.floats(-5, 5, allow_nan=False)),
        st.tuples(st.just("accept"), st.integers(0, 12), st.none()),
    ),
    max_size=40,
)


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=EVENTS, batch_size=st.integers(2, 9))
def test_every_event_is_stored_once_or_rejected_on_record(store, tmp_path_factory, settings, events, batch_size):
    folder = tmp_path_factory.mktemp("prop")
    project = f"p{uuid.uuid4().hex[:10]}"
    client = make(store, folder, project=project, sdk_batch_size=batch_size)
    first_input: dict[str, str] = {}
    good_signals, bad = set(), set()
    for op, target, arg in events:
        interaction_id = f"i{target}"  # small pool: the same id is logged again and again
        if op == "log":
            event_id = client.log("w", arg or "q", id=interaction_id).id
            if _encodable(arg):
                first_input.setdefault(interaction_id, arg or "q")  # the first valid copy wins
            else:
                bad.add(event_id)
        elif op == "rate":
            sid = client.signal(interaction_id, "rating", arg)
            (good_signals if 1 <= arg <= 5 else bad).add(sid)
        elif op == "dwell":
            sid = client.signal(interaction_id, "dwell", arg)
            (good_signals if arg >= 0 else bad).add(sid)
        else:
            good_signals.add(client.signal(interaction_id, "accept"))
    assert client.flush()
    client.close()
    stored, _ = store.list_interactions(project, limit=1000)
    assert {row["id"]: row["input"] for row in stored} == first_input
    assert counts(store, project)["signals"] == len(good_signals)
    rejected = rejected_lines(folder / "spool")
    assert (
        client.stats.rejected
        == len(rejected)
        == sum(
            1
            for op, _, arg in events
            if (op == "log" and not _encodable(arg))
            or (op == "rate" and not 1 <= arg <= 5)
            or (op == "dwell" and arg < 0)
        )
    )
    assert {line["event"]["id"] if isinstance(line["event"], dict) else None for line in rejected} <= bad | {None}
    assert client.stats.sent == len(events) - client.stats.rejected


# --- a full disk ----------------------------------------------------------------------------------


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Every ``os.write`` fails as on a full disk until the returned switch is turned off."""
    switch = {"on": 1, "calls": 0}
    real = os.write

    def write(fd: int, data: Any) -> int:
        if switch["on"]:
            switch["calls"] += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    return switch


def test_a_full_disk_never_raises_into_the_app_and_every_drop_is_counted(
    store, tmp_path, settings, monkeypatch, caplog
):
    client = make(store, tmp_path, sdk_queue_size=20, sdk_batch_size=10)
    outage = Outage(client)
    full = _disk_full(monkeypatch)
    with caplog.at_level("WARNING", logger="flyloop.sdk.client"):
        ids = [client.log("w", f"q{n}").id for n in range(200)]  # not one raises
        assert client.flush(timeout=0.5) is False
    dropped = client.stats.dropped
    assert dropped > 0 and full["calls"] > 0
    (warning,) = [r.message for r in caplog.records if "dropped" in r.message]  # once, however many drops
    assert re.fullmatch(
        r"flyloop: the spool could not be written \(disk full\?\) and the queue is full: "
        r"\d+ events dropped; see stats.dropped \(counted from now on without a warning\)",
        warning,
    )
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == []  # no orphan .tmp
    full["on"] = 0
    outage.up()
    assert client.flush(timeout=10) is False  # delivers the rest, and says some were dropped
    assert client.flush(timeout=10) is True  # reported once
    assert counts(store) == {"interactions": 200 - dropped, "signals": 0, "outcomes": 0}
    assert client.stats.sent == 200 - dropped
    client.close()
    assert len(set(ids)) == 200


def test_close_on_a_full_disk_counts_what_it_cannot_keep_and_leaves_no_temporary_file(
    store, tmp_path, settings, monkeypatch
):
    client = make(store, tmp_path, sdk_flush_interval_s=3600, sdk_batch_size=1000)
    Outage(client)
    for n in range(30):
        client.log("w", f"q{n}")
    _disk_full(monkeypatch)
    assert client.close(timeout=0.3) is False
    assert client.stats.dropped == 30 and client.stats.sent == 0
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == []
