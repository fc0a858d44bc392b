"""Signed, expiring, per-interaction feedback tokens (flyloop.capture.feedback_tokens), through the browser route."""

from __future__ import annotations

import threading
import time

import jwt
import sqlalchemy as sa

from flyloop.privacy.pseudonyms import current_secret


def it(id, user="alice", **kw):
    return {"id": id, "workload": "support", "input": "q", "output": "a", "user_id": user, **kw}


def token_for(api, interaction_id="i1", project="acme", **body):
    r = api.post(
        "/v1/feedback-tokens", project=project, scopes=("ingest",), json={"interaction_id": interaction_id, **body}
    )
    assert r.status_code == 200, r.text
    return r.json()["token"]


def user_signals(store, interaction_id="i1", project="acme"):
    return [s for s in store.get_interaction(project, interaction_id)["signals"] if s["source"] == "user"]


def test_a_browser_sends_one_signal_with_a_token_and_a_replay_is_refused(api, store):
    api.post("/v1/ingest", json={"interactions": [it("i1")]})
    token = token_for(api)
    first = api.client.post(
        "/v1/feedback", json={"token": token, "kind": "comment", "payload": {"text": "mail me: a@b.io"}}
    )
    assert first.status_code == 200 and first.json()["stored"] is True and first.json()["uses_left"] == 0
    replay = api.client.post("/v1/feedback", json={"token": token, "kind": "comment", "payload": {"text": "again"}})
    assert replay.status_code == 409 and "already used" in replay.json()["message"]
    [signal] = user_signals(store)
    assert (signal["kind"], signal["payload"], signal["actor"]) == (
        "comment",
        {"text": "mail me: <EMAIL_ADDRESS>"},
        None,
    )


def test_expired_tampered_and_foreign_tokens_are_refused(api, store):
    api.post("/v1/ingest", json={"interactions": [it("i1"), it("i2")]})
    good = token_for(api)
    version, key = current_secret(store, "acme", "feedback")
    claims = jwt.decode(good, key, algorithms=["HS256"], audience="flyloop:feedback")
    expired = jwt.encode(
        {**claims, "iat": int(time.time()) - 100, "exp": int(time.time()) - 10}, key, algorithm="HS256"
    )
    other_interaction = jwt.encode({**claims, "sub": "i2"}, b"not the key" * 3, algorithm="HS256")
    other_project = jwt.encode({**claims, "pid": "nobody"}, key, algorithm="HS256")
    header, payload, signature = good.split(".")
    spliced = ".".join([header, jwt.encode({**claims, "sub": "i2"}, key, algorithm="HS256").split(".")[1], signature])
    for token, words in [
        (expired, "expired"),
        (other_interaction, "not valid"),
        (spliced, "not valid"),
        (other_project, "revoked or never valid"),
        ("garbage", "not a feedback token"),
        (None, "required"),
    ]:
        r = api.client.post("/v1/feedback", json={"token": token, "kind": "thumbs_up"})
        assert r.status_code == 401 and words in r.json()["message"], (words, r.text)
    assert user_signals(store, "i1") == [] and user_signals(store, "i2") == []
    with store.engine.connect() as conn:  # checking a token from outside never made a key for its project
        assert conn.execute(sa.text("select count(*) from project_secrets where project_id = 'nobody'")).scalar() == 0


def test_a_token_is_limited_to_its_kinds_and_uses_and_bad_input_spends_nothing(api, store):
    api.post("/v1/ingest", json={"interactions": [it("i1")]})
    token = token_for(api, kinds=["thumbs_up", "rating"], max_uses=2)
    assert (
        api.client.post("/v1/feedback", json={"token": token, "kind": "comment", "payload": {"text": "x"}}).status_code
        == 403
    )
    bad = api.client.post("/v1/feedback", json={"token": token, "kind": "rating", "value": 9})
    assert bad.status_code == 422 and bad.json()["field"] == "value"  # the browser's field, not signals[0].value
    assert api.client.post("/v1/feedback", json={"token": token, "kind": "rating", "value": 4}).json()["uses_left"] == 1
    assert api.client.post("/v1/feedback", json={"token": token, "kind": "thumbs_up"}).json()["uses_left"] == 0
    assert api.client.post("/v1/feedback", json={"token": token, "kind": "thumbs_up"}).status_code == 409
    assert [s["kind"] for s in user_signals(store)] == ["rating", "thumbs_up"]
    refused = api.post("/v1/feedback-tokens", scopes=("ingest",), json={"interaction_id": "i1", "kinds": ["outcome"]})
    assert refused.status_code == 422 and refused.json()["field"] == "kinds"
    for body, field in [
        ({"interaction_id": "i1", "ttl_s": -1}, "ttl_s"),
        ({"interaction_id": "i1", "max_uses": 99}, "max_uses"),
        ({"interaction_id": ""}, "interaction_id"),
        ({"interaction_id": "i1", "sneaky": 1}, "sneaky"),
    ]:
        r = api.post("/v1/feedback-tokens", scopes=("ingest",), json=body)
        assert r.status_code == 422 and r.json()["field"] == field, body


def test_concurrent_replays_store_exactly_the_allowed_number(api, store):
    api.post("/v1/ingest", json={"interactions": [it("i1")]})
    token = token_for(api, max_uses=3)
    codes: list[int] = []

    def send() -> None:
        codes.append(api.client.post("/v1/feedback", json={"token": token, "kind": "thumbs_up"}).status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 200, 200] + [409] * 5
    assert len(user_signals(store)) == 3


def test_rotating_the_feedback_key_revokes_outstanding_tokens(api, store):
    api.post("/v1/ingest", json={"interactions": [it("i1")]})
    token = token_for(api)
    api.post("/v1/privacy/rotate-key", scopes=("admin",), json={"purpose": "feedback"})
    assert api.client.post("/v1/feedback", json={"token": token, "kind": "thumbs_up"}).status_code == 401
    fresh = token_for(api)
    assert api.client.post("/v1/feedback", json={"token": fresh, "kind": "thumbs_up"}).status_code == 200


def test_one_kind_named_as_a_string_is_that_kind(store, tmp_path):
    """kinds="thumbs_up" was read as its letters (kinds must be some of ...; got _, b, h, ...), from
    the library and from the SDK (which listed it before sending)."""
    from flyloop import Flywheel
    from flyloop.capture.feedback_tokens import issue_feedback_token

    assert issue_feedback_token(store, "acme", "i1", kinds="thumbs_up")["kinds"] == ["thumbs_up"]
    fw = Flywheel(project="acme", database_url=f"sqlite:///{tmp_path / 'f.db'}", spool_dir=tmp_path / "spool")
    assert fw.feedback_token("i1", kinds="thumbs_up")["kinds"] == ["thumbs_up"]
    fw.close()
