"""What the training loops make and keep: artifacts (a LoRA adapter, a choice head, a fine-tuned
embedder, a reward model), each a folder of files with a manifest, and a row in ``artifacts``.

An artifact is written whole or not at all. A loop trains into a staging folder
(:func:`staging`: ``$FLYLOOP_HOME/artifacts/.staging-<kind>-<pid>-<random>``), which is removed
when the body raises or is interrupted (Ctrl-C, a cancel request). :func:`commit` then writes the
manifest, syncs every file, renames the folder to ``$FLYLOOP_HOME/artifacts/<id>`` and records the
row: a process killed before the rename leaves only a staging folder, which the next
:func:`staging` call of any process sweeps once its owner is gone; one killed between the rename
and the row leaves a folder no row names, swept the same way. Nothing half-written is ever named.

The id is the kind's prefix (``ad_`` adapter, ``hd_`` head, ``em_`` embedder, ``rm_`` reward model)
and 16 hex digits of the SHA-256 of the files' own hashes and the manifest's training inputs, so
the same training output committed twice is one artifact. The folder lies under the home, not the
project, so a backend can load an adapter from its id alone (``PolicySpec.adapter = "ad_..."``).

The manifest (``manifest.json`` in the folder, and the row's ``manifest``) holds what the loop gave
(base model, configuration, training metrics, ...) and what every artifact has: ``id``, ``kind``,
``workload``, ``dataset_version``, ``run``, ``code_version`` (flyloop's version, and the git commit
when the package runs from a checkout), ``created_at``, and ``files`` (name, bytes, sha256).

An artifact is tainted when a person taints it or when the dataset version it was trained on is
tainted (erasure taints the versions that held the erased user's data): a model cannot unlearn, so
the mark follows it and :attr:`Artifact.tainted` says so.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from flyloop import errors
from flyloop.process import pid_alive
from flyloop.settings import Settings
from flyloop.store import Store, schema
from flyloop.version import __version__

PREFIXES: dict[str, str] = {"adapter": "ad", "head": "hd", "embedder": "em", "reward": "rm"}
KINDS: tuple[str, ...] = tuple(PREFIXES)
ID_PATTERN = re.compile(r"^(ad|hd|em|rm)_[0-9a-f]{16}$")
MANIFEST = "manifest.json"
_STAGING = ".staging-"


class Artifact(BaseModel):
    """One stored artifact, as recorded (see the module's docstring)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    workload: str
    dataset_version: str | None
    run_id: str | None
    path: str  # the folder, absolute, under the home it was read with
    size_bytes: int
    manifest: dict[str, Any]
    created_at: float
    tainted: bool
    taint_reason: str | None


def root(settings: Settings | None = None) -> Path:
    """Where artifacts lie: ``$FLYLOOP_HOME/artifacts``."""
    return Path((settings or Settings()).home).expanduser() / "artifacts"


def folder_of(artifact_id: str, settings: Settings | None = None) -> Path:
    """The folder of artifact ``artifact_id`` (whether or not it exists)."""
    if not isinstance(artifact_id, str) or not ID_PATTERN.match(artifact_id):
        raise errors.ValidationError(
            f"{artifact_id!r} is not an artifact id (ad_, hd_, em_ or rm_ and 16 hex digits)", field="artifact"
        )
    return root(settings) / artifact_id


def is_artifact_id(value: Any) -> bool:
    return isinstance(value, str) and bool(ID_PATTERN.match(value))


def code_version() -> str:
    """flyloop's version, and the commit when it runs from a git checkout (``0.1.0+g1a2b3c4``)."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__}+g{commit}" if re.fullmatch(r"[0-9a-f]{4,40}", commit) else __version__


# --- writing -----------------------------------------------------------------------------------------


@dataclass
class Staging:
    """A folder a loop trains into; :func:`commit` makes it an artifact."""

    kind: str
    folder: Path
    committed: Artifact | None = None


def sweep(settings: Settings | None = None, store: Store | None = None) -> list[str]:
    """Remove staging folders whose process is gone (a run killed midway), and, given the store,
    folders of artifact ids that no project records (killed between the rename and the row, or
    whose row was deleted). Returns the names removed."""
    base = root(settings)
    if not base.is_dir():
        return []
    removed: list[str] = []
    for entry in base.iterdir():
        if entry.name.startswith(_STAGING):
            parts = entry.name[len(_STAGING) :].split("-")
            pid = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else -1
            if pid == os.getpid() or (pid > 0 and pid_alive(pid)):
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    if store is not None:
        present = [e for e in base.iterdir() if ID_PATTERN.match(e.name)]
        if present:
            t = schema.artifacts
            with store.read() as conn:
                known = set(conn.execute(sa.select(t.c.id).where(t.c.id.in_([e.name for e in present]))).scalars())
            for entry in present:
                # A folder younger than a minute may be one another process is about to record.
                if entry.name not in known and time.time() - entry.stat().st_mtime > 60:
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry.name)
    return removed


@contextmanager
def staging(kind: str, settings: Settings | None = None) -> Iterator[Staging]:
    """A fresh staging folder for an artifact of ``kind``; removed on leaving unless committed
    (an error, an interrupt or a cancel request leave nothing behind)."""
    if kind not in PREFIXES:
        raise errors.ValidationError(f"artifact kind must be one of {', '.join(KINDS)}", field="kind")
    base = root(settings)
    base.mkdir(parents=True, exist_ok=True)
    sweep(settings)
    folder = base / f"{_STAGING}{kind}-{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir()
    stage = Staging(kind, folder)
    try:
        yield stage
    finally:
        if stage.committed is None:
            shutil.rmtree(folder, ignore_errors=True)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(
    store: Store,
    project_id: str,
    stage: Staging,
    *,
    workload: str,
    manifest: dict[str, Any],
    dataset_version: str | None = None,
    run_id: str | None = None,
    settings: Settings | None = None,
) -> Artifact:
    """Make the staged files an artifact: hash them, write the manifest, sync, rename into place
    and record the row (see the module's docstring). ``manifest``: the loop's part (base model,
    configuration, metrics, ...), JSON data. The same files and inputs committed again return the
    stored artifact."""
    if stage.committed is not None:
        return stage.committed
    files = sorted(p for p in stage.folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    if not files:
        raise errors.ValidationError("an artifact needs at least one file", field="files")
    listed: list[dict[str, Any]] = [
        {"name": str(p.relative_to(stage.folder)), "bytes": p.stat().st_size, "sha256": _hash_file(p)} for p in files
    ]
    identity = orjson.dumps(
        {"kind": stage.kind, "workload": workload, "dataset_version": dataset_version, "files": listed},
        option=orjson.OPT_SORT_KEYS,
    )
    artifact_id = f"{PREFIXES[stage.kind]}_{hashlib.sha256(identity).hexdigest()[:16]}"
    existing = _row(store, project_id, artifact_id)
    target = folder_of(artifact_id, settings)
    if existing is not None and target.is_dir():
        shutil.rmtree(stage.folder, ignore_errors=True)  # the same files are stored: the staged copy goes
        stage.committed = _artifact(existing, settings, _dataset_taint(store, project_id, dataset_version))
        return stage.committed
    now = time.time()
    full = {
        **manifest,
        "id": artifact_id,
        "kind": stage.kind,
        "workload": workload,
        "dataset_version": dataset_version,
        "run": run_id,
        "code_version": code_version(),
        "created_at": now,
        "files": listed,
    }
    try:
        body = orjson.dumps(full, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    except TypeError as exc:
        raise errors.ValidationError(f"an artifact's manifest must be JSON data: {exc}", field="manifest") from exc
    (stage.folder / MANIFEST).write_bytes(body)
    for p in [*files, stage.folder / MANIFEST]:
        _fsync(p)
    if target.exists():  # a folder no row names (a run killed before its row): replaced
        shutil.rmtree(target)
    os.replace(stage.folder, target)
    _fsync(target.parent)
    size = sum(int(f["bytes"]) for f in listed) + len(body)
    try:
        with store.write() as conn:
            if existing is None:
                conn.execute(
                    sa.insert(schema.artifacts),
                    [
                        {
                            "project_id": project_id,
                            "id": artifact_id,
                            "kind": stage.kind,
                            "workload": workload,
                            "dataset_version": dataset_version,
                            "run_id": run_id,
                            "path": artifact_id,
                            "size_bytes": size,
                            "manifest": orjson.loads(body),
                            "created_at": now,
                        }
                    ],
                )
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    stage.folder = target
    stage.committed = get_artifact(store, project_id, artifact_id, settings=settings)
    return stage.committed


# --- reading -----------------------------------------------------------------------------------------


def _row(store: Store, project_id: str, artifact_id: str) -> Any:
    t = schema.artifacts
    with store.read() as conn:
        return conn.execute(sa.select(t).where(t.c.project_id == project_id, t.c.id == artifact_id)).first()


def _dataset_taint(store: Store, project_id: str, version: str | None) -> str | None:
    if version is None:
        return None
    v = schema.dataset_versions
    with store.read() as conn:
        row = conn.execute(
            sa.select(v.c.tainted_at, v.c.taint_reason).where(v.c.project_id == project_id, v.c.id == version)
        ).first()
    if row is None or row.tainted_at is None:
        return None
    return f"its dataset version {version} is tainted: {row.taint_reason}"


def _artifact(row: Any, settings: Settings | None, dataset_taint: str | None = None) -> Artifact:
    m = row._mapping
    reasons = [r for r in (m["taint_reason"], dataset_taint) if r]
    return Artifact(
        id=m["id"],
        kind=m["kind"],
        workload=m["workload"],
        dataset_version=m["dataset_version"],
        run_id=m["run_id"],
        path=str(root(settings) / m["path"]),
        size_bytes=m["size_bytes"],
        manifest=m["manifest"] or {},
        created_at=m["created_at"],
        tainted=bool(reasons),
        taint_reason="; ".join(reasons) or None,
    )


def get_artifact(store: Store, project_id: str, artifact_id: str, *, settings: Settings | None = None) -> Artifact:
    """One artifact by id (:class:`~flyloop.errors.NotFound` naming ``artifact`` otherwise)."""
    folder_of(artifact_id, settings)  # the id's shape, checked
    row = _row(store, project_id, artifact_id)
    if row is None:
        raise errors.NotFound(f"no artifact {artifact_id!r} in project {project_id!r}", field="artifact")
    return _artifact(row, settings, _dataset_taint(store, project_id, row.dataset_version))


def list_artifacts(
    store: Store,
    project_id: str,
    *,
    workload: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    settings: Settings | None = None,
) -> list[Artifact]:
    """The project's artifacts (of one workload, kind), newest first, at most ``limit``."""
    if not 1 <= limit <= 1000:
        raise errors.ValidationError(f"limit must be between 1 and 1000, got {limit}", field="limit")
    if kind is not None and kind not in PREFIXES:
        raise errors.ValidationError(f"artifact kind must be one of {', '.join(KINDS)}", field="kind")
    t, v = schema.artifacts, schema.dataset_versions
    query = (
        sa.select(t, v.c.tainted_at.label("dataset_tainted_at"), v.c.taint_reason.label("dataset_taint_reason"))
        .select_from(t.outerjoin(v, sa.and_(v.c.project_id == t.c.project_id, v.c.id == t.c.dataset_version)))
        .where(t.c.project_id == project_id)
    )
    if workload is not None:
        query = query.where(t.c.workload == workload)
    if kind is not None:
        query = query.where(t.c.kind == kind)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t.c.created_at.desc(), t.c.id).limit(limit)).all()
    found = []
    for row in rows:
        taint = None
        if row.dataset_tainted_at is not None:
            taint = f"its dataset version {row.dataset_version} is tainted: {row.dataset_taint_reason}"
        found.append(_artifact(row, settings, taint))
    return found


