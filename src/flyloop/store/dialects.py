"""Every dialect-specific statement, behind the few primitives the stages call.

Stages write dialect-neutral SQLAlchemy Core; where that is too slow or cannot say what they
mean, they call one of these instead, and never name a database:

- :func:`add_new`: insert rows whose key is new (insert-or-ignore), counting the new ones;
- :func:`upsert_newer`: insert rows or replace the stored ones, unless the stored row is newer;
- :func:`bulk_insert`: insert many rows in a few statements;
- :func:`fetch_all`, :func:`stream`, :func:`fetch_by_ids`: read a query's rows as plain tuples, all at
  once or streamed, with :func:`json_reader` for their JSON columns and :func:`in_stable_order`
  for a scan whose order matters;
- :func:`lock`: one writer per key until the transaction ends.

The fast paths take rows as tuples in the order of ``columns``, with JSON columns already
serialized as text (``orjson.dumps(value).decode()``): that is what both drivers take fastest.
On SQLite they go straight to the driver (SQLAlchemy's per-row parameter processing cost more
than SQLite's own insert); on PostgreSQL a batch is one array per column, unnested by the server
into one ``INSERT ... SELECT``: one statement and one round trip for thousands of rows.

Each database is a :class:`Dialect`, registered in :data:`DIALECTS` under the name SQLAlchemy
gives it; the :class:`~flyloop.store.engine.Store` picks one by its URL's scheme.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, Protocol

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from flyloop import errors
from flyloop.store import tables as schema

Row = Sequence[Any]
#: What :meth:`Dialect.insert_or_update` sets on a conflict, from the row that was refused.
UpdateSpec = Callable[[Any], Mapping[str, Any]]
STREAM_BATCH = 50_000
BULK_BATCH = 10_000


class Dialect(Protocol):
    """What one database does for each primitive; see the module's docstring."""

    name: str
    #: The database admits one writer at a time (so writers should decide before they write).
    one_writer: bool

    def insert(self, table: sa.Table) -> Any: ...

    def insert_or_update(self, table: sa.Table, key: Sequence[str], update: UpdateSpec) -> Any: ...

    def add_new(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: Sequence[Row]) -> int: ...

    def upsert_newer(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        rows: Sequence[Row],
        key: tuple[str, ...],
        newer: str,
    ) -> None: ...

    def bulk_insert(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[Row]) -> None: ...

    def fetch_all(self, conn: sa.Connection, query: Any) -> list[Row]: ...

    def stream(self, conn: sa.Connection, query: Any, batch: int) -> Iterator[Row]: ...

    def fetch_by_ids(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        project_id: str,
        key: str,
        ids: Sequence[str],
    ) -> list[Row]: ...

    def json_reader(self) -> Callable[[Any], Any]: ...

    def in_stable_order(self, query: Any, columns: Sequence[Any]) -> Any: ...

    def lock(self, conn: sa.Connection, key: str) -> None: ...


