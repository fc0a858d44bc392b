"""The artifact routes (flyloop.server.artifacts): list, show, taint (audited), download as a tar;
their scopes (an app's ingest key may download, as it downloads a bank), and bad input as a 4xx
naming the field. Artifacts are committed by flyloop.improve's own staging and commit, from files
written here (what a trainer writes is the trainers' tests' business)."""

from __future__ import annotations

import hashlib
import io
import re
import tarfile

import pytest

from conftest import seed
from flyloop import audit_log, datasets, labels
from flyloop.improve import artifacts

ADMIN, READ, INGEST = ("admin",), ("read",), ("ingest",)
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
FILES = {"adapter_config.json": b'{"r": 8}', "adapter_model.safetensors": b"\x00" * 1000}


def make_artifact(store, settings, kind="adapter", workload="math", files=FILES, dataset=None, project="acme"):
    with artifacts.staging(kind, settings) as stage:
        for name, data in files.items():
            (stage.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (stage.folder / name).write_bytes(data)
        return artifacts.commit(
            store,
            project,
            stage,
            workload=workload,
            manifest={"base_model": "smollm2", "config": {"rank": 8}, "metrics": {"loss": 0.5}},
            dataset_version=dataset,
            run_id="lr_test",
            settings=settings,
        )


@pytest.fixture
def made(api, store, settings, capture):
    """An adapter trained on the seeded project's dataset version, and a head of another workload."""
    seed(capture)
    labels.catch_up(store, "acme", settings=settings)
    version = datasets.build(store, "acme", "math")
    adapter = make_artifact(store, settings, dataset=version.id)
    head = make_artifact(store, settings, kind="head", workload="triage", files={"head.joblib": b"head"})
    return adapter, head, version


def test_artifacts_are_listed_shown_and_tainted(api, store, made):
    adapter, head, version = made
    listed = api.get("/v1/artifacts", scopes=READ).json()["items"]
    assert [a["id"] for a in listed] == [head.id, adapter.id]  # newest first
    shown = api.get(f"/v1/artifacts/{adapter.id}", scopes=READ).json()
    assert shown == listed[1]
    assert "path" not in shown  # the server's folder is its own business
    assert {k: shown[k] for k in ("id", "kind", "workload", "dataset_version", "run_id", "tainted")} == {
        "id": adapter.id,
        "kind": "adapter",
        "workload": "math",
        "dataset_version": version.id,
        "run_id": "lr_test",
        "tainted": False,
    }
    assert shown["manifest"]["config"] == {"rank": 8}
    assert [f["name"] for f in shown["manifest"]["files"]] == ["adapter_config.json", "adapter_model.safetensors"]
    assert api.get("/v1/artifacts", scopes=READ, params={"kind": "head"}).json()["items"] == [listed[0]]
    assert api.get("/v1/artifacts", scopes=READ, params={"workload": "math"}).json()["items"] == [shown]
    assert api.get("/v1/artifacts", scopes=READ, params={"limit": 1}).json()["items"] == [listed[0]]

    marked = api.post(f"/v1/artifacts/{adapter.id}/taint", scopes=ADMIN, json={"reason": "a leaked ticket"})
    assert marked.status_code == 200, marked.text
    assert marked.json()["tainted"] is True and re.fullmatch(f"{STAMP} a leaked ticket", marked.json()["taint_reason"])
    assert api.get(f"/v1/artifacts/{adapter.id}", scopes=READ).json() == marked.json()
    (row,) = audit_log(store, "acme", action="artifacts.")
    assert (row["action"], row["target"], row["details"]) == (
        "artifacts.taint",
        adapter.id,
        {"reason": "a leaked ticket"},
    )
    # A tainted dataset version taints what was trained on it, with its reason.
    datasets.taint(store, "acme", version.id, "erasure of user3")
    reason = api.get(f"/v1/artifacts/{adapter.id}", scopes=READ).json()["taint_reason"]
    assert re.fullmatch(
        rf"{STAMP} a leaked ticket; its dataset version {version.id} is tainted: {STAMP} erasure of user3", reason
    )


def test_an_artifact_downloads_as_a_tar_of_its_folder(api, made):
    adapter, _head, _version = made
    for scopes in (READ, INGEST):  # an app's key fetches what its policy version names
        r = api.get(f"/v1/artifacts/{adapter.id}/download", scopes=scopes)
        assert r.status_code == 200, r.text
        assert (r.headers["content-type"], r.headers["x-flyloop-artifact"]) == ("application/x-tar", adapter.id)
        with tarfile.open(fileobj=io.BytesIO(r.content)) as tar:
            got = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
        assert sorted(got) == ["adapter_config.json", "adapter_model.safetensors", "manifest.json"]
        assert got["adapter_model.safetensors"] == FILES["adapter_model.safetensors"]
        listed = {f["name"]: f["sha256"] for f in adapter.manifest["files"]}
        assert listed == {name: hashlib.sha256(data).hexdigest() for name, data in FILES.items()}


def test_artifact_routes_refuse_bad_input_naming_the_field(api, made, tmp_path):
    adapter, _head, _version = made
    for path, params, status, field in (
        ("/v1/artifacts", {"kind": "lora"}, 422, "kind"),
        ("/v1/artifacts", {"limit": 0}, 422, "limit"),
        ("/v1/artifacts", {"limit": 1001}, 422, "limit"),
        ("/v1/artifacts/ad_0123", {}, 422, "artifact"),
        ("/v1/artifacts/ad_0000000000000000", {}, 404, "artifact"),
        ("/v1/artifacts/ad_0000000000000000/download", {}, 404, "artifact"),
        ("/v1/artifacts/bk_0000000000000000/download", {}, 422, "artifact"),
    ):
        r = api.get(path, scopes=READ, params=params)
        assert (r.status_code, r.json().get("field")) == (status, field), (path, params, r.text)
    for body, status, field in (
        ({}, 422, "reason"),
        ({"reason": ""}, 422, "reason"),
        ({"reason": "   "}, 422, "reason"),
        ({"reason": 5}, 422, "reason"),
        ({"reason": "x", "colour": "red"}, 422, "colour"),
        ({"reason": "x" * 2001}, 422, "reason"),
    ):
        r = api.post(f"/v1/artifacts/{adapter.id}/taint", scopes=ADMIN, json=body)
        assert (r.status_code, r.json().get("field")) == (status, field), (body, r.text)
    assert api.get(f"/v1/artifacts/{adapter.id}", scopes=READ).json()["tainted"] is False


def test_artifact_routes_need_their_scopes(api, made):
    adapter, _head, _version = made
    for path in ("/v1/artifacts", f"/v1/artifacts/{adapter.id}"):
        assert api.get(path, scopes=INGEST).status_code == 403, path
    for scopes in (READ, INGEST):
        r = api.post(f"/v1/artifacts/{adapter.id}/taint", scopes=scopes, json={"reason": "x"})
        assert r.status_code == 403
    denied = api.client.get(f"/v1/artifacts/{adapter.id}/download")
    assert denied.status_code == 401
    # Another project's key finds nothing of this one's.
    assert api.get(f"/v1/artifacts/{adapter.id}", project="other", scopes=READ).status_code == 404
    assert api.get(f"/v1/artifacts/{adapter.id}/download", project="other", scopes=INGEST).status_code == 404


def test_a_download_of_an_artifact_whose_folder_is_gone_is_a_404(api, made):
    import shutil
    from pathlib import Path

    adapter, _head, _version = made
    shutil.rmtree(Path(adapter.path))
    r = api.get(f"/v1/artifacts/{adapter.id}/download", scopes=READ)
    assert (r.status_code, r.json()["field"]) == (404, "artifact")
    assert "no folder on this server" in r.json()["message"]
