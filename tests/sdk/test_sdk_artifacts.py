"""fw.artifacts (flyloop.sdk.artifacts) and the training loops' verbs of fw.loops: the same answers
and errors on the local store and through the server (the app in process, on the same store); a
server's artifact fetched once into this machine's home, whole and checked; an embedder exported as
a sentence-transformers folder; a run's progress and cancel in both modes; a remote policy whose
version names an artifact gets it before its first use."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from conftest import seed
from flyloop import Settings, errors, labels, registry
from flyloop.improve import Artifact, Loop, LoopRun, Trigger, artifacts, register_loop, runs
from flyloop.privacy import audit_log
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Remote

P = "acme"
FILES = {"adapter_config.json": b'{"r": 8}', "adapter_model.safetensors": b"\x01" * 2048}
EMBEDDER = {
    "model/modules.json": b"[]",
    "model/config_sentence_transformers.json": b"{}",
    "model/model.safetensors": b"\x02" * 512,
}


def make_artifact(store, settings, kind="adapter", files=FILES, workload="math", dataset=None):
    with artifacts.staging(kind, settings) as stage:
        for name, data in files.items():
            (stage.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (stage.folder / name).write_bytes(data)
        return artifacts.commit(
            store,
            P,
            stage,
            workload=workload,
            manifest={"base_model": "smollm2", "metrics": {"loss": 0.25}},
            dataset_version=dataset,
            run_id="lr_test",
            settings=settings,
        )


class Counted(TestClient):
    """The app in process, counting the artifact downloads asked of it."""

    downloads = 0

    def send(self, request, *args, **kwargs):
        if request.url.path.endswith("/download") and "/v1/artifacts/" in request.url.path:
            Counted.downloads += 1
        return super().send(request, *args, **kwargs)


def far_project(api, tmp_path: Path, *scopes: str) -> Project:
    """A handle through the server whose own home (where fetched artifacts land) is not the server's."""
    client = Counted(api.app, headers=api.key(P, *(scopes or ("admin",))))
    settings = Settings(home=str(tmp_path / "client-home"), database_url="sqlite://")
    return Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings))


@pytest.fixture
def pair(api, store, settings, capture, tmp_path):
    seed(capture)
    labels.catch_up(store, P, settings=settings)
    local = Project.on_store(store, P, settings)
    version = local.datasets.build("math")
    adapter = make_artifact(store, settings, dataset=version.id)
    Counted.downloads = 0
    return local, far_project(api, tmp_path), adapter


def without_path(found: Artifact) -> dict:
    return found.model_dump(exclude={"path"})


def test_artifact_verbs_answer_alike(pair, store, settings, tmp_path):
    local, far, adapter = pair
    assert isinstance(far.artifacts.get(adapter.id), Artifact)
    assert without_path(far.artifacts.get(adapter.id)) == without_path(local.artifacts.get(adapter.id))
    assert local.artifacts.get(adapter.id).path == str(Path(settings.home) / "artifacts" / adapter.id)
    # Through a server, the path is where this machine keeps (or will keep) its copy.
    assert far.artifacts.get(adapter.id).path == str(tmp_path / "client-home" / "artifacts" / adapter.id)
    head = make_artifact(store, settings, kind="head", files={"head.joblib": b"h"}, workload="triage")
    assert [a.id for a in far.artifacts.list()] == [a.id for a in local.artifacts.list()] == [head.id, adapter.id]
    assert [a.id for a in far.artifacts.list(kind="head")] == [head.id]
    assert [a.id for a in far.artifacts.list(workload="math", limit=1)] == [adapter.id]
    marked = far.artifacts.taint(adapter.id, "a leaked ticket")
    assert marked.tainted and marked.taint_reason.endswith("Z a leaked ticket")
    assert without_path(local.artifacts.get(adapter.id)) == without_path(marked)
    local.artifacts.taint(head.id, "wrong labels")
    rows = audit_log(store, P, action="artifacts.")
    assert sorted((r["target"], r["details"]["reason"]) for r in rows) == sorted(
        [(adapter.id, "a leaked ticket"), (head.id, "wrong labels")]
    )


