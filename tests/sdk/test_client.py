"""The SDK on its local transport: what the app calls, what lands in the store, and what happens
to events that break a rule or cannot be delivered (spooled, rejected on record, never dropped).

The HTTP transport against a live server is in ``test_e2e.py``."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import eventually
from flyloop import AsyncFlywheel, ConfigError, Flywheel, Settings, Store, StoreError, ValidationError
from flyloop.sdk.sender import forget_user
from flyloop.sdk.spool import hash_user
from flyloop.store.tables import signals as signals_table

PG = bool(os.environ.get("FLYLOOP_TEST_DATABASE_URL"))
DERIVED = ("inferred", "system")  # sources of signals flyloop derives itself; these tests send neither


def make(store: Store, tmp_path: Path, project: str = "acme", **overrides: Any) -> Flywheel:
    """A local-transport Flywheel on the test's store, with its spool in ``tmp_path/spool``."""
    settings = Settings(home=str(tmp_path / "home"), database_url="sqlite://", project=project, **overrides)
    return Flywheel(store=store, settings=settings, spool_dir=tmp_path / "spool")


def counts(store: Store, project: str = "acme") -> dict[str, int]:
    """What the app sent and the store kept. Signals later stages derive (``source="inferred"``
    from the event stream, ``"system"`` from outcomes) are left out: those stages test them."""
    c = store.status(project)["counts"]
    t = signals_table
    with store.read() as conn:
        inferred = conn.execute(
            sa.select(sa.func.count()).where(t.c.project_id == project, t.c.source.in_(DERIVED))
        ).scalar_one()
    return {"interactions": c["interactions"], "signals": c["signals"] - inferred, "outcomes": c["outcomes"]}


def sent_signals(store: Store, interaction_id: str, project: str = "acme") -> list[dict[str, Any]]:
    return [s for s in store.get_interaction(project, interaction_id)["signals"] if s["source"] not in DERIVED]


def rejected_lines(spool: Path) -> list[dict[str, Any]]:
    path = spool / "rejected.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def spooled_events(spool: Path) -> list[list[Any]]:
    return [event for path in sorted(spool.glob("*.json")) for event in orjson.loads(path.read_bytes())]


class Outage:
    """Makes the store fail under a Flywheel (as a locked or unreachable database would) until
    ``up()``; counts the attempts that reached it."""

    def __init__(self, fw: Flywheel) -> None:
        self.capture = fw.capture
        self.real = fw.capture.ingest
        self.down = True
        self.attempts = 0
        fw.capture.ingest = self._ingest  # the LocalSink holds this same Capture

    def _ingest(self, project_id, batch):
        self.attempts += 1
        if self.down:
            raise StoreError("database is locked")
        return self.real(project_id, batch)

    def up(self) -> None:
        self.down = False


@pytest.fixture
def fw(store: Store, tmp_path: Path, settings: Settings):
    client = make(store, tmp_path)
    yield client
    client.close()


# --- ids and the hot path ----------------------------------------------------------------------


def test_client_made_ids_are_unique_and_compact(store, tmp_path, settings):
    a, b = make(store, tmp_path / "a"), make(store, tmp_path / "b")
    ids = [a.log("w", f"q{n}").id for n in range(3000)] + [b.log("w", "q").id for _ in range(3000)]
    ids += [a.log("w", "q").thumbs_up() for _ in range(100)]
    assert len(set(ids)) == len(ids) == 6100
    assert all(re.fullmatch(r"[0-9a-f]{22}", i) for i in ids)
    assert a.new_id()[:12] != b.new_id()[:12]  # each client draws its own random prefix
    assert a.flush() and b.flush()
    assert counts(store) == {"interactions": 6100, "signals": 100, "outcomes": 0}
    assert a.stats.sent == 3200 and b.stats.sent == 3000
    a.close()
    b.close()


