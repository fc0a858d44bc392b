"""The SDK's HTTP transport against a live ``flyloop serve``: a real process on a loopback port,
over a file SQLite store (or the PostgreSQL server when FLYLOOP_TEST_DATABASE_URL is set).

What must never happen is tested here the hard way: a batch sent twice, a server that is down,
an app restarted with a spool left over, a server killed with ``kill -9`` mid-ingest, and a
server whose rules are stricter than the SDK's."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import eventually
from flyloop import AuthError, Flywheel, PermissionDenied, Store, ValidationError
from flyloop.store.tables import (
    interactions as interactions_table,
)
from flyloop.store.tables import (
    outcomes as outcomes_table,
)
from flyloop.store.tables import (
    signals as signals_table,
)

PG_URL = os.environ.get("FLYLOOP_TEST_DATABASE_URL")
DERIVED = ("inferred", "system")  # signals flyloop derives itself (later stages); never sent here


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``flyloop serve`` in a subprocess; ``start`` waits until it answers ``/healthz``."""

    def __init__(self, database_url: str, home: Path, **env: str) -> None:
        self.database_url = database_url
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FLYLOOP_")}
        self.env.update(FLYLOOP_HOME=str(home), **env)
        self.process: subprocess.Popen | None = None
        self.log = home / "server.log"

    def start(self, timeout: float = 30.0) -> LiveServer:
        return self.launch().wait(timeout)

    def launch(self) -> LiveServer:
        """Start the process and return at once (servers boot side by side)."""
        self.home.mkdir(parents=True, exist_ok=True)
        script = Path(sys.executable).with_name("flyloop")
        command = [str(script)] if script.exists() else [sys.executable, "-c", "from flyloop.cli import main; main()"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    *command,
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait(self, timeout: float = 30.0) -> LiveServer:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"flyloop serve exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}"
                )
            try:
                if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"flyloop serve did not answer in {timeout}s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> int:
        """``kill -9``: no shutdown hook runs, whatever was in flight is cut."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        return self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def stored_ids(db: Store, project: str, table: sa.Table = signals_table) -> set[str]:
    query = sa.select(table.c.id).where(table.c.project_id == project)
    if table is signals_table:
        query = query.where(table.c.source.not_in(DERIVED))
    with db.read() as conn:
        return set(conn.execute(query).scalars())


def counts(db: Store, project: str) -> dict[str, int]:
    return {
        "interactions": len(stored_ids(db, project, interactions_table)),
        "signals": len(stored_ids(db, project, signals_table)),
        "outcomes": len(stored_ids(db, project, outcomes_table)),
    }


def spool_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.exists() else []


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Iterator[Store]:
    """The store the module's shared server runs on; each test works in a project of its own."""
    url = PG_URL or f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'flyloop.db'}"
    store = Store(url)
    yield store
    store.close()


@pytest.fixture(scope="module")
def servers(db: Store, tmp_path_factory) -> Iterator[dict[str, LiveServer]]:
    """Every server the module needs from the start, booted side by side on the same store:
    the shared one, one to kill, and one whose text limit is stricter than the SDK's."""
    live = {
        "shared": LiveServer(db.url, tmp_path_factory.mktemp("shared")),
        "kill": LiveServer(db.url, tmp_path_factory.mktemp("kill")),
        "strict": LiveServer(db.url, tmp_path_factory.mktemp("strict"), FLYLOOP_MAX_TEXT_CHARS="100"),
    }
    try:
        for server in live.values():
            server.launch()
        for server in live.values():
            server.wait()
        yield live
    finally:
        for server in live.values():
            server.stop()


@pytest.fixture
def server(servers: dict[str, LiveServer]) -> LiveServer:
    return servers["shared"]


@pytest.fixture
def project(db: Store) -> tuple[str, str]:
    """A fresh project and an ingest+read key for it."""
    name = f"e2e-{uuid.uuid4().hex[:10]}"
    return name, db.create_key(name, ["ingest", "read"])[1]


def client(url: str, secret: str, spool: Path, **overrides: Any) -> Flywheel:
    home = spool.parent / "client-home"
    return Flywheel(server_url=url, api_key=secret, spool_dir=spool, home=str(home), **overrides)


# --- idempotency ---------------------------------------------------------------------------------


