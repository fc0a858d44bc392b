"""The stored labels, read (flyloop.labels.queries): get, iter_labels, stats and explain, here and by API."""

from __future__ import annotations

import time

import pytest

from flyloop import NotFound, ValidationError, labels

T = time.time() - 86400
OUT = "The answer is 84."


def interaction(iid="i1", **kw):
    return {
        "id": iid,
        "workload": "math",
        "input": "What is 37 + 48?",
        "output": OUT,
        "user_id": "u1",
        "session_id": "s-" + iid,
        "ts": T,
        **kw,
    }


def signal(sid, kind, at=10.0, iid="i1", **kw):
    return {"id": sid, "interaction_id": iid, "kind": kind, "ts": T + at, **kw}


def test_iter_labels_filters_and_projects_are_isolated(capture, store):
    capture.ingest(
        "acme",
        {
            "interactions": [interaction("a"), interaction("b"), interaction("c", workload="other")],
            "signals": [signal("s1", "thumbs_up", iid="a"), signal("s2", "thumbs_down", iid="b")],
        },
    )
    labels.catch_up(capture.store, "acme", settings=capture.settings)
    capture.ingest("rival", {"interactions": [interaction("a")], "signals": [signal("s1", "thumbs_down", iid="a")]})
    labels.catch_up(capture.store, "rival", settings=capture.settings)
    assert [lb.interaction_id for lb in labels.iter_labels(store, "acme", verdicts=["good", "bad"])] == ["a", "b"]
    assert [lb.interaction_id for lb in labels.iter_labels(store, "acme", workload="other")] == ["c"]
    assert [lb.interaction_id for lb in labels.iter_labels(store, "acme", batch=1)] == ["a", "b", "c"]
    assert labels.get(store, "acme", "a").verdict == "good" and labels.get(store, "rival", "a").verdict == "bad"
    with pytest.raises(ValidationError):
        list(labels.iter_labels(store, "acme", verdicts=["great"]))
    stats = labels.stats(store, "acme")
    assert stats["verdicts"] == {"good": 1, "bad": 1, "corrected": 0, "unknown": 1}
    assert stats["workloads"]["math"]["verdicts"]["good"] == 1 and stats["workloads"]["other"]["labels"] == 1


def test_api_routes(api, store):
    api.post(
        "/v1/ingest",
        json={
            "interactions": [interaction()],
            "signals": [signal("s1", "edit", payload={"text": "The answer is 85."})],
        },
    )
    # Reads never label: before the catch-up (the server's timer, here by hand) the label is not
    # there and the answer says how much waits; after it, it is.
    waiting = api.get("/v1/labels/stats")
    assert waiting.headers["X-Flyloop-Labels-Pending"] == "2" and waiting.json()["unlabelled_interactions"] == 1
    labels.catch_up(store, "acme")
    response = api.get("/v1/labels/i1")
    assert response.status_code == 200 and response.headers["X-Flyloop-Labels-Pending"] == "0"
    body = response.json()
    assert (body["verdict"], body["corrected_text"], body["edit"]["diff"]) == (
        "corrected",
        "The answer is 85.",
        "The answer is [-84-]{+85+}.",
    )
    assert body["signals"][0]["weight"] == 3.0
    assert api.get("/v1/labels/nope").status_code == 404
    assert api.get("/v1/labels/i1", project="rival").status_code == 404
    stats = api.get("/v1/labels/stats").json()
    assert stats["verdicts"]["corrected"] == 1
    cov = api.get("/v1/coverage").json()
    assert cov["workloads"]["math"]["kinds"]["edit"]["share"] == 1.0
    assert api.get("/v1/labels/stats", scopes=("ingest",)).status_code == 403


def test_a_label_not_caught_up_yet_says_so_rather_than_only_not_found(api, store):
    """Reads never label, so right after ingest through a server a label is missing for a while:
    the NotFound says the interaction is stored and how much waits, in both modes (the handle
    turns the 404 back into it), where a missing interaction keeps the plain answer."""
    api.post("/v1/ingest", json={"interactions": [interaction()], "signals": [signal("s1", "thumbs_up")]})
    answer = api.get("/v1/labels/i1")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "NotFound",
        "message": "no label for interaction 'i1' in project 'acme' yet: it is stored and 2 outbox entries "
        "wait to be labelled (flyloop serve labels every label_interval_s, or flyloop worker does)",
        "details": {"pending": 2},
    }
    with pytest.raises(NotFound) as local:
        labels.get(store, "acme", "i1")
    assert local.value.message == answer.json()["message"] and local.value.details == {"pending": 2}
    assert api.get("/v1/labels/nope").json() == {
        "error": "NotFound",
        "message": "no label for interaction 'nope' in project 'acme'",
    }
    labels.catch_up(store, "acme")
    assert api.get("/v1/labels/i1").json()["verdict"] == "good"
