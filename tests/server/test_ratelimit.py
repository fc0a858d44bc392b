"""Rate limits per API key and per client address for browser feedback (flyloop.server.ratelimit)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from flyloop import Settings
from flyloop.server.app import create_app


@pytest.fixture
def limited(store, settings):
    app = create_app(
        store,
        Settings(home=settings.home, database_url="sqlite://", rate_limit="3/minute", feedback_rate_limit="2/minute"),
    )
    return TestClient(app, raise_server_exceptions=False)


def test_rate_limits_apply_per_key_with_a_429_that_says_when_to_retry(limited, store):
    one, two = store.create_key("acme", ["read"])[1], store.create_key("acme", ["read"])[1]
    codes = [limited.get("/v1/status", headers={"Authorization": f"Bearer {one}"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = limited.get("/v1/status", headers={"Authorization": f"Bearer {one}"})
    assert r.json()["error"] == "RateLimited" and "3/minute" in r.json()["message"]
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert limited.get("/v1/status", headers={"Authorization": f"Bearer {two}"}).status_code == 200
    codes = [limited.post("/v1/feedback", json={"token": "x", "kind": "thumbs_up"}).status_code for _ in range(3)]
    assert codes == [401, 401, 429]
