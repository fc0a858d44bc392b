"""Shared fixtures. A fresh store per test: in-memory SQLite by default; PostgreSQL when
FLYLOOP_TEST_DATABASE_URL is set (``make test`` runs the suite both ways), migrated once and
emptied between tests."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

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
    from flyloop.capture import workloads

    workloads._cache.clear()


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
