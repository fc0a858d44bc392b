"""The store's primitives, each on the store under test (SQLite in memory, or PostgreSQL when
FLYLOOP_TEST_DATABASE_URL is set): the same exact results on both."""

from __future__ import annotations

import threading
import time

import orjson
import pytest
import sqlalchemy as sa

from flyloop import errors
from flyloop.store import (
    Store,
    add_new,
    bulk_insert,
    fetch_all,
    fetch_by_ids,
    in_stable_order,
    json_reader,
    lock,
    schema,
    stream,
    upsert_newer,
)


def dumps(value: object) -> str:
    return orjson.dumps(value).decode()


def test_add_new_inserts_only_new_keys_and_counts_them(store: Store):
    t = schema.workloads
    columns = ("project_id", "name", "created_at")
    with store.write() as conn:
        assert add_new(conn, t, columns, [("acme", "a", 1.0), ("acme", "b", 2.0)]) == 2
    with store.write() as conn:
        # 'a' is stored, 'c' comes twice in the batch: the first copy wins, nothing is updated.
        assert add_new(conn, t, columns, [("acme", "a", 9.0), ("acme", "c", 3.0), ("acme", "c", 4.0)]) == 1
        assert add_new(conn, t, columns, []) == 0
        assert add_new(conn, t, columns, (("acme", "d", 5.0),)) == 1  # a tuple of rows is rows too
    with store.read() as conn:
        stored = conn.execute(sa.select(t.c.name, t.c.created_at).order_by(t.c.name)).all()
    assert [tuple(r) for r in stored] == [("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 5.0)]


def test_upsert_newer_keeps_the_newer_row_whatever_the_order(store: Store):
    t = schema.label_config
    columns = ("project_id", "weights", "updated_at")
    with store.write() as conn:
        upsert_newer(
            conn,
            t,
            columns,
            [("p1", dumps({"v": 1}), 10.0), ("p2", dumps({"v": 1}), 10.0)],
            key=("project_id",),
            newer="updated_at",
        )
    with store.write() as conn:
        upsert_newer(
            conn,
            t,
            columns,
            [("p1", dumps({"v": 2}), 5.0), ("p2", dumps({"v": 2}), 20.0), ("p3", dumps({"v": 2}), 1.0)],
            key=("project_id",),
            newer="updated_at",
        )
    with store.write() as conn:  # as new as the stored row: the later writer wins a tie
        upsert_newer(conn, t, columns, [("p3", dumps({"v": 3}), 1.0)], key=("project_id",), newer="updated_at")
    with store.read() as conn:
        stored = conn.execute(sa.select(t.c.project_id, t.c.weights, t.c.updated_at).order_by(t.c.project_id)).all()
    assert [tuple(r) for r in stored] == [("p1", {"v": 1}, 10.0), ("p2", {"v": 2}, 20.0), ("p3", {"v": 3}, 1.0)]


def test_upsert_newer_leaves_columns_it_was_not_given(store: Store):
    lb = schema.labels
    columns = ("project_id", "interaction_id", "workload", "verdict", "confidence", "score", "signal_ids")
    columns += ("updated_at", "ts")
    key = ("project_id", "interaction_id")
    row = ("acme", "i1", "w", "good", 0.5, 1.0, dumps(["s1"]), 1.0, 100.0)
    with store.write() as conn:
        upsert_newer(conn, lb, columns, [row], key=key, newer="updated_at")
        conn.execute(sa.update(lb).values(settled_at=7.0))
        upsert_newer(
            conn,
            lb,
            columns,
            [("acme", "i1", "w", "bad", 0.25, -1.0, dumps([]), 2.0, 100.0)],
            key=key,
            newer="updated_at",
        )
    with store.read() as conn:
        got = conn.execute(sa.select(lb.c.verdict, lb.c.score, lb.c.signal_ids, lb.c.settled_at)).one()
    assert tuple(got) == ("bad", -1.0, [], 7.0)


def test_bulk_insert_takes_an_iterable_in_batches_and_refuses_a_stored_key(store: Store):
    q = schema.dataset_quarantine
    columns = ("project_id", "dataset_id", "signal_id", "actor", "reason")
    rows = (("acme", "d1", f"s{n:05}", None if n % 2 else "ann", "why") for n in range(25_000))
    with store.write() as conn:
        bulk_insert(conn, q, columns, rows)  # more than one batch (10,000)
    with store.read() as conn:
        count, actors = conn.execute(sa.select(sa.func.count(), sa.func.count(q.c.actor))).one()
    assert (count, actors) == (25_000, 12_500)
    with pytest.raises(errors.Conflict), store.write() as conn:
        bulk_insert(conn, q, columns, [("acme", "d1", "s00007", None, "again")])


def test_bulk_insert_stores_json_booleans_and_numbers_as_given(store: Store):
    e = schema.dataset_examples
    columns = (
        "project_id", "dataset_id", "id", "kind", "split", "workload", "interaction_id", "interaction_ids",
        "user_id", "prompt", "completion", "chosen", "rejected", "label", "weight", "quality", "source",
        "segment", "signal_ids", "ts",
    )  # fmt: skip
    prompt = [{"role": "user", "content": "2+2?"}]
    row = ("acme", "d1", "x1", "kto", "train", "w", "i1", dumps(["i1"]), None, dumps(prompt), "4", None, None,
           True, 1.5, 0.75, "label", "all", dumps(None), 12.5)  # fmt: skip
    with store.write() as conn:
        bulk_insert(conn, e, columns, [row, (*row[:2], "x2", *row[3:13], False, *row[14:])])
    with store.read() as conn:
        got = conn.execute(
            sa.select(e.c.id, e.c.interaction_ids, e.c.prompt, e.c.label, e.c.weight, e.c.signal_ids).order_by(e.c.id)
        ).all()
    assert [tuple(r) for r in got] == [
        ("x1", ["i1"], prompt, True, 1.5, None),
        ("x2", ["i1"], prompt, False, 1.5, None),
    ]


def _seed(store: Store) -> None:
    s = schema.signals
    rows = [
        {"project_id": p, "id": f"s{n}", "interaction_id": f"i{n % 3}", "kind": "thumbs_up", "value": None,
         "payload": {"n": n}, "source": "user", "actor": None, "ts": float(n), "received_at": float(n),
         "overrides": None}
        for p in ("acme", "globex")
        for n in range(5)
    ]  # fmt: skip
    with store.write() as conn:
        conn.execute(sa.insert(s), rows)


def test_fetch_all_and_stream_give_plain_tuples_in_a_stable_order(store: Store):
    _seed(store)
    s = schema.signals
    query = sa.select(s.c.id, s.c.interaction_id, s.c.payload).where(s.c.project_id == "acme")
    with store.read() as conn:
        ordered = in_stable_order(conn, query, s.c.id)
        loads = json_reader(conn)
        everything = [(sid, iid, loads(payload)) for sid, iid, payload in fetch_all(conn, ordered)]
        streamed = [(sid, iid, loads(payload)) for sid, iid, payload in stream(conn, ordered, batch=2)]
    expected = [(f"s{n}", f"i{n % 3}", {"n": n}) for n in range(5)]
    assert sorted(everything) == expected
    assert streamed == everything  # the same order, read twice


def test_fetch_by_ids_reads_only_the_project_and_the_ids_asked(store: Store):
    _seed(store)
    with store.read() as conn:
        got = fetch_by_ids(conn, schema.signals, ("id", "ts"), "acme", ["i1", "i9"], key="interaction_id")
        none = fetch_by_ids(conn, schema.signals, ("id",), "acme", [])
        by_id = fetch_by_ids(conn, schema.signals, ("id", "interaction_id"), "globex", ["s4"])
    assert sorted(map(tuple, got)) == [("s1", 1.0), ("s4", 4.0)]
    assert (none, [tuple(r) for r in by_id]) == ([], [("s4", "i1")])


def test_lock_admits_one_writer_per_key_until_its_transaction_ends(store: Store, database_url: str):
    # PostgreSQL: two Store objects, as two servers would be; the advisory lock must hold across
    # them. SQLite: the store's own writers, serialized in the process (across processes the
    # file's writer lock holds from a transaction's first write on).
    first = Store(database_url)
    second = Store(database_url) if not first.one_writer else first
    order: list[str] = []
    held = threading.Event()

    def hold() -> None:
        with first.write() as conn:
            lock(conn, "test:acme")
            held.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(10)
        with second.write() as conn:
            lock(conn, "test:acme")
            order.append("second in")
    finally:
        thread.join()
        first.close()
        second.close()
    assert order == ["first done", "second in"]


def test_insert_or_update_adds_to_the_stored_counter(store: Store):
    t = schema.privacy_drops
    statement = store.insert_or_update(
        t, ("project_id", "workload", "what"), lambda excluded: {"count": t.c.count + excluded["count"]}
    )
    row = {"project_id": "acme", "workload": "w", "what": "email", "count": 2, "updated_at": 1.0}
    with store.write() as conn:
        conn.execute(statement, [row])
        conn.execute(statement, [{**row, "count": 3}, {**row, "what": "phone", "count": 1}])
    with store.read() as conn:
        got = conn.execute(sa.select(t.c.what, t.c.count).order_by(t.c.what)).all()
    assert [tuple(r) for r in got] == [("email", 5), ("phone", 1)]


def test_what_each_store_is(store: Store, tmp_path):
    file_store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        assert (file_store.one_writer, file_store.checkpoint()) == (True, True)
    finally:
        file_store.close()
    # In memory there is no log to checkpoint; PostgreSQL's files are compacted instead.
    assert (store.one_writer, store.checkpoint()) == ((True, False) if store.dialect == "sqlite" else (False, False))
    assert store.compact(["signals"])["dialect"] == store.dialect


def test_a_driver_error_on_a_raw_cursor_is_a_flyloop_error(store: Store):
    missing = sa.select(sa.column("x")).select_from(sa.table("no_such_table"))
    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL's reads go through SQLAlchemy")
    with pytest.raises(errors.StoreError, match="no such table"), store.read() as conn:
        fetch_all(conn, missing)
    with pytest.raises(errors.StoreError, match="no such table"), store.read() as conn:
        list(stream(conn, missing))