def test_an_explicit_id_is_kept_and_a_repeat_stores_once(fw, store):
    assert fw.log("w", "first", id="order-7:draft").id == "order-7:draft"
    fw.log("w", "second", id="order-7:draft")
    fw.signal("order-7:draft", "accept", id="sig-1")
    fw.signal("order-7:draft", "accept", id="sig-1")
    assert fw.flush()
    got = store.get_interaction("acme", "order-7:draft")
    assert got["input"] == "first"  # the first copy wins; nothing is updated in place
    assert [s["id"] for s in sent_signals(store, "order-7:draft")] == ["sig-1"]
    assert fw.stats.sent == 4 and fw.stats.rejected == 0


def test_every_field_of_an_interaction_round_trips(fw, store):
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "2+2?"}]
    it = fw.log(
        "math-help",
        messages,
        "4",
        user_id="u-42",
        session_id="s-1",
        ts=1_700_000_000.25,
        policy_version="v3",
        latency_ms=812.5,
        tokens_in=12,
        tokens_out=1,
        cost=0.0004,
        context_ids=["doc-1", "doc-9"],
        metadata={"locale": "fr", "n": [1, 2]},
        join_key="ticket-9",
    )
    assert fw.flush()
    got = store.get_interaction("acme", it.id)
    assert isinstance(got["user_id"], str)  # as given, or its pseudonym where the privacy gate makes one
    assert {
        k: got[k]
        for k in (
            "id",
            "workload",
            "input",
            "output",
            "session_id",
            "ts",
            "policy_version",
            "latency_ms",
            "tokens_in",
            "tokens_out",
            "cost",
            "context_ids",
            "metadata",
            "join_key",
        )
    } == {
        "id": it.id,
        "workload": "math-help",
        "input": messages,
        "output": "4",
        "session_id": "s-1",
        "ts": 1_700_000_000.25,
        "policy_version": "v3",
        "latency_ms": 812.5,
        "tokens_in": 12,
        "tokens_out": 1,
        "cost": 0.0004,
        "context_ids": ["doc-1", "doc-9"],
        "metadata": {"locale": "fr", "n": [1, 2]},
        "join_key": "ticket-9",
    }
    assert sent_signals(store, it.id) == [] and got["outcomes"] == []


def test_handle_methods_record_each_kind_in_order(fw, store):
    it = fw.log("w", "draft me a reply", "Dear customer")
    ids = [
        it.thumbs_up(),
        it.thumbs_down(),
        it.rate(4),
        it.rate(8, scale=(0, 10)),
        it.edit("Dear customer, thanks"),
        it.comment("too formal"),
        it.choose("Hi there", ["Dear customer"]),
        it.accept(),
        it.reject(),
        it.copy(),
        it.regenerate(),
        it.requery(),
        it.follow_up(),
        it.abandon(),
        it.dwell(12.5),
        it.escalate(),
        it.signal("thumbs_up", source="app", actor="reviewer-3"),
    ]
    outcome_id = it.outcome("ticket_resolved", 1.0)
    assert fw.flush()
    got = store.get_interaction("acme", it.id)
    sent = sent_signals(store, it.id)
    assert [s["id"] for s in sent] == ids
    assert [(s["kind"], s["value"], s["payload"]) for s in sent] == [
        ("thumbs_up", None, {}),
        ("thumbs_down", None, {}),
        ("rating", 4.0, {"scale": [1, 5]}),
        ("rating", 8.0, {"scale": [0, 10]}),
        ("edit", None, {"text": "Dear customer, thanks"}),
        ("comment", None, {"text": "too formal"}),
        ("choice", None, {"chosen": "Hi there", "rejected": ["Dear customer"]}),
        ("accept", None, {}),
        ("reject", None, {}),
        ("copy", None, {}),
        ("regenerate", None, {}),
        ("requery", None, {}),
        ("follow_up", None, {}),
        ("abandon", None, {}),
        ("dwell", 12.5, {}),
        ("escalate", None, {}),
        ("thumbs_up", None, {}),
    ]
    assert [s["source"] for s in sent][-2:] == ["user", "app"]
    assert sent[-2]["actor"] is None and sent[-1]["actor"]  # as given, or its pseudonym
    assert [(o["id"], o["name"], o["value"]) for o in got["outcomes"]] == [(outcome_id, "ticket_resolved", 1.0)]


