"""GET /v1/metrics and /v1/alerts (flyloop.server.monitor): rollups and alerts with a read key."""

from __future__ import annotations

from conftest import hours_ago
from flyloop import Settings
from flyloop.monitor import check_alerts, update_rollups

H = hours_ago(6)


def test_metrics_and_alerts_routes(api, capture, store, settings):
    its = [
        {
            "id": f"i{k}",
            "workload": "w",
            "input": "x" * (20 if k < 40 else 500),
            "output": "o",
            "ts": H + k * 90,
            "policy_version": "v1" if k % 2 else "v2",
        }
        for k in range(80)
    ]
    capture.ingest(
        "acme",
        {"interactions": its, "signals": [{"id": "s1", "interaction_id": "i1", "kind": "accept", "ts": H + 100}]},
    )
    update_rollups(store, "acme")
    got = api.get(f"/v1/metrics?grain=hour&by=version&since={H}&until={H + 7200}")
    assert got.status_code == 200, got.text
    body = got.json()
    assert [(w["start"] - H, w["group"], w["counts"]["interactions"]) for w in body["windows"]] == [
        (0, "v1", 20),
        (0, "v2", 20),
        (3600, "v1", 20),
        (3600, "v2", 20),
    ]
    assert body["windows"][0]["rates"]["acceptance_rate"] == 0.05 and body["notes"] == []
    bad = api.get("/v1/metrics?grain=month")
    assert bad.status_code == 422 and "grain" in bad.text
    assert api.get("/v1/alerts").json() == {"items": []}
    s = Settings(home=settings.home, database_url="sqlite://", monitor_window_s=3600)
    check_alerts(store, "acme", settings=s, now=H + 7000)
    (alert,) = api.get("/v1/alerts").json()["items"]
    assert (
        alert["kind"] == "input_drift" and alert["delivery"] == "pending" and "population stability" in alert["message"]
    )
    assert api.get("/v1/alerts?kind=regression").json() == {"items": []}
    assert api.get("/v1/alerts?delivery=lost").status_code == 422
    assert api.get("/v1/metrics", project="other").json()["windows"] == []  # another project sees nothing


def test_empty_store_says_so(api):
    body = api.get("/v1/metrics").json()
    assert body["windows"] == [] and body["notes"][0].startswith("no data:")


def test_refresh_route_and_bad_segment_keys(api, capture, store):
    its = [
        {"id": f"i{k}", "workload": "w", "input": "q", "output": "o", "ts": H + k * 60, "metadata": {"plan": "pro"}}
        for k in range(4)
    ]
    capture.ingest("acme", {"interactions": its})
    done = api.post("/v1/monitor/refresh", json={"check": False}, scopes=("read",))
    assert done.status_code == 200, done.text
    assert done.json() == {"interactions": 4, "notes": []}
    again = api.post("/v1/monitor/refresh", scopes=("read",)).json()
    assert again["interactions"] == 0 and "w: stall check skipped: 0 releases, 3 needed" in again["notes"]
    assert api.post("/v1/monitor/refresh", json={"chek": True}, scopes=("read",)).status_code == 422
    assert api.post("/v1/monitor/refresh", json={}, scopes=("ingest",)).status_code == 403
    got = api.get(f"/v1/metrics?grain=hour&since={H}&until={H + 3600}&by=arm").json()
    assert got["windows"] == [] and got["notes"][0].startswith("no interaction served under an experiment's arm")
    # This server keeps no segment key: asking for one is refused, naming the field.
    bad = api.get("/v1/metrics?segment_key=plan")
    assert (bad.status_code, bad.json()["field"]) == (422, "segment_key")
    assert "the rollups are segmented by no metadata key (monitor_segment_key), not 'plan'" in bad.json()["message"]


def test_a_segment_key_no_interaction_carries_is_a_4xx(store, capture, settings):
    from fastapi.testclient import TestClient

    from flyloop.server.app import create_app

    capture.ingest("acme", {"interactions": [{"id": "i", "workload": "w", "input": "q", "output": "o", "ts": H}]})
    keyed = Settings(home=settings.home, database_url="sqlite://", monitor_segment_key="nope")
    update_rollups(store, "acme", segment_key="nope")
    client = TestClient(create_app(store, keyed))
    headers = {"Authorization": f"Bearer {store.create_key('acme', ['read'])[1]}"}
    bad = client.get("/v1/metrics?by=segment", headers=headers)
    assert bad.status_code == 422 and bad.json()["field"] == "segment_key"
    assert bad.json()["message"].startswith("no interaction carries the metadata key 'nope' (monitor_segment_key)")
    assert client.get("/v1/metrics?by=version", headers=headers).status_code == 200  # other groups still answer
