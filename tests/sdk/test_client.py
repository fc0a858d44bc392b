"""The SDK client on its local transport: what the app calls and what lands in the store (ids, the
fields of an interaction, each handle method, join keys, the cheap rules raised on the call, a
closed client), the asyncio client, feedback tokens, where the redaction engine loads, and the
label catch-up after a flush.

The helpers here (``make``, ``counts``, ``Outage``...) serve the client's other test modules too:
the sender's delivery and rejected events (``test_sdk_sender.py``), what the spool keeps of a user
(``test_sdk_spool.py``), durable mode (``test_sdk_journal.py``) and an app's exit
(``test_sdk_client.py``). The HTTP transport against a live server is in ``test_e2e.py``."""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from flyloop import AsyncFlywheel, ConfigError, Flywheel, Settings, Store, StoreError, ValidationError
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


# --- the redaction engine, loaded by Flywheel() (issue 9) -----------------------------------------


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


# --- feedback tokens ------------------------------------------------------------------------------


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


# --- labels after a flush -------------------------------------------------------------------------


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