def test_an_outcome_by_join_key_reaches_every_interaction_sharing_it(fw, store):
    first = fw.log("w", "a", join_key="order-1")
    second = fw.log("w", "b", join_key="order-1")
    other = fw.log("w", "c", join_key="order-2")
    fw.outcome("purchase", 59.0, join_key="order-1", payload={"currency": "EUR"})
    assert fw.flush()
    for handle in (first, second):
        outcomes = store.get_interaction("acme", handle.id)["outcomes"]
        assert [(o["name"], o["value"], o["payload"]) for o in outcomes] == [("purchase", 59.0, {"currency": "EUR"})]
    assert store.get_interaction("acme", other.id)["outcomes"] == []


def test_a_signal_sent_before_its_interaction_is_kept_and_attached(fw, store):
    fw.signal("later-1", "thumbs_up", id="early-signal")
    assert fw.flush()
    assert store.status("acme")["waiting_signals"] == 1
    fw.log("w", "q", id="later-1")
    assert fw.flush()
    assert [s["id"] for s in sent_signals(store, "later-1")] == ["early-signal"]
    assert store.status("acme")["waiting_signals"] == 0


def test_cheap_rules_raise_on_the_call_and_queue_nothing(fw):
    with pytest.raises(ValidationError) as err:
        fw.signal("i1", "thumbs_sideways")
    assert err.value.field == "kind" and "thumbs_sideways" in err.value.message
    with pytest.raises(ValidationError) as err:
        fw.outcome("purchase", 1.0)
    assert err.value.field == "interaction_id"
    with pytest.raises(ValidationError):
        fw.outcome("purchase", 1.0, interaction_id="i1", join_key="k")
    with pytest.raises(ValidationError) as err:
        fw.log("", "q")
    assert err.value.field == "workload"
    assert fw.pending == 0 and fw.stats.sent == 0


def test_a_closed_client_refuses_new_events(store, tmp_path, settings):
    with make(store, tmp_path) as client:
        client.log("w", "q")
    assert counts(store)["interactions"] == 1
    with pytest.raises(ConfigError):
        client.log("w", "q")
    with pytest.raises(ConfigError):  # a signal or an outcome is refused too, never queued to nowhere
        client.signal("x", "thumbs_up")
    with pytest.raises(ConfigError):
        client.outcome("resolved", 1.0, interaction_id="x")
    assert client.close() is True  # closing twice is harmless


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


