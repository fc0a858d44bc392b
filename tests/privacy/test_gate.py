from __future__ import annotations

import re

import orjson
import sqlalchemy as sa

from conftest import dump
from flyloop import (
    audit_log,
    pseudonym,
    set_consent,
    set_privacy_policy,
)
from flyloop.privacy import gate as privacy
from flyloop.privacy.gate import drop_counts

P = "acme"


def it(id, user="alice", **kw):
    return {
        "id": id,
        "workload": "support",
        "input": "How do I reset my password?",
        "output": "Click 'forgot'.",
        "user_id": user,
        **kw,
    }


def stored(store, interaction_id, project=P):
    return store.get_interaction(project, interaction_id)


def test_pii_is_redacted_everywhere_before_it_is_stored(capture, store):
    capture.ingest(
        P,
        {
            "interactions": [
                it(
                    "i1",
                    input=[
                        {"role": "system", "content": "Be brief."},
                        {"role": "user", "content": "I am at bob@example.com, card 4111 1111 1111 1111"},
                    ],
                    output="We will call 415-555-0134.",
                    metadata={
                        "contact": {"emails": ["bob@example.com"], "ip": "192.168.1.20"},
                        "phone": 4155550134,
                        "plan": "pro",
                    },
                )
            ],
            "signals": [
                {"id": "s1", "interaction_id": "i1", "kind": "edit", "payload": {"text": "Call +44 20 7946 0958"}},
                {"id": "s2", "interaction_id": "i1", "kind": "comment", "payload": {"text": "mail me: carol@ex.org"}},
                {
                    "id": "s3",
                    "interaction_id": "i1",
                    "kind": "choice",
                    "payload": {"chosen": "ok dave@ex.org", "rejected": ["no 212-555-0199"]},
                },
            ],
            "outcomes": [
                {
                    "id": "o1",
                    "name": "refund",
                    "interaction_id": "i1",
                    "payload": {"note": "paid to DE89 3704 0044 0532 0130 00"},
                }
            ],
        },
    )
    got = stored(store, "i1")
    assert got["input"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "I am at <EMAIL_ADDRESS>, card <CREDIT_CARD>"},
    ]
    assert got["output"] == "We will call <PHONE_NUMBER>."
    assert got["metadata"] == {
        "contact": {"emails": ["<EMAIL_ADDRESS>"], "ip": "<IP_ADDRESS>"},
        "phone": "<PHONE_NUMBER>",
        "plan": "pro",
    }
    payloads = {s["id"]: s["payload"] for s in got["signals"]}
    assert payloads["s1"] == {"text": "Call <PHONE_NUMBER>"}
    assert payloads["s2"] == {"text": "mail me: <EMAIL_ADDRESS>"}
    assert payloads["s3"] == {"chosen": "ok <EMAIL_ADDRESS>", "rejected": ["no <PHONE_NUMBER>"]}
    assert got["outcomes"][0]["payload"] == {"note": "paid to <IBAN_CODE>"}
    text = dump(store)
    for secret in (
        "bob@example.com",
        "4111 1111 1111 1111",
        "415-555-0134",
        "4155550134",
        "7946 0958",
        "carol@ex.org",
        "dave@ex.org",
        "212-555-0199",
        "192.168.1.20",
        "0532 0130",
    ):
        assert secret not in text, secret
    rows = {r["target"]: r for r in audit_log(store, P, action="redact")}
    assert rows["interaction:i1"]["actor"] == "capture"
    assert rows["interaction:i1"]["details"] == {
        "found": {
            "input[1]": {"EMAIL_ADDRESS": 1, "CREDIT_CARD": 1},
            "output": {"PHONE_NUMBER": 1},
            "metadata.contact.emails[0]": {"EMAIL_ADDRESS": 1},
            "metadata.contact.ip": {"IP_ADDRESS": 1},
            "metadata.phone": {"PHONE_NUMBER": 1},
        }
    }
    assert rows["signal:s3"]["details"] == {
        "found": {"payload.chosen": {"EMAIL_ADDRESS": 1}, "payload.rejected[0]": {"PHONE_NUMBER": 1}}
    }
    assert rows["outcome:o1"]["details"] == {"found": {"payload.note": {"IBAN_CODE": 1}}}


def test_a_retried_batch_is_audited_and_counted_once(capture, store):
    set_privacy_policy(store, P, {"workloads": {"support": {"metadata_keys": ["plan"]}}})
    batch = {"interactions": [it("i1", output="mail a@b.io", metadata={"plan": "pro", "email": "x"})]}
    capture.ingest(P, batch)
    result = capture.ingest(P, batch)
    assert result.duplicates == 1
    assert len(audit_log(store, P, action="redact")) == 1
    assert drop_counts(store, P) == {"support": {"metadata:email": 1}}