def test_the_same_batch_sent_twice_is_stored_once(server, db, project):
    name, secret = project
    body = orjson.dumps(
        {
            "interactions": [
                {"id": f"i{n}", "workload": "support", "input": f"question {n}", "output": "answer"} for n in range(100)
            ],
            "signals": [{"id": f"s{n}", "interaction_id": f"i{n % 100}", "kind": "thumbs_up"} for n in range(200)],
            "outcomes": [
                {"id": f"o{n}", "interaction_id": f"i{n}", "name": "resolved", "value": 1.0} for n in range(10)
            ],
        }
    )
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        first = http.post("/v1/ingest", content=body)
        second = http.post("/v1/ingest", content=body)
        status = http.get("/v1/status").json()
    assert first.status_code == second.status_code == 200
    assert first.json() == {"interactions": 100, "signals": 200, "outcomes": 10, "duplicates": 0}
    assert second.json() == {"interactions": 0, "signals": 0, "outcomes": 0, "duplicates": 310}
    assert status["counts"]["interactions"] == 100 and status["counts"]["outcomes"] == 10
    assert counts(db, name) == {"interactions": 100, "signals": 200, "outcomes": 10}


POOL = 40  # ids per example: batches are slices of these, so they overlap


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    slices=st.lists(st.tuples(st.integers(0, POOL - 1), st.integers(1, 15)), min_size=1, max_size=6),
    order=st.lists(st.integers(0, 5), min_size=1, max_size=10),
    parallel=st.booleans(),
)
def test_any_interleaving_or_repeat_of_batches_stores_each_id_once(server, db, project, slices, order, parallel):
    name, secret = project
    tag = uuid.uuid4().hex[:8]
    batches = []
    for start, length in slices:
        ids = range(start, min(POOL, start + length))
        batches.append(
            orjson.dumps(
                {
                    "interactions": [{"id": f"{tag}-i{n}", "workload": "w", "input": f"q{n}"} for n in ids],
                    "signals": [{"id": f"{tag}-s{n}", "interaction_id": f"{tag}-i{n}", "kind": "accept"} for n in ids],
                }
            )
        )
    sends = [batches[k % len(batches)] for k in order]  # any order, any repeats
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        if parallel:  # two clients at once: true interleaving on the server
            with ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(lambda body: http.post("/v1/ingest", content=body), sends))
        else:
            answers = [http.post("/v1/ingest", content=body) for body in sends]
    assert [a.status_code for a in answers] == [200] * len(sends)
    expected = {n for k in order for n in range(slices[k % len(batches)][0], min(POOL, sum(slices[k % len(batches)])))}
    got_interactions = {i for i in stored_ids(db, name, interactions_table) if i.startswith(tag)}
    got_signals = {i for i in stored_ids(db, name, signals_table) if i.startswith(tag)}
    assert got_interactions == {f"{tag}-i{n}" for n in expected}
    assert got_signals == {f"{tag}-s{n}" for n in expected}
    if not parallel:  # sequential answers account for every event exactly once
        new = sum(a.json()["interactions"] + a.json()["signals"] for a in answers)
        assert new == 2 * len(expected)
        assert (
            sum(a.json()["duplicates"] for a in answers)
            == sum(len(orjson.loads(b)["interactions"]) * 2 for b in sends) - new
        )


# --- the server is down, then back ---------------------------------------------------------------


def test_a_down_server_spools_to_disk_and_the_spool_replays_when_it_returns(db, project, tmp_path):
    name, secret = project
    live = LiveServer(db.url, tmp_path / "server")  # port chosen, nothing listening yet
    spool = tmp_path / "spool"
    fw = client(live.url, secret, spool, sdk_batch_size=500)
    try:
        handles = [fw.log("support", f"question {n}", "answer", session_id=f"s{n}") for n in range(1000)]
        signal_ids = [h.thumbs_up() for h in handles]
        assert fw.flush(timeout=0.5) is False
        assert fw.stats.sent == 0 and fw.stats.failures >= 1
        # On disk or still queued, none lost (checked between two retries: a batch in the
        # sender's hands during one is in neither place for that instant).
        assert eventually(
            lambda: (
                fw.stats.spooled + fw.pending == 2000
                and sum(len(orjson.loads(p.read_bytes())) for p in spool_files(spool)) == fw.stats.spooled
            )
        )
        assert counts(db, name) == {"interactions": 0, "signals": 0, "outcomes": 0}
        live.start()
        assert fw.flush(timeout=30) is True
        assert stored_ids(db, name, interactions_table) == {h.id for h in handles}
        assert stored_ids(db, name, signals_table) == set(signal_ids)
        assert fw.stats.sent == 2000 and fw.stats.rejected == 0 and spool_files(spool) == []
    finally:
        fw.close(timeout=1)
        live.stop()


