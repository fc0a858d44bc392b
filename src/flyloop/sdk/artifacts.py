"""The project handle's verbs for what the training loops make (``fw.artifacts``): a LoRA adapter
(``ad_…``), a choice head (``hd_…``), a fine-tuned embedder (``em_…``), a reward model (``rm_…``),
the same in both modes: :mod:`flyloop.improve`'s artifact functions on a local store, the
``/v1/artifacts`` routes (:mod:`flyloop.server.artifacts`) through a server.

::

    fw.artifacts.list(workload="support", kind="adapter")   # newest first
    fw.artifacts.taint("ad_3f2a9c01b7e4d5a6", "trained on a leaked ticket")
    fw.artifacts.export("em_…", "./retriever")              # a sentence-transformers folder

An artifact's files lie under a home, ``$FLYLOOP_HOME/artifacts/<id>/`` (a backend loads one by its
id alone). Through a server, :func:`fetch` brings one into this machine's home once, whole: into a
staging folder (named as the trainers' are, so a process killed midway leaves one that the next
``staging`` call sweeps), checked against its manifest's sizes and hashes, then renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from flyloop import errors

from .transport import Namespace, Remote, answer_error, api_path, check_filters, check_text, check_whole

if TYPE_CHECKING:
    from flyloop.improve import Artifact
    from flyloop.settings import Settings

MANIFEST = "manifest.json"
EXPORTED_MANIFEST = "flyloop-manifest.json"
MAX_ITEMS = 1000
DOWNLOAD_WAIT_S = 3600.0  # an embedder is ~90 MB: the SDK's own timeout is for events


def artifact_folder(artifact_id: str, settings: Settings) -> Path:
    """Where artifact ``artifact_id`` lies under ``settings.home`` (whether or not it is there):
    where a backend of this machine looks for it (:func:`flyloop.improve.artifact_folder`)."""
    from flyloop.improve import artifact_folder as folder_of

    return folder_of(check_artifact_id(artifact_id), settings)


def check_artifact_id(value: Any) -> str:
    from flyloop.improve import is_artifact_id

    check_text(value, "artifact")
    if not is_artifact_id(value):
        raise errors.ValidationError(
            f"{value!r} is not an artifact id (ad_, hd_, em_ or rm_ and 16 hex digits)", field="artifact"
        )
    return str(value)


def remote_artifact(found: dict[str, Any], settings: Settings) -> Artifact:
    """An artifact from the server's answer; ``path`` is where this machine keeps its copy."""
    from flyloop.improve import Artifact

    return Artifact(**found, path=str(artifact_folder(found["id"], settings)))


class Artifacts(Namespace):
    """What the training loops made: records with manifests, taint marks, files."""

    def list(self, workload: str | None = None, kind: str | None = None, limit: int = 50) -> list[Artifact]:
        """The project's artifacts (of one workload, one kind: adapter, head, embedder or reward),
        newest first, at most ``limit`` (1 to 1000)."""
        from flyloop.improve import list_artifacts

        check_filters(workload=workload, kind=kind)
        from flyloop.improve import ARTIFACT_KINDS

        if kind is not None and kind not in ARTIFACT_KINDS:
            raise errors.ValidationError(f"artifact kind must be one of {', '.join(ARTIFACT_KINDS)}", field="kind")
        check_whole(limit, "limit")
        if not 1 <= limit <= MAX_ITEMS:
            raise errors.ValidationError(f"limit must be between 1 and {MAX_ITEMS}, got {limit}", field="limit")
        if local := self._local:
            return list_artifacts(
                local.store, local.project, workload=workload, kind=kind, limit=limit, settings=local.settings
            )
        params = {"workload": workload, "kind": kind, "limit": limit}
        items = self._remote.call("GET", "/v1/artifacts", params=params)["items"]
        return [remote_artifact(a, self._remote.settings) for a in items]

    def get(self, artifact_id: str) -> Artifact:
        """One artifact with its manifest, and whether it is tainted and why; NotFound naming
        ``artifact`` otherwise."""
        from flyloop.improve import get_artifact

        check_artifact_id(artifact_id)
        if local := self._local:
            return get_artifact(local.store, local.project, artifact_id, settings=local.settings)
        found = self._remote.call("GET", api_path("v1", "artifacts", artifact_id))
        return remote_artifact(found, self._remote.settings)

    def taint(self, artifact_id: str, reason: str) -> Artifact:
        """Mark an artifact unfit for use, keeping why (its files stay). Audited; remotely an
        admin key's action."""
        from flyloop.improve import taint_artifact
        from flyloop.privacy import audit_record

        check_artifact_id(artifact_id)
        check_text(reason, "reason")
        if not reason.strip():
            raise errors.ValidationError(
                "say why the artifact is tainted: reason is a non-empty string", field="reason"
            )
        if local := self._local:
            marked = taint_artifact(local.store, local.project, artifact_id, reason, settings=local.settings)
            audit_record(
                local.store,
                local.project,
                "artifacts.taint",
                actor=local.actor,
                target=marked.id,
                details={"reason": reason},
            )
            return marked
        found = self._remote.call("POST", api_path("v1", "artifacts", artifact_id, "taint"), body={"reason": reason})
        return remote_artifact(found, self._remote.settings)

    def download(self, artifact_id: str, out: str | os.PathLike[str] | None = None) -> Path:
        """The artifact's folder on this machine: with ``out``, a copy written there (a new or empty
        folder); without, its place under this machine's home (fetched once from a server)."""
        check_artifact_id(artifact_id)
        if local := self._local:
            from flyloop.improve import get_artifact

            found = Path(get_artifact(local.store, local.project, artifact_id, settings=local.settings).path)
            if not (found / MANIFEST).is_file():
                raise errors.NotFound(
                    f"artifact {artifact_id} has no folder under {found.parent} (trained with another FLYLOOP_HOME?)",
                    field="artifact",
                )
        else:
            found = fetch(self._remote, artifact_id)
        if out is None:
            return found
        return copy_folder(found, Path(out))

    def export(self, artifact_id: str, out: str | os.PathLike[str]) -> Path:
        """The artifact written to ``out`` (a new or empty folder) for use outside flyloop: an
        embedder as the sentence-transformers folder it holds (``SentenceTransformer(out)`` loads
        it; the manifest beside, as ``flyloop-manifest.json``), any other kind as its folder (an
        adapter is a PEFT folder)."""
        check_artifact_id(artifact_id)
        if not artifact_id.startswith("em_"):
            return self.download(artifact_id, out)
        from flyloop.improve import export_embedder

        target = check_empty(Path(out))
        found = self.download(artifact_id)  # fetched into this machine's home first, through a server
        settings = self._local.settings if self._local else self._remote.settings
        written = export_embedder(artifact_id, target, settings=settings)
        shutil.copyfile(found / MANIFEST, written / EXPORTED_MANIFEST)
        return written


