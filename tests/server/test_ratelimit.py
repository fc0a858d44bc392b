"""Rate limits per API key and per client address for browser feedback (flyloop.server.ratelimit)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from flyloop import Settings, errors
from flyloop.server.app import create_app
from flyloop.server.ratelimit import RateLimiter


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


def test_the_limiter_counts_per_key_and_says_when_to_retry():
    limiter = RateLimiter("2/minute")
    assert limiter.enabled and limiter.in_process
    limiter.check("a")
    limiter.check("a")
    limiter.check("b")  # another key has its own count
    with pytest.raises(errors.RateLimited) as caught:
        limiter.check("a")
    wait = caught.value.details["retry_after_s"]
    assert 1 <= wait <= 60
    assert caught.value.message == f"rate limit of 2/minute exceeded for this key; retry in {wait} s"


@pytest.mark.parametrize("rate", [None, "", "off", "OFF", "0", "none", "  off  "])
def test_off_never_limits(rate):
    limiter = RateLimiter(rate)
    assert not limiter.enabled and limiter.in_process
    for _ in range(1000):
        limiter.check("a")


def test_a_rate_or_storage_that_cannot_be_used_is_a_config_error_naming_the_setting():
    with pytest.raises(errors.ConfigError) as caught:
        RateLimiter("lots")
    assert caught.value.field == "rate_limit"
    assert caught.value.message == "not a rate limit: 'lots' (write it like '6000/minute')"
    with pytest.raises(errors.ConfigError) as caught:
        RateLimiter("5/second", "nosuch://host")
    assert caught.value.field == "rate_limit_storage"
