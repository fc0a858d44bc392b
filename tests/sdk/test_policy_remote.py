"""The policy cache through a server (flyloop.sdk.policy_remote): revalidation with the ETag after
the TTL, the disk cache that outlives the server, a bank searched on the server when its embedder
does not load here, a new bank revision after an erasure, and the bounded wait on a server that
hangs or is away. The fixtures and helpers are tests/sdk/test_sdk_policy.py's."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
import sqlalchemy as sa
from test_sdk_policy import DEFAULT, MESSAGES, QUESTION, away, remote

from conftest import PROJECT as P
from conftest import Api, eventually, with_policy
from flyloop import Flywheel, errors, registry
from flyloop.sdk import policy_remote
from flyloop.store import schema


@pytest.fixture
def api(store, settings):
    settings.policy_server_cache_s = 0.0  # a stage move shows at once
    return Api(store, settings)


@pytest.fixture
def served_project(store, capture, settings):
    return with_policy(store, capture, settings)


def test_the_client_revalidates_after_its_ttl_with_the_etag(api, store, served_project, tmp_path):
    version, _ = served_project
    with remote(api, tmp_path, policy_ttl_s=0) as fw:
        assert fw.policy("math").version.id == version.id
        assert fw.policy("math").version.id == version.id
        plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
        registry.set_production(store, P, "math", plain.id)
        assert fw.policy("math").version.id == plain.id
        assert fw._sink.client.statuses == [200, 304, 200]
    with remote(api, tmp_path, policy_ttl_s=60) as fw:
        for _ in range(5):
            fw.policy("math")
        assert fw._sink.client.statuses == [304]  # the disk copy's ETag, checked once


def test_the_disk_cache_serves_the_last_known_version_while_the_server_is_away(api, store, served_project, tmp_path):
    version, bank = served_project
    with remote(api, tmp_path) as fw:
        fw.policy("math").examples(QUESTION)
        banks = fw._policies.folder / "banks"
        assert eventually(lambda: (banks / f"{bank.id}.0.npz").is_file(), timeout=30)
    # The app restarts while the server is away: the disk copy serves the version and its examples.
    with remote(api, tmp_path) as fw:
        away(fw)
        started = time.monotonic()
        policy = fw.policy("math", "ann")
        assert (policy.version, policy.stale, policy.is_default) == (version, True, False)
        assert policy.messages(QUESTION, tone="warm") == MESSAGES
        assert time.monotonic() - started < 2.0  # policy_timeout_s: a refused connection answers sooner
        assert fw.policy("math").stale  # served from memory now, without asking again


def test_a_bank_is_searched_by_the_server_when_its_embedder_does_not_load_here(
    api, store, served_project, tmp_path, monkeypatch
):
    def cannot(data, settings):
        raise errors.ConfigError("embedder 'hashing' is not installed here")

    monkeypatch.setattr(policy_remote, "open_bank", cannot)
    with remote(api, tmp_path) as fw:
        policy = fw.policy("math")
        assert eventually(lambda: policy.bank.revision in fw._policies._banks, timeout=30)
        assert fw._policies._banks[policy.bank.revision] is None
        assert policy.messages(QUESTION, tone="warm") == MESSAGES
        assert [e.interaction_id for e in policy.examples(QUESTION)] == ["g3", "g4"]


def test_an_erasure_makes_a_new_revision_and_the_old_copy_goes(api, store, served_project, tmp_path):
    version, bank = served_project
    with remote(api, tmp_path, policy_ttl_s=0) as fw:
        fw.policy("math").examples(QUESTION)
        banks = fw._policies.folder / "banks"
        assert eventually(lambda: (banks / f"{bank.id}.0.npz").is_file(), timeout=30)
        from flyloop.privacy import erase_user

        erase_user(store, P, "user3")
        policy = fw.policy("math")
        assert policy.bank.revision == f"{bank.id}.3"
        assert eventually(lambda: sorted(p.name for p in banks.iterdir()) == [f"{bank.id}.3.npz"], timeout=30)
        assert eventually(lambda: fw._policies._banks.get(policy.bank.revision) is not None, timeout=30)
        assert "g3" not in [e.interaction_id for e in policy.examples(QUESTION, k=5)]


def test_without_a_known_version_or_a_default_an_absent_server_is_unavailable(tmp_path):
    with Flywheel(server_url="http://127.0.0.1:9", api_key="k", project=P, home=str(tmp_path / "home")) as fw:
        with pytest.raises(errors.Unavailable) as caught:
            fw.policy("math")
        assert caught.value.field == "workload"
        assert caught.value.message.startswith("no version of workload 'math' is known here and the server cannot say")
        assert fw.policy("math", default=DEFAULT).is_default


@pytest.fixture
def hanging_server():
    """A server that takes connections and never answers (the kernel completes each handshake)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_a_server_that_hangs_never_holds_the_app_past_the_bound(hanging_server, tmp_path):
    home = str(tmp_path / "home")
    with Flywheel(server_url=hanging_server, api_key="k", project=P, home=home, policy_timeout_s=2.0) as fw:
        started = time.monotonic()
        policy = fw.policy("math", "ann", default=DEFAULT)
        waited = time.monotonic() - started
        # the bound, and slack for a loaded machine: well short of the request's own 4 s timeout
        assert policy.is_default and 2.0 <= waited < 3.5
        started = time.monotonic()
        with pytest.raises(errors.Unavailable) as caught:
            fw.policy("math")  # the server failed just now: no second wait
        assert time.monotonic() - started < 0.5
        assert "did not answer within 2 s" in caught.value.message