@functools.cache
def _upsert_clause(table: str, columns: tuple[str, ...], key: tuple[str, ...], newer: str) -> str:
    """``ON CONFLICT`` for :func:`upsert_newer`, the same words on both databases."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    return f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates} WHERE excluded.{newer} >= {table}.{newer}"


def _many(rows: Sequence[Row]) -> list[Row]:
    # A list is what the driver runs as many rows; a tuple of rows would be one row's parameters.
    return rows if isinstance(rows, list) else list(rows)


class _OnConflict:
    """The two databases write ON CONFLICT alike; only the SQLAlchemy dialect building it differs."""

    dml: Callable[[sa.Table], Any]

    def insert(self, table: sa.Table) -> Any:
        return self.dml(table).on_conflict_do_nothing()

    def insert_or_update(self, table: sa.Table, key: Sequence[str], update: UpdateSpec) -> Any:
        insert = self.dml(table)
        return insert.on_conflict_do_update(index_elements=[table.c[k] for k in key], set_=update(insert.excluded))


class SQLiteDialect(_OnConflict):
    """The embedded store: one file, one writer at a time, rows straight through the driver."""

    name = "sqlite"
    one_writer = True

    dml = staticmethod(sqlite.insert)

    def add_new(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: Sequence[Row]) -> int:
        if not rows:
            return 0
        # ON CONFLICT DO NOTHING skips known keys and the cursor's rowcount counts the new rows,
        # so no SELECT comes first.
        sql = _sqlite_insert(table.name, columns, "ON CONFLICT DO NOTHING")
        return int(conn.exec_driver_sql(sql, _many(rows)).rowcount)

    def upsert_newer(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        rows: Sequence[Row],
        key: tuple[str, ...],
        newer: str,
    ) -> None:
        if not rows:
            return
        clause = _upsert_clause(table.name, columns, key, newer)
        conn.exec_driver_sql(_sqlite_insert(table.name, columns, clause), _many(rows))

    def bulk_insert(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[Row]) -> None:
        conn.exec_driver_sql(_sqlite_insert(table.name, columns, ""), rows)

    def fetch_all(self, conn: sa.Connection, query: Any) -> list[Row]:
        # The driver's plain tuples, skipping SQLAlchemy's Row objects and per-column result
        # processing (a third of a million-interaction label recompute otherwise).
        sql, params = _compiled(conn, query)
        with _driver_cursor(conn) as cursor:
            return cursor.execute(sql, params).fetchall()

    def stream(self, conn: sa.Connection, query: Any, batch: int) -> Iterator[Row]:
        sql, params = _compiled(conn, query)
        with _driver_cursor(conn) as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(batch):
                yield from chunk

    def fetch_by_ids(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        project_id: str,
        key: str,
        ids: Sequence[str],
    ) -> list[Row]:
        # Written out: compiling a SQLAlchemy IN of 500 ids cost as much as the read itself.
        sql = _sqlite_by_ids(table.name, columns, key).format(", ".join("?" * len(ids)))
        with _driver_cursor(conn) as cursor:
            return cursor.execute(sql, [project_id, *ids]).fetchall()

    def json_reader(self) -> Callable[[Any], Any]:
        return _loads_text

    def in_stable_order(self, query: Any, columns: Sequence[Any]) -> Any:
        # SQLite returns a scan in its plan's order, the same for the same data; a sort would
        # cost a large build seconds.
        return query

    def lock(self, conn: sa.Connection, key: str) -> None:
        # Nothing to take: the file has one writer at a time, and the store serializes its own.
        return None


class PostgresDialect(_OnConflict):
    """The server store: concurrent writers, batches unnested from one array per column."""

    name = "postgresql"
    one_writer = False

    dml = staticmethod(postgresql.insert)

    def add_new(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: Sequence[Row]) -> int:
        if not rows:
            return 0
        # The driver's rowcount is what was really inserted, also when another server stores the
        # same ids at the same moment.
        sql, kinds = _unnest_insert(table.name, columns, "ON CONFLICT DO NOTHING")
        return int(conn.exec_driver_sql(sql, _arrays(kinds, rows)).rowcount)

    def upsert_newer(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        rows: Sequence[Row],
        key: tuple[str, ...],
        newer: str,
    ) -> None:
        if not rows:
            return
        # One statement: its rows must name distinct keys, as DO UPDATE requires.
        sql, kinds = _unnest_insert(table.name, columns, _upsert_clause(table.name, columns, key, newer))
        conn.exec_driver_sql(sql, _arrays(kinds, rows))

    def bulk_insert(self, conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[Row]) -> None:
        sql, kinds = _unnest_insert(table.name, columns, "")
        conn.exec_driver_sql(sql, _arrays(kinds, rows))

    def fetch_all(self, conn: sa.Connection, query: Any) -> list[Row]:
        return list(conn.execute(query).all())

    def stream(self, conn: sa.Connection, query: Any, batch: int) -> Iterator[Row]:
        # A server-side cursor: the rows come in batches, never all in memory.
        yield from conn.execution_options(yield_per=batch).execute(query)

    def fetch_by_ids(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: tuple[str, ...],
        project_id: str,
        key: str,
        ids: Sequence[str],
    ) -> list[Row]:
        query = sa.select(*(table.c[name] for name in columns)).where(
            table.c.project_id == project_id, table.c[key].in_(ids)
        )
        return self.fetch_all(conn, query)

    def json_reader(self) -> Callable[[Any], Any]:
        return _as_is  # the driver parsed it already

    def in_stable_order(self, query: Any, columns: Sequence[Any]) -> Any:
        # PostgreSQL may change a scan's order with its plan.
        return query.order_by(*columns)

    def lock(self, conn: sa.Connection, key: str) -> None:
        # A transaction-level advisory lock: released by the commit or rollback, never leaked.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLiteDialect(), PostgresDialect())}


def of(conn: sa.Connection) -> Dialect:
    """The dialect of an open connection."""
    return DIALECTS[conn.dialect.name]


# --- the primitives, on an open connection --------------------------------------------------


def add_new(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: Sequence[Row]) -> int:
    """Insert the rows whose key is new (neither stored nor earlier in ``rows``); returns how many
    were. The first copy of a key wins; nothing stored is updated."""
    return of(conn).add_new(conn, table, columns, rows)


def upsert_newer(
    conn: sa.Connection,
    table: sa.Table,
    columns: tuple[str, ...],
    rows: Sequence[Row],
    *,
    key: tuple[str, ...],
    newer: str,
) -> None:
    """Insert the rows, or replace the stored row of the same ``key`` unless it is newer (its
    ``newer`` column greater): of two overlapping writers, the one whose row is newer wins,
    whatever order they write in. Columns not in ``columns`` keep their stored values (or
    their defaults, for a new row). The rows must name distinct keys."""
    of(conn).upsert_newer(conn, table, columns, rows, key, newer)


def bulk_insert(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: Iterable[Row]) -> None:
    """Insert rows (an iterable, consumed in batches so a large version never sits in memory
    twice). A key already stored is a conflict, as for any insert."""
    dialect, rows = of(conn), iter(rows)
    while batch := list(islice(rows, BULK_BATCH)):
        dialect.bulk_insert(conn, table, columns, batch)


def fetch_all(conn: sa.Connection, query: Any) -> list[Row]:
    """All rows of a query, as plain tuples (JSON columns: read them with :func:`json_reader`)."""
    return of(conn).fetch_all(conn, query)


def stream(conn: sa.Connection, query: Any, batch: int = STREAM_BATCH) -> Iterator[Row]:
    """The rows of a query as plain tuples, fetched ``batch`` at a time: for scans of a whole
    project, which must not hold a million rows in memory. JSON columns: :func:`json_reader`."""
    return of(conn).stream(conn, query, batch)


def fetch_by_ids(
    conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], project_id: str, ids: Sequence[str], key: str = "id"
) -> list[Row]:
    """The ``columns`` of the project's rows whose ``key`` is one of ``ids`` (a few hundred at a
    time), as plain tuples, in no particular order."""
    if not ids:
        return []
    return of(conn).fetch_by_ids(conn, table, columns, project_id, key, ids)


def json_reader(conn: sa.Connection) -> Callable[[Any], Any]:
    """How to read a JSON column of :func:`fetch_all`'s and :func:`stream`'s tuples: SQLite's driver
    hands over the JSON text (parsed only where it is read), PostgreSQL's the value."""
    return of(conn).json_reader()


