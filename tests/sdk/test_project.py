"""The project handle (flyloop.sdk.project): every verb gives the same answer, the same type and
the same error on the local store and through the server (the app in process, on the same store)."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import orjson
import pytest
from fastapi.testclient import TestClient

from conftest import fix_keys
from flyloop import DatasetVersion, ExportResult, Label, LabelStats, errors, labels
from flyloop.sdk.project import Project
from flyloop.sdk.transport import Local, Remote

P = "acme"
T0 = (int(time.time()) // 3600 - 240) * 3600.0


def seed(capture, users: int = 6) -> None:
    """Per user: a good answer (accepted, thumbs-up, the task then succeeded) and a wrong one
    corrected by an edit: enough for every dataset kind. Fixed keys: the same users are held out
    on every run."""
    fix_keys(capture.store, P)
    interactions, signals, outcomes = [], [], []
    for u in range(users):
        user, base = f"user{u}", T0 + u * 3600
        interactions.append(
            {"id": f"g{u}", "workload": "math", "input": f"What is {u} + 10?", "output": f"It is {u + 10}."}
            | {"user_id": user, "session_id": f"s{u}a", "ts": base, "metadata": {"plan": "pro" if u < 2 else "free"}}
        )
        signals += [
            {"id": f"g{u}-acc", "interaction_id": f"g{u}", "kind": "accept", "actor": user, "ts": base + 5},
            {"id": f"g{u}-up", "interaction_id": f"g{u}", "kind": "thumbs_up", "actor": user, "ts": base + 6},
        ]
        outcomes.append({"id": f"g{u}-ok", "interaction_id": f"g{u}", "name": "done", "value": 1.0, "ts": base + 60})
        interactions.append(
            {"id": f"c{u}", "workload": "math", "input": f"What is {u} + 20?", "output": f"It is {u + 21}."}
            | {"user_id": user, "session_id": f"s{u}b", "ts": base + 100}
        )
        signals += [
            {"id": f"c{u}-down", "interaction_id": f"c{u}", "kind": "thumbs_down", "actor": user, "ts": base + 105},
            {
                "id": f"c{u}-edit",
                "interaction_id": f"c{u}",
                "kind": "edit",
                "actor": user,
                "ts": base + 110,
                "payload": {"text": f"It is {u + 20}."},
            },
        ]
    capture.ingest(P, {"interactions": interactions})
    capture.ingest(P, {"signals": signals})
    capture.ingest(P, {"outcomes": outcomes})
    labels.catch_up(capture.store, P, settings=capture.settings)  # ingested through Capture: label it


def remote(api, settings, *scopes: str, spool_dir=None) -> Project:
    """A handle on the app in process, with a key of ``scopes`` (admin by default)."""
    client = TestClient(api.app, headers=api.key(P, *(scopes or ("admin",))))
    return Project(Remote(SimpleNamespace(client=client, close=client.close), P, settings, spool_dir))


@pytest.fixture
def pair(api, store, settings, capture):
    """(local, remote) handles on one store holding the seeded project."""
    seed(capture)
    return Project.on_store(store, P, settings), remote(api, settings)


def same_error(call_local, call_remote) -> errors.FlyloopError:
    with pytest.raises(errors.FlyloopError) as mine:
        call_local()
    with pytest.raises(errors.FlyloopError) as theirs:
        call_remote()
    assert type(mine.value) is type(theirs.value), (mine.value, theirs.value)
    assert (mine.value.field, mine.value.message) == (theirs.value.field, theirs.value.message)
    return mine.value


def test_interaction_verbs_answer_alike(pair):
    local, far = pair
    assert far.interactions.get("c1") == local.interactions.get("c1")
    assert [s["kind"] for s in far.interactions.get("c1")["signals"]] == ["thumbs_down", "edit"]
    page = far.interactions.list(user_id="user1", limit=1)
    assert page == local.interactions.list(user_id="user1", limit=1)
    assert [item["id"] for item in page["items"]] == ["c1"]
    rest = far.interactions.list(user_id="user1", cursor=page["next_cursor"])
    assert rest == local.interactions.list(user_id="user1", cursor=page["next_cursor"])
    assert [item["id"] for item in rest["items"]] == ["g1"]
    same_error(lambda: local.interactions.get("nope"), lambda: far.interactions.get("nope"))
    same_error(lambda: local.interactions.list(limit=0), lambda: far.interactions.list(limit=0))
    same_error(lambda: local.interactions.list(limit=1001), lambda: far.interactions.list(limit=1001))


def test_labels_verbs_answer_alike(pair):
    local, far = pair
    label = far.labels.get("c0")
    assert isinstance(label, Label) and label == local.labels.get("c0")
    assert (label.verdict, label.corrected_text) == ("corrected", "It is 20.")
    assert far.labels.explain("c0") == local.labels.explain("c0")
    assert far.labels.stats() == local.labels.stats()
    assert far.labels.stats(workload="math")["labels"] == 12
    assert far.labels.coverage(workload="math") == local.labels.coverage(workload="math")
    assert far.labels.coverage(since=T0 + 3600) == local.labels.coverage(since=T0 + 3600)
    done = far.labels.recompute(workload="math")
    assert isinstance(done, LabelStats) and done.labelled == 12
    assert (
        done.counts
        == local.labels.recompute(workload="math").counts
        == {
            "good": 6,
            "bad": 0,
            "corrected": 6,
            "unknown": 0,
        }
    )
    missing = same_error(lambda: local.labels.get("nope"), lambda: far.labels.get("nope"))
    assert isinstance(missing, errors.NotFound)
    same_error(lambda: local.labels.explain("nope"), lambda: far.labels.explain("nope"))


def test_recompute_is_audited_through_the_server(pair, store):
    from flyloop.privacy.audit import audit_log

    _, far = pair
    far.labels.recompute()
    assert [row["action"] for row in audit_log(store, P, action="labels.")] == ["labels.recompute"]


def test_dataset_verbs_answer_alike(pair):
    local, far = pair
    built = far.datasets.build("math", {"balance": {"keys": ["plan"]}})
    assert isinstance(built, DatasetVersion)
    assert built == local.datasets.get("math") == far.datasets.get(built.short_id)
    assert far.datasets.show("math") == local.datasets.show(built.id)
    assert far.datasets.list() == local.datasets.list() == [built]
    assert far.datasets.list("other") == local.datasets.list("other") == []
    assert far.datasets.lineage("math") == local.datasets.lineage("math")
    # which users' traffic is in depends on the project's random split key; some always is
    assert len(far.datasets.lineage("math")["interaction_ids"]) >= 4
    # The same content under a second name is the same version, which answers to both.
    again = local.datasets.build("math-2", {"balance": {"keys": ["plan"]}})
    assert again.id == built.id and far.datasets.get("math-2").names == ["math", "math-2"]
    child = far.datasets.rebuild("math")
    assert child == local.datasets.get(child.id) and child.parent_id in (built.id, None)
    assert far.datasets.diff(built.id, child.id) == local.datasets.diff(built.id, child.id)
    tainted = far.datasets.taint(built.id, "labels were wrong")
    assert tainted.tainted and tainted == local.datasets.get(built.id)
    assert tainted.taint_reason.endswith("labels were wrong")
    same_error(lambda: local.datasets.get("nope"), lambda: far.datasets.get("nope"))
    same_error(lambda: local.datasets.taint(built.id, " "), lambda: far.datasets.taint(built.id, " "))
    same_error(lambda: local.datasets.build(""), lambda: far.datasets.build(""))
    bad = same_error(
        lambda: local.datasets.build("x", {"kinds": ["nope"]}), lambda: far.datasets.build("x", {"kinds": ["nope"]})
    )
    assert isinstance(bad, errors.ValidationError)


def test_a_curation_config_object_builds_the_same_version(pair):
    from flyloop import CurationConfig

    local, far = pair
    config = CurationConfig.model_validate({"balance": {"keys": ["plan"]}})
    assert far.datasets.build("m", config).id == local.datasets.build("m", {"balance": {"keys": ["plan"]}}).id


@pytest.mark.parametrize(
    ("target", "out", "options"),
    [
        ("sft", "folder", {}),
        ("dpo", "folder", {"splits": ["train"], "weights": True}),
        ("openai", "train.jsonl", {"system": "Be terse."}),
        ("sft", "folder", {"sft_format": "messages", "style": "conversational"}),
    ],
)
def test_an_export_through_the_server_writes_the_files_a_local_export_writes(pair, tmp_path, target, out, options):
    local, far = pair
    version = local.datasets.build("math", {"splits": {"time_aware": False}})
    mine = local.datasets.export(version.id, target, tmp_path / "local" / out.replace("folder", ""), **options)
    theirs = far.datasets.export("math", target, tmp_path / "http" / out.replace("folder", ""), **options)
    assert isinstance(theirs, ExportResult)
    assert (theirs.version_id, theirs.target, theirs.rows, theirs.excluded, theirs.forced_taint) == (
        mine.version_id,
        mine.target,
        mine.rows,
        mine.excluded,
        mine.forced_taint,
    )
    assert sum(theirs.rows.values()) > 0
    for a, b in zip(mine.files, theirs.files, strict=True):
        assert a.replace("/local/", "/http/") == b
        assert open(a, "rb").read() == open(b, "rb").read()

    def manifest(path: str) -> dict:
        found = orjson.loads(open(path, "rb").read())
        found["export"].pop("exported_at")
        return found

    assert manifest(theirs.manifest) == manifest(mine.manifest)


def test_export_errors_are_the_same_in_both_modes(pair, tmp_path):
    local, far = pair
    version = local.datasets.build("math", {"splits": {"time_aware": False}})
    same_error(
        lambda: local.datasets.export(version.id, "sft", tmp_path / "a.jsonl", splits=["train", "validation"]),
        lambda: far.datasets.export(version.id, "sft", tmp_path / "a.jsonl", splits=["train", "validation"]),
    )
    same_error(
        lambda: local.datasets.export(version.id, "sft", tmp_path / "a.jsonl", fmt="parquet"),
        lambda: far.datasets.export(version.id, "sft", tmp_path / "a.jsonl", fmt="parquet"),
    )
    local.datasets.export(version.id, "sft", tmp_path / "a")
    far.datasets.export(version.id, "sft", tmp_path / "b")
    exists = same_error(
        lambda: local.datasets.export(version.id, "sft", tmp_path / "b"),
        lambda: far.datasets.export(version.id, "sft", tmp_path / "b"),
    )
    assert isinstance(exists, errors.Conflict)
    far.datasets.taint(version.id, "bad weights")
    tainted = same_error(
        lambda: local.datasets.export(version.id, "sft", tmp_path / "c"),
        lambda: far.datasets.export(version.id, "sft", tmp_path / "d"),
    )
    assert isinstance(tainted, errors.Conflict)
    forced = far.datasets.export(version.id, "sft", tmp_path / "e", force=True)
    assert forced.forced_taint.endswith("bad weights")
    with pytest.raises(errors.ValidationError) as unknown:
        far.datasets.export(version.id, "nope", tmp_path / "f")
    assert unknown.value.field == "target"


def test_status_answers_alike(pair):
    local, far = pair
    assert far.status() == local.status()


def test_remote_errors_keep_the_servers_class_message_and_field(api, settings, capture):
    seed(capture)
    reader = remote(api, settings, "read")
    denied = pytest.raises(errors.PermissionDenied, reader.datasets.build, "math")
    assert denied.value.message == "this key lacks the 'admin' scope"
    bad = remote(api, settings, "read")
    bad.transport.sink.client.headers["Authorization"] = "Bearer fl_wrong"
    with pytest.raises(errors.AuthError) as refused:
        bad.labels.get("g0")
    assert type(refused.value) is errors.AuthError


def test_a_server_that_cannot_be_reached_is_a_transport_error(settings):
    far = Project.on_server(settings_with(settings, server_url="http://127.0.0.1:9", api_key="fl_x"))
    with pytest.raises(errors.TransportError):
        far.labels.get("g0")
    with pytest.raises(errors.ConfigError, match="FLYLOOP_API_KEY"):
        Project.on_server(settings_with(settings, server_url="http://127.0.0.1:9"))


def settings_with(settings, **overrides):
    from flyloop import Settings

    return Settings(home=settings.home, database_url="sqlite://", **overrides)


def test_the_flywheel_carries_the_verbs_in_both_modes(api, store, settings, tmp_path):
    from flyloop import Flywheel

    with Flywheel(store=store, project=P, home=str(tmp_path / "home")) as fw:
        it = fw.log("math", input="2 + 2?", output="5", user_id="ann")
        it.edit("4")
        assert fw.flush()
        assert isinstance(fw._verbs_transport, Local)
        here = fw.labels.get(it.id)
        assert (here.verdict, here.corrected_text) == ("corrected", "4")
    with Flywheel(server_url="http://testserver", api_key="unused", project=P, home=str(tmp_path / "home")) as fw:
        fw._sink.client = TestClient(api.app, headers={**api.key(P, "admin"), "Content-Type": "application/json"})
        assert fw.labels.get(it.id) == here
        assert fw.users.consent("ann")["state"] == "full"


def test_the_async_flywheel_awaits_the_verbs(api, store, settings, capture, tmp_path):
    from flyloop import AsyncFlywheel

    seed(capture)

    async def run() -> tuple[Label, dict]:
        async with AsyncFlywheel(store=store, project=P, home=str(tmp_path / "home")) as afw:
            return await afw.labels.get("c1"), await afw.status()

    label, status = asyncio.run(run())
    assert label.verdict == "corrected" and status["counts"]["interactions"] == 12


def test_every_namespace_of_the_handle_is_on_the_async_client_too():
    import typing

    from flyloop import AsyncFlywheel
    from flyloop.sdk.project import Verbs

    spaces = typing.get_type_hints(Verbs)
    assert set(spaces) == {
        "interactions",
        "labels",
        "datasets",
        "users",
        "privacy",
        "retention",
        "workloads",
        "policies",
        "banks",
        "loops",
        "artifacts",
        "retrieval",
        "reward",
        "evaluations",
        "golden",
        "experiments",
        "decisions",
        "automation",
        "versions",
        "monitor",
    }
    assert [name for name in spaces if not isinstance(getattr(AsyncFlywheel, name, None), property)] == []


def test_arguments_of_a_wrong_type_are_the_same_validation_error_in_both_modes(pair, tmp_path):
    """Not a TypeError from deep in a stage (locally) or from quoting the URL (remotely)."""
    local, far = pair

    def refused(verb, field: str) -> None:
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, errors.ValidationError) and error.field == field

    refused(lambda fw: fw.labels.get(5), "interaction_id")
    refused(lambda fw: fw.labels.explain(None), "interaction_id")
    refused(lambda fw: fw.interactions.get(5), "interaction_id")
    refused(lambda fw: fw.interactions.list(limit="10"), "limit")
    refused(lambda fw: fw.datasets.build(5), "name")
    refused(lambda fw: fw.datasets.build("math", [1, 2]), "config")
    refused(lambda fw: fw.datasets.build("math", parent=["a"]), "parent")
    refused(lambda fw: fw.datasets.show(5), "ref")
    refused(lambda fw: fw.datasets.get(5), "ref")
    refused(lambda fw: fw.datasets.diff("math", 5), "ref")
    refused(lambda fw: fw.datasets.lineage(5), "ref")
    refused(lambda fw: fw.datasets.taint("math", 5), "reason")
    refused(lambda fw: fw.datasets.rebuild(5), "ref")
    refused(lambda fw: fw.datasets.export(5, "sft", tmp_path), "ref")
    refused(lambda fw: fw.privacy.redact(5), "text")
    refused(lambda fw: fw.privacy.audit(action=5), "action")
    refused(lambda fw: fw.privacy.audit(limit="10"), "limit")


def test_text_no_store_keeps_is_the_same_validation_error_in_both_modes(pair):
    """A lone surrogate was a UnicodeEncodeError in both modes (the driver, the URL); a NUL was
    refused by the server's guard only."""
    local, far = pair
    for verb in (
        lambda fw: fw.labels.get("c0\ud800"),
        lambda fw: fw.labels.explain("c0\x00"),
        lambda fw: fw.datasets.show("math\ud800"),
        lambda fw: fw.privacy.redact("call me\x00"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, errors.ValidationError) and "lone surrogate" in error.message


def test_filters_of_a_wrong_type_are_refused_in_both_modes(pair):
    """Locally a time bound given as text matched nothing and a workload given as a number relabelled
    nothing, while the server refused both: now both modes refuse them, naming the field."""
    local, far = pair
    for verb, field in (
        (lambda fw: fw.interactions.list(since="yesterday"), "since"),
        (lambda fw: fw.interactions.list(workload=7), "workload"),
        (lambda fw: fw.labels.stats(workload=7), "workload"),
        (lambda fw: fw.labels.recompute(workload=7), "workload"),
        (lambda fw: fw.labels.recompute(infer="yes"), "infer"),
        (lambda fw: fw.labels.coverage(until="now"), "until"),
        (lambda fw: fw.privacy.audit(since="x"), "since"),
    ):
        error = same_error(lambda verb=verb: verb(local), lambda verb=verb: verb(far))
        assert isinstance(error, errors.ValidationError) and error.field == field


def test_a_body_json_would_change_is_refused_before_it_is_sent(pair):
    """orjson writes NaN as null: a retention of NaN days reached the server as null ("keep
    content forever") where the library refuses it; an integer past 64 bits was a TypeError."""
    local, far = pair
    kept = far.privacy.policy().retention.content_days
    with pytest.raises(errors.ValidationError) as nan:
        far.privacy.set_policy({"retention": {"content_days": float("nan")}})
    assert nan.value.field == "retention.content_days"
    with pytest.raises(errors.ValidationError):
        local.privacy.set_policy({"retention": {"content_days": float("nan")}})
    assert far.privacy.policy().retention.content_days == kept == 90.0
    with pytest.raises(errors.ValidationError) as inf:
        far.datasets.build("math", {"splits": {"train": float("inf")}})
    assert inf.value.field == "config.splits.train"
    with pytest.raises(errors.ValidationError) as big:
        far.datasets.build("math", {"max_examples": 10**30})
    assert big.value.field == "body"


def test_one_split_named_as_a_string_exports_that_split_in_both_modes(pair, tmp_path):
    """splits="train" was read as its letters (unknown splits a, i, n, r, t), in both modes."""
    local, far = pair
    version = local.datasets.build("math", {"splits": {"time_aware": False}})
    here = local.datasets.export(version.id, "sft", tmp_path / "a", splits="train")
    there = far.datasets.export(version.id, "sft", tmp_path / "b.jsonl", splits="train")
    assert list(here.rows) == ["train"] and there.rows == here.rows