def test_examples_the_server_must_search_are_bounded_too(
    api, store, served_project, tmp_path, hanging_server, monkeypatch
):
    def cannot(data, settings):
        raise errors.ConfigError("embedder 'hashing' is not installed here")

    monkeypatch.setattr(policy_remote, "open_bank", cannot)
    with remote(api, tmp_path, policy_timeout_s=2.0) as fw:
        policy = fw.policy("math")
        assert eventually(lambda: policy.bank.revision in fw._policies._banks, timeout=30)
        fw._sink.client = httpx.Client(base_url=hanging_server)
        started = time.monotonic()
        with pytest.raises(errors.Unavailable) as caught:
            policy.examples(QUESTION)
        assert 2.0 <= time.monotonic() - started < 3.5
        assert (caught.value.field, caught.value.message) == (
            "bank",
            f"bank {policy.version.bank!r} cannot be searched here and the server did not answer within 2 s",
        )


def test_while_an_experiment_runs_the_server_away_never_serves_one_users_candidate_to_another(
    api, store, served_project, tmp_path
):
    from flyloop.rollout import resolve, start_experiment

    version, _ = served_project
    candidate = registry.register(store, P, {**version.spec().model_dump(), "system_prompt": "Sum it, carefully."})
    now = time.time()
    with store.write() as conn:  # an evaluation against production that passed its gate
        conn.execute(sa.insert(schema.evaluations), [{
            "project_id": P, "id": "ev_" + candidate.id[-16:], "workload": "math", "candidate": candidate.id,
            "baseline": version.id, "source": "eval split", "cases": 100, "status": "succeeded", "metrics": {},
            "comparison": {}, "config": {}, "gate": {"passed": True, "summary": "ok", "checks": []}, "passed": True,
            "created_by": "test", "created_at": now, "finished_at": now}])  # fmt: skip
    start_experiment(store, P, "math", candidate.id, ramp=(50, 100))
    arms = {u: resolve(store, P, "math", u).version.id for u in (f"user-{n}" for n in range(40))}
    treated = next(u for u, v in arms.items() if v == candidate.id)
    control = next(u for u, v in arms.items() if v == version.id)
    with remote(api, tmp_path, policy_ttl_s=0.0) as fw:
        assert fw.policy("math", treated).version.id == candidate.id
        assert fw.policy("math", control).version.id == version.id  # the disk keeps the control arm
        assert fw.policy("math", treated).version.id == candidate.id  # the candidate arm: memory only
        away(fw)
        # Another user while the server is away: production, never the treated user's candidate.
        served = fw.policy("math", "user-new")
        assert (served.version.id, served.stale) == (version.id, True)
