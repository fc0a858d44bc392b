"""The catalogue: each version with its stage and taint, filtered by workload, stage and taint."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.registry import VersionEntry, catalog, register, set_production, set_stage, taint_version

P = "acme"


def test_each_version_comes_with_its_stage_and_taint_and_the_filters_combine(store):
    declare_workload(store, P, "reply")
    declare_workload(store, P, "triage", type="choice", labels=["a", "b"])
    a, b, c = (register(store, P, {"workload": "reply", "system_prompt": p}) for p in "ABC")
    t = register(store, P, {"workload": "triage", "backend": "classifier"})
    set_production(store, P, "reply", a.id)
    set_production(store, P, "reply", b.id)
    set_stage(store, P, "reply", "canary", c.id)
    taint_version(store, P, a.id, "erased data")
    assert catalog(store, P) == [
        VersionEntry(version=a, stage="archived", taint="erased data"),
        VersionEntry(version=b, stage="production", taint=None),
        VersionEntry(version=c, stage="canary", taint=None),
        VersionEntry(version=t, stage="candidate", taint=None),
    ]
    assert [e.version.id for e in catalog(store, P, "reply", stage="canary")] == [c.id]
    assert [e.version.id for e in catalog(store, P, tainted=True)] == [a.id]
    assert [e.version.id for e in catalog(store, P, "reply", tainted=False)] == [b.id, c.id]
    assert catalog(store, P, "triage", stage="production") == []
    assert catalog(store, "other") == []
    for kwargs, field in (({"stage": "live"}, "stage"), ({"tainted": "yes"}, "tainted")):
        with pytest.raises(errors.ValidationError) as caught:
            catalog(store, P, **kwargs)
        assert caught.value.field == field
