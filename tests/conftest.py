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