def run_app(
    script: str,
    database_url: str,
    tmp_path: Path,
    project: str,
    *args: str,
    spool: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run an app ``script`` in its own interpreter: argv is the store URL, home, project, spool."""
    spool = spool or tmp_path / "spool"
    return subprocess.run(
        [sys.executable, "-c", script, database_url, str(tmp_path / "home"), project, str(spool), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def stored(database_url: str, project: str) -> dict[str, int]:
    """What a fresh store sees of ``project``, once the app's process is gone."""
    db = Store(database_url)
    try:
        return counts(db, project)
    finally:
        db.close()


EXIT_SCRIPT = textwrap.dedent("""
    import sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    for n in range(1000):
        fw.log("w", f"q{n}", id=f"exit-{n}").thumbs_up()
    # no flush, no close: the interpreter's exit hook must deliver everything
""")


def test_exiting_without_close_delivers_everything_and_leaves_nothing_behind(database_url, tmp_path, settings):
    project = f"exit-{uuid.uuid4().hex[:8]}"
    spool = tmp_path / "spool"
    done = run_app(EXIT_SCRIPT, database_url, tmp_path, project, spool=spool, timeout=60)
    assert done.returncode == 0, done.stderr
    assert stored(database_url, project) == {"interactions": 1000, "signals": 1000, "outcomes": 0}
    assert sorted(p.name for p in spool.iterdir()) == []


# --- asyncio -----------------------------------------------------------------------------------


def test_async_client_logs_from_many_tasks_and_flush_does_not_block_the_loop(store, tmp_path, settings):
    async def main() -> tuple[int, int]:
        # A long flush interval: nothing is sent before the flush under test.
        settings_ = Settings(
            home=str(tmp_path / "home"), database_url="sqlite://", project="acme", sdk_flush_interval_s=3600
        )
        async with AsyncFlywheel(store=store, settings=settings_, spool_dir=tmp_path / "spool") as afw:
            real = afw._fw.capture.ingest

            def slow(project_id, batch):  # a store that takes its time
                time.sleep(0.3)
                return real(project_id, batch)

            afw._fw.capture.ingest = slow

            async def user(n: int) -> None:
                for k in range(10):
                    it = afw.log("chat", f"user {n} question {k}", "answer", user_id=f"u{n}")
                    it.thumbs_up()
                    await asyncio.sleep(0)

            await asyncio.gather(*(user(n) for n in range(20)))
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1

            task = asyncio.create_task(ticker())
            assert await afw.flush() is True
            task.cancel()
            return ticks, afw.stats.sent

    ticks, sent = asyncio.run(main())
    assert sent == 400
    assert ticks >= 10  # the loop kept running while flush waited on the slow store
    assert counts(store) == {"interactions": 200, "signals": 200, "outcomes": 0}


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


# --- what the spool keeps of a user, and erasing it (issue 9, item 7) -------------------------------


def test_a_rejected_event_is_written_without_its_raw_user_or_pii(store, tmp_path, settings):
    client = make(store, tmp_path, max_text_chars=60)
    bad = client.log(
        "w",
        "mail me at jane.doe@example.com please",
        output="x" * 61,
        user_id="jane-1234",
        metadata={"note": "card 4111 1111 1111 1111"},
    )
    client.signal(bad.id, "rating", 9, actor="jane-1234")
    assert client.flush()
    client.close()
    raw = (tmp_path / "spool" / "rejected.jsonl").read_bytes()
    for secret in (b"jane-1234", b"jane.doe@example.com", b"4111 1111 1111 1111"):
        assert secret not in raw
    interaction, signal = rejected_lines(tmp_path / "spool")
    key = bytes.fromhex((tmp_path / "spool" / "rejected.key").read_text())
    assert (tmp_path / "spool" / "rejected.key").stat().st_mode & 0o777 == 0o600
    assert interaction["event"]["user_id"] == signal["event"]["actor"] == hash_user(key, "jane-1234")
    assert interaction["event"]["input"] == "mail me at <EMAIL_ADDRESS> please"
    assert interaction["event"]["metadata"] == {"note": "card <CREDIT_CARD>"}
    assert interaction["error"]["field"] == "output"


def test_a_rejected_record_holds_no_raw_session_id_join_key_or_other_identifying_string(store, tmp_path, settings):
    client = make(store, tmp_path, max_text_chars=60)
    bad = client.log(
        "w",
        "q",
        output="x" * 61,
        user_id="priya-7",
        session_id="sess-priya-r",
        join_key="priya.r@example.org",
        policy_version="v3",
        context_ids=["doc for priya.r@example.org"],
    )
    client.outcome("", 1.0, join_key="priya.r@example.org")  # an empty name: rejected too
    assert client.flush()
    client.close()
    folder = tmp_path / "spool"
    raw = (folder / "rejected.jsonl").read_bytes()
    for secret in (b"priya-7", b"sess-priya-r", b"priya.r@example.org"):
        assert secret not in raw
    key = bytes.fromhex((folder / "rejected.key").read_text())
    interaction, outcome = rejected_lines(folder)
    event = interaction["event"]
    assert event["id"] == bad.id and event["workload"] == "w"
    assert event["user_id"] == hash_user(key, "priya-7")
    assert event["session_id"] == hash_user(key, "sess-priya-r")
    assert event["join_key"] == outcome["event"]["join_key"] == hash_user(key, "priya.r@example.org")
    assert event["context_ids"] == ["doc for <EMAIL_ADDRESS>"]  # any other string is redacted text
    assert outcome["error"]["field"] == "name"
    # erasure still finds the user's interaction, and the outcome joined by their join key
    assert forget_user(folder, "priya-7") == {"spool": 0, "journal": 0, "rejected": 2}


# --- issue 9: the SDK never loses an event ----------------------------------------------------------


def test_the_redaction_engine_loads_on_the_callers_thread_and_a_missing_package_fails_flywheel(
    store, tmp_path, settings, monkeypatch
):
    import threading

    from flyloop import privacy

    loaded_on = []
    monkeypatch.setattr(
        privacy, "load_redaction", lambda mode: loaded_on.append((mode, threading.current_thread().name))
    )
    make(store, tmp_path).close()
    # The project's mode, then the pattern redactor for rejected records: both here, none later.
    assert set(loaded_on) == {("pattern", threading.current_thread().name)}

    def missing(mode: str) -> None:
        raise ModuleNotFoundError("No module named 'presidio_analyzer'", name="presidio_analyzer")

    monkeypatch.setattr(privacy, "load_redaction", missing)
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ConfigError) as raised:
        make(store, tmp_path)
    assert str(raised.value) == (
        "redaction mode 'pattern' needs a package that is not installed (presidio_analyzer): pip install 'flyloop[pii]'"
    )
    assert {t.name for t in threading.enumerate()} == before  # no sender thread was started


