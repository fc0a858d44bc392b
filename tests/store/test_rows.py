"""Events as the store writes and returns them (flyloop.store.rows): ingest's row tuples in the
tables' column order, read rows as the API's dicts, and page cursors."""

from __future__ import annotations

import orjson
import pytest

from flyloop import ValidationError
from flyloop.events import parse_batch
from flyloop.store import rows
from flyloop.store import tables as schema

BATCH = parse_batch(
    {
        "interactions": [
            {
                "id": "i1",
                "workload": "w",
                "input": [{"role": "user", "content": "hi"}],
                "output": "hello",
                "metadata": {"plan": "pro"},
                "ts": 1_700_000_000,
            },
            {"id": "i2", "workload": "w", "input": "plain"},
        ],
        "signals": [{"id": "s1", "interaction_id": "i1", "kind": "edit", "payload": {"text": "hey"}}],
        "outcomes": [{"id": "o1", "join_key": "order-1", "name": "paid", "value": 1.0, "ts": 1_700_000_100}],
    }
)


@pytest.mark.parametrize(
    "columns, table",
    [
        (rows.INTERACTION_COLUMNS, schema.interactions),
        (rows.SIGNAL_COLUMNS, schema.signals),
        (rows.OUTCOME_COLUMNS, schema.outcomes),
    ],
)
def test_the_column_orders_name_every_column_of_their_table(columns, table):
    assert sorted(columns) == sorted(c.name for c in table.columns)


def test_interaction_rows_hold_json_as_text_and_the_received_time_for_a_missing_stamp():
    one, two = (dict(zip(rows.INTERACTION_COLUMNS, values)) for values in rows.interaction_values("acme", BATCH, 5.0))
    assert (one["project_id"], one["id"], one["ts"], one["received_at"]) == ("acme", "i1", 1_700_000_000.0, 5.0)
    assert orjson.loads(one["input"]) == [{"role": "user", "content": "hi"}]
    assert (orjson.loads(one["meta"]), orjson.loads(one["context_ids"])) == ({"plan": "pro"}, [])
    assert (orjson.loads(two["input"]), two["ts"]) == ("plain", 5.0)


def test_signal_and_outcome_rows():
    (signal,) = (dict(zip(rows.SIGNAL_COLUMNS, v)) for v in rows.signal_values("acme", BATCH, 5.0))
    assert (signal["interaction_id"], signal["kind"], orjson.loads(signal["payload"]), signal["ts"]) == (
        "i1",
        "edit",
        {"text": "hey"},
        5.0,
    )
    (outcome,) = (dict(zip(rows.OUTCOME_COLUMNS, v)) for v in rows.outcome_values("acme", BATCH, 5.0))
    assert (outcome["join_key"], outcome["interaction_id"], outcome["value"], outcome["ts"]) == (
        "order-1",
        None,
        1.0,
        1_700_000_100.0,
    )


class Row:
    def __init__(self, **mapping):
        self._mapping = mapping


def test_read_rows_become_the_apis_dicts():
    assert rows.interaction_dict(Row(project_id="acme", id="i1", meta=None, context_ids=None)) == {
        "id": "i1",
        "metadata": {},
        "context_ids": [],
    }
    assert rows.signal_dict(Row(project_id="acme", id="s1", payload=None)) == {"id": "s1", "payload": {}}
    assert rows.outcome_dict(Row(id="o1", payload={"a": 1})) == {"id": "o1", "payload": {"a": 1}}


def test_a_cursor_round_trips_and_a_forged_one_is_refused():
    cursor = rows.encode_cursor(1_700_000_000.5, "i/9")
    assert rows.decode_cursor(cursor) == (1_700_000_000.5, "i/9")
    for bad in ("nope", rows.encode_cursor(1.0, "x")[:-3], "WzFd"):  # not base64 JSON / cut / one item
        with pytest.raises(ValidationError) as caught:
            rows.decode_cursor(bad)
        assert (caught.value.field, caught.value.message) == ("cursor", "not a cursor this API returned")
