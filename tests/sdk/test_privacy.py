"""The privacy verbs of the project handle (flyloop.sdk.privacy: fw.users, fw.privacy,
fw.retention): the same answer, type and error on the local store and through the server, and
the ones that must not travel through the API (keys, compaction, every project's retention) say
where to run them instead."""

from __future__ import annotations

import re

import pytest
from test_project import P, remote, same_error, seed

from flyloop import PrivacyPolicy, errors
from flyloop.sdk.project import Project


@pytest.fixture
def pair(api, store, settings, capture):
    """(local, remote) handles on one store holding test_project's seeded project."""
    seed(capture)
    return Project.on_store(store, P, settings), remote(api, settings)


def test_user_verbs_answer_alike(pair, store):
    local, far = pair
    assert far.users.consent("user1") == local.users.consent("user1")
    assert far.users.pseudonym("user1") == local.users.pseudonym("user1")
    set_here = local.users.set_consent("user1", "no_training", source="support")
    set_there = far.users.set_consent("user2", "no_training", source="support")
    assert set_there.keys() == set_here.keys() and set_there["state"] == set_here["state"] == "no_training"
    assert far.users.show("user2") == local.users.show("user2")
    assert far.users.show("user2")["history"][0]["source"] == "support"
    same_error(lambda: local.users.set_consent("u", "maybe"), lambda: far.users.set_consent("u", "maybe"))
    mine, theirs = local.users.erase("user3"), far.users.erase("user4")
    for report in (mine, theirs):
        assert (report["interactions"], report["verified"], report["spool"]) == (2, True, None)
    assert mine.keys() == theirs.keys()
    with pytest.raises(errors.NotFound):
        far.labels.get("g4")


def test_erasure_through_the_server_reaches_this_machines_spool(api, store, settings, capture, tmp_path):
    from flyloop.sdk.spool import Spool

    seed(capture)
    folder = tmp_path / "spool"
    Spool(folder).put([("interactions", {"id": "z", "workload": "math", "input": "q", "user_id": "user0"})])
    report = remote(api, settings, spool_dir=folder).users.erase("user0")
    assert (report["interactions"], report["spool"]) == (2, {"spool": 1, "journal": 0, "rejected": 0})


def test_privacy_verbs_answer_alike(pair):
    local, far = pair
    policy = far.privacy.policy()
    assert isinstance(policy, PrivacyPolicy) and policy == local.privacy.policy()
    changed = far.privacy.set_policy({"retention": {"content_days": 30}})
    assert changed == local.privacy.policy() and changed.retention.content_days == 30
    assert far.privacy.drops() == local.privacy.drops()
    text = "Mail jo@example.com"
    assert (
        far.privacy.redact(text)
        == local.privacy.redact(text)
        == {
            "text": "Mail <EMAIL_ADDRESS>",
            "found": {"EMAIL_ADDRESS": 1},
        }
    )
    assert far.privacy.audit(action="privacy.") == local.privacy.audit(action="privacy.")
    assert far.privacy.rotate_key("feedback")["purpose"] == "feedback"
    same_error(
        lambda: local.privacy.set_policy({"consent_default": "maybe"}),
        lambda: far.privacy.set_policy({"consent_default": "maybe"}),
    )
    same_error(lambda: local.privacy.rotate_key("nope"), lambda: far.privacy.rotate_key("nope"))
    same_error(lambda: local.privacy.set_policy(["x"]), lambda: far.privacy.set_policy(["x"]))  # type: ignore[arg-type]
    assert far.retention.apply().keys() == local.retention.apply().keys() == {P}
    with pytest.raises(errors.ConfigError, match="flyloop privacy compact"):
        far.privacy.compact()
    with pytest.raises(errors.ConfigError):
        far.retention.apply(all_projects=True)
    assert local.privacy.compact()["dialect"] in ("sqlite", "postgresql")
    # A project's keys never travel through the API (a leaked admin key must not be enough)
    with pytest.raises(errors.ConfigError, match="flyloop privacy export-keys"):
        far.privacy.export_keys()
    with pytest.raises(errors.ConfigError, match="never travel through the API"):
        far.privacy.import_keys({"split": ["ab" * 32]})
    exported = local.privacy.export_keys()
    assert {"pseudonym", "feedback"} <= set(exported) and len(exported["feedback"]) == 2  # rotated above
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for keys in exported.values() for k in keys)