EXIT_50 = textwrap.dedent("""
    import sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    for n in range(50):
        fw.log("w", f"write to me at user{n}@example.com", "ok", id=f"exit50-{n}", user_id=f"u{n}")
""")


def test_an_app_with_heavy_extras_that_exits_without_close_stores_all_and_prints_nothing(
    database_url, tmp_path, settings
):
    project = f"exit-{uuid.uuid4().hex[:8]}"
    done = run_app(EXIT_50, database_url, tmp_path, project)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored(database_url, project) == {"interactions": 50, "signals": 0, "outcomes": 0}


DROPPED = textwrap.dedent("""
    import gc, sys
    import flyloop

    def log_once():  # the app keeps no reference to the client once this returns
        fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
        for n in range(50):
            fw.log("w", "q", "a", id=f"dropped-{n}")

    log_once()
    gc.collect()
""")


def test_a_client_the_app_dropped_without_close_still_delivers_at_exit(database_url, tmp_path, settings):
    project = f"dropped-{uuid.uuid4().hex[:8]}"
    done = run_app(DROPPED, database_url, tmp_path, project)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored(database_url, project) == {"interactions": 50, "signals": 0, "outcomes": 0}


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


def test_durable_mode_journals_each_call_and_deletes_what_was_delivered(store, tmp_path, settings):
    client = make(store, tmp_path, sdk_durable=True, sdk_flush_interval_s=3600, sdk_batch_size=1000)
    Outage(client)
    handles = [client.log("w", f"q{n}", id=f"d-{n}") for n in range(20)]
    handles[0].thumbs_up(id="d-s0")
    journal = tmp_path / "spool" / "journal"
    (segment,) = journal.glob("*.jsonl")
    lines = [orjson.loads(line) for line in segment.read_bytes().splitlines()]
    assert [event["id"] for _, event in lines] == [f"d-{n}" for n in range(20)] + ["d-s0"]
    assert lines[0] == ["interactions", {"id": "d-0", "workload": "w", "input": "q0", "ts": lines[0][1]["ts"]}]
    client.close(timeout=0.3)  # the store is down: everything is spooled, so the journal goes
    assert list(journal.iterdir()) == [] and len(spooled_events(tmp_path / "spool")) == 21


