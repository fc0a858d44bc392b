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
