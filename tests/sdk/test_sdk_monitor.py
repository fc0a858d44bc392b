"""The handle's monitor verbs (flyloop.sdk.monitor): the same answers, types and errors on the
local store and through the server (the app in process, on the same store)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from conftest import hours_ago
from flyloop import errors
from flyloop.monitor import Alert
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote

P = "watch"
H = hours_ago(4)


@pytest.fixture
def pair(api, store, settings):
    client = TestClient(api.app, headers=api.key(P, "read"))
    far = Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings))
    return Project.on_store(store, P, settings), far


def test_metrics_and_alerts_answer_alike(pair, capture):
    local, far = pair
    its = [
        {"id": f"i{k}", "workload": "w", "input": "q", "output": "o", "ts": H + k * 60, "policy_version": f"v{k % 2}"}
        for k in range(6)
    ]
    capture.ingest(P, {"interactions": its, "signals": [{"id": "s", "interaction_id": "i1", "kind": "copy", "ts": H}]})
    assert far.monitor.refresh(check=False) == {"interactions": 6, "notes": []}
    assert local.monitor.refresh(check=False) == {"interactions": 0, "notes": []}
    for by in (None, "workload", "version", "arm"):
        mine = local.monitor.metrics("hour", by=by, since=H, until=H + 3600)
        assert far.monitor.metrics("hour", by=by, since=H, until=H + 3600) == mine
    got = far.monitor.metrics("hour", by="version", since=H, until=H + 3600)["windows"]
    assert [(w["group"], w["counts"]["interactions"], w["rates"]["acceptance_rate"]) for w in got] == [
        ("v0", 3, 0.0),
        ("v1", 3, 0.333333),
    ]
    assert far.monitor.alerts() == local.monitor.alerts() == []
    notes = far.monitor.refresh()["notes"]
    assert notes == local.monitor.refresh()["notes"] and "w: stall check skipped: 0 releases, 3 needed" in notes
    assert all(isinstance(a, Alert) for a in far.monitor.alerts(limit=5))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"by": "colour"}, "by"), ({"segment_key": "plan"}, "segment_key"), ({"since": H + 10, "until": H}, "since")],
)
def test_bad_input_is_the_same_error(pair, kwargs, field):
    local, far = pair
    with pytest.raises(errors.FlyloopError) as mine:
        local.monitor.metrics("day", **kwargs)
    with pytest.raises(errors.FlyloopError) as theirs:
        far.monitor.metrics("day", **kwargs)
    assert type(mine.value) is type(theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    assert mine.value.field == field