def taint_artifact(
    store: Store, project_id: str, artifact_id: str, reason: str, *, settings: Settings | None = None
) -> Artifact:
    """Mark an artifact as not fit for use, keeping the reason (a person's call: bad data found in
    it, a licence problem). Its files stay, for the record; serving and promotion see the mark."""
    if not isinstance(reason, str) or not reason.strip():
        raise errors.ValidationError("say why the artifact is tainted", field="reason")
    found = get_artifact(store, project_id, artifact_id, settings=settings)
    t = schema.artifacts
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with store.write() as conn:
        old = conn.execute(sa.select(t.c.taint_reason).where(t.c.project_id == project_id, t.c.id == found.id)).scalar()
        text = f"{old}; {stamp} {reason.strip()}" if old else f"{stamp} {reason.strip()}"
        conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == found.id)
            .values(tainted_at=sa.func.coalesce(t.c.tainted_at, time.time()), taint_reason=text)
        )
    return get_artifact(store, project_id, found.id, settings=settings)


def on_erase(
    store: Store, project_id: str, stored_user_id: str | None, interaction_ids: Sequence[str]
) -> dict[str, Any]:
    """Erasure hook: an artifact trained without a dataset version (an embedder fine-tuned on
    interactions directly) lists the interactions it learned from in its manifest; one that learned
    from the erased user's is tainted, as a dataset version would be (a model cannot unlearn).
    Artifacts trained on a dataset version follow its taint. Returns ``{"artifacts": [ids]}``."""
    erased = set(interaction_ids)
    if not erased:
        return {"artifacts": []}
    t = schema.artifacts
    with store.read() as conn:
        rows = conn.execute(
            sa.select(t.c.id, t.c.manifest).where(t.c.project_id == project_id, t.c.dataset_version.is_(None))
        ).all()
    hit = sorted(row.id for row in rows if erased.intersection((row.manifest or {}).get("interactions") or ()))
    if hit:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        reason = f"{stamp} trained on interactions of a user whose data was erased"
        with store.write() as conn:
            for artifact_id in hit:
                old = conn.execute(
                    sa.select(t.c.taint_reason).where(t.c.project_id == project_id, t.c.id == artifact_id)
                ).scalar()
                if old and reason.split(" ", 1)[1] in old:
                    continue  # idempotent: an erasure retried does not stack the same reason
                conn.execute(
                    sa.update(t)
                    .where(t.c.project_id == project_id, t.c.id == artifact_id)
                    .values(
                        tainted_at=sa.func.coalesce(t.c.tainted_at, time.time()),
                        taint_reason=f"{old}; {reason}" if old else reason,
                    )
                )
    return {"artifacts": hit}


def load_manifest(artifact_id: str, settings: Settings | None = None) -> dict[str, Any]:
    """The manifest in an artifact's folder (what a backend reads to load it, with no store)."""
    path = folder_of(artifact_id, settings) / MANIFEST
    if not path.is_file():
        raise errors.NotFound(
            f"artifact {artifact_id} has no folder under {root(settings)} (trained with another FLYLOOP_HOME?)",
            field="artifact",
        )
    loaded: dict[str, Any] = orjson.loads(path.read_bytes())
    return loaded
