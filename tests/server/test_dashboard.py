"""The dashboard in process: sign-in (a server-side session behind an HttpOnly, SameSite=Strict
cookie, never the key), scopes, CSRF on actions, every page on a seeded and on an empty store in
plain words (no NaN, no stack trace), the charts' numbers against the library's, and bad input."""

from __future__ import annotations

import math
import re

import orjson
import pytest
from fastapi.testclient import TestClient

from dashboard_seed import SEGMENT_KEY, P, seed_dashboard
from flyloop import monitor
from flyloop.rollout import experiment_metrics, get_decision, get_experiment
from flyloop.server import dashboard
from flyloop.server.app import create_app

FORM = {"content-type": "application/x-www-form-urlencoded"}
PAGES = [
    "/",
    "/dashboard/signals",
    "/dashboard/verdicts",
    "/dashboard/versions",
    "/dashboard/experiments",
    "/dashboard/decisions",
    "/dashboard/segments",
    "/dashboard/datasets",
    "/dashboard/runs",
    "/dashboard/alerts",
]


def client(store, settings) -> TestClient:
    return TestClient(create_app(store, settings), raise_server_exceptions=False)


def sign_in(c: TestClient, secret: str, target: str = "/"):
    return c.post("/dashboard/login", content=f"key={secret}&next={target}", headers=FORM, follow_redirects=False)


def csrf(page_html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_html).group(1)


def figure(page_html: str, chart: str) -> dict:
    found = re.search(rf'<script type="application/json" id="chart-{chart}-data">(.*?)</script>', page_html, re.S)
    return orjson.loads(found.group(1))


@pytest.fixture
def seeded(store, settings):
    settings.monitor_segment_key = SEGMENT_KEY
    return seed_dashboard(store, settings, users=300)


def assert_plain(text: str) -> None:
    for bad in ("NaN", "Traceback", "inf]", "None"):
        assert bad not in text, bad


def test_pages_need_a_session_and_sign_in_keeps_only_a_random_id_in_the_cookie(store, settings):
    c = client(store, settings)
    r = c.get("/dashboard/segments?grain=week", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (
        303,
        "/dashboard/login?next=%2Fdashboard%2Fsegments%3Fgrain%3Dweek",
    )
    _, secret = store.create_key(P, ["read"])
    r = sign_in(c, secret, "/dashboard/alerts")
    assert (r.status_code, r.headers["location"]) == (303, "/dashboard/alerts")
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert secret not in cookie
    page = c.get("/dashboard/alerts")
    assert page.status_code == 200 and secret not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    "body, words",
    [
        ("key=", "Enter an API key."),
        ("key=fl_nope", "Unknown or revoked API key."),
        (None, "lacks the &#39;read&#39; scope"),
    ],
)
def test_a_bad_sign_in_says_why_and_sets_no_cookie(store, settings, body, words):
    c = client(store, settings)
    if body is None:
        body = f"key={store.create_key(P, ['ingest'])[1]}"
    r = c.post("/dashboard/login", content=body, headers=FORM, follow_redirects=False)
    assert r.status_code == 401 and words in r.text and "set-cookie" not in r.headers


def test_an_outside_redirect_after_sign_in_goes_home(store, settings):
    _, secret = store.create_key(P, ["read"])
    r = sign_in(client(store, settings), secret, "//evil.example/x")
    assert r.headers["location"] == "/"


def test_sign_out_ends_the_session_and_a_revoked_key_ends_it_too(store, settings):
    c = client(store, settings)
    key, secret = store.create_key(P, ["read"])
    sign_in(c, secret)
    page = c.get("/dashboard/runs")
    assert page.status_code == 200
    r = c.post("/dashboard/logout", content=f"csrf={csrf(page.text)}", headers=FORM, follow_redirects=False)
    assert r.headers["location"] == "/dashboard/login"
    assert c.get("/dashboard/runs", follow_redirects=False).status_code == 303
    sign_in(c, secret)
    assert c.get("/dashboard/runs").status_code == 200
    store.revoke_key(P, key.id)
    c.app.state.keys.forget()
    assert c.get("/dashboard/runs", follow_redirects=False).status_code == 303


