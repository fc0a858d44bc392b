"""One narrow store, picked by URL.

``Store("sqlite:///path/flyloop.db")`` is the embedded default (WAL, one file, no server);
``Store("sqlite://")`` is in memory, for tests; ``Store("postgresql://...")`` is production. The
same SQLAlchemy Core code runs on both. The dialect-specific piece is ingest's idempotent
insert (``ON CONFLICT DO NOTHING``), written for each driver on the hot path: SQLite's
``executemany``, and on PostgreSQL one ``INSERT ... SELECT FROM unnest(arrays)`` per table and
batch. Other writes spell it through their dialect's ``insert`` (:meth:`Store.insert`).

Every method that touches events takes the project id first and filters by it: isolation is
enforced here, beneath the routes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from flyloop import errors
from flyloop.events.wire import IngestBatch, IngestResult, to_epoch
from flyloop.store import tables as schema

SCOPES = ("ingest", "read", "admin")


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` for psycopg 3, as users type them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def display_url(url: str) -> str:
    """The URL with its password masked, for anything printed or logged."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<not a database URL>"


@dataclass(frozen=True)
class ApiKey:
    id: str
    project_id: str
    name: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        # admin implies read and ingest: one key can run the whole project.
        return scope in self.scopes or "admin" in self.scopes


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Store:
    """The database behind flyloop. Thread-safe; one per process is enough."""

    def __init__(self, url: str, *, synchronous: str = "FULL", migrate: bool = True, create: bool = True) -> None:
        """Open the store at ``url``, migrating it to the newest schema.

        ``create=False`` opens only a store that exists: a missing SQLite file raises
        :class:`~flyloop.errors.NotFound` rather than appearing empty (read-only commands use it,
        so a mistyped home never looks like an empty project). A store that cannot be reached or
        opened raises a one-line :class:`~flyloop.errors.StoreError` naming where it looked.
        """
        self.url = normalize_url(url)
        try:
            sa_url = sa.make_url(self.url)
        except sa.exc.ArgumentError as exc:
            raise errors.ConfigError(f"not a database URL: {url!r}") from exc
        self.dialect = sa_url.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise errors.ConfigError(f"unsupported store {self.dialect!r}: use sqlite:/// or postgresql://")
        self.memory = self.dialect == "sqlite" and sa_url.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if self.memory:
                kwargs["poolclass"] = StaticPool
            else:
                path = Path(sa_url.database).expanduser()
                if not create and not path.exists():
                    raise errors.NotFound(f"no flyloop database at {path}", path=str(path))
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise errors.StoreError(f"cannot create the store's folder {path.parent}: {exc.strerror}") from None
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["pool_size"] = 10
            # No server-side prepared statements. psycopg prepares a query after its fifth run,
            # and PostgreSQL then plans it once for any values: for `interaction_id IN (500
            # ids)` that generic plan scanned the project's rows instead of probing the index,
            # and the label catch-up ran 17 times slower on its hottest read (measured). It
            # also keeps flyloop usable behind PgBouncer in transaction mode.
            # A host that drops packets would otherwise hang the first connection for minutes.
            kwargs["connect_args"] = {"prepare_threshold": None, "connect_timeout": 10}
        try:
            self.engine = sa.create_engine(self.url, **kwargs)
        except ModuleNotFoundError as exc:  # the driver comes with an extra
            raise errors.ConfigError(
                f"a {self.dialect} store needs its driver ({exc.name}): pip install 'flyloop[postgres]'"
            ) from None
        if synchronous.upper() not in ("FULL", "NORMAL", "OFF", "EXTRA"):
            raise errors.ConfigError(f"sqlite_synchronous must be FULL, NORMAL, EXTRA or OFF, not {synchronous!r}")
        if self.dialect == "sqlite":
            self._sqlite_pragmas(synchronous.upper())
        # SQLite has one writer at a time; serializing our own writers in-process avoids
        # busy-waiting on the file lock. The in-memory store shares one connection, so reads
        # take the lock too.
        self._write_lock = threading.RLock()
        if migrate:
            self._open(sa_url)

    def _open(self, sa_url: sa.URL) -> None:
        """Migrate, translating the first connection's failure into one line with no password:
        the driver's own error for a refused connection is a page of traceback."""
        from alembic.util import CommandError

        where = (
            f"PostgreSQL at {sa_url.host or 'localhost'}:{sa_url.port or 5432}/{sa_url.database or ''}"
            if self.dialect == "postgresql"
            else f"SQLite at {sa_url.database or ':memory:'}"
        )
        try:
            self.migrate()
        except sa.exc.DBAPIError as exc:
            self.engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
            raise errors.StoreError(f"cannot open the store ({where}): {reason}", store=where) from None
        except CommandError as exc:  # a schema revision this flyloop does not know: a newer one wrote it
            self.engine.dispose()
            raise errors.StoreError(f"cannot migrate the store ({where}): {exc}", store=where) from None

    # --- lifecycle --------------------------------------------------------------------------

    def _sqlite_pragmas(self, synchronous: str) -> None:
        memory = self.memory

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised through every test
            cursor = dbapi_conn.cursor()
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA busy_timeout=30000")
            # Deleted rows are overwritten with zeros, not left in free pages: an erased user's
            # text must not stay readable in the database file (erasure checkpoints the WAL).
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

    def migrate(self) -> None:
        """Bring the schema to the newest revision (every head, if branches exist)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(resources.files("flyloop.store") / "migrations"))
        with self._write_lock, self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "heads")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A transaction that commits on success and rolls back on any error."""
        try:
            with self._write_lock, self.engine.begin() as conn:
                yield conn
        except sa.exc.IntegrityError as exc:
            raise errors.Conflict(f"the store refused the write: {exc.orig}") from exc
        except sa.exc.DataError as exc:
            # A value the database cannot hold (PostgreSQL: a NUL character in text, an integer
            # past 32 bits): the data is at fault, so a 422, not a 500 nor an endless SDK retry.
            raise errors.ValidationError(f"the store cannot hold a value in this request: {exc.orig}") from exc
        except sa.exc.OperationalError as exc:
            raise errors.StoreError(f"the store is unavailable: {exc.orig}") from exc

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        try:
            if self.memory:
                with self._write_lock, self.engine.connect() as conn:
                    yield conn
            else:
                with self.engine.connect() as conn:
                    yield conn
        except sa.exc.DataError as exc:
            raise errors.ValidationError(f"the store cannot compare with a value in this request: {exc.orig}") from exc
        except sa.exc.OperationalError as exc:
            raise errors.StoreError(f"the store is unavailable: {exc.orig}") from exc

    def insert(self, table: sa.Table) -> Any:
        """An INSERT that skips rows whose key is already stored (idempotent writes)."""
        if self.dialect == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    # --- projects and keys ------------------------------------------------------------------

    def ensure_project(self, project_id: str, name: str | None = None) -> None:
        with self.write() as conn:
            conn.execute(
                self.insert(schema.projects),
                [{"id": project_id, "name": name or project_id, "created_at": time.time()}],
            )

    def projects(self) -> list[str]:
        with self.read() as conn:
            return [r.id for r in conn.execute(sa.select(schema.projects.c.id).order_by(schema.projects.c.id))]

    def create_key(self, project_id: str, scopes: Sequence[str], name: str = "") -> tuple[ApiKey, str]:
        """A new key; returns it with its secret, which is never stored and never shown again."""
        bad = sorted(set(scopes) - set(SCOPES))
        if bad or not scopes:
            raise errors.ValidationError(
                f"scopes must be some of {', '.join(SCOPES)}; got {', '.join(scopes) or 'none'}", field="scopes"
            )
        self.ensure_project(project_id)
        key_id = secrets.token_hex(6)
        secret = f"fl_{key_id}_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
        row = {
            "id": key_id,
            "project_id": project_id,
            "name": name or key_id,
            "secret_hash": hash_secret(secret),
            "scopes": ",".join(sorted(set(scopes))),
            "created_at": time.time(),
        }
        with self.write() as conn:
            conn.execute(sa.insert(schema.api_keys), [row])
        return ApiKey(key_id, project_id, row["name"], frozenset(scopes)), secret

    def find_key(self, secret: str) -> ApiKey | None:
        """The live key with this secret, or None."""
        t = schema.api_keys
        with self.read() as conn:
            row = conn.execute(
                sa.select(t).where(t.c.secret_hash == hash_secret(secret), t.c.revoked_at.is_(None))
            ).first()
        if row is None:
            return None
        return ApiKey(row.id, row.project_id, row.name, frozenset(row.scopes.split(",")))

    def list_keys(self, project_id: str) -> list[dict[str, Any]]:
        t = schema.api_keys
        with self.read() as conn:
            rows = conn.execute(
                sa.select(t.c.id, t.c.name, t.c.scopes, t.c.created_at, t.c.revoked_at)
                .where(t.c.project_id == project_id)
                .order_by(t.c.created_at)
            )
            return [dict(r._mapping) for r in rows]

    def revoke_key(self, project_id: str, key_id: str) -> None:
        t = schema.api_keys
        with self.write() as conn:
            done = conn.execute(
                sa.update(t)
                .where(t.c.project_id == project_id, t.c.id == key_id, t.c.revoked_at.is_(None))
                .values(revoked_at=time.time())
            )
            if done.rowcount == 0:
                raise errors.NotFound(f"no live key {key_id!r} in project {project_id!r}")

    # --- ingest -----------------------------------------------------------------------------

    def ingest(self, project_id: str, batch: IngestBatch) -> IngestResult:
        """Store a validated batch in one transaction. Ids already stored are skipped, so sending
        the same batch twice stores it once."""
        received = time.time()
        result = IngestResult()
        with self.write() as conn:
            if batch.interactions:
                rows = _interaction_values(project_id, batch, received)
                result.interactions = self._insert_new(conn, schema.interactions, _INTERACTION_COLUMNS, rows)
                if result.interactions:
                    names = {it.workload for it in batch.interactions}
                    conn.execute(
                        self.insert(schema.workloads),
                        [{"project_id": project_id, "name": n, "created_at": received} for n in sorted(names)],
                    )
                result.duplicates += len(rows) - result.interactions
            if batch.signals:
                rows = _signal_values(project_id, batch, received)
                result.signals = self._insert_new(conn, schema.signals, _SIGNAL_COLUMNS, rows)
                result.duplicates += len(rows) - result.signals
            if batch.outcomes:
                rows = _outcome_values(project_id, batch, received)
                result.outcomes = self._insert_new(conn, schema.outcomes, _OUTCOME_COLUMNS, rows)
                result.duplicates += len(rows) - result.outcomes
            self._mark_outbox(conn, project_id, batch, received)
        return result

    def _mark_outbox(self, conn: sa.Connection, project_id: str, batch: IngestBatch, received: float) -> None:
        """Record what this batch changed for derived state (labels) to catch up on: one outbox
        row, in the batch's own transaction. Duplicates are marked again: re-deriving is
        idempotent, and it heals a consumer that failed after an earlier copy."""
        refs = {}
        if batch.interactions:
            refs["interaction"] = sorted({it.id for it in batch.interactions})
        if batch.signals:
            refs["touch"] = sorted({sg.interaction_id for sg in batch.signals})
        if batch.outcomes:
            refs["outcome"] = sorted({oc.id for oc in batch.outcomes})
        if not refs:
            return
        entries = sum(map(len, refs.values()))
        if self.dialect == "sqlite":
            conn.exec_driver_sql(_SQLITE_OUTBOX, (project_id, received, entries, _json_dumps(refs)))
            return
        conn.execute(
            sa.insert(schema.outbox).values(project_id=project_id, marked_at=received, entries=entries, refs=refs)
        )

    def _insert_new(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[tuple]) -> int:
        """Insert the rows whose id is new (neither stored nor earlier in the batch); returns how
        many were. The first copy of an id wins; nothing is updated in place."""
        if self.dialect == "sqlite":
            # Straight to the driver, the hot path of every ingest: ON CONFLICT DO NOTHING skips
            # known ids and the cursor's rowcount counts the new ones, so no SELECT comes first,
            # and SQLAlchemy's per-row parameter processing (which cost more than SQLite's own
            # insert) is skipped. The JSON columns were written as text by the caller.
            return conn.exec_driver_sql(_sqlite_insert(table.name, columns), rows).rowcount
        # PostgreSQL: the whole batch as one array per column, unnested by the server into one
        # INSERT ... ON CONFLICT DO NOTHING: one statement and one round trip for 500 rows, and
        # the driver's rowcount is what was really inserted, also when another server stores the
        # same ids at the same moment.
        sql, kinds = postgres_unnest_insert(table.name, columns)
        return conn.exec_driver_sql(sql, unnest_arrays(kinds, rows)).rowcount

    # --- reads ------------------------------------------------------------------------------

    def get_interaction(self, project_id: str, interaction_id: str) -> dict[str, Any]:
        """One interaction with its signals and directly attached outcomes, oldest first."""
        i, s, o = schema.interactions, schema.signals, schema.outcomes
        with self.read() as conn:
            row = conn.execute(sa.select(i).where(i.c.project_id == project_id, i.c.id == interaction_id)).first()
            if row is None:
                raise errors.NotFound(f"no interaction {interaction_id!r} in project {project_id!r}")
            sigs = conn.execute(
                sa.select(s)
                .where(s.c.project_id == project_id, s.c.interaction_id == interaction_id)
                .order_by(s.c.ts, s.c.received_at, s.c.id)
            ).all()
            conds = [o.c.interaction_id == interaction_id]
            if row.join_key:
                conds.append(o.c.join_key == row.join_key)
            outs = conn.execute(
                sa.select(o).where(o.c.project_id == project_id, sa.or_(*conds)).order_by(o.c.ts, o.c.id)
            ).all()
        out = interaction_dict(row)
        out["signals"] = [signal_dict(r) for r in sigs]
        out["outcomes"] = [outcome_dict(r) for r in outs]
        return out

    def list_interactions(
        self,
        project_id: str,
        *,
        workload: str | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of interactions, newest first, and the cursor for the next page (None at the end).

        The cursor is the (ts, id) of the last row, so pages stay stable while new rows arrive."""
        if not 1 <= limit <= 1000:
            raise errors.ValidationError("limit must be between 1 and 1000", field="limit")
        i = schema.interactions
        query = sa.select(i).where(i.c.project_id == project_id)
        if workload is not None:
            query = query.where(i.c.workload == workload)
        if user_id is not None:
            query = query.where(i.c.user_id == user_id)
        if session_id is not None:
            query = query.where(i.c.session_id == session_id)
        if since is not None:
            query = query.where(i.c.ts >= since)
        if until is not None:
            query = query.where(i.c.ts < until)
        if cursor:
            ts, last_id = _decode_cursor(cursor)
            query = query.where(sa.or_(i.c.ts < ts, sa.and_(i.c.ts == ts, i.c.id < last_id)))
        query = query.order_by(i.c.ts.desc(), i.c.id.desc()).limit(limit + 1)
        with self.read() as conn:
            rows = conn.execute(query).all()
        page = [interaction_dict(r) for r in rows[:limit]]
        next_cursor = _encode_cursor(rows[limit - 1].ts, rows[limit - 1].id) if len(rows) > limit else None
        return page, next_cursor

    def status(self, project_id: str, *, orphan_window_s: float = 3600.0) -> dict[str, Any]:
        """Counts, the newest event, and signals still waiting for their interaction: ``waiting``
        (younger than the window, normal with batching) and ``orphaned`` (older: reported)."""
        i, s, o = schema.interactions, schema.signals, schema.outcomes
        cutoff = time.time() - orphan_window_s
        missing = ~sa.exists().where(i.c.project_id == s.c.project_id, i.c.id == s.c.interaction_id)
        with self.read() as conn:
            counts = {
                name: conn.execute(
                    sa.select(sa.func.count()).select_from(t).where(t.c.project_id == project_id)
                ).scalar_one()
                for name, t in (("interactions", i), ("signals", s), ("outcomes", o))
            }
            last = max(
                (
                    conn.execute(sa.select(sa.func.max(t.c.received_at)).where(t.c.project_id == project_id)).scalar()
                    or 0.0
                )
                for t in (i, s, o)
            )
            per_workload = dict(
                conn.execute(
                    sa.select(i.c.workload, sa.func.count())
                    .where(i.c.project_id == project_id)
                    .group_by(i.c.workload)
                    .order_by(i.c.workload)
                ).all()
            )
            per_kind = dict(
                conn.execute(
                    sa.select(s.c.kind, sa.func.count())
                    .where(s.c.project_id == project_id)
                    .group_by(s.c.kind)
                    .order_by(s.c.kind)
                ).all()
            )
            unattached = sa.select(s.c.id, s.c.interaction_id, s.c.received_at).where(
                s.c.project_id == project_id, missing
            )
            orphaned = conn.execute(
                unattached.where(s.c.received_at < cutoff).order_by(s.c.received_at).limit(20)
            ).all()
            orphan_count = conn.execute(
                sa.select(sa.func.count()).select_from(unattached.where(s.c.received_at < cutoff).subquery())
            ).scalar_one()
            waiting = conn.execute(
                sa.select(sa.func.count()).select_from(unattached.where(s.c.received_at >= cutoff).subquery())
            ).scalar_one()
        return {
            "project": project_id,
            "counts": counts,
            "workloads": per_workload,
            "signal_kinds": per_kind,
            "last_event_at": last or None,
            "waiting_signals": waiting,
            "orphaned_signals": orphan_count,
            "orphaned_examples": [
                {"signal_id": r.id, "interaction_id": r.interaction_id, "received_at": r.received_at} for r in orphaned
            ],
        }


# --- row conversion -------------------------------------------------------------------------


@functools.cache
def _sqlite_insert(table: str, columns: tuple[str, ...]) -> str:
    """The idempotent INSERT for these columns in SQLite's own dialect."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING"


_COERCE = {"text": str, "float8": float, "int8": int}


@functools.cache
def postgres_unnest_insert(
    table: str, columns: tuple[str, ...], on_conflict: str = "DO NOTHING"
) -> tuple[str, tuple[str, ...]]:
    """PostgreSQL: an INSERT of many rows given as one array per column (JSON columns as text),
    with ``ON CONFLICT {on_conflict}``; and each column's array element type, for
    :func:`unnest_arrays`. One statement and one round trip for a whole batch."""
    t = schema.metadata.tables[table]
    kinds, picks = [], []
    for name in columns:
        kind = t.c[name].type
        if isinstance(kind, sa.JSON):
            kinds.append("text")
            picks.append(f"{name}::jsonb")
        else:
            kinds.append("float8" if isinstance(kind, sa.Float) else "int8" if isinstance(kind, sa.Integer) else "text")
            picks.append(name)
    arrays = ", ".join(f"%s::{kind}[]" for kind in kinds)
    # In the batch's order (the ordinality), so of two copies of an id in one batch the first wins.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(picks)} "
        f"FROM unnest({arrays}) WITH ORDINALITY AS batch({', '.join(columns)}, n) ORDER BY n "
        f"ON CONFLICT {on_conflict}"
    )
    return sql, tuple(kinds)