def check_empty(out: Path) -> Path:
    """``out``, refused (naming ``out``) when it holds anything: an export never mixes with files there."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise errors.ValidationError(f"{out} exists and is not an empty folder", field="out")
    return out


def copy_folder(source: Path, out: Path) -> Path:
    """``source``'s files copied into ``out`` (created; it must not hold anything yet)."""
    check_empty(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, out, dirs_exist_ok=True)
    return out


def fetch(remote: Remote, artifact_id: str) -> Path:
    """The artifact's folder under this machine's home, downloaded once from the server when it is
    not there yet (the module's docstring: staged, checked, renamed into place)."""
    target = artifact_folder(artifact_id, remote.settings)
    if (target / MANIFEST).is_file():
        return target
    import httpx

    base = target.parent
    base.mkdir(parents=True, exist_ok=True)
    kind = {"ad": "adapter", "hd": "head", "em": "embedder", "rm": "reward"}[artifact_id[:2]]
    staging = base / f".staging-{kind}-{os.getpid()}-{secrets.token_hex(4)}"
    quick = remote.settings.sdk_timeout_s
    try:
        with tempfile.TemporaryFile() as tar_file:
            try:
                with remote.sink.client.stream(
                    "GET",
                    api_path("v1", "artifacts", artifact_id, "download"),
                    timeout=(quick, DOWNLOAD_WAIT_S, quick, quick),  # (connect, read, write, pool): any client
                ) as response:
                    if response.status_code != 200:
                        response.read()
                        raise answer_error(response)
                    for block in response.iter_bytes(1 << 20):
                        tar_file.write(block)
            except httpx.HTTPError as exc:
                raise errors.TransportError(f"server unreachable: {exc}") from exc
            tar_file.seek(0)
            staging.mkdir()
            with tarfile.open(fileobj=tar_file, mode="r:") as tar:
                tar.extractall(staging, filter="data")  # no member may leave the folder
        _check_files(staging, artifact_id)
        try:
            os.replace(staging, target)
        except OSError:  # another process brought it first (a non-empty target): theirs stands
            if not (target / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _check_files(folder: Path, artifact_id: str) -> None:
    """The downloaded files are the ones the manifest lists, byte for byte."""
    try:
        manifest = orjson.loads((folder / MANIFEST).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise errors.TransportError(f"artifact {artifact_id} arrived without a readable manifest: {exc}") from exc
    if manifest.get("id") != artifact_id:
        raise errors.TransportError(f"the server sent artifact {manifest.get('id')!r} for {artifact_id}")
    for listed in manifest.get("files", []):
        path = folder / listed["name"]
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError as exc:
            raise errors.TransportError(f"artifact {artifact_id} arrived without {listed['name']}") from exc
        if digest.hexdigest() != listed["sha256"]:
            raise errors.TransportError(f"artifact {artifact_id}: {listed['name']} arrived changed (sha256 differs)")