def test_a_servers_artifact_is_fetched_once_whole_and_checked(pair, store, settings, tmp_path):
    local, far, adapter = pair
    home_copy = far.artifacts.download(adapter.id)
    assert home_copy == tmp_path / "client-home" / "artifacts" / adapter.id
    for name, data in FILES.items():
        assert (home_copy / name).read_bytes() == data
    assert (home_copy / "manifest.json").read_bytes() == (Path(adapter.path) / "manifest.json").read_bytes()
    assert far.artifacts.download(adapter.id) == home_copy and Counted.downloads == 1  # once
    out = far.artifacts.download(adapter.id, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == [
        "adapter_config.json",
        "adapter_model.safetensors",
        "manifest.json",
    ]
    assert Counted.downloads == 1  # copied from this machine's copy
    local_out = local.artifacts.download(adapter.id, tmp_path / "local-out")
    assert sorted(p.name for p in local_out.iterdir()) == sorted(p.name for p in out.iterdir())
    # A file changed on the server after its commit arrives changed: refused, nothing kept here.
    changed = make_artifact(store, settings, files={"adapter_config.json": b"{}", "weights.bin": b"abc"})
    (Path(changed.path) / "weights.bin").write_bytes(b"abd")
    with pytest.raises(errors.TransportError, match=r"weights.bin arrived changed \(sha256 differs\)"):
        far.artifacts.download(changed.id)
    assert sorted(p.name for p in (tmp_path / "client-home" / "artifacts").iterdir()) == [adapter.id]


def test_an_embedder_exports_as_a_sentence_transformers_folder(pair, store, settings, tmp_path):
    local, far, _adapter = pair
    embedder = make_artifact(store, settings, kind="embedder", files=EMBEDDER)
    for fw, out in ((far, tmp_path / "far"), (local, tmp_path / "near")):
        written = fw.artifacts.export(embedder.id, out)
        assert written == out
        assert sorted(p.name for p in out.iterdir()) == [
            "config_sentence_transformers.json",
            "flyloop-manifest.json",
            "model.safetensors",
            "modules.json",
        ]
        assert (
            hashlib.sha256((out / "model.safetensors").read_bytes()).hexdigest()
            == hashlib.sha256(EMBEDDER["model/model.safetensors"]).hexdigest()
        )
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    for fw in (far, local):
        with pytest.raises(errors.ValidationError, match="is not an empty folder") as caught:
            fw.artifacts.export(embedder.id, tmp_path / "full")
        assert caught.value.field == "out"


def same_error(call_local, call_remote) -> errors.FlyloopError:
    with pytest.raises(errors.FlyloopError) as mine:
        call_local()
    with pytest.raises(errors.FlyloopError) as theirs:
        call_remote()
    assert type(mine.value) is type(theirs.value), (mine.value, theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    return mine.value


def test_artifact_errors_are_the_same_in_both_modes(pair):
    local, far, adapter = pair
    for verb, kind, field in (
        (lambda fw: fw.artifacts.get("ad_0000000000000000"), errors.NotFound, "artifact"),
        (lambda fw: fw.artifacts.get("ad_12"), errors.ValidationError, "artifact"),
        (lambda fw: fw.artifacts.get(5), errors.ValidationError, "artifact"),
        (lambda fw: fw.artifacts.list(kind="lora"), errors.ValidationError, "kind"),
        (lambda fw: fw.artifacts.list(limit=0), errors.ValidationError, "limit"),
        (lambda fw: fw.artifacts.list(workload=3), errors.ValidationError, "workload"),
        (lambda fw: fw.artifacts.taint(adapter.id, " "), errors.ValidationError, "reason"),
        (lambda fw: fw.artifacts.taint(adapter.id, None), errors.ValidationError, "reason"),
        (lambda fw: fw.artifacts.download("rm_0000000000000000"), errors.NotFound, "artifact"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, kind) and error.field == field, (error, field)
    assert not local.artifacts.get(adapter.id).tainted


# --- the training loops' verbs: progress, cancel -------------------------------------------------------


@pytest.fixture
def count_loop():
    """A loop registered for the test: ``steps`` steps reporting progress, looking for a cancel
    request between them; with ``hold``, it goes on until cancelled (30 s at most)."""

    def body(ctx):
        total = ctx.options.get("steps", 3)
        for step in range(1, total + 1):
            ctx.check_cancelled()
            ctx.progress(step, total, loss=round(1 / step, 4))
            time.sleep(0.3 if ctx.options.get("slow") else 0)
        deadline = time.monotonic() + 30
        while ctx.options.get("hold") and time.monotonic() < deadline:
            ctx.check_cancelled()
            time.sleep(0.02)

    register_loop(
        Loop(
            name="count",
            run=body,
            trigger=lambda *_: Trigger(True, "always", {}),
            every_s=lambda _settings: 0,
            options={"steps": (int, "a whole number"), "hold": (bool, "true or false"), "slow": (bool, "t/f")},
            plan=lambda ctx: {"estimate": 0},
        )
    )
    yield "count"
    runs._LOOPS.pop("count", None)


def test_a_runs_progress_reaches_on_progress_in_both_modes(pair, count_loop):
    local, far, _adapter = pair
    mine: list[dict] = []
    run = local.loops.run("count", "math", steps=4, on_progress=mine.append)
    assert mine == [{"done": n, "total": 4, "loss": round(1 / n, 4)} for n in range(1, 5)]
    assert (run.status, run.details["progress"]) == ("succeeded", mine[-1])
    # Through the server the run goes on in its background and is read about once a second: the
    # reports seen are some of them, in order, the last always among them.
    theirs: list[dict] = []
    far_run = far.loops.run("count", "math", steps=4, slow=True, on_progress=theirs.append)
    assert isinstance(far_run, LoopRun) and far_run.status == "succeeded"
    assert theirs[-1] == {"done": 4, "total": 4, "loss": 0.25} and theirs == sorted(theirs, key=lambda r: r["done"])
    assert far.loops.list(status="succeeded") == local.loops.list(loop="count")[:2]
    bad = same_error(
        lambda: local.loops.run("count", "math", on_progress="print"),
        lambda: far.loops.run("count", "math", on_progress="print"),
    )
    assert bad.field == "on_progress"


def test_a_run_is_cancelled_in_both_modes_and_ctrl_c_cancels_a_servers_run(pair, count_loop):
    local, far, _adapter = pair

    def interrupt(_report):
        raise KeyboardInterrupt

    with pytest.raises(errors.Cancelled) as here:
        local.loops.run("count", "math", on_progress=interrupt)
    run_id = here.value.details["run"]
    assert local.loops.show(run_id).status == "cancelled"
    assert str(here.value) == f"loop run {run_id} was interrupted"
    # Ctrl-C while following a server's run: the server is asked to cancel it, and it ends so.
    with pytest.raises(errors.Cancelled) as there:
        far.loops.run("count", "math", hold=True, on_progress=interrupt)
    far_id = there.value.details["run"]
    ended = far.loops.show(far_id)
    assert (ended.status, ended.error) == ("cancelled", f"loop run {far_id} was cancelled on request")
    assert ended.cancel_requested_at is not None
    already = same_error(lambda: local.loops.cancel(far_id), lambda: far.loops.cancel(far_id))
    assert isinstance(already, errors.Conflict) and already.field == "run"
    missing = same_error(lambda: local.loops.cancel("lr_0"), lambda: far.loops.cancel("lr_0"))
    assert isinstance(missing, errors.NotFound) and missing.field == "run"


def test_a_background_run_that_fails_raises_its_recorded_error(pair):
    local, far, _adapter = pair
    options = {"base_model": "smollm2", "min_pairs": 50}
    with pytest.raises(errors.NotEnoughData) as here:
        local.loops.run("finetune", "math", **options)
    with pytest.raises(errors.NotEnoughData) as there:
        far.loops.run("finetune", "math", on_progress=print, **options)
    assert str(there.value) == str(here.value)  # one line, the same class and words, in both modes
    assert there.value.field == here.value.field == "dataset"
    assert there.value.details["run"] != here.value.details["run"]
    assert [r.status for r in local.loops.list(loop="finetune")] == ["failed", "failed"]


# --- a remote policy fetches the artifacts its version names ----------------------------------------


def test_a_remote_policy_fetches_the_artifacts_its_version_names_before_first_use(pair, store, settings, tmp_path):
    from flyloop import Flywheel

    _local, _far, adapter = pair
    version = registry.register(
        store, P, {"workload": "math", "backend": "openai", "model": "m", "adapter": adapter.id}
    )
    registry.set_production(store, P, "math", version.id)
    client_home = tmp_path / "app-home"
    fw = Flywheel(server_url="http://testserver", api_key="k", project=P, home=str(client_home))
    from conftest import Api

    api = Api(store, settings)
    fw._sink.client = TestClient(api.app, headers={**api.key(P, "ingest"), "Content-Type": "application/json"})
    with fw:
        policy = fw.policy("math")
        assert policy.version.adapter == adapter.id
        copy = client_home / "artifacts" / adapter.id
        assert sorted(p.name for p in copy.iterdir()) == [
            "adapter_config.json",
            "adapter_model.safetensors",
            "manifest.json",
        ]
        assert (copy / "adapter_model.safetensors").read_bytes() == FILES["adapter_model.safetensors"]