def test_every_page_of_an_empty_store_says_so_in_words(store, settings):
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read"])[1])
    expected = {
        "/": "no data: the store holds no interactions or releases for this project yet",
        "/dashboard/signals": "no signals in the last 30 days: nothing to chart",
        "/dashboard/verdicts": "no labelled interactions in the last 30 days: no verdicts to chart",
        "/dashboard/versions": "no policy versions yet",
        "/dashboard/experiments": "no experiments yet",
        "/dashboard/decisions": "no decisions yet",
        "/dashboard/segments": "no segment key is configured (monitor_segment_key)",
        "/dashboard/datasets": "no dataset versions yet",
        "/dashboard/runs": "no loop runs yet",
        "/dashboard/alerts": "no alerts",
    }
    for path in PAGES:
        r = c.get(path)
        assert r.status_code == 200, path
        assert expected[path] in r.text, path
        assert 'class="chart"' not in r.text  # no empty chart: words instead
        assert_plain(r.text)


def test_seeded_pages_show_the_librarys_numbers(store, settings, seeded):
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read"])[1])
    for path in [*PAGES, f"/dashboard/versions/{seeded.candidate}", f"/dashboard/experiments/{seeded.experiment}"]:
        r = c.get(path)
        assert r.status_code == 200, path
        assert_plain(r.text)
    found = monitor.metrics(store, P, grain="day")
    counts = [w["counts"] for w in found["windows"]]
    signals = figure(c.get("/dashboard/signals").text, "signals")
    by_kind = {tr["name"]: tr["y"] for tr in signals["data"]}
    assert by_kind == {k: [w.get(f"signals.{k}", 0) for w in counts] for k in ("accept", "thumbs_down", "thumbs_up")}
    assert sum(by_kind["thumbs_up"]) == 75 and sum(by_kind["thumbs_down"]) == 30  # every 4th, every 10th of 300
    verdicts = figure(c.get("/dashboard/verdicts").text, "verdicts")
    assert {tr["name"]: tr["y"][-1] for tr in verdicts["data"]} == found["windows"][-1]["rates"]["verdict_mix"]
    seg = figure(c.get("/dashboard/segments").text, "segments")["data"][0]
    per = monitor.totals(store, P, start=0, end=2e10, by="segment")
    assert seg["x"] == ["free", "pro"]
    assert seg["y"] == [monitor.derive(per[s])["acceptance_rate"] for s in ("free", "pro")]
    assert per["pro"]["interactions"] == 100 and per["free"]["interactions"] == 200
    arms = figure(c.get(f"/dashboard/experiments/{seeded.experiment}").text, "arms")["data"][0]
    cmp = experiment_metrics(store, P, seeded.experiment)["comparisons"]
    bounded = [m for m, c in cmp.items() if math.isfinite(float(c["lower"])) and math.isfinite(float(c["upper"]))]
    assert "acceptance" in bounded and arms["x"] == bounded  # an unbounded interval is not drawn
    assert arms["y"] == [cmp[m]["difference"] for m in bounded]
    assert arms["error_y"]["array"] == [round(cmp[m]["upper"] - cmp[m]["difference"], 6) for m in bounded]
    # The monitor's by-arm rollups count the interactions the experiment itself counts in each arm.
    from flyloop.server import dashboard_pages

    page = dashboard_pages.experiment(store, P, seeded.experiment, can_approve=False)
    (table,) = [b for b in page.blocks if b.get("title") == "Per arm, per interaction (the monitor's rollups)"]
    live = experiment_metrics(store, P, seeded.experiment)["arms"]
    per_arm = monitor.totals(store, P, start=0, end=2e10, by="arm", grain="week")
    assert [row[:2] for row in table["rows"]] == [
        [arm, f"{live[arm]['interactions']:,}"] for arm in ("control", "candidate")
    ]
    assert all(live[arm]["interactions"] > 0 for arm in ("control", "candidate"))
    for row, arm in zip(table["rows"], ("control", "candidate"), strict=True):
        counts = per_arm[f"{seeded.experiment}:{arm}"]
        rate = counts.get("accepted", 0) / counts["interactions"]  # a rate, then percent: 49/80 shows 61.3%
        assert row[2] == f"{100 * rate:.1f}%"


