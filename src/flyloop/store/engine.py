"""One narrow store, picked by URL.

``Store("sqlite:///path/flyloop.db")`` is the embedded default (WAL, one file, no server);
``Store("sqlite://")`` is in memory, for tests; ``Store("postgresql://...")`` is production. The
URL's scheme picks the database's :class:`~flyloop.store.dialects.Dialect`; the same
SQLAlchemy Core code runs on both, and what cannot be said the same way on both is a primitive
of :mod:`flyloop.store.dialects` (or a method here: :meth:`Store.insert`,
:meth:`Store.insert_or_update`, :meth:`Store.checkpoint`, :meth:`Store.compact`).

Errors of the database and its driver are translated here into flyloop's (:mod:`flyloop.errors`):
nothing above the store catches a driver's exception.

Every method that touches events takes the project id first and filters by it: isolation is
enforced here, beneath the routes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from flyloop import errors
from flyloop.events import IngestBatch, IngestResult
from flyloop.store import dialects, keys
from flyloop.store import tables as schema
from flyloop.store.keys import SCOPES, ApiKey, hash_secret
from flyloop.store.rows import (
    INTERACTION_COLUMNS,
    OUTCOME_COLUMNS,
    SIGNAL_COLUMNS,
    decode_cursor,
    encode_cursor,
    interaction_dict,
    interaction_values,
    json_dumps,
    outcome_dict,
    outcome_values,
    signal_dict,
    signal_values,
)

__all__ = ["SCOPES", "ApiKey", "Store", "display_url", "hash_secret", "normalize_url"]

_OUTBOX_COLUMNS = ("project_id", "marked_at", "entries", "refs")


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


class ErasedMeanwhile(Exception):
    """An erasure committed between a batch's privacy gate and its write: gate it again."""


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
        # The scheme picks the database (mlflow's idea: a registry of schemes, dialects.DIALECTS).
        self.dialect = sa_url.get_backend_name()
        if self.dialect not in dialects.DIALECTS:
            raise errors.ConfigError(f"unsupported store {self.dialect!r}: use sqlite:/// or postgresql://")
        self._dialect = dialects.DIALECTS[self.dialect]
        self.memory = self.dialect == "sqlite" and sa_url.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {"json_serializer": json_dumps, "json_deserializer": orjson.loads}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if self.memory:
                kwargs["poolclass"] = StaticPool
            else:
                path = Path(sa_url.database or "").expanduser()
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
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - exercised through every test
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

    # --- primitives that need the store, not only a connection (the others: store.dialects) -

    @property
    def one_writer(self) -> bool:
        """The database admits one writer at a time (SQLite): a writer should decide what to
        write before it opens its transaction, and concurrent requests should queue for it."""
        return self._dialect.one_writer

    def insert(self, table: sa.Table) -> Any:
        """An INSERT that skips rows whose key is already stored (idempotent writes)."""
        return self._dialect.insert(table)

    def insert_or_update(self, table: sa.Table, key: Sequence[str], update: dialects.UpdateSpec) -> Any:
        """An INSERT that updates the stored row of the same ``key`` instead: ``update(excluded)``
        returns the columns to set, where ``excluded`` holds the row that was refused."""
        return self._dialect.insert_or_update(table, key, update)

    def checkpoint(self) -> bool:
        """Copy a SQLite file's write-ahead log into the database and truncate it, so pages that
        held deleted rows (zeroed by ``secure_delete``) replace the old ones on disk now, not at
        the next automatic checkpoint. False where a reader kept it from completing, for an
        in-memory store, and on PostgreSQL (whose files :meth:`compact` rewrites)."""
        if not self.one_writer or self.memory:
            return False
        with self.write() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        return bool(busy is not None and busy[0] == 0)

    def compact(self, tables: Sequence[str]) -> dict[str, Any]:
        """Rewrite the store's files so deleted rows leave the disk; returns ``dialect`` (which
        database), the ``tables`` and ``checkpoint`` (whether its log was emptied too).

        PostgreSQL marks deleted rows dead and leaves their bytes in the table files until the
        pages are reused, and in WAL segments until they are recycled: ``VACUUM (FULL)`` rewrites
        each of ``tables`` into new files (it locks each table while it runs: ingest waits), then
        a ``CHECKPOINT`` lets old WAL segments be recycled where the role may run it. SQLite:
        ``VACUUM`` rebuilds the whole file without free pages, and a ``wal_checkpoint(TRUNCATE)``
        empties the WAL."""
        checkpoint = False
        if not self.one_writer:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for name in tables:  # VACUUM cannot run inside a transaction block
                    conn.exec_driver_sql(f"VACUUM (FULL) {name}")
                try:
                    conn.exec_driver_sql("CHECKPOINT")
                    checkpoint = True
                except sa.exc.DBAPIError:  # needs superuser or pg_checkpoint: old WAL then waits for the next one
                    checkpoint = False
        else:
            with self._write_lock, self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
                if not self.memory:
                    busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
                    checkpoint = bool(busy is not None and busy[0] == 0)
        return {"dialect": self.dialect, "tables": list(tables), "checkpoint": checkpoint}

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
        return keys.create_key(self, project_id, scopes, name)

    def find_key(self, secret: str) -> ApiKey | None:
        """The live key with this secret, or None."""
        return keys.find_key(self, secret)

    def list_keys(self, project_id: str) -> list[dict[str, Any]]:
        return keys.list_keys(self, project_id)

    def revoke_key(self, project_id: str, key_id: str) -> None:
        keys.revoke_key(self, project_id, key_id)

    # --- ingest -----------------------------------------------------------------------------

    def erasure_lock(self, conn: sa.Connection, project_id: str, shared: bool) -> None:
        """Hold the project's erasure lock to the end of ``conn``'s transaction: an erasure takes it
        alone, each ingest shares it. SQLite writes one transaction at a time (``write``'s lock) and
        needs none; PostgreSQL takes a transaction-scoped advisory lock."""
        if self.dialect == "postgresql":
            call = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            conn.execute(sa.text(f"SELECT {call}(hashtext(:key))"), {"key": f"flyloop-erase:{project_id}"})

    def ingest(
        self,
        project_id: str,
        batch: IngestBatch,
        flags: Mapping[str, str] | None = None,
        erased_since: float | None = None,
        digests: Callable[[], Collection[str]] | None = None,
    ) -> IngestResult:
        """Store a validated batch in one transaction. Ids already stored are skipped, so sending
        the same batch twice stores it once. ``flags``: interaction id to the rule its stored output
        breaks (capture decides; the store only keeps it). ``erased_since``: when the privacy gate
        read the tombstones, and ``digests``: the batch's tombstone digests; a tombstone of one of
        them written since raises :class:`ErasedMeanwhile` and stores nothing, so the batch is gated
        again (a user erased between the gate's read and this write would otherwise come back)."""
        received = time.time()
        result = IngestResult()
        with self.write() as conn:
            if erased_since is not None and digests is not None:
                self.erasure_lock(conn, project_id, shared=True)
                t = schema.erasure_tombstones
                recent = sa.select(t.c.digest).where(
                    t.c.project_id == project_id, t.c.erased_at >= erased_since, t.c.expires_at > received
                )
                if conn.execute(recent.limit(1)).first() is not None:  # rare: then the batch's own digests
                    wanted = list(digests())
                    for start in range(0, len(wanted), 900):
                        hit = recent.where(t.c.digest.in_(wanted[start : start + 900])).limit(1)
                        if conn.execute(hit).first() is not None:
                            raise ErasedMeanwhile(project_id)
            if batch.interactions:
                rows = interaction_values(project_id, batch, received, flags)
                result.interactions = dialects.add_new(conn, schema.interactions, INTERACTION_COLUMNS, rows)
                if result.interactions:
                    names = {it.workload for it in batch.interactions}
                    conn.execute(
                        self.insert(schema.workloads),
                        [{"project_id": project_id, "name": n, "created_at": received} for n in sorted(names)],
                    )
                result.duplicates += len(rows) - result.interactions
            if batch.signals:
                rows = signal_values(project_id, batch, received)
                result.signals = dialects.add_new(conn, schema.signals, SIGNAL_COLUMNS, rows)
                result.duplicates += len(rows) - result.signals
            if batch.outcomes:
                rows = outcome_values(project_id, batch, received)
                result.outcomes = dialects.add_new(conn, schema.outcomes, OUTCOME_COLUMNS, rows)
                result.duplicates += len(rows) - result.outcomes
            self._mark_outbox(conn, project_id, batch, received)
        return result

    def _mark_outbox(self, conn: sa.Connection, project_id: str, batch: IngestBatch, received: float) -> None:
        """Record what this batch changed for derived state (labels) to catch up on: one outbox
        row, in the batch's own transaction. Duplicates are marked again: re-deriving is
        idempotent, and it heals a consumer that failed after an earlier copy."""
        refs: dict[str, list[str]] = {}
        if batch.interactions:
            refs["interaction"] = sorted({it.id for it in batch.interactions})
        if batch.signals:
            refs["touch"] = sorted({sg.interaction_id for sg in batch.signals})
        if batch.outcomes:
            refs["outcome"] = sorted({oc.id for oc in batch.outcomes})
        if not refs:
            return
        entries = sum(map(len, refs.values()))
        dialects.bulk_insert(conn, schema.outbox, _OUTBOX_COLUMNS, [(project_id, received, entries, json_dumps(refs))])

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
            ts, last_id = decode_cursor(cursor)
            query = query.where(sa.or_(i.c.ts < ts, sa.and_(i.c.ts == ts, i.c.id < last_id)))
        query = query.order_by(i.c.ts.desc(), i.c.id.desc()).limit(limit + 1)
        with self.read() as conn:
            rows = conn.execute(query).all()
        page = [interaction_dict(r) for r in rows[:limit]]
        next_cursor = encode_cursor(rows[limit - 1].ts, rows[limit - 1].id) if len(rows) > limit else None
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
            per_workload: dict[str, int] = dict(
                conn.execute(
                    sa.select(i.c.workload, sa.func.count())
                    .where(i.c.project_id == project_id)
                    .group_by(i.c.workload)
                    .order_by(i.c.workload)
                ).all()
            )
            per_kind: dict[str, int] = dict(
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
