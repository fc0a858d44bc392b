"""flyloop retrieval (credit, failures, gaps) and flyloop reward flags on the command line
(flyloop.cli.retrieval), on a RAG workload whose interactions log their context ids and passages;
the same answers through fw.retrieval in both modes, the routes' bad input naming the field."""

from __future__ import annotations

from types import SimpleNamespace

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import hours_ago
from flyloop import Capture, Settings, Store, errors
from flyloop.improve import context_gaps, document_credit
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote

runner = CliRunner()
P = "default"
PASSAGES = {
    "A": "Refunds are paid within 14 days to the card used.",
    "B": "Shipping takes 3 to 5 working days.",
    "C": "Returns need the original box.",
}
ROWS = [
    ("q1", "What is the refund delay?", "Refunds are paid within 14 days.", ["A"], "up"),
    ("q2", "Shipping to Spain?", "Shipping takes 3 to 5 working days.", ["B"], "up"),
    ("q3", "Refund time?", "Shipping takes 3 days.", ["B", "C"], "down"),
    ("q4", "How long for refunds?", "Shipping takes 3 days.", ["B"], "edit"),
]


def log_rag(store: Store, database_url: str, project: str = P) -> float:
    """Four RAG interactions of workload ``rag``, each with its context ids and passages, judged by
    their users (two liked, one disliked, one corrected); when the first was logged."""
    now = hours_ago(2)
    interactions, signals = [], []
    for n, (iid, query, output, ctx, what) in enumerate(ROWS):
        meta = {"passages": {d: PASSAGES[d] for d in ctx}}
        interactions.append(
            {"id": iid, "workload": "rag", "input": query, "output": output, "user_id": f"u{n}", "ts": now + n}
            | {"context_ids": ctx, "metadata": meta}
        )
        if what == "up":
            signals += [
                {"id": f"{iid}-acc", "interaction_id": iid, "kind": "accept", "ts": now + n + 1},
                {"id": f"{iid}-up", "interaction_id": iid, "kind": "thumbs_up", "ts": now + n + 2},
            ]
        elif what == "down":
            signals.append({"id": f"{iid}-down", "interaction_id": iid, "kind": "thumbs_down", "ts": now + n + 1})
        else:
            text = "Refunds are paid within 14 days to the card."
            signals.append(
                {"id": f"{iid}-e", "interaction_id": iid, "kind": "edit", "ts": now + n + 1, "payload": {"text": text}}
            )
    capture = Capture(store, Settings(database_url=database_url))
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})
    return now


