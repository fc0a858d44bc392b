"""The SDK's background sender (flyloop.sdk.sender), against a sink in memory: batches by count,
a failing sink's events spooled and sent again with their ids, a bad event set aside without its
batch, a refused key stopping the sending once, and HTTP answers read as flyloop's errors."""

from __future__ import annotations

import threading

import httpx
import orjson
import pytest

from conftest import eventually
from flyloop import errors
from flyloop.events.wire import IngestBatch
from flyloop.sdk.sender import Sender, _answer_error


class Sink:
    """Stores what it is sent, or fails the way it is told to."""

    def __init__(self) -> None:
        self.batches: list[IngestBatch] = []
        self.fail: errors.FlyloopError | None = None
        self.lock = threading.Lock()

    def send(self, batch: IngestBatch) -> None:
        with self.lock:
            if self.fail is not None:
                raise self.fail
            self.batches.append(batch)

    def probe(self) -> bool:
        return self.fail is None

    def close(self) -> None:
        pass

    def ids(self) -> list[str]:
        return [event.id for batch in self.batches for event in batch.interactions]


def interaction(n: int, **kw) -> dict:
    return {"id": f"i{n}", "workload": "w", "input": f"q{n}", **kw}


@pytest.fixture
def sink() -> Sink:
    return Sink()


def make(sink: Sink, tmp_path, **kw) -> Sender:
    return Sender(sink, tmp_path / "spool", flush_interval_s=kw.pop("flush_interval_s", 3600), **kw)


def test_events_go_in_batches_of_the_batch_size_in_order(sink, tmp_path):
    sender = make(sink, tmp_path, batch_size=3)
    for n in range(10):
        sender.put("interactions", interaction(n))
    assert sender.flush(timeout=10) is True
    assert sink.ids() == [f"i{n}" for n in range(10)]
    assert [len(b.interactions) for b in sink.batches] == [3, 3, 3, 1]
    assert (sender.stats.sent, sender.stats.batches, sender.stats.failures) == (10, 4, 0)
    assert sender.pending == 0
    assert sender.close() is True


def test_a_failing_sink_spools_and_the_same_ids_are_sent_when_it_is_back(sink, tmp_path):
    sink.fail = errors.TransportError("down")
    sender = make(sink, tmp_path, max_backoff_s=0.05)
    for n in range(4):
        sender.put("interactions", interaction(n))
    assert sender.flush(timeout=0.5) is False
    assert eventually(lambda: sender.stats.spooled == 4 and sender.stats.failures >= 1)
    assert len(list((tmp_path / "spool").glob("*.json"))) == 1
    sink.fail = None
    assert sender.flush(timeout=10) is True
    assert sink.ids() == ["i0", "i1", "i2", "i3"] and sender.stats.sent == 4
    assert list((tmp_path / "spool").glob("*.json")) == []
    sender.close()


def test_an_event_that_breaks_a_rule_is_set_aside_and_its_batch_goes_on(sink, tmp_path):
    sender = make(sink, tmp_path)
    sender.put("interactions", interaction(1))
    sender.put("interactions", {"id": "bad", "input": "no workload"})
    sender.put("interactions", interaction(2))
    assert sender.flush(timeout=10) is True
    assert sink.ids() == ["i1", "i2"]
    assert (sender.stats.sent, sender.stats.rejected) == (2, 1)
    (record,) = [orjson.loads(line) for line in (tmp_path / "spool" / "rejected.jsonl").read_bytes().splitlines()]
    assert record["event"]["id"] == "bad" and record["error"]["field"] == "workload"
    sender.close()


def test_a_sink_that_refuses_one_event_of_a_batch_loses_only_that_one(sink, tmp_path):
    class Picky(Sink):
        def send(self, batch: IngestBatch) -> None:
            if any(event.id == "i3" for event in batch.interactions):
                raise errors.ValidationError("the server's limit is stricter", field="input")
            super().send(batch)

    picky = Picky()
    sender = make(picky, tmp_path)
    for n in range(6):
        sender.put("interactions", interaction(n))
    assert sender.flush(timeout=10) is True
    assert sorted(picky.ids()) == ["i0", "i1", "i2", "i4", "i5"]
    assert sender.stats.rejected == 1
    sender.close()


def test_a_refused_key_stops_sending_raises_once_and_keeps_the_events(sink, tmp_path):
    sink.fail = errors.AuthError("the server refused the API key (401: unknown key)")
    sender = make(sink, tmp_path)
    sender.put("interactions", interaction(1))
    with pytest.raises(errors.AuthError) as caught:
        sender.flush(timeout=10)
    assert "sending stopped, the events are kept in the spool" in caught.value.message
    assert sender.flush(timeout=1) is False  # raised once; after that, False
    assert sender.stats.auth_failed is True and sink.batches == []
    assert sender.close(timeout=1) is False
    assert len(list((tmp_path / "spool").glob("*.json"))) == 1  # for a client with a working key