def test_durable_mode_rotates_the_journal_once_a_batch_is_stored(store, tmp_path, settings):
    client = make(store, tmp_path, sdk_durable=True)
    for n in range(50):
        client.log("w", f"q{n}")
    assert client.flush()
    journal = tmp_path / "spool" / "journal"
    assert [p.stat().st_size for p in journal.glob("*.jsonl")] == [0]  # only the fresh segment, empty
    client.close()
    assert list(journal.iterdir()) == []


KILLED = textwrap.dedent("""
    import os, signal, sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4],
                          sdk_durable=True, sdk_flush_interval_s=3600, sdk_batch_size=100000)
    for n in range(int(sys.argv[5])):
        fw.log("w", f"q{n}", id=f"k-{n}").thumbs_up(id=f"k-s{n}")
    os.kill(os.getpid(), signal.SIGKILL)  # before anything was sent: only the journal has them
""")


def test_an_app_killed_with_sigkill_in_durable_mode_loses_nothing_and_stores_nothing_twice(
    database_url, tmp_path, settings
):
    project = f"kill-{uuid.uuid4().hex[:8]}"
    spool = tmp_path / "spool"
    done = run_app(KILLED, database_url, tmp_path, project, "3000", spool=spool)
    assert done.returncode == -9, done.stderr
    assert sum(len(p.read_bytes().splitlines()) for p in (spool / "journal").glob("*.jsonl")) == 6000
    fw = Flywheel(database_url=database_url, home=str(tmp_path / "home"), project=project, spool_dir=spool)
    try:
        assert fw.flush(timeout=30) is True
        assert fw.stats.sent == 6000
    finally:
        fw.close()
    db = Store(database_url)
    try:
        assert counts(db, project) == {"interactions": 3000, "signals": 3000, "outcomes": 0}
    finally:
        db.close()
    assert list((spool / "journal").iterdir()) == [] and list(spool.glob("*.json")) == []


def test_a_local_client_mints_a_feedback_token_the_browser_route_accepts(store, tmp_path, settings):
    from flyloop.capture.feedback_tokens import submit_feedback

    client = make(store, tmp_path)
    it = client.log("w", "q", user_id="u1")
    assert client.flush()
    token = client.feedback_token(it.id, kinds=["thumbs_up", "thumbs_down"], ttl_s=60)
    assert sorted(token) == ["expires_at", "kinds", "max_uses", "token"]
    assert token["kinds"] == ["thumbs_down", "thumbs_up"] and token["max_uses"] == 1
    assert time.time() + 55 < token["expires_at"] <= time.time() + 60
    submit_feedback(client.capture, {"token": token["token"], "kind": "thumbs_up"})
    assert [s["kind"] for s in sent_signals(store, it.id)] == ["thumbs_up"]
    with pytest.raises(ValidationError):
        client.feedback_token(it.id, ttl_s=-1)
    client.close()


def test_the_async_client_mints_a_feedback_token_too(store, tmp_path, settings):
    async def main() -> dict[str, Any]:
        settings_ = Settings(home=str(tmp_path / "home"), database_url="sqlite://", project="acme")
        async with AsyncFlywheel(store=store, settings=settings_, spool_dir=tmp_path / "spool") as afw:
            it = afw.log("w", "q")
            assert await afw.flush()
            return await afw.feedback_token(it.id, kinds=["rating"], max_uses=3)

    token = asyncio.run(main())
    assert (token["kinds"], token["max_uses"]) == (["rating"], 3)


NO_LATE_IMPORTS = textwrap.dedent("""
    import sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    before = set(sys.modules)
    for n in range(20):
        it = fw.log("w", f"mail me at jane{n}@example.com, I'm Jane Doe", "ok", user_id=f"u{n}", session_id="s")
        it.thumbs_up()
        it.edit("a better answer")
        it.outcome("resolved", 1.0)
    fw.log("w", "q", tokens_in=2**40)  # rejected: scrubbed on the sender's thread
    assert fw.flush(timeout=60)
    print(sorted(set(sys.modules) - before))
""")


