"""Taint: a version resting on a tainted dataset version or artifact is tainted, read at once and
written down by the erasure hook; a person may taint a version too."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from conftest import PROJECT, with_policy
from flyloop import datasets, errors
from flyloop.capture import declare_workload
from flyloop.improve import taint_artifact
from flyloop.privacy import erase_user
from flyloop.registry import mark_tainted, register, taint_version, tainted_versions, version_taint
from flyloop.store import schema

P = PROJECT


def stored(store) -> dict[str, str]:
    t = schema.version_taints
    with store.read() as conn:
        return {r.version_id: r.reason for r in conn.execute(sa.select(t.c.version_id, t.c.reason))}


def test_a_version_whose_bank_came_from_a_tainted_dataset_version_is_tainted(store, capture, settings):
    version, bank = with_policy(store, capture, settings)
    plain = register(store, P, {"workload": "math", "model": "other", "system_prompt": "No examples."})
    assert version_taint(store, P, version.id) is None
    assert tainted_versions(store, P) == {}
    assert mark_tainted(store, P) == []
    tainted = datasets.taint(store, P, bank.dataset_version, "a leaked ticket in the data")
    why = f"its bank {bank.id} was built from dataset version {bank.dataset_version}, tainted: {tainted.taint_reason}"
    assert tainted.taint_reason.endswith("a leaked ticket in the data")
    assert version_taint(store, P, version.id) == why
    assert version_taint(store, P, plain.id) is None
    assert tainted_versions(store, P) == {version.id: why}
    assert tainted_versions(store, P, "other") == {}
    assert stored(store) == {}  # derived until something writes it down
    assert mark_tainted(store, P) == [version.id]
    assert mark_tainted(store, P) == []
    assert stored(store) == {version.id: why}


def test_erasing_a_user_marks_the_versions_built_on_their_data(store, capture, settings):
    version, bank = with_policy(store, capture, settings)
    erase_user(store, P, "user3", settings=settings, grace_s=0)
    reason = datasets.get(store, P, bank.dataset_version).taint_reason
    assert reason is not None and "erasure" in reason
    assert stored(store) == {
        version.id: f"its bank {bank.id} was built from dataset version {bank.dataset_version}, tainted: {reason}"
    }
    assert tainted_versions(store, P) == stored(store)


def test_a_version_whose_adapter_or_head_is_tainted_is_tainted(store, settings):
    declare_workload(store, P, "reply")
    now = time.time()
    with store.write() as conn:
        conn.execute(
            sa.insert(schema.artifacts),
            [
                {"project_id": P, "id": f"{prefix}_{i:016x}", "kind": kind, "workload": "reply"}
                | {"dataset_version": None, "run_id": None, "path": f"{prefix}_{i:016x}", "size_bytes": 1}
                | {"manifest": {}, "created_at": now}
                for i, kind, prefix in ((1, "adapter", "ad"), (2, "head", "hd"))
            ],
        )
    adapted = register(
        store, P, {"workload": "reply", "backend": "transformers", "model": "m", "adapter": "ad_" + "0" * 15 + "1"}
    )
    headed = register(store, P, {"workload": "reply", "backend": "transformers", "model": "hd_" + "0" * 15 + "2"})
    assert tainted_versions(store, P) == {}
    taint_artifact(store, P, "ad_" + "0" * 15 + "1", "licence problem", settings=settings)
    found = tainted_versions(store, P)
    assert list(found) == [adapted.id]
    assert found[adapted.id].startswith(f"its adapter ad_{'0' * 15}1 is tainted: ")
    assert found[adapted.id].endswith(" licence problem")
    taint_artifact(store, P, "hd_" + "0" * 15 + "2", "bad labels", settings=settings)
    assert sorted(tainted_versions(store, P)) == sorted([adapted.id, headed.id])
    assert tainted_versions(store, P)[headed.id].startswith(f"its model hd_{'0' * 15}2 is tainted: ")


def test_a_person_taints_a_version_with_a_reason_kept_once(store):
    declare_workload(store, P, "reply")
    v = register(store, P, {"workload": "reply", "model": "m"})
    assert taint_version(store, P, v.id, " trained on a leaked ticket ") == "trained on a leaked ticket"
    assert taint_version(store, P, v.id, "trained on a leaked ticket") == "trained on a leaked ticket"
    assert taint_version(store, P, v.id, "licence") == "trained on a leaked ticket; licence"
    assert version_taint(store, P, v.id) == "trained on a leaked ticket; licence"
    assert tainted_versions(store, P) == {v.id: "trained on a leaked ticket; licence"}
    for reason in ("", "  ", None, "x" * 10_001):
        with pytest.raises(errors.ValidationError) as caught:
            taint_version(store, P, v.id, reason)  # type: ignore[arg-type]
        assert caught.value.field == "reason"
    with pytest.raises(errors.NotFound) as caught:
        taint_version(store, P, "pv_nope", "why")
    assert caught.value.field == "version"
    assert stored(store) == {v.id: "trained on a leaked ticket; licence"}


def test_content_removal_marks_the_versions_built_on_that_content(store, capture, settings):
    from flyloop.privacy.derived import remove_content

    version, bank = with_policy(store, capture, settings)
    t = schema.interactions
    with store.read() as conn:
        ids = list(conn.execute(sa.select(t.c.id).where(t.c.project_id == P)).scalars())[:3]
    remove_content(store, P, ids, "retention")
    reason = datasets.get(store, P, bank.dataset_version).taint_reason
    assert reason is not None and "retention" in reason
    assert stored(store) == {
        version.id: f"its bank {bank.id} was built from dataset version {bank.dataset_version}, tainted: {reason}"
    }
