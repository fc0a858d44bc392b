from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from flyloop import ConfigError, NotFound, Store, ValidationError
from flyloop.events.wire import parse_batch
from flyloop.store import tables as schema
from flyloop.store.engine import normalize_url


def batch(interactions=(), signals=(), outcomes=()):
    return parse_batch({"interactions": list(interactions), "signals": list(signals), "outcomes": list(outcomes)})


def it(id, **kw):
    return {"id": id, "workload": kw.pop("workload", "w"), "input": kw.pop("input", "q"), **kw}


def sig(id, interaction_id, kind="thumbs_up", **kw):
    return {"id": id, "interaction_id": interaction_id, "kind": kind, **kw}


def test_ingest_is_idempotent_and_counts_duplicates(store: Store):
    b = batch([it("i1"), it("i2")], [sig("s1", "i1"), sig("s2", "i2", "thumbs_down")])
    first = store.ingest("acme", b)
    second = store.ingest("acme", b)
    assert (first.interactions, first.signals, first.duplicates) == (2, 2, 0)
    assert (second.interactions, second.signals, second.duplicates) == (0, 0, 4)
    assert store.status("acme")["counts"] == {"interactions": 2, "signals": 2, "outcomes": 0}


def test_duplicate_ids_inside_one_batch_store_once(store: Store):
    result = store.ingest("acme", batch([it("i1"), it("i1")]))
    assert (result.interactions, result.duplicates) == (1, 1)
    # Two different events under one id are refused before the store, naming both (issue 9, item 13).
    with pytest.raises(ValidationError, match=r"interactions\[0\] and interactions\[1\] share the id 'i1' but differ"):
        batch([it("i1"), it("i1", input="other")])


def test_same_id_in_two_projects_is_two_rows(store: Store):
    store.ingest("acme", batch([it("i1", input="acme's")]))
    store.ingest("globex", batch([it("i1", input="globex's")]))
    assert store.get_interaction("acme", "i1")["input"] == "acme's"
    assert store.get_interaction("globex", "i1")["input"] == "globex's"


def test_reads_never_cross_projects(store: Store):
    store.ingest("acme", batch([it("i1")], [sig("s1", "i1")]))
    with pytest.raises(NotFound):
        store.get_interaction("globex", "i1")
    assert store.list_interactions("globex") == ([], None)
    assert store.status("globex")["counts"] == {"interactions": 0, "signals": 0, "outcomes": 0}


def test_signal_before_interaction_attaches_when_it_arrives(store: Store):
    store.ingest("acme", batch(signals=[sig("s1", "late")]))
    status = store.status("acme", orphan_window_s=3600)
    assert (status["waiting_signals"], status["orphaned_signals"]) == (1, 0)
    store.ingest("acme", batch([it("late")]))
    assert [s["id"] for s in store.get_interaction("acme", "late")["signals"]] == ["s1"]
    assert store.status("acme")["waiting_signals"] == 0


def test_signal_whose_interaction_never_arrives_is_reported(store: Store):
    store.ingest("acme", batch(signals=[sig("s1", "ghost")]))
    status = store.status("acme", orphan_window_s=0)
    assert status["orphaned_signals"] == 1
    assert status["orphaned_examples"][0]["interaction_id"] == "ghost"
    assert status["orphaned_examples"][0]["signal_id"] == "s1"