def in_stable_order(conn: sa.Connection, query: Any, *columns: Any) -> Any:
    """``query`` in a stable order (by ``columns`` where the database does not already give the
    same order for the same data): for scans whose order feeds a hash."""
    return of(conn).in_stable_order(query, columns)


def lock(conn: sa.Connection, key: str) -> None:
    """Hold ``key`` until this transaction ends: one writer per key at a time, across processes
    and servers (PostgreSQL: a transaction-level advisory lock). On a one-writer store (SQLite)
    nothing is taken: the store serializes its own writers, and across processes the file's
    writer lock holds from a transaction's first write on."""
    of(conn).lock(conn, key)


# --- statements -----------------------------------------------------------------------------


@functools.cache
def _sqlite_insert(table: str, columns: tuple[str, ...], clause: str) -> str:
    values = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) {clause}".rstrip()


@functools.cache
def _sqlite_by_ids(table: str, columns: tuple[str, ...], key: str) -> str:
    # The braces take the placeholders, one per id.
    return f"SELECT {', '.join(columns)} FROM {table} WHERE project_id = ? AND {key} IN ({{}})"


def _compiled(conn: sa.Connection, query: Any) -> tuple[str, list[Any]]:
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    return str(compiled), [params[name] for name in compiled.positiontup or ()]


@contextmanager
def _driver_cursor(conn: sa.Connection) -> Iterator[Any]:
    """A cursor of the driver under ``conn``, its errors translated as SQLAlchemy's are."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        yield cursor
    except sqlite3.IntegrityError as exc:
        raise errors.Conflict(f"the store refused the write: {exc}") from exc
    except sqlite3.DataError as exc:
        raise errors.ValidationError(f"the store cannot hold a value in this request: {exc}") from exc
    except sqlite3.OperationalError as exc:
        raise errors.StoreError(f"the store is unavailable: {exc}") from exc
    finally:
        cursor.close()


def _loads_text(value: Any) -> Any:
    return None if value is None else orjson.loads(value)


def _as_is(value: Any) -> Any:
    return value


_COERCE: dict[str, Callable[[Any], Any]] = {"text": str, "float8": float, "int8": int, "bool": bool}


@functools.cache
def _unnest_insert(table: str, columns: tuple[str, ...], clause: str) -> tuple[str, tuple[str, ...]]:
    """PostgreSQL: an INSERT of many rows given as one array per column (JSON columns as text),
    ending in ``clause``; and each column's array element type, for :func:`_arrays`."""
    t = schema.metadata.tables[table]
    kinds, picks = [], []
    for name in columns:
        kind = t.c[name].type
        if isinstance(kind, sa.JSON):
            kinds.append("text")
            picks.append(f"{name}::jsonb")
        elif isinstance(kind, sa.Boolean):
            kinds.append("bool")
            picks.append(name)
        else:
            kinds.append("float8" if isinstance(kind, sa.Float) else "int8" if isinstance(kind, sa.Integer) else "text")
            picks.append(name)
    arrays = ", ".join(f"%s::{kind}[]" for kind in kinds)
    # In the batch's order (the ordinality), so of two copies of a key in one batch the first wins.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(picks)} "
        f"FROM unnest({arrays}) WITH ORDINALITY AS batch({', '.join(columns)}, n) ORDER BY n {clause}"
    )
    return sql.rstrip(), tuple(kinds)


def _arrays(kinds: tuple[str, ...], rows: Sequence[Row]) -> tuple[list[Any], ...]:
    """Rows (tuples in the statement's column order) as the per-column arrays it takes."""
    return tuple(
        [_COERCE[kind](v) if v is not None else None for v in values]
        for kind, values in zip(kinds, zip(*rows), strict=False)
    )
