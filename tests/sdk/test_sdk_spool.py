"""What the SDK's spool keeps of a user, through the client: a rejected event is written with its
user, session, join key and other identifying strings hashed or redacted, and erasing the user
still finds it."""

from __future__ import annotations

from test_client import make, rejected_lines

from flyloop.sdk.sender import forget_user
from flyloop.sdk.spool import hash_user

# --- what the spool keeps of a user, and erasing it (issue 9, item 7) -------------------------------


def test_a_rejected_event_is_written_without_its_raw_user_or_pii(store, tmp_path, settings):
    client = make(store, tmp_path, max_text_chars=60)
    bad = client.log(
        "w",
        "mail me at jane.doe@example.com please",
        output="x" * 61,
        user_id="jane-1234",
        metadata={"note": "card 4111 1111 1111 1111"},
    )
    client.signal(bad.id, "rating", 9, actor="jane-1234")
    assert client.flush()
    client.close()
    raw = (tmp_path / "spool" / "rejected.jsonl").read_bytes()
    for secret in (b"jane-1234", b"jane.doe@example.com", b"4111 1111 1111 1111"):
        assert secret not in raw
    interaction, signal = rejected_lines(tmp_path / "spool")
    key = bytes.fromhex((tmp_path / "spool" / "rejected.key").read_text())
    assert (tmp_path / "spool" / "rejected.key").stat().st_mode & 0o777 == 0o600
    assert interaction["event"]["user_id"] == signal["event"]["actor"] == hash_user(key, "jane-1234")
    assert interaction["event"]["input"] == "mail me at <EMAIL_ADDRESS> please"
    assert interaction["event"]["metadata"] == {"note": "card <CREDIT_CARD>"}
    assert interaction["error"]["field"] == "output"


def test_a_rejected_record_holds_no_raw_session_id_join_key_or_other_identifying_string(store, tmp_path, settings):
    client = make(store, tmp_path, max_text_chars=60)
    bad = client.log(
        "w",
        "q",
        output="x" * 61,
        user_id="priya-7",
        session_id="sess-priya-r",
        join_key="priya.r@example.org",
        policy_version="v3",
        context_ids=["doc for priya.r@example.org"],
    )
    client.outcome("", 1.0, join_key="priya.r@example.org")  # an empty name: rejected too
    assert client.flush()
    client.close()
    folder = tmp_path / "spool"
    raw = (folder / "rejected.jsonl").read_bytes()
    for secret in (b"priya-7", b"sess-priya-r", b"priya.r@example.org"):
        assert secret not in raw
    key = bytes.fromhex((folder / "rejected.key").read_text())
    interaction, outcome = rejected_lines(folder)
    event = interaction["event"]
    assert event["id"] == bad.id and event["workload"] == "w"
    assert event["user_id"] == hash_user(key, "priya-7")
    assert event["session_id"] == hash_user(key, "sess-priya-r")
    assert event["join_key"] == outcome["event"]["join_key"] == hash_user(key, "priya.r@example.org")
    assert event["context_ids"] == ["doc for <EMAIL_ADDRESS>"]  # any other string is redacted text
    assert outcome["error"]["field"] == "name"
    # erasure still finds the user's interaction, and the outcome joined by their join key
    assert forget_user(folder, "priya-7") == {"spool": 0, "journal": 0, "rejected": 2}