@pytest.fixture(autouse=True)
def _env(store, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    for name in ("FLYLOOP_SERVER_URL", "FLYLOOP_API_KEY", "FLYLOOP_PROJECT"):
        monkeypatch.delenv(name, raising=False)


def invoke(database_url: str, *args: str):
    from flyloop.cli import app

    return runner.invoke(app, [*args, "--database-url", database_url])


def test_retrieval_credit_failures_and_gaps(database_url):
    store = Store(database_url)
    now = log_rag(store, database_url)
    credit = orjson.loads(invoke(database_url, "retrieval", "credit", "-w", "rag", "--json").output)
    assert credit == [c.as_dict() for c in document_credit(store, P, "rag")]
    uses = {
        c["document"]: (c["uses"], c["verdicts"]["good"], c["verdicts"]["bad"], c["verdicts"]["corrected"])
        for c in credit
    }
    assert uses == {"A": (1, 1, 0, 0), "B": (3, 1, 1, 1), "C": (1, 0, 1, 0)}
    table = invoke(database_url, "retrieval", "credit", "-w", "rag").output
    assert "rag: 3 documents" in table
    gaps = orjson.loads(invoke(database_url, "retrieval", "gaps", "-w", "rag", "--json").output)
    assert gaps == [g.as_dict() for g in context_gaps(store, P, "rag")]
    assert [g["interaction"] for g in gaps] == ["q4"]
    assert "q4" in invoke(database_url, "retrieval", "gaps", "-w", "rag").output
    assert orjson.loads(invoke(database_url, "retrieval", "failures", "-w", "rag", "--json").output) == []
    later = invoke(database_url, "retrieval", "credit", "-w", "rag", "--since", str(now + 100), "--json")
    assert orjson.loads(later.output) == []
    missing = invoke(database_url, "retrieval", "credit", "-w", "nope")
    assert (missing.exit_code, missing.output.startswith("error: workload: ")) == (2, True)
    bad = invoke(database_url, "reward", "flags", "-w", "rag", "--model", "ad_0000000000000000")
    assert (bad.exit_code, bad.output) == (
        2,
        "error: model: model must be a reward model's artifact id (rm_…), not 'ad_0000000000000000'\n",
    )
    unknown = invoke(database_url, "reward", "flags", "-w", "rag", "--model", "rm_0000000000000000")
    assert unknown.exit_code == 2 and unknown.output.startswith("error: artifact: ")
    store.close()


def test_fw_retrieval_answers_alike_and_the_routes_name_bad_fields(api, store, settings):
    from conftest import fix_keys

    fix_keys(store, "acme")
    capture = Capture(store, settings)
    _log_into(capture)
    local = Project.on_store(store, "acme", settings)
    client = TestClient(api.app, headers=api.key("acme", "read"))
    far = Project(Remote(SimpleNamespace(client=client, close=client.close), "acme", settings))
    assert far.retrieval.credit("rag") == local.retrieval.credit("rag") != []
    assert far.retrieval.gaps("rag") == local.retrieval.gaps("rag") != []
    assert far.retrieval.failures("rag", min_failures=1) == local.retrieval.failures("rag", min_failures=1)
    for call, kind, field in (
        (lambda fw: fw.retrieval.credit("nope"), errors.NotFound, "workload"),
        (lambda fw: fw.retrieval.failures("rag", min_ratio=0), errors.ValidationError, "min_ratio"),
        (lambda fw: fw.retrieval.failures("rag", min_failures=0), errors.ValidationError, "min_failures"),
        (lambda fw: fw.retrieval.credit("rag", since="yesterday"), errors.ValidationError, "since"),
        (lambda fw: fw.reward.flags("rag", "rm_12"), errors.ValidationError, "model"),
        (lambda fw: fw.reward.flags("rag", "rm_0000000000000000", threshold=2), errors.ValidationError, "threshold"),
        (lambda fw: fw.reward.flags("rag", "rm_0000000000000000"), errors.NotFound, "artifact"),
    ):
        for fw in (local, far):
            with pytest.raises(kind) as caught:
                call(fw)
            assert caught.value.field == field, (fw, caught.value)
    for path, params, status, field in (
        ("/v1/workloads/rag/retrieval/credit", {"min_ratio": 2}, 422, "min_ratio"),
        ("/v1/workloads/rag/retrieval/votes", {}, 422, "view"),
        ("/v1/workloads/rag/retrieval/failures", {"min_ratio": 0}, 422, "min_ratio"),
        ("/v1/workloads/nope/retrieval/gaps", {}, 404, "workload"),
        ("/v1/workloads/rag/reward/flags", {}, 422, "model"),
        ("/v1/workloads/rag/reward/flags", {"model": "rm_0000000000000000", "limit": 0}, 422, "limit"),
    ):
        r = api.get(path, scopes=("read",), params=params)
        assert (r.status_code, r.json().get("field")) == (status, field), (path, params, r.text)
    assert api.get("/v1/workloads/rag/retrieval/credit", scopes=("ingest",)).status_code == 403


def _log_into(capture: Capture) -> None:
    now = hours_ago(2)
    interactions = [
        {"id": iid, "workload": "rag", "input": q, "output": o, "user_id": f"u{n}", "ts": now + n}
        | {"context_ids": ctx, "metadata": {"passages": {d: PASSAGES[d] for d in ctx}}}
        for n, (iid, q, o, ctx, _what) in enumerate(ROWS)
    ]
    text = "Refunds are paid within 14 days to the card."
    signals = [
        {"id": "q1-up", "interaction_id": "q1", "kind": "thumbs_up", "ts": now + 2},
        {"id": "q3-down", "interaction_id": "q3", "kind": "thumbs_down", "ts": now + 3},
        {"id": "q4-e", "interaction_id": "q4", "kind": "edit", "ts": now + 4, "payload": {"text": text}},
    ]
    capture.ingest("acme", {"interactions": interactions})
    capture.ingest("acme", {"signals": signals})
