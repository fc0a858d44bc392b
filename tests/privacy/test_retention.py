from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from typer.testing import CliRunner

from flyloop import apply_retention, set_privacy_policy
from flyloop.store.tables import metadata

P = "acme"
DAY = 86400.0


def it(id, ts, **kw):
    return {
        "id": id,
        "workload": "support",
        "input": f"question {id}",
        "output": f"answer {id}",
        "user_id": "u1",
        "ts": ts,
        "latency_ms": 10.0,
        **kw,
    }


def edit(id, interaction_id, ts):
    return {"id": id, "interaction_id": interaction_id, "kind": "comment", "payload": {"text": f"words {id}"}, "ts": ts}


def raw(store, sql, **params):
    with store.engine.connect() as conn:
        return conn.execute(sa.text(sql), {"p": P, **params}).all()


def test_content_expires_but_events_and_counts_survive(capture, store):
    now = time.time()
    set_privacy_policy(store, P, {"retention": {"content_days": 30}})
    capture.ingest(
        P,
        {
            "interactions": [it("old", now - 40 * DAY), it("new", now - 2 * DAY)],
            "signals": [
                edit("s-old", "old", now - 40 * DAY + 60),
                edit("s-new", "new", now - 2 * DAY + 60),
                {"id": "r-old", "interaction_id": "old", "kind": "rating", "value": 4, "ts": now - 40 * DAY},
            ],
        },
    )
    before = store.status(P)
    report = apply_retention(store, P, now=now)[P]
    assert report["content_removed"] == {"interactions": 1, "signals": 1}
    assert report["deleted"] == {"interactions": 0, "signals": 0, "outcomes": 0}
    old, new = store.get_interaction(P, "old"), store.get_interaction(P, "new")
    assert (old["input"], old["output"], old["latency_ms"], old["user_id"]) == (None, None, 10.0, new["user_id"])
    assert (new["input"], new["output"]) == ("question new", "answer new")
    by_id = {s["id"]: s for s in old["signals"]}
    assert by_id["s-old"]["payload"] == {"content_removed": "retention"}
    assert (by_id["r-old"]["value"], by_id["r-old"]["payload"]) == (4.0, {"scale": [1, 5]})
    assert {s["id"]: s["payload"] for s in new["signals"]}["s-new"] == {"text": "words s-new"}
    assert store.status(P)["counts"] == before["counts"] and store.status(P)["signal_kinds"] == before["signal_kinds"]
    again = apply_retention(store, P, now=now)[P]
    assert again["content_removed"] == {"interactions": 0, "signals": 0}


def test_old_events_are_deleted_with_what_names_them(capture, store):
    now = time.time()
    set_privacy_policy(store, P, {"retention": {"content_days": None, "events_days": 365, "audit_days": 30}})
    capture.ingest(
        P,
        {
            "interactions": [it("ancient", now - 400 * DAY), it("recent", now - DAY)],
            "signals": [edit("s1", "ancient", now - 400 * DAY), edit("s2", "recent", now - DAY)],
            "outcomes": [{"id": "o1", "name": "sale", "interaction_id": "ancient", "ts": now - 399 * DAY}],
        },
    )
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("insert into audit_log (project_id, id, ts, actor, action) values (:p, 'old-row', :t, 'cli', 'x')"),
            {"p": P, "t": now - 31 * DAY},
        )
    report = apply_retention(store, P, now=now)[P]
    assert (report["deleted"]["interactions"], report["deleted"]["outcomes"]) == (1, 1)
    assert report["deleted"]["signals"] >= 1 and report["expired"]["audit"] == 1
    assert [r.id for r in raw(store, "select id from interactions where project_id = :p")] == ["recent"]
    assert raw(store, "select count(*) from signals where project_id = :p and interaction_id = 'ancient'")[0][0] == 0
    if "labels" in metadata.tables:  # rows of other stages that name a deleted interaction go with it
        assert raw(store, "select count(*) from labels where project_id = :p and interaction_id = 'ancient'")[0][0] == 0
    assert store.get_interaction(P, "recent")["input"] == "question recent"  # content_days None keeps content


def test_retention_runs_while_ingest_goes_on(capture, store):
    now = time.time()
    set_privacy_policy(store, P, {"retention": {"content_days": 10}})
    capture.ingest(P, {"interactions": [it(f"old-{n}", now - 20 * DAY + n) for n in range(300)]})
    errors: list[BaseException] = []

    def keep_ingesting() -> None:
        try:
            for batch in range(10):
                capture.ingest(
                    P,
                    {
                        "interactions": [it(f"live-{batch}-{n}", time.time()) for n in range(20)],
                        "signals": [edit(f"e-{batch}", f"live-{batch}-0", time.time())],
                    },
                )
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    writer = threading.Thread(target=keep_ingesting)
    writer.start()
    report = apply_retention(store, P, now=now, chunk=25)[P]
    writer.join()
    assert errors == []
    assert report["content_removed"]["interactions"] == 300
    counts = raw(
        store,
        "select sum(case when input is null then 1 else 0 end), sum(case when input is null then 0 else 1 end) "
        "from interactions where project_id = :p",
    )[0]
    assert tuple(counts) == (300, 200)
    assert {s["id"]: s["payload"] for s in store.get_interaction(P, "live-9-0")["signals"]}["e-9"] == {
        "text": "words e-9"
    }


def test_expired_token_uses_and_tombstones_are_purged(capture, store):
    from flyloop import erase_user, issue_feedback_token
    from flyloop.capture.feedback_tokens import submit_feedback

    capture.ingest(P, {"interactions": [it("i1", time.time()), it("z1", time.time(), user_id="zoe")]})
    token = issue_feedback_token(store, P, "i1", ttl_s=60)["token"]
    submit_feedback(capture, {"token": token, "kind": "thumbs_up"})
    erase_user(store, P, "zoe", grace_s=60)
    report = apply_retention(store, P, now=time.time() + 120)[P]
    assert report["expired"] == {"token_uses": 1, "tombstones": 2}


def test_retention_from_the_api_and_the_command_line(api, store, database_url, settings):
    r = api.post("/v1/retention/apply", scopes=("admin",))
    assert r.status_code == 200 and set(r.json()) == {"acme"}
    assert api.post("/v1/retention/apply", scopes=("read",)).status_code == 403
    from flyloop import Store
    from flyloop.cli import app

    Store(database_url).close()  # the command needs a store to exist; on SQLite the test's is in memory
    result = CliRunner().invoke(app, ["retention", "apply", "--all-projects", "--database-url", database_url])
    assert result.exit_code == 0, result.output