def unnest_arrays(kinds: tuple[str, ...], rows: Sequence[Sequence[Any]]) -> tuple[list, ...]:
    """Rows (tuples in the statement's column order) as the per-column arrays it takes."""
    return tuple(
        [_COERCE[kind](v) if v is not None else None for v in values] for kind, values in zip(kinds, zip(*rows))
    )


def _input_json(value: Any) -> Any:
    # None: the privacy gate removed the content (consent 'no_content', minimization).
    if value is None or isinstance(value, str):
        return value
    return [m.model_dump() if hasattr(m, "model_dump") else m for m in value]


_SQLITE_OUTBOX = "INSERT INTO outbox (project_id, marked_at, entries, refs) VALUES (?, ?, ?, ?)"


# The rows ingest writes, as tuples in these column orders, JSON columns as text: the same values
# go to SQLite's executemany and, one array per column, to PostgreSQL's unnest. A ts of None (or
# 0) is the time the store received the event.
_INTERACTION_COLUMNS = (
    "project_id",
    "id",
    "workload",
    "input",
    "output",
    "user_id",
    "session_id",
    "ts",
    "received_at",
    "policy_version",
    "latency_ms",
    "tokens_in",
    "tokens_out",
    "cost",
    "context_ids",
    "meta",
    "join_key",
    "consent",
)
_SIGNAL_COLUMNS = (
    "project_id",
    "id",
    "interaction_id",
    "kind",
    "value",
    "payload",
    "source",
    "actor",
    "ts",
    "received_at",
    "overrides",
)
_OUTCOME_COLUMNS = ("project_id", "id", "name", "value", "interaction_id", "join_key", "payload", "ts", "received_at")