def test_after_flywheel_returns_the_sender_thread_imports_nothing(database_url, tmp_path, settings):
    # A module the sender's thread imports late can be one an exiting interpreter refuses (torch
    # registering an atexit hook): everything it needs was loaded by Flywheel().
    project = f"imports-{uuid.uuid4().hex[:8]}"
    done = run_app(NO_LATE_IMPORTS, database_url, tmp_path, project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


LATE_THREAD = textwrap.dedent("""
    import sys, threading, time
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])

    def worker() -> None:  # a non-daemon thread still logging after the main thread is done
        time.sleep(0.5)
        for n in range(10):
            fw.log("w", f"late {n}", id=f"late-{n}")

    threading.Thread(target=worker).start()
    for n in range(10):
        fw.log("w", f"main {n}", id=f"main-{n}")
""")


def test_events_an_app_thread_logs_while_the_interpreter_exits_are_delivered_too(database_url, tmp_path, settings):
    # The exit flush runs before the app's threads are joined (so before libraries tear down in
    # atexit hooks); the client stays open for them, and the atexit hook sends the rest.
    project = f"late-{uuid.uuid4().hex[:8]}"
    done = run_app(LATE_THREAD, database_url, tmp_path, project)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored(database_url, project) == {"interactions": 20, "signals": 0, "outcomes": 0}


NER_EXIT = textwrap.dedent("""
    import sys
    import torch  # an AI app
    import flyloop
    from flyloop.privacy.policy import set_privacy_policy
    store = flyloop.Store(sys.argv[1])
    store.ensure_project(sys.argv[3])
    set_privacy_policy(store, sys.argv[3], {"redaction": {"mode": "ner"}})
    fw = flyloop.Flywheel(store=store, home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    for n in range(50):
        fw.log("w", f"I'm Jane Doe, mail me at jane{n}@example.com", "ok", id=f"ner-{n}", user_id=f"u{n}")
""")


@pytest.mark.slow
def test_an_app_with_torch_in_ner_mode_that_exits_without_close_stores_all_and_exits_cleanly(
    database_url, tmp_path, settings
):
    # NER redaction on the sender's thread after torch's and spaCy's atexit hooks had run
    # corrupted the heap (rc 134); the exit flush now runs before any atexit hook.
    pytest.importorskip("torch")
    from flyloop.privacy.redaction import SPACY_MODEL

    spacy = pytest.importorskip("spacy")
    if not spacy.util.is_package(SPACY_MODEL):
        pytest.skip(f"the spaCy model {SPACY_MODEL} is not installed")
    project = f"ner-exit-{uuid.uuid4().hex[:8]}"
    done = run_app(NER_EXIT, database_url, tmp_path, project, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    db = Store(database_url)
    try:
        assert counts(db, project) == {"interactions": 50, "signals": 0, "outcomes": 0}
        assert db.get_interaction(project, "ner-7")["input"] == "I'm <PERSON>, mail me at <EMAIL_ADDRESS>"
    finally:
        db.close()


def test_a_failed_label_catch_up_is_retried_by_the_next_flush(tmp_path, monkeypatch):
    """A local flush labels what it stored; when that catch-up fails once, the next flush labels."""
    from flyloop import errors, labels

    real, calls = labels.catch_up, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise errors.StoreError("the store is unavailable: database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(labels, "catch_up", flaky)
    fw = Flywheel(project="flaky", database_url=f"sqlite:///{tmp_path / 'f.db'}", spool_dir=tmp_path / "spool")
    it = fw.log("w", input="q", output="a", user_id="u")
    it.thumbs_up()
    assert fw.flush() is True
    with pytest.raises(errors.NotFound):
        fw.labels.get(it.id)
    assert fw.flush() is True
    assert fw.labels.get(it.id).verdict == "good"
    fw.close()