FIRST_RUN = textwrap.dedent("""
    import sys, orjson
    import flyloop
    url, secret, spool, home = sys.argv[1:5]
    fw = flyloop.Flywheel(server_url=url, api_key=secret, spool_dir=spool, home=home)
    for n in range(1000):
        it = fw.log("support", f"question {n}", "answer", id=f"run1-{n}")
        it.thumbs_down(id=f"run1-s{n}")
    delivered = fw.close(timeout=0.5)  # the server is down: everything goes to the spool
    print(orjson.dumps({"delivered": delivered, "spooled": fw.stats.spooled, "sent": fw.stats.sent}).decode())
""")


def test_a_restarted_app_replays_the_spool_its_previous_run_left(server, db, project, tmp_path):
    name, secret = project
    spool = tmp_path / "spool"
    dead = f"http://127.0.0.1:{free_port()}"
    first = subprocess.run(
        [sys.executable, "-c", FIRST_RUN, dead, secret, str(spool), str(tmp_path / "home")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert first.returncode == 0, first.stderr
    assert orjson.loads(first.stdout) == {"delivered": False, "spooled": 2000, "sent": 0}
    assert sum(len(orjson.loads(p.read_bytes())) for p in spool_files(spool)) == 2000
    second = client(server.url, secret, spool)  # the next run of the app, with the server up
    try:
        assert second.flush(timeout=30) is True
        assert second.stats.sent == 2000
    finally:
        second.close()
    assert stored_ids(db, name, interactions_table) == {f"run1-{n}" for n in range(1000)}
    assert stored_ids(db, name, signals_table) == {f"run1-s{n}" for n in range(1000)}
    assert spool_files(spool) == []


def test_a_wrong_key_stops_sending_keeps_the_events_and_raises_once(server, db, project, tmp_path):
    name, secret = project
    spool = tmp_path / "spool"
    wrong = client(server.url, "fl_nope_" + "x" * 40, spool)
    ids = {wrong.log("w", f"q{n}").id for n in range(50)}
    with pytest.raises(AuthError) as raised:
        wrong.flush(timeout=5)
    assert str(raised.value).startswith("the server refused the API key (401: ")
    assert f"sending stopped, the events are kept in the spool ({spool})" in str(raised.value)
    assert wrong.stats.auth_failed is True and wrong.stats.failures == 1  # no retry loop
    for n in range(50, 60):  # later calls still land in the spool, without another request
        ids.add(wrong.log("w", f"q{n}").id)
    assert wrong.flush(timeout=5) is False and wrong.stats.failures == 1
    started = time.monotonic()
    assert wrong.close() is False
    assert time.monotonic() - started < 1.0
    assert wrong.stats.rejected == 0 and wrong.stats.sent == 0
    assert {e[1]["id"] for p in spool_files(spool) for e in orjson.loads(p.read_bytes())} == ids
    right = client(server.url, secret, spool)
    assert right.flush(timeout=10) is True
    right.close()
    assert stored_ids(db, name, interactions_table) == ids


def test_a_key_without_the_ingest_scope_is_refused_the_same_way(server, db, project, tmp_path):
    name, _ = project
    read_only = db.create_key(name, ["read"])[1]
    fw = client(server.url, read_only, tmp_path / "spool")
    fw.log("w", "q")
    with pytest.raises(PermissionDenied):
        fw.flush(timeout=5)
    assert fw.stats.auth_failed is True
    fw.close(timeout=1)


def test_after_an_outage_the_client_resumes_within_a_probe_not_a_backoff(db, project, tmp_path):
    name, secret = project
    live = LiveServer(db.url, tmp_path / "server")  # port chosen, nothing listening yet
    # A long backoff allowed on purpose: what ends the wait must be the probe.
    fw = client(live.url, secret, tmp_path / "spool", sdk_max_backoff_s=60, sdk_flush_interval_s=0.05)
    try:
        fw.log("w", "first")
        assert eventually(lambda: fw.stats.failures >= 4, timeout=10)  # backoff 0.25, 0.5, 1, 2 ... s
        live.start()
        up = time.monotonic()
        ids = {fw.log("w", f"q{n}").id for n in range(100)}  # no flush: the sender finds the server itself
        assert eventually(lambda: fw.stats.sent == 101, timeout=5)
        # By now the backoff had grown to several seconds (the server takes seconds to boot):
        # only the probe, every half second, gets it sent this soon.
        assert time.monotonic() - up < 3.0
        assert ids <= stored_ids(db, name, interactions_table)
    finally:
        fw.close(timeout=1)
        live.stop()


def test_a_server_client_mints_a_feedback_token_for_the_browser(server, db, project, tmp_path):
    name, secret = project
    fw = client(server.url, secret, tmp_path / "spool")
    try:
        it = fw.log("w", "q")
        assert fw.flush(timeout=10)
        token = fw.feedback_token(it.id, kinds=["thumbs_up"], ttl_s=120)
        assert token["kinds"] == ["thumbs_up"] and token["max_uses"] == 1
        assert time.time() + 110 < token["expires_at"] <= time.time() + 121
        answer = httpx.post(server.url + "/v1/feedback", json={"token": token["token"], "kind": "thumbs_up"})
        assert answer.status_code == 200, answer.text
        signals = [s for s in db.get_interaction(name, it.id)["signals"] if s["source"] not in DERIVED]
        assert [s["kind"] for s in signals] == ["thumbs_up"]
        with pytest.raises(ValidationError) as raised:
            fw.feedback_token(it.id, ttl_s=-5)
        assert raised.value.field == "ttl_s"
    finally:
        fw.close()


# --- kill -9 mid-ingest ---------------------------------------------------------------------------


def test_kill_9_mid_ingest_loses_no_acknowledged_event_and_stores_none_twice(servers, db, project, tmp_path):
    name, secret = project
    live = servers["kill"]
    fw = client(live.url, secret, tmp_path / "spool", sdk_batch_size=500, sdk_max_backoff_s=0.5)
    acknowledged: list[str] = []
    sink = fw._sender.sink
    send = sink.send

    def recording_send(batch):  # what the server answered 200 for: acknowledged, so durable
        send(batch)
        acknowledged.extend([e.id for e in batch.interactions] + [e.id for e in batch.signals])

    sink.send = recording_send
    killed = threading.Event()

    def killer() -> None:
        while len(acknowledged) < 5_000:
            time.sleep(0.002)
        live.kill()
        killed.set()

    watcher = threading.Thread(target=killer, daemon=True)
    watcher.start()
    logged_interactions, logged_signals = set(), set()
    try:
        for n in range(10_000):  # 20,000 events in batches of 500
            it = fw.log("support", f"question {n}", "answer")
            logged_interactions.add(it.id)
            logged_signals.add(it.accept())
            if n % 1000 == 0:
                time.sleep(0.05)  # let the sender catch up a little, so the kill lands mid-stream
        assert killed.wait(30), "the server was never killed"
        assert live.process.returncode == -signal.SIGKILL
        # The server is dead: every acknowledged event must already be in the store.
        acked = set(acknowledged)
        assert 5_000 <= len(acked) < 20_000
        on_disk = stored_ids(db, name, interactions_table) | stored_ids(db, name, signals_table)
        assert acked <= on_disk
        live.start()  # same port and store: the SDK's retries and spool reach it
        assert fw.flush(timeout=60) is True
    finally:
        fw.close(timeout=5)
        live.stop()
    assert stored_ids(db, name, interactions_table) == logged_interactions
    assert stored_ids(db, name, signals_table) == logged_signals
    with db.read() as conn:  # nothing twice: as many rows as distinct ids, exactly
        rows = conn.execute(
            sa.select(sa.func.count()).select_from(interactions_table).where(interactions_table.c.project_id == name)
        ).scalar_one()
    assert rows == len(logged_interactions) == 10_000
    assert fw.stats.rejected == 0


# --- the server's rules are stricter than the SDK's --------------------------------------------------


def test_events_the_server_refuses_are_isolated_and_the_rest_lands(servers, db, project, tmp_path):
    name, secret = project
    live = servers["strict"]
    spool = tmp_path / "spool"
    fw = client(live.url, secret, spool)  # the SDK allows 200,000 characters: it cannot know
    try:
        handles = [fw.log("support", f"question {n}", "x" * (150 if n in (5, 17, 33) else 10)) for n in range(40)]
        long_edit = handles[0].edit("y" * 101)
        fine_edit = handles[1].edit("short")
        assert fw.flush(timeout=30) is True
    finally:
        fw.close()
    bad = {handles[n].id for n in (5, 17, 33)} | {long_edit}
    lines = [orjson.loads(line) for line in (spool / "rejected.jsonl").read_bytes().splitlines()]
    assert {line["event"]["id"] for line in lines} == bad and fw.stats.rejected == 4
    by_id = {line["event"]["id"]: line["error"] for line in lines}
    assert by_id[handles[5].id]["field"] == "interactions[0].output"  # the server's own words, kept
    assert "longer than 100 characters (150)" in by_id[handles[5].id]["message"]
    assert "longer than 100 characters (101)" in by_id[long_edit]["message"]
    assert stored_ids(db, name, interactions_table) == {h.id for h in handles} - bad
    assert stored_ids(db, name, signals_table) == {fine_edit}
    assert fw.stats.sent == 38  # 37 interactions and one edit