def _interaction_values(project_id: str, batch: IngestBatch, received: float) -> list[tuple]:
    return [
        (
            project_id,
            it.id,
            it.workload,
            _json_dumps(_input_json(it.input)),
            it.output,
            it.user_id,
            it.session_id,
            to_epoch(it.ts) or received,
            received,
            it.policy_version,
            it.latency_ms,
            it.tokens_in,
            it.tokens_out,
            it.cost,
            _json_dumps(list(it.context_ids)),
            _json_dumps(it.metadata),
            it.join_key,
            it.consent,
        )
        for it in batch.interactions
    ]


def _signal_values(project_id: str, batch: IngestBatch, received: float) -> list[tuple]:
    return [
        (
            project_id,
            sg.id,
            sg.interaction_id,
            sg.kind,
            sg.value,
            _json_dumps(sg.payload),
            sg.source,
            sg.actor,
            to_epoch(sg.ts) or received,
            received,
            sg.overrides,
        )
        for sg in batch.signals
    ]


def _outcome_values(project_id: str, batch: IngestBatch, received: float) -> list[tuple]:
    return [
        (
            project_id,
            oc.id,
            oc.name,
            oc.value,
            oc.interaction_id,
            oc.join_key,
            _json_dumps(oc.payload),
            to_epoch(oc.ts) or received,
            received,
        )
        for oc in batch.outcomes
    ]


def interaction_dict(row: Any) -> dict[str, Any]:
    m = dict(row._mapping)
    m.pop("project_id", None)
    m["metadata"] = m.pop("meta") or {}
    m["context_ids"] = m["context_ids"] or []
    return m


def signal_dict(row: Any) -> dict[str, Any]:
    m = dict(row._mapping)
    m.pop("project_id", None)
    m["payload"] = m["payload"] or {}
    return m


def outcome_dict(row: Any) -> dict[str, Any]:
    return signal_dict(row)


def _encode_cursor(ts: float, last_id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([ts, last_id])).decode()


def _decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        ts, last_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(ts), str(last_id)
    except Exception:
        raise errors.ValidationError("not a cursor this API returned", field="cursor") from None