def test_approving_needs_admin_and_the_csrf_token(store, settings, seeded):
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read"])[1])
    page = c.get("/dashboard/decisions").text
    assert "approving needs an admin key" in page and 'class="approve"' not in page
    token = csrf(page)
    r = c.post("/dashboard/decide", content=f"csrf={token}&decision={seeded.decision}&action=approve", headers=FORM)
    assert r.status_code == 403 and "needs an API key with the &#39;admin&#39; scope" in r.text
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read", "admin"])[1])
    page = c.get(f"/dashboard/experiments/{seeded.experiment}").text
    assert f'value="{seeded.decision}"' in page and 'class="approve"' in page
    for forged in ("", "csrf=wrong&"):
        r = c.post("/dashboard/decide", content=f"{forged}decision={seeded.decision}&action=approve", headers=FORM)
        assert r.status_code == 403 and "CSRF token is missing or stale" in r.text
    assert get_decision(store, P, seeded.decision).status == "pending"
    body = f"csrf={csrf(page)}&decision={seeded.decision}&action=approve&next=/dashboard/decisions"
    r = c.post("/dashboard/decide", content=body, headers=FORM, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/dashboard/decisions?done=decision%20")
    done = get_decision(store, P, seeded.decision)
    assert done.status == "approved" and done.decided_by.startswith("key:")
    assert get_experiment(store, P, seeded.experiment).share == 80.0
    again = c.post("/dashboard/decide", content=body, headers=FORM)
    assert again.status_code == 409 and "is approved already" in again.text


@pytest.mark.parametrize(
    "path, status, words",
    [
        (
            "/dashboard/signals?grain=fortnight",
            422,
            "grain must be one of hour, day, week, not &#39;fortnight&#39; (grain)",
        ),
        ("/dashboard/experiments/ex_0000000000000000", 404, "ex_0000000000000000"),
        ("/dashboard/versions/pv_nope", 404, "pv_nope"),
        ("/dashboard/signals?workload=nobody", 200, "no data for workload &#39;nobody&#39;"),
    ],
)
def test_bad_input_is_a_page_in_words(store, settings, seeded, path, status, words):
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read"])[1])
    r = c.get(path)
    assert r.status_code == status and words in r.text
    assert_plain(r.text)


def test_without_plotly_the_page_says_how_to_install_it(store, settings, seeded, monkeypatch):
    monkeypatch.setattr(dashboard, "plotly_js", lambda: None)
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read"])[1])
    page = c.get("/dashboard/signals").text
    assert "Charts need Plotly, which is not installed: pip install &#39;flyloop[dashboard]&#39;" in page
    assert "plotly.min.js" not in page and "Signals in these windows: accept" in page
    assert c.get("/dashboard/static/plotly.min.js").status_code == 404


def test_plotly_is_served_from_the_installed_package(store, settings):
    r = client(store, settings).get("/dashboard/static/plotly.min.js")
    assert r.status_code == 200 and r.content == dashboard.plotly_js().read_bytes()
    assert r.headers["content-type"].startswith("text/javascript")


def test_a_segment_key_no_interaction_carries_is_said_on_the_segments_page(store, settings, seeded):
    settings.monitor_segment_key = "nope"  # the seeded interactions carry SEGMENT_KEY only
    from flyloop.monitor import catch_up_rollups

    catch_up_rollups(store, P, segment_key="nope")
    c = client(store, settings)
    sign_in(c, store.create_key(P, ["read"])[1])
    r = c.get("/dashboard/segments")
    assert r.status_code == 422
    assert "no interaction carries the metadata key &#39;nope&#39; (monitor_segment_key)" in r.text
    assert "(segment_key)" in r.text
    assert_plain(r.text)
    assert c.get("/dashboard/signals").status_code == 200  # the other pages still answer
