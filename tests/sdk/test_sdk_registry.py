"""The handle's workload and policy verbs (flyloop.sdk.registry): the same answer, type and error on
the local store and through the server (the app in process, on the same store)."""

from __future__ import annotations

import asyncio
import importlib.util
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from flyloop import PolicySpec, PolicyVersion, StageMove, Workload, errors
from flyloop.privacy import audit_log
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote

P = "acme"
URL = "http://127.0.0.1:9/v1"  # never called: registration checks the URL's shape, not the endpoint


def remote(api, settings, *scopes: str) -> tuple[Project, str]:
    """A handle on the app in process with a key of ``scopes`` (admin by default), and the key's id."""
    headers = api.key(P, *(scopes or ("admin",)))
    key = api.store.find_key(headers["Authorization"].removeprefix("Bearer "))
    client = TestClient(api.app, headers=headers)
    return Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings)), key.id


@pytest.fixture
def pair(api, store, settings, capture):
    """(local, remote, the remote key's id) on one store where workload "chat" has interactions."""
    capture.ingest(P, {"interactions": [{"id": "i1", "workload": "chat", "input": "hi", "output": "hello"}]})
    far, key_id = remote(api, settings)
    return Project.on_store(store, P, settings), far, key_id


def same_error(call_local, call_remote) -> errors.FlyloopError:
    with pytest.raises(errors.FlyloopError) as mine:
        call_local()
    with pytest.raises(errors.FlyloopError) as theirs:
        call_remote()
    assert type(mine.value) is type(theirs.value), (mine.value, theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    return mine.value


def spec(**kw) -> dict:
    return {"workload": "chat", "model": "gpt-test", "params": {"base_url": URL}, **kw}


def test_workload_verbs_answer_alike(pair, capture):
    local, far, _ = pair
    declared = far.workloads.declare("triage", type="choice", labels=["billing", "bug"], description="tickets")
    assert isinstance(declared, Workload)
    assert (declared.name, declared.type, declared.labels, declared.description, declared.declared) == (
        "triage",
        "choice",
        ["billing", "bug"],
        "tickets",
        True,
    )
    assert far.workloads.get("triage") == local.workloads.get("triage") == declared
    implied = far.workloads.get("chat")
    assert (implied.type, implied.declared) == ("generation", False)
    assert far.workloads.list() == local.workloads.list()
    assert [w.name for w in far.workloads.list()] == ["chat", "triage"]
    capture.ingest(
        P,
        {
            "interactions": [
                {"id": f"t{n}", "workload": "triage", "input": "my card was charged twice", "output": out}
                for n, out in enumerate(["billing", "bug", "refund"])
            ]
        },
    )
    stats = {"workload": "triage", "type": "choice", "interactions": 3, "outside_label_set": 1}
    assert far.workloads.stats("triage") == local.workloads.stats("triage") == stats
    again = local.workloads.declare("triage", type="generation")
    assert far.workloads.get("triage") == again and (again.type, again.labels) == ("generation", None)


def test_workload_errors_are_the_same_in_both_modes(pair):
    local, far, _ = pair
    missing = same_error(lambda: local.workloads.get("nope"), lambda: far.workloads.get("nope"))
    assert isinstance(missing, errors.NotFound) and missing.field == "workload"
    same_error(lambda: local.workloads.stats("nope"), lambda: far.workloads.stats("nope"))
    for verb, field in (
        (lambda fw: fw.workloads.declare("t", type="choice", labels=["only"]), "labels"),
        (lambda fw: fw.workloads.declare("t", type="choice"), "labels"),
        (lambda fw: fw.workloads.declare("t", type="choice", labels=["a", "a"]), "labels[1]"),
        (lambda fw: fw.workloads.declare("t", type="ranking"), "type"),
        (lambda fw: fw.workloads.declare("t", labels="ab"), "labels"),
        (lambda fw: fw.workloads.declare("a/b"), "workload"),
        (lambda fw: fw.workloads.declare(""), "workload"),
        (lambda fw: fw.workloads.get("a/b"), "workload"),
        (lambda fw: fw.workloads.stats(7), "workload"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, errors.ValidationError) and error.field == field, error
    assert [w.name for w in local.workloads.list()] == ["chat"]


def test_policy_verbs_answer_alike_and_name_their_author(pair, store):
    local, far, key_id = pair
    first = far.policies.register(spec(system_prompt="Be brief."), note="first")
    assert isinstance(first, PolicyVersion)
    assert (first.workload, first.system_prompt, first.parent, first.created_by, first.note) == (
        "chat",
        "Be brief.",
        None,
        f"key:{key_id}",
        "first",
    )
    assert first.id == PolicySpec(**spec(system_prompt="Be brief.")).digest()
    # the same spec again, locally: the first registration and its lineage
    assert local.policies.register(PolicySpec(**spec(system_prompt="Be brief."))) == first
    second = local.policies.register(spec(system_prompt="Be very brief."), parent=first.id, note="shorter")
    assert (second.parent, second.created_by, second.note) == (first.id, "user", "shorter")
    assert far.policies.get(second.id) == local.policies.get(second.id) == second
    assert far.policies.list() == local.policies.list("chat") == [first, second]
    assert far.policies.list(workload="other") == []

    assert far.policies.production("chat") is None is local.policies.production("chat")
    moved = far.policies.promote("chat", first.id, reason="launch")
    assert isinstance(moved, StageMove)
    assert (moved.workload, moved.stage, moved.version_id, moved.previous, moved.by, moved.reason) == (
        "chat",
        "production",
        first.id,
        None,
        f"key:{key_id}",
        "launch",
    )
    with pytest.raises(errors.Conflict) as caught:  # production to beat: the gate stands in the way
        far.policies.promote("chat", second.id, reason="shorter answers")
    assert caught.value.field == "gate"
    back = local.policies.promote("chat", second.id, reason="shorter answers", force=True)
    assert (back.previous, back.by) == (first.id, "user")
    assert far.policies.production("chat") == local.policies.production("chat") == second
    history = far.policies.history("chat")
    assert history == local.policies.history() == [moved, back]
    with pytest.raises(errors.NotFound) as unknown:  # a workload this project has not: said, not an empty list
        far.policies.history("other")
    assert unknown.value.field == "workload"
    # through the server, each admin action leaves an audit row naming the key
    rows = audit_log(store, P, action="policies.")
    assert [(r["action"], r["actor"], r["target"]) for r in rows] == [
        ("policies.promote", f"key:{key_id}", first.id),
        ("policies.register", f"key:{key_id}", first.id),
    ]
    assert rows[0]["details"] == {"workload": "chat", "previous": None, "reason": "launch", "forced": False}


def test_policy_errors_are_the_same_in_both_modes_and_register_nothing(pair):
    local, far, _ = pair
    version = local.policies.register(spec())
    for verb, kind, field in (
        (lambda fw: fw.policies.get("pv_0000000000000000"), errors.NotFound, "version"),
        (lambda fw: fw.policies.get("a/b"), errors.ValidationError, "version"),
        (lambda fw: fw.policies.promote("nope", version.id), errors.NotFound, "workload"),
        (lambda fw: fw.policies.promote("chat", "pv_0000000000000000"), errors.NotFound, "version"),
        (lambda fw: fw.policies.production("nope"), errors.NotFound, "workload"),
        (lambda fw: fw.policies.register(spec(workload="nope")), errors.NotFound, "workload"),
        (
            lambda fw: fw.policies.register(spec(template="{{ input }} in {{ tone }}")),
            errors.ValidationError,
            "template",
        ),
        (lambda fw: fw.policies.register(spec(k=3)), errors.ValidationError, "bank"),
        (lambda fw: fw.policies.register(spec(k=99)), errors.ValidationError, "k"),
        (lambda fw: fw.policies.register(spec(colour="red")), errors.ValidationError, "colour"),
        (lambda fw: fw.policies.register(spec(params={"temprature": 0.2})), errors.ValidationError, "params"),
        (lambda fw: fw.policies.register(spec(backend="carrier-pigeon")), errors.ValidationError, "backend"),
        (lambda fw: fw.policies.register(spec(model=None)), errors.ValidationError, "model"),
        (lambda fw: fw.policies.register(spec(), parent="pv_0000000000000000"), errors.NotFound, "version"),
        (lambda fw: fw.policies.register([1, 2]), errors.ValidationError, "policy"),
        (lambda fw: fw.policies.register(spec(), note=5), errors.ValidationError, "note"),
        (lambda fw: fw.policies.list(workload=5), errors.ValidationError, "workload"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, kind) and error.field == field, (error, field)
    assert (
        "tone"
        in same_error(
            lambda: local.policies.register(spec(template="{{ input }} {{ tone }}")),
            lambda: far.policies.register(spec(template="{{ input }} {{ tone }}")),
        ).message
    )
    assert local.policies.list() == [version]
    assert local.policies.history() == []


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="the train extra is not installed (the transformers backend's check names the extra instead)",
)
def test_a_model_that_cannot_load_is_refused_naming_the_model_and_its_path(pair, tmp_path):
    local, far, _ = pair
    gone = tmp_path / "models" / "gone"
    bad = spec(backend="transformers", model=str(gone), params={})
    error = same_error(lambda: local.policies.register(bad), lambda: far.policies.register(bad))
    assert isinstance(error, errors.ValidationError) and error.field == "model"
    assert error.details == {"model": str(gone), "path": str(gone.resolve())}
    assert str(gone) in error.message
    assert local.policies.list() == []


def test_the_async_flywheel_awaits_the_new_namespaces(store, settings, tmp_path):
    from flyloop import AsyncFlywheel

    async def run() -> tuple[Workload, list]:
        async with AsyncFlywheel(store=store, project=P, home=str(tmp_path / "home")) as afw:
            declared = await afw.workloads.declare("chat")
            return declared, await afw.policies.list()

    declared, versions = asyncio.run(run())
    assert (declared.name, versions) == ("chat", [])