def test_user_ids_and_actors_are_stored_as_pseudonyms_only(capture, store):
    capture.ingest(
        P,
        {
            "interactions": [it("i1", user="alice@corp.com"), it("i2", user="bob")],
            "signals": [{"id": "s1", "interaction_id": "i1", "kind": "thumbs_up", "actor": "bob"}],
        },
    )
    alice, bob = pseudonym(store, P, "alice@corp.com"), pseudonym(store, P, "bob")
    assert re.fullmatch(r"u_[0-9a-f]{32}", alice) and alice != bob
    assert stored(store, "i1")["user_id"] == alice and stored(store, "i2")["user_id"] == bob
    assert stored(store, "i1")["signals"][0]["actor"] == bob
    assert pseudonym(store, "other", "bob") != bob  # each project has its own key
    text = dump(store)
    assert "alice@corp.com" not in text and '"bob"' not in text


def test_reading_by_raw_user_id_works_through_the_api(api):
    api.post("/v1/ingest", json={"interactions": [it("i1", user="u-42"), it("i2", user="u-7")]})
    items = api.get("/v1/interactions", params={"user_id": "u-42"}).json()["items"]
    assert [i["id"] for i in items] == ["i1"]
    by_pseudonym = api.get("/v1/interactions", params={"user_id": items[0]["user_id"]}).json()["items"]
    assert [i["id"] for i in by_pseudonym] == ["i1"]


def test_no_content_users_get_metadata_only_capture(capture, store):
    set_consent(store, P, "carol", "no_content")
    capture.ingest(
        P,
        {
            "interactions": [
                it(
                    "i1",
                    user="carol",
                    latency_ms=120.0,
                    tokens_in=9,
                    tokens_out=4,
                    cost=0.01,
                    metadata={"plan": "pro"},
                    policy_version="v3",
                )
            ],
            "signals": [
                {"id": "s1", "interaction_id": "i1", "kind": "edit", "payload": {"text": "Use the link."}},
                {"id": "s2", "interaction_id": "i1", "kind": "thumbs_down"},
                {
                    "id": "s3",
                    "interaction_id": "elsewhere",
                    "kind": "comment",
                    "actor": "carol",
                    "payload": {"text": "my own words"},
                },
            ],
        },
    )
    got = stored(store, "i1")
    assert got["input"] is None and got["output"] is None and got["consent"] == "no_content"
    assert (
        got["latency_ms"],
        got["tokens_in"],
        got["tokens_out"],
        got["cost"],
        got["metadata"],
        got["policy_version"],
    ) == (120.0, 9, 4, 0.01, {"plan": "pro"}, "v3")
    by_id = {s["id"]: s for s in got["signals"] if s["source"] == "user"}
    assert by_id["s1"]["payload"] == {"content_removed": "consent"} and by_id["s1"]["kind"] == "edit"
    assert by_id["s2"]["kind"] == "thumbs_down"
    with store.engine.connect() as conn:
        s3 = conn.execute(sa.text("select payload from signals where id = 's3'")).scalar()
    assert (orjson.loads(s3) if isinstance(s3, str) else s3) == {"content_removed": "consent"}
    assert drop_counts(store, P) == {"support": {"content:no_content": 1}, "(signals)": {"content:no_content": 2}}
    assert "Use the link." not in dump(store) and "my own words" not in dump(store)


def test_a_signal_that_arrives_before_its_no_content_interaction_loses_its_text(capture, store):
    set_consent(store, P, "carol", "no_content")
    capture.ingest(
        P, {"signals": [{"id": "s1", "interaction_id": "i1", "kind": "edit", "payload": {"text": "early words"}}]}
    )
    capture.ingest(P, {"interactions": [it("i1", user="carol")]})
    assert stored(store, "i1")["signals"][0]["payload"] == {"content_removed": "consent"}


def test_moving_to_no_content_removes_what_is_stored(capture, store):
    capture.ingest(
        P,
        {
            "interactions": [it("i1", user="dan"), it("i2", user="erin")],
            "signals": [
                {"id": "s1", "interaction_id": "i1", "kind": "edit", "payload": {"text": "fixed"}},
                {"id": "s2", "interaction_id": "i2", "kind": "comment", "actor": "dan", "payload": {"text": "hm"}},
                {"id": "s3", "interaction_id": "i2", "kind": "comment", "actor": "erin", "payload": {"text": "ok"}},
            ],
        },
    )
    result = set_consent(store, P, "dan", "no_content")
    assert result["content_removed"] == {"interactions": 1, "signals": 2}
    assert stored(store, "i1")["input"] is None and stored(store, "i2")["input"] == "How do I reset my password?"
    payloads = {s["id"]: s["payload"] for s in stored(store, "i2")["signals"] if s["source"] == "user"}
    assert payloads == {"s2": {"content_removed": "consent"}, "s3": {"text": "ok"}}
    assert stored(store, "i1")["consent"] == "full"  # the record of what was in force then is kept