def test_a_full_queue_spills_to_the_spool_instead_of_dropping(tmp_path):
    class Blocking(Sink):
        """The first send waits until released: the sender thread is busy, the queue fills."""

        def __init__(self) -> None:
            super().__init__()
            self.entered, self.release = threading.Event(), threading.Event()

        def send(self, batch: IngestBatch) -> None:
            self.entered.set()
            self.release.wait(10)
            super().send(batch)

    sink = Blocking()
    sender = make(sink, tmp_path, queue_size=5, batch_size=5)
    for n in range(5):
        sender.put("interactions", interaction(n))
    assert sink.entered.wait(10)  # the thread took the first five and is stuck sending them
    for n in range(5, 17):
        sender.put("interactions", interaction(n))
    assert sender.stats.overflowed > 0 and sender.stats.dropped == 0 and sender.pending <= 5
    sink.release.set()
    assert sender.flush(timeout=10) is True
    assert sorted(sink.ids(), key=lambda i: int(i[1:])) == [f"i{n}" for n in range(17)]
    sender.close()


def test_close_spools_what_it_could_not_deliver_for_the_next_run(sink, tmp_path):
    sink.fail = errors.TransportError("down")
    sender = make(sink, tmp_path, max_backoff_s=60)
    sender.put("interactions", interaction(1))
    assert sender.close(timeout=0.3) is False
    sink.fail = None
    again = make(sink, tmp_path)
    assert again.flush(timeout=10) is True and sink.ids() == ["i1"]
    again.close()


@pytest.mark.parametrize(
    "status, body, cls, message",
    [
        (422, {"message": "bad kind", "field": "kind"}, errors.ValidationError, "bad kind"),
        (413, {"message": "too large"}, errors.ValidationError, "too large"),
        (401, {"message": "unknown key"}, errors.AuthError, "the server refused the API key (401: unknown key)"),
        (403, {"message": "no scope"}, errors.PermissionDenied, "the server refused the API key (403: no scope)"),
        (404, {"message": "no such"}, errors.NotFound, "no such"),
        (429, {"message": "slow down"}, errors.TransportError, "server answered 429: slow down"),
        (503, "overloaded", errors.TransportError, "server answered 503: overloaded"),
    ],
)
def test_http_answers_become_flyloops_errors(status, body, cls, message):
    error = _answer_error(httpx.Response(status, json=body))
    assert type(error) is cls and error.message == message
    if status == 422:
        assert error.field == "kind"


def test_an_answer_that_is_not_json_is_quoted_cut_to_200_characters():
    error = _answer_error(httpx.Response(502, text="<html>" + "x" * 500))
    assert type(error) is errors.TransportError
    assert error.message == "server answered 502: " + ("<html>" + "x" * 500)[:200]


def test_after_delivery_runs_before_a_flush_returns_and_not_when_nothing_was_delivered(sink, tmp_path):
    """The local transport's label catch-up hangs here: a flush that returns True has run it
    after the last batch it waited for; a drain that delivered nothing does not run it."""
    calls: list[int] = []
    sender = make(sink, tmp_path, batch_size=2, after_delivery=lambda: calls.append(len(sink.ids())))
    assert sender.flush(timeout=10) is True and calls == []
    for n in range(5):
        sender.put("interactions", interaction(n))
    assert sender.flush(timeout=10) is True
    assert calls == [5]  # once, after all three batches of the drain were stored
    assert sender.flush(timeout=10) is True and calls == [5]
    sender.close()


def test_an_after_delivery_step_that_failed_is_run_again_by_the_next_flush(sink, tmp_path):
    """The local transport's catch-up answers False when it failed (a locked store, say): it stays
    owed, so the next flush runs it again instead of returning over labels that never come."""
    results = [False, True]
    calls: list[int] = []

    def step() -> bool:
        calls.append(len(sink.ids()))
        return results[len(calls) - 1]

    sender = make(sink, tmp_path, after_delivery=step)
    sender.put("interactions", interaction(0))
    assert sender.flush(timeout=10) is True and calls == [1]
    assert sender.flush(timeout=10) is True and calls == [1, 1]  # retried, though nothing new arrived
    assert sender.flush(timeout=10) is True and calls == [1, 1]  # done: not run again
    sender.close()
