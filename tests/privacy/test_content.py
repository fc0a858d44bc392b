"""What counts as a user's content and how it is removed (flyloop.privacy.content): input and
output set to NULL, the free-text keys of a payload replaced by the reason, usage kept."""

from __future__ import annotations

import sqlalchemy as sa

from flyloop.privacy import content
from flyloop.store import tables as schema

P = "acme"


def seed(capture) -> None:
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": "i1", "workload": "w", "input": "q one", "output": "a one", "user_id": "u", "latency_ms": 12},
                {"id": "i2", "workload": "w", "input": "q two", "output": "a two", "user_id": "u"},
            ],
            "signals": [
                {"id": "s1", "interaction_id": "i1", "kind": "edit", "payload": {"text": "a better one"}},
                {"id": "s2", "interaction_id": "i1", "kind": "thumbs_up"},
                {
                    "id": "s3",
                    "interaction_id": "i2",
                    "kind": "choice",
                    "payload": {"chosen": "x", "rejected": ["y"], "draft": 1},
                },
            ],
        },
    )


def payloads(store) -> dict[str, dict | None]:
    s = schema.signals
    with store.read() as conn:
        return dict(conn.execute(sa.select(s.c.id, s.c.payload).where(s.c.project_id == P)).all())


def test_has_content_and_strip_payload_know_the_three_free_text_keys():
    assert content.CONTENT_PAYLOAD_KEYS == ("text", "chosen", "rejected")
    assert [content.has_content(p) for p in (None, {}, {"value": 3}, {"text": ""}, {"chosen": "a"})] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert content.strip_payload({"chosen": "a", "rejected": "b", "draft": 2}, "consent") == {
        "draft": 2,
        "content_removed": "consent",
    }
    untouched = {"value": 4}
    assert content.strip_payload(untouched, "retention") is untouched  # nothing to remove: not even marked


def test_blank_interactions_removes_input_and_output_once_and_keeps_usage(capture, store):
    seed(capture)
    with store.write() as conn:
        assert content.blank_interactions(conn, P, ["i1", "nope"]) == 1
    with store.write() as conn:
        assert content.blank_interactions(conn, P, ["i1"]) == 0  # already blank: not counted again
    i1, i2 = store.get_interaction(P, "i1"), store.get_interaction(P, "i2")
    assert (i1["input"], i1["output"], i1["latency_ms"], len(i1["signals"])) == (None, None, 12, 2)
    assert (i2["input"], i2["output"]) == ("q two", "a two")


def test_blank_interactions_goes_through_long_id_lists_in_chunks(capture, store):
    seed(capture)
    with store.write() as conn:
        assert content.blank_interactions(conn, P, [f"x{n}" for n in range(1200)] + ["i2"]) == 1
    assert store.get_interaction(P, "i2")["output"] is None


def test_blank_signals_strips_matching_payloads_and_marks_the_reason(capture, store):
    seed(capture)
    s = schema.signals
    with store.write() as conn:
        assert content.blank_signals(conn, P, s.c.interaction_id == "i1", "retention") == 1
    assert payloads(store)["s1"] == {"content_removed": "retention"}
    assert payloads(store)["s3"] == {"chosen": "x", "rejected": ["y"], "draft": 1}
    with store.write() as conn:
        assert content.blank_signals(conn, P, sa.true(), "consent", limit=5) == 1  # only s3 still holds content
    assert payloads(store)["s3"] == {"draft": 1, "content_removed": "consent"}
    assert payloads(store)["s1"] == {"content_removed": "retention"}  # the first reason stays


def test_the_sql_filters_agree_with_the_python_test(capture, store):
    seed(capture)
    i, s = schema.interactions, schema.signals
    with store.write() as conn:
        content.blank_interactions(conn, P, ["i2"])
    with store.read() as conn:
        holding = conn.execute(sa.select(i.c.id).where(i.c.project_id == P, content.interaction_has_content())).all()
        with_text = conn.execute(
            sa.select(s.c.id).where(s.c.project_id == P, content.payload_content_filter(s.c.payload))
        ).all()
    assert [r.id for r in holding] == ["i1"]
    assert sorted(r.id for r in with_text) == ["s1", "s3"]