def test_minimization_keeps_only_allow_listed_fields_and_keys_and_counts_drops(capture, store):
    set_privacy_policy(
        store,
        P,
        {
            "workloads": {
                "support": {
                    "fields": ["input", "output", "user_id", "latency_ms", "metadata"],
                    "metadata_keys": ["plan", "locale"],
                },
                "*": {"metadata_keys": []},
            }
        },
    )
    capture.ingest(
        P,
        {
            "interactions": [
                it(
                    "i1",
                    session_id="s-9",
                    latency_ms=5.0,
                    cost=0.2,
                    join_key="order-1",
                    context_ids=["doc-1"],
                    metadata={"plan": "pro", "locale": "en", "ssn_hint": "x", "device": "ios"},
                ),
                {**it("i2"), "workload": "search", "metadata": {"query_log": "q", "plan": "free"}, "session_id": "s-1"},
            ]
        },
    )
    one, two = stored(store, "i1"), stored(store, "i2")
    assert (one["session_id"], one["cost"], one["join_key"], one["context_ids"], one["latency_ms"]) == (
        None,
        None,
        None,
        [],
        5.0,
    )
    assert one["metadata"] == {"plan": "pro", "locale": "en"}
    assert two["metadata"] == {} and two["session_id"] == "s-1"
    assert drop_counts(store, P) == {
        "search": {"metadata:plan": 1, "metadata:query_log": 1},
        "support": {
            "field:context_ids": 1,
            "field:cost": 1,
            "field:join_key": 1,
            "field:session_id": 1,
            "metadata:device": 1,
            "metadata:ssn_hint": 1,
        },
    }


def test_privacy_is_the_first_gate_on_every_capture(capture, monkeypatch):
    # Capture calls the gate by name, before the store sees the batch, and hands the gate's own
    # report to record_gate after the commit (no thread-local in between).
    from flyloop.capture import ingest

    calls = []
    gate, record, store_ingest = ingest.privacy_gate, ingest.record_gate, capture.store.ingest

    def spy_gate(store, project_id, batch):
        calls.append("gate")
        gated, report = gate(store, project_id, batch)
        calls.append(report)
        return gated, report

    def spy_store(project_id, batch, flags=None, **guard):
        calls.append("store")
        return store_ingest(project_id, batch, flags, **guard)

    def spy_record(store, project_id, batch, report, result):
        calls.append(("record", report))
        return record(store, project_id, batch, report, result)

    monkeypatch.setattr(ingest, "privacy_gate", spy_gate)
    monkeypatch.setattr(ingest, "record_gate", spy_record)
    monkeypatch.setattr(capture.store, "ingest", spy_store)
    capture.ingest(P, {"interactions": [it("i1")]})
    assert calls[0] == "gate" and calls[2] == "store" and calls[3] == ("record", calls[1])
    assert isinstance(calls[1], privacy.GateReport)


def test_redaction_runs_on_the_sender_thread_never_the_apps(store, settings, monkeypatch):
    import threading

    from flyloop import Flywheel
    from flyloop.privacy.redaction import Redactor

    threads = []
    original = Redactor.redact_many

    def spy(self, texts, contexts=None):
        threads.append(threading.current_thread().name)
        return original(self, texts, contexts)

    monkeypatch.setattr(Redactor, "redact_many", spy)
    with Flywheel(store=store, settings=settings) as fw:
        fw.log("support", "mail me at a@b.io", "ok", user_id="alice", consent="no_training")
        assert threads == []  # log returned without redacting anything
        assert fw.flush()
    assert set(threads) == {"flyloop-sender"}
    got = store.list_interactions(fw.project)[0][0]
    assert (got["input"], got["consent"]) == ("mail me at <EMAIL_ADDRESS>", "no_training")


def _without_the_pii_extra(monkeypatch):
    from flyloop import errors
    from flyloop.privacy import redaction

    def missing():
        raise errors.ConfigError(redaction.PII_EXTRA_HINT)

    monkeypatch.setattr(redaction, "_spacy", missing)


def test_a_server_that_cannot_apply_the_policy_answers_503_so_clients_keep_the_events(api, store, monkeypatch):
    """The policy was set where the extra is installed, the server runs where it is not: a 4xx made
    the SDK set every event aside as bad (flush() True, nothing stored); a 503 makes it retry."""
    from flyloop import set_privacy_policy

    set_privacy_policy(store, "acme", {"redaction": {"mode": "ner"}})
    _without_the_pii_extra(monkeypatch)
    answer = api.post(
        "/v1/ingest", json={"interactions": [{"id": "i1", "workload": "w", "input": "hi Ann", "output": "o"}]}
    )
    assert answer.status_code == 503
    assert answer.json()["error"] == "Unavailable"
    assert answer.json()["message"].startswith("the project's privacy policy cannot be applied here: ")
    assert store.status("acme")["counts"]["interactions"] == 0
