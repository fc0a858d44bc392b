"""A project's privacy policy as data (flyloop.privacy.policy): merge, validation, audit, the modes it names."""

from __future__ import annotations

import re

import pytest

from flyloop import (
    PrivacyPolicy,
    ValidationError,
    audit_log,
    privacy_policy,
    set_privacy_policy,
)

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


def test_policy_changes_merge_validate_and_are_audited(store):
    assert privacy_policy(store, P) == PrivacyPolicy()
    policy = set_privacy_policy(
        store,
        P,
        {"redaction": {"mode": "ner", "entities": ["PERSON"]}, "retention": {"content_days": 30}},
        actor="key:abc",
    )
    assert (policy.redaction.mode, policy.redaction.entities, policy.redaction.style) == ("ner", ["PERSON"], "tag")
    assert policy.retention.content_days == 30 and policy.consent_default == "full"
    set_privacy_policy(store, P, {"workloads": {"w": {"fields": ["input"]}}})
    assert set_privacy_policy(store, P, {"workloads": {"w": None}}).workloads == {}
    for changes, field in [
        ({"redaction": {"mode": "regex"}}, "redaction.mode"),
        ({"redaction": {"entities": ["SHOE_SIZE"]}}, "redaction.entities"),
        ({"retention": {"content_days": -1}}, "retention.content_days"),
        ({"workloads": {"w": {"fields": ["password"]}}}, "workloads.w.fields"),
        ({"colour": "red"}, "colour"),
    ]:
        with pytest.raises(ValidationError) as err:
            set_privacy_policy(store, P, changes)
        assert err.value.field == field, changes
    assert privacy_policy(store, P).redaction.mode == "ner"  # refused changes changed nothing
    rows = audit_log(store, P, action="privacy.set")
    assert [r["actor"] for r in rows] == ["library", "library", "key:abc"]
    assert rows[-1]["details"] == {
        "changes": {"redaction": {"mode": "ner", "entities": ["PERSON"]}, "retention": {"content_days": 30}}
    }


def test_redaction_mode_and_style_come_from_the_policy(capture, store):
    set_privacy_policy(store, P, {"redaction": {"style": "hash"}})
    capture.ingest(P, {"interactions": [it("i1", output="call 415-555-0134"), it("i2", output="call (415) 555 0134")]})
    one, two = stored(store, "i1")["output"], stored(store, "i2")["output"]
    assert re.fullmatch(r"call <PHONE_NUMBER:[0-9a-f]{12}>", one) and one == two
    set_privacy_policy(store, P, {"redaction": {"mode": "off"}})
    capture.ingest(P, {"interactions": [it("i3", output="call 415-555-0134")]})
    assert stored(store, "i3")["output"] == "call 415-555-0134"


def _without_the_pii_extra(monkeypatch):
    from flyloop import errors
    from flyloop.privacy import redaction

    def missing():
        raise errors.ConfigError(redaction.PII_EXTRA_HINT)

    monkeypatch.setattr(redaction, "_spacy", missing)


def test_a_mode_this_machine_cannot_run_is_refused_when_set(store, monkeypatch):
    """On a core install, `privacy set --redaction-mode ner` was accepted, and every event ingest
    saw afterwards was refused."""
    from flyloop import ConfigError, privacy_policy, set_privacy_policy

    _without_the_pii_extra(monkeypatch)
    with pytest.raises(ConfigError) as refused:
        set_privacy_policy(store, "acme", {"redaction": {"mode": "ner"}})
    assert "pip install 'flyloop[pii]'" in str(refused.value)
    assert privacy_policy(store, "acme").redaction.mode == "pattern"
