"""The served policy (flyloop.sdk.policy): ``fw.policy()`` on the local store and through the server
(the app in process, on the same store), its messages, examples and log, the TTL cache, the ETag
revalidation, the disk cache that outlives the server, the bounded wait on a server that hangs,
and the default given in code."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import PROJECT as P
from conftest import Api, with_policy
from flyloop import AsyncFlywheel, Flywheel, datasets, errors, labels, registry
from flyloop.capture import declare_workload
from flyloop.improve import build_bank
from flyloop.improve.bank import LOADED
from flyloop.registry import PolicySpec
from flyloop.rollout import served_example_ids

SPEC = {
    "workload": "math",
    "model": "some-model",
    "system_prompt": "Answer with the sum.",
    "template": "{{ input }} ({{ tone }})",
    "variables": ["tone"],
    "k": 2,
}
QUESTION = "What is 3 + 10?"
MESSAGES = [
    {"role": "system", "content": "Answer with the sum."},
    {"role": "user", "content": "What is 3 + 10? (warm)"},
    {"role": "assistant", "content": "The answer is 13."},
    {"role": "user", "content": "What is 4 + 10? (warm)"},
    {"role": "assistant", "content": "The answer is 14."},
    {"role": "user", "content": "What is 3 + 10? (warm)"},
]
DEFAULT = {"system_prompt": "Answer briefly."}


@pytest.fixture
def api(store, settings):
    """The app in process, reading the registry on every request: a stage move shows at once
    (the server's short cache has its own test)."""
    settings.policy_server_cache_s = 0.0
    return Api(store, settings)


@pytest.fixture
def served_project(store, capture, settings):
    """The seeded project with a bank of its 21 train examples and a production version using it."""
    return with_policy(store, capture, settings)


def local(store, tmp_path: Path, **overrides) -> Flywheel:
    return Flywheel(store=store, project=P, home=str(tmp_path / "home"), **overrides)


class Recorded(TestClient):
    """The app in process, remembering the status of every policy answer."""

    def __init__(self, app, headers) -> None:
        self.statuses: list[int] = []
        super().__init__(app, headers=headers)

    def request(self, method, url, *args, **kwargs) -> httpx.Response:
        response = super().request(method, url, *args, **kwargs)
        if str(url).startswith("/v1/policies/") and method == "GET":
            self.statuses.append(response.status_code)
        return response


def remote(api, tmp_path: Path, *scopes: str, **overrides) -> Flywheel:
    """A client through the server (the app in process) with a key of ``scopes`` (ingest by default)."""
    fw = Flywheel(server_url="http://testserver", api_key="k", project=P, home=str(tmp_path / "home"), **overrides)
    fw._sink.client = Recorded(api.app, {**api.key(P, *(scopes or ("ingest",))), "Content-Type": "application/json"})
    return fw


def away(fw: Flywheel) -> None:
    """The server goes away: nothing listens where the client sends."""
    fw._sink.client = httpx.Client(base_url="http://127.0.0.1:9", timeout=1.0)


# --- local ---------------------------------------------------------------------------------------


def test_a_local_policy_serves_the_production_version_and_logs_what_it_served(store, served_project, tmp_path):
    version, bank = served_project
    with local(store, tmp_path) as fw:
        policy = fw.policy("math", user_id="ann")
        assert (policy.version, policy.workload, policy.user_id) == (version, "math", "ann")
        assert (policy.reason, policy.is_default, policy.stale) == ("production", False, False)
        assert policy.bank.revision == f"{bank.id}.0"
        assert policy.messages(QUESTION, tone="warm") == MESSAGES
        shown = policy.examples(QUESTION)
        assert [e.interaction_id for e in shown] == ["g3", "g4"]
        it = policy.log(QUESTION, "The answer is 13.", context_ids=["doc-1"])
        assert fw.flush()
        stored = fw.interactions.get(it.id)
        assert stored["policy_version"] == version.id
        assert stored["context_ids"] == ["doc-1", *(f"example:{e.id}" for e in shown)]
        assert served_example_ids(stored["context_ids"]) == [e.id for e in shown]
        # a label of that interaction sees them too: the version it credits and the examples served
        it.thumbs_up()
        assert fw.flush()
        assert fw.labels.get(it.id).verdict == "good"


def test_log_records_only_examples_this_input_was_served(store, served_project, tmp_path):
    with local(store, tmp_path) as fw:
        policy = fw.policy("math")
        policy.examples("What is 1 + 20?", k=3)
        first = policy.log("What is 1 + 20?", "21")
        other = fw.policy("math").log("never served", "?")  # another handle, the same client's memory
        assert fw.flush()
        assert len(served_example_ids(fw.interactions.get(first.id)["context_ids"])) == 3
        assert fw.interactions.get(other.id)["context_ids"] == []


def test_the_local_cache_serves_a_version_for_its_ttl(store, served_project, tmp_path):
    version, _ = served_project
    plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
    with local(store, tmp_path, policy_ttl_s=60) as cached, local(store, tmp_path, policy_ttl_s=0) as fresh:
        assert cached.policy("math").version.id == fresh.policy("math").version.id == version.id
        registry.set_production(store, P, "math", plain.id)
        assert cached.policy("math").version.id == version.id  # within its TTL
        assert fresh.policy("math").version.id == plain.id
        cached._policies.forget()
        assert cached.policy("math").version.id == plain.id


def test_an_unknown_workload_is_not_found_unless_a_default_is_given(store, served_project, tmp_path):
    with local(store, tmp_path) as fw:
        with pytest.raises(errors.NotFound) as caught:
            fw.policy("triage")
        assert caught.value.field == "workload"
        policy = fw.policy("triage", "ann", default=DEFAULT)
        spec = PolicySpec(workload="triage", system_prompt="Answer briefly.")
        assert (policy.is_default, policy.reason, policy.version.id) == (True, "default", spec.digest())
        assert (policy.version.created_by, policy.version.created_at) == ("default", 0.0)
        assert policy.messages("hi") == [
            {"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": "hi"},
        ]
        assert fw.policy("triage", default=spec).version.id == spec.digest()
        # The answer is remembered for the TTL like a version: no store read per request.
        declare_workload(store, P, "triage")
        registry.set_production(store, P, "triage", registry.register(store, P, {"workload": "triage"}).id)
        assert fw.policy("triage", default=spec).is_default
        fw._policies.forget()
        assert fw.policy("triage", default=spec).reason == "production"


@pytest.mark.parametrize(
    ("default", "field"),
    [
        ({"k": 99}, "default.k"),
        ({"params": {"temprature": 1}}, "default.params"),
        ({"workload": "other"}, "default.workload"),
        ("be brief", "default"),
    ],
)
def test_a_bad_default_is_refused_naming_its_field(store, served_project, tmp_path, default, field):
    with local(store, tmp_path) as fw, pytest.raises(errors.ValidationError) as caught:
        fw.policy("triage", default=default)
    assert caught.value.field == field


def test_bad_arguments_are_refused_naming_the_field(store, served_project, tmp_path):
    with local(store, tmp_path) as fw:
        for call, field in [
            (lambda: fw.policy(""), "workload"),
            (lambda: fw.policy("math", user_id=3), "user_id"),
            (lambda: fw.policy("math").messages(QUESTION), "variables.tone"),
            (lambda: fw.policy("math").examples(QUESTION, k=51), "k"),
            (lambda: fw.policy("math").examples(None), "input"),
        ]:
            with pytest.raises(errors.ValidationError) as caught:
                call()
            assert caught.value.field == field


def test_the_async_client_awaits_the_same_policy(store, served_project, tmp_path):
    version, _ = served_project

    async def run():
        async with AsyncFlywheel(store=store, project=P, home=str(tmp_path / "home")) as afw:
            first = await afw.policy("math", "ann")
            second = await afw.policy("math", "bob")  # from memory, without a thread
            return first, second

    first, second = asyncio.run(run())
    assert first.version.id == second.version.id == version.id
    assert (first.user_id, second.user_id) == ("ann", "bob")


# --- through the server --------------------------------------------------------------------------


def test_a_policy_through_the_server_serves_and_logs_as_a_local_one(api, store, served_project, tmp_path):
    version, bank = served_project
    with remote(api, tmp_path) as fw:
        policy = fw.policy("math", user_id="ann")
        assert (policy.version, policy.reason, policy.bank.revision) == (version, "production", f"{bank.id}.0")
        assert policy.messages(QUESTION, tone="warm") == MESSAGES
        it = policy.log(QUESTION, "The answer is 13.")
        assert fw.flush()
    stored = store.get_interaction(P, it.id)
    assert stored["policy_version"] == version.id
    assert served_example_ids(stored["context_ids"]) == [
        e.id for e in local(store, tmp_path).policy("math").examples(QUESTION)
    ]


def test_server_answers_that_are_not_failures_are_raised(api, store, served_project, tmp_path):
    with remote(api, tmp_path) as fw:
        with pytest.raises(errors.NotFound) as caught:
            fw.policy("nope")
        assert caught.value.message == "unknown workload 'nope': nothing declared or logged it in this project"
        assert fw.policy("nope", default=DEFAULT).is_default
    with remote(api, tmp_path, "read") as fw, pytest.raises(errors.PermissionDenied):
        fw.policy("math", default=DEFAULT)


class Echo:
    """A backend registered by name for this test: answers the last message back, and remembers
    what it was sent."""

    name = "test-echo"

    def __init__(self, model=None, adapter=None, **options) -> None:
        self.model = model
        self.calls: list[tuple[list[dict[str, str]], dict]] = []

    def generate(self, messages, **params):
        from flyloop.improve import Generation

        self.calls.append((messages, params))
        return Generation(
            text=f"echo: {messages[-1]['content']}",
            tokens_in=7,
            tokens_out=3,
            latency_ms=1.5,
            model=self.model,
            finish_reason="stop",
        )

    def generate_batch(self, conversations, **params):
        return [self.generate(m, **params) for m in conversations]


def test_generate_sends_the_messages_through_the_versions_backend_and_log_records_the_answer(
    store, served_project, tmp_path
):
    from flyloop.improve import backend, register_backend

    _, bank = served_project
    register_backend("test-echo", Echo)
    version = registry.register(
        store, P, {**SPEC, "backend": "test-echo", "bank": bank.id, "params": {"temperature": 0.0, "max_tokens": 8}}
    )
    registry.set_production(store, P, "math", version.id)
    with local(store, tmp_path) as fw:
        policy = fw.policy("math", "ann")
        answer = policy.generate(QUESTION, tone="warm")
        assert (answer.text, answer.model) == ("echo: What is 3 + 10? (warm)", "some-model")
        assert backend("test-echo", model="some-model").calls == [(MESSAGES, {"temperature": 0.0, "max_tokens": 8})]
        it = policy.log(QUESTION, answer)
        assert fw.flush()
    stored = store.get_interaction(P, it.id)
    assert (stored["output"], stored["tokens_in"], stored["tokens_out"], stored["latency_ms"]) == (
        "echo: What is 3 + 10? (warm)",
        7,
        3,
        1.5,
    )
    assert (stored["policy_version"], len(served_example_ids(stored["context_ids"]))) == (version.id, 2)


def test_an_answer_the_client_cannot_read_is_a_failure_not_a_crash(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Proxy(BaseHTTPRequestHandler):
        """A proxy's page where the policy should be: 200, but not a resolution."""

        def do_GET(self) -> None:
            body = b'{"workload": "math", "version": {"surprise": 1}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with Flywheel(server_url=url, api_key="k", project=P, home=str(tmp_path / "home")) as fw:
            assert fw.policy("math", default=DEFAULT).is_default
            with pytest.raises(errors.Unavailable) as caught:
                fw.policy("other")
            assert "the server's answer for 'other' could not be read" in caught.value.message
    finally:
        server.shutdown()
        server.server_close()


# --- a choice workload's classifier version --------------------------------------------------------

TRIAGE = [
    ("cheap pills discount offer buy now", "spam"),
    ("win a free prize claim your cash now", "spam"),
    ("limited offer cheap watches discount", "spam"),
    ("meeting notes for the project review on monday", "ham"),
    ("can you review the draft report before friday", "ham"),
    ("lunch with the project team on monday", "ham"),
]


@pytest.fixture
def triage(store, capture, settings):
    """A choice workload whose six answers were thumbed up, a bank of them, and a classifier version
    voting over all six in production."""
    LOADED.pop(store, None)
    declare_workload(store, P, "triage", type="choice", labels=["ham", "spam"])
    interactions = [
        {
            "id": f"t{i}",
            "workload": "triage",
            "input": text,
            "output": label,
            "user_id": f"u{i}",
            "ts": 1_700_000_000 + i,
        }
        for i, (text, label) in enumerate(TRIAGE)
    ]
    signals = [{"id": f"s{i}", "interaction_id": f"t{i}", "kind": "thumbs_up", "actor": f"u{i}"} for i in range(6)]
    capture.ingest(P, {"interactions": interactions, "signals": signals})
    labels.catch_up(store, P, settings=settings)
    datasets.build(
        store,
        P,
        "triage",
        {
            "workloads": ["triage"],
            "kinds": ["sft"],
            "splits": {"time_aware": False, "train": 1.0, "validation": 0.0, "eval": 0.0},
        },
    )
    # one unopposed thumbs-up from a rater without a record is quality 1/3: below the bank's default floor
    bank = build_bank(
        store, P, "triage", embedder="hashing", min_examples=6, min_quality=0.0, index="exact", settings=settings
    )
    version = registry.register(store, P, {"workload": "triage", "backend": "classifier", "bank": bank.id, "k": 3})
    registry.set_production(store, P, "triage", version.id)
    return version, bank


def test_a_classifier_version_votes_over_its_bank_the_same_here_and_through_the_server(api, store, triage, tmp_path):
    from flyloop.improve import classifier_for, load_bank

    version, bank = triage
    direct = classifier_for(load_bank(store, P, bank.id), k=3).classify("cheap discount pills offer")
    with local(store, tmp_path) as fw:
        here = fw.policy("triage", user_id="ann").generate("cheap discount pills offer")
    with remote(api, tmp_path) as fw:
        policy = fw.policy("triage", user_id="ann")
        there = policy.generate("cheap discount pills offer")
        it = policy.log("cheap discount pills offer", there)
        assert fw.flush()
    assert (here.text, there.text, direct.text) == ("spam", "spam", "spam")
    assert here.scores == there.scores == {k: v for k, v in direct.scores.items() if v}
    assert here.neighbours == there.neighbours == direct.neighbours
    assert (here.model, here.tokens_in, here.tokens_out) == (f"knn:{bank.id}", 0, 0)
    stored = store.get_interaction(P, it.id)
    assert (stored["output"], stored["flag"]) == ("spam", None)
    assert served_example_ids(stored["context_ids"]) == list(there.neighbours)