def test_interaction_round_trip_keeps_every_field(store: Store):
    full = it(
        "i1",
        input=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
        output="hello",
        user_id="u1",
        session_id="s1",
        ts=1_700_000_000.5,
        policy_version="v3",
        latency_ms=12.5,
        tokens_in=5,
        tokens_out=7,
        cost=0.001,
        context_ids=["doc-1", "doc-2"],
        metadata={"plan": "pro", "nested": {"a": [1, 2]}},
        join_key="order-9",
    )
    store.ingest("acme", batch([full]))
    got = store.get_interaction("acme", "i1")
    assert got["input"] == full["input"]
    assert {
        k: got[k]
        for k in (
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
        "output": "hello",
        "session_id": "s1",
        "ts": 1_700_000_000.5,
        "policy_version": "v3",
        "latency_ms": 12.5,
        "tokens_in": 5,
        "tokens_out": 7,
        "cost": 0.001,
        "context_ids": ["doc-1", "doc-2"],
        "metadata": {"plan": "pro", "nested": {"a": [1, 2]}},
        "join_key": "order-9",
    }


def test_outcomes_attach_by_id_and_by_join_key(store: Store):
    store.ingest("acme", batch([it("i1", join_key="order-9", ts=100.0)]))
    store.ingest(
        "acme",
        batch(
            outcomes=[
                {"id": "o1", "name": "purchase", "value": 42.0, "join_key": "order-9", "ts": 5000.0},
                {"id": "o2", "name": "reply", "value": 1.0, "interaction_id": "i1", "ts": 200.0},
                {"id": "o3", "name": "purchase", "value": 1.0, "join_key": "other", "ts": 300.0},
            ]
        ),
    )
    assert [o["id"] for o in store.get_interaction("acme", "i1")["outcomes"]] == ["o2", "o1"]


def test_pagination_is_stable_and_complete(store: Store):
    store.ingest("acme", batch([it(f"i{n:03d}", ts=1000.0 + n // 3) for n in range(25)]))
    seen, cursor = [], None
    while True:
        page, cursor = store.list_interactions("acme", limit=7, cursor=cursor)
        seen += [r["id"] for r in page]
        if cursor is None:
            break
    assert len(seen) == 25 and len(set(seen)) == 25
    assert seen[:3] == ["i024", "i023", "i022"]


def test_list_filters(store: Store):
    store.ingest(
        "acme",
        batch(
            [
                it("a", workload="w1", user_id="u1", ts=10.0),
                it("b", workload="w2", user_id="u1", ts=20.0),
                it("c", workload="w1", user_id="u2", ts=30.0),
            ]
        ),
    )

    def ids(**kw):
        return [r["id"] for r in store.list_interactions("acme", **kw)[0]]

    assert ids(workload="w1") == ["c", "a"]
    assert ids(user_id="u1") == ["b", "a"]
    assert ids(since=15.0, until=30.0) == ["b"]


def test_bad_cursor_and_limit_are_validation_errors(store: Store):
    with pytest.raises(ValidationError) as exc:
        store.list_interactions("acme", cursor="garbage!")
    assert exc.value.field == "cursor"
    with pytest.raises(ValidationError):
        store.list_interactions("acme", limit=0)


def test_urls():
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ConfigError):
        Store("mysql://u@h/db")
    with pytest.raises(ConfigError):
        Store("not a url")


def test_file_sqlite_uses_wal_and_survives_reopen(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'f.db'}"
    s = Store(url)
    s.ingest("acme", batch([it("i1")]))
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    s.close()
    again = Store(url)
    assert again.status("acme")["counts"]["interactions"] == 1
    again.close()


ids = st.text(alphabet="abc", min_size=1, max_size=3)


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(ids, max_size=6), min_size=1, max_size=5))
def test_any_sequence_of_batches_stores_each_id_once(store: Store, batches):
    from conftest import empty

    if store.dialect == "postgresql":
        empty(store)
    project = f"p{abs(hash(str(batches))) % 10**9}"
    new = duplicates = 0
    for ids_ in batches:
        result = store.ingest(project, batch([it(i) for i in ids_], [sig(f"s-{i}", i) for i in ids_]))
        new += result.interactions
        duplicates += result.duplicates
    expected = {i for ids_ in batches for i in ids_}
    assert store.status(project)["counts"]["interactions"] == len(expected)
    assert store.status(project)["counts"]["signals"] == len(expected)
    # The answers count exactly: each id is new once, every other copy (in the same batch or a
    # later one) is a duplicate, for interactions and signals alike.
    sent = sum(len(ids_) for ids_ in batches)
    assert (new, duplicates) == (len(expected), 2 * (sent - len(expected)))


def test_an_ingest_writes_one_outbox_row_and_seq_never_reuses_a_deleted_number(store: Store):
    from flyloop import labels

    store.ingest("acme", batch([it("i1"), it("i2")], [sig("s1", "i1"), sig("s2", "i1"), sig("s3", "i9")]))
    o = schema.outbox
    with store.read() as conn:
        (first,) = conn.execute(sa.select(o.c.seq, o.c.entries, o.c.refs).where(o.c.project_id == "acme")).all()
    assert (first.entries, first.refs) == (4, {"interaction": ["i1", "i2"], "touch": ["i1", "i9"]})
    with store.write() as conn:
        conn.execute(sa.delete(o).where(o.c.project_id == "acme"))
    store.ingest("acme", batch([], [sig("s4", "i2")]))
    with store.read() as conn:
        (second,) = conn.execute(sa.select(o.c.seq, o.c.refs).where(o.c.project_id == "acme")).all()
    assert second.seq > first.seq and second.refs == {"touch": ["i2"]}
    assert labels.pending(store, "acme") == 1


def test_postgresql_connections_never_prepare_statements(store: Store):
    """A prepared statement gets a generic plan, and for `id IN (500 ids)` that plan scanned the
    project instead of probing the index (the label catch-up ran many times slower)."""
    if store.dialect != "postgresql":
        pytest.skip("a PostgreSQL driver setting")
    raw = store.engine.raw_connection()
    try:
        assert raw.driver_connection.prepare_threshold is None
    finally:
        raw.close()


def test_of_two_versions_of_an_id_the_first_stored_stays(store: Store):
    store.ingest("acme", batch([it("i1", output="first")], [sig("s1", "i1", "thumbs_up")]))
    result = store.ingest("acme", batch([it("i1", output="second")], [sig("s1", "i1", "thumbs_down")]))
    assert (result.interactions, result.signals, result.duplicates) == (0, 0, 2)
    got = store.get_interaction("acme", "i1")
    assert (got["output"], [s["kind"] for s in got["signals"]]) == ("first", ["thumbs_up"])


def test_create_false_opens_only_a_store_that_exists(tmp_path):
    path = tmp_path / "not-yet" / "f.db"
    with pytest.raises(NotFound) as exc:
        Store(f"sqlite:///{path}", create=False)
    assert str(exc.value) == f"no flyloop database at {path}"
    assert not path.parent.exists()
    Store(f"sqlite:///{path}").close()
    Store(f"sqlite:///{path}", create=False).close()
    Store("sqlite://", create=False).close()  # in memory: nothing to find, nothing left behind


def test_an_unreachable_postgresql_is_one_storeerror_without_the_password():
    from flyloop import Flywheel, StoreError

    url = "postgresql://flyloop:s3cret-pw@127.0.0.1:1/flyloop"
    for open_store in (lambda: Store(url), lambda: Flywheel(database_url=url)):
        with pytest.raises(StoreError) as exc:
            open_store()
        message = str(exc.value)
        assert message.startswith("cannot open the store (PostgreSQL at 127.0.0.1:1/flyloop): connection failed:")
        assert "\n" not in message and "s3cret-pw" not in message
        assert exc.value.__suppress_context__ and exc.value.details == {"store": "PostgreSQL at 127.0.0.1:1/flyloop"}


def test_a_store_folder_that_cannot_be_made_is_a_storeerror(tmp_path):
    from flyloop import StoreError

    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match="cannot create the store's folder .*file/sub"):
        Store(f"sqlite:///{tmp_path / 'file' / 'sub' / 'f.db'}")


def test_display_url_masks_the_password():
    from flyloop.store.engine import display_url

    assert (
        display_url("postgresql://flyloop:s3cret@db.internal:6432/prod")
        == "postgresql://flyloop:***@db.internal:6432/prod"
    )
    assert display_url("sqlite:////home/u/.flyloop/flyloop.db") == "sqlite:////home/u/.flyloop/flyloop.db"
