"""Exports: a dataset version in exactly the row formats its consumers read, as JSONL or Parquet.

Targets (TRL's ``dataset_formats`` and OpenAI's fine-tuning formats; no extra columns unless
asked for, so a trainer can load the files as they are):

=============  ==========================================================================
``sft``        ``{"prompt", "completion"}`` (default) or ``{"messages"}`` (``sft_format``)
``dpo``        ``{"prompt", "chosen", "rejected"}``
``kto``        ``{"prompt", "completion", "label"}`` (label is a boolean)
``openai``     ``{"messages": [{"role", "content"}, ...]}`` (chat fine-tuning JSONL)
``openai-dpo`` ``{"input": {"messages"}, "preferred_output", "non_preferred_output"}``
``fewshot``    ``{"workload", "input", "output", "interaction_id", "quality"}``
``eval``       ``{"id", "workload", "prompt", "reference", "rejected", "verdict", ...}``
=============  ==========================================================================

Prompts that are chat messages make the export conversational (TRL's conversational format:
``prompt`` a list of messages, completions ``[{"role": "assistant", ...}]``); ``style`` forces
one or the other. Training targets write ``<target>-train`` and ``<target>-validation`` files;
the held-out split is reserved for ``eval`` and refused to training targets, so evaluation data
cannot leak into training by accident. Each export writes a manifest beside its files: the
version's manifest, the full lists of source interaction and signal ids, and the export check.

**Where files go** (``out``):

* a folder (an existing directory, or a path without a ``.jsonl``/``.parquet`` suffix): one file
  per split, ``<target>-<split>.<format>``, and the target's own ``<target>.manifest.json``, so
  several targets exported into one folder never overwrite each other's manifest;
* a file (a path ending in ``.jsonl`` or ``.parquet``; the suffix is the format): that one file,
  holding one split (the target's first, ``train`` or ``eval``, unless ``splits`` names one),
  and ``<name>.manifest.json`` beside it;
* a file that is already there is an error naming it, before anything is written, unless
  ``overwrite=True`` (``--overwrite``).

**One vocabulary.** A dataset's kinds are ``sft``, ``preference``, ``kto``, ``fewshot`` and
``eval``; the targets above are formats of them (``dpo`` and ``openai-dpo`` of ``preference``,
``openai`` of ``sft``). ``dpo`` is accepted wherever a kind is asked for, and ``preference``
wherever a target is, each meaning the other.

**Consent is checked again at export.** Rows whose user's consent no longer allows training, or
whose source interaction is gone (erased, expired), are left out and counted in the export's
manifest; the export is refused only if nothing is left. A tainted version is refused, with the
taint's reason, unless ``force=True`` (its erased rows were already purged when it was tainted).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
import sqlalchemy as sa

from flyloop import errors
from flyloop.datasets import catalog as datasets
from flyloop.datasets.export_files import record_export
from flyloop.extras import require
from flyloop.store import Store, schema

TARGETS = ("sft", "dpo", "kto", "openai", "openai-dpo", "fewshot", "eval")
KIND_OF = {
    "sft": "sft",
    "dpo": "preference",
    "kto": "kto",
    "openai": "sft",
    "openai-dpo": "preference",
    "fewshot": "fewshot",
    "eval": "eval",
}
TARGET_ALIASES = {"preference": "dpo"}  # the kind's name, for its default target
SUFFIXES = {".jsonl": "jsonl", ".parquet": "parquet"}
Style = Literal["auto", "standard", "conversational"]
_CHUNK = 900


@dataclass
class ExportResult:
    version_id: str
    target: str
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    manifest: str = ""
    forced_taint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "target": self.target,
            "files": self.files,
            "rows": self.rows,
            "excluded": self.excluded,
            "manifest": self.manifest,
            "forced_taint": self.forced_taint,
        }


def _messages(prompt: Any) -> list[dict[str, str]]:
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    return [{"role": m["role"], "content": m["content"]} for m in prompt]


def _standard(prompt: Any) -> str:
    if isinstance(prompt, str):
        return prompt
    if len(prompt) == 1 and prompt[0].get("role") == "user":
        return prompt[0]["content"]
    raise errors.ValidationError(
        "a chat prompt of several messages has no standard (plain text) form; use style='conversational'", field="style"
    )


def _assistant(text: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": text}]


def format_row(
    target: str,
    ex: dict[str, Any],
    *,
    conversational: bool,
    sft_format: str = "prompt_completion",
    system: str | None = None,
) -> dict[str, Any]:
    """One stored example as a row of ``target``'s format."""
    prompt = ex["prompt"]
    system_messages = [{"role": "system", "content": system}] if system else []
    if target == "openai":
        return {"messages": system_messages + _messages(prompt) + _assistant(ex["completion"])}
    if target == "openai-dpo":
        return {
            "input": {"messages": system_messages + _messages(prompt)},
            "preferred_output": _assistant(ex["chosen"]),
            "non_preferred_output": _assistant(ex["rejected"]),
        }
    if target == "fewshot":
        return {
            "workload": ex["workload"],
            "input": prompt if conversational else _standard(prompt),
            "output": ex["completion"],
            "interaction_id": ex["interaction_id"],
            "quality": ex["quality"],
        }
    if target == "eval":
        return {
            "id": ex["id"],
            "workload": ex["workload"],
            "prompt": _messages(prompt) if conversational else _standard(prompt),
            "reference": ex["completion"],
            "rejected": ex["rejected"],
            "verdict": ex["source"],
            "segment": ex["segment"],
            "interaction_id": ex["interaction_id"],
            "ts": ex["ts"],
        }
    p: Any = system_messages + _messages(prompt) if conversational else _standard(prompt)
    side = _assistant if conversational else (lambda text: text)
    if target == "sft":
        if sft_format == "messages":
            return {"messages": system_messages + _messages(prompt) + _assistant(ex["completion"])}
        return {"prompt": p, "completion": side(ex["completion"])}
    if target == "dpo":
        return {"prompt": p, "chosen": side(ex["chosen"]), "rejected": side(ex["rejected"])}
    if target == "kto":
        return {"prompt": p, "completion": side(ex["completion"]), "label": bool(ex["label"])}
    raise errors.ValidationError(f"unknown export target {target!r}; one of {', '.join(TARGETS)}", field="target")


def _recheck(
    store: Store, project_id: str, version_id: str, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Rows still usable now: source interactions still stored, users' consent still allowing
    training (the privacy stage's rule, :func:`flyloop.privacy.consent.training_consent`, asked
    afresh; the rows' recorded consent was checked at the build and does not change)."""
    from flyloop.privacy import training_consent

    m, i = schema.dataset_members, schema.interactions
    with store.read() as conn:
        members = list(
            conn.execute(
                sa.select(m.c.interaction_id).where(m.c.project_id == project_id, m.c.dataset_id == version_id)
            ).scalars()
        )
        present: set[str] = set()
        for start in range(0, len(members), _CHUNK):
            present.update(
                conn.execute(
                    sa.select(i.c.id).where(i.c.project_id == project_id, i.c.id.in_(members[start : start + _CHUNK]))
                ).scalars()
            )
    users = {r["user_id"] for r in rows if r["user_id"] is not None}
    consent = training_consent(store, project_id, users)
    kept, excluded = [], {"consent_withdrawn": 0, "source_gone": 0}
    for row in rows:
        user = row["user_id"]
        if not consent.user_allows(user):
            excluded["consent_withdrawn"] += 1
        elif any(iid not in present for iid in row["interaction_ids"] or (row["interaction_id"],)):
            excluded["source_gone"] += 1
        else:
            kept.append(row)
    return kept, excluded


def prepare(
    store: Store,
    project_id: str,
    ref: str,
    target: str,
    *,
    splits: Sequence[str] | None = None,
    style: Style = "auto",
    sft_format: str = "prompt_completion",
    system: str | None = None,
    weights: bool = False,
    force: bool = False,
    workloads: Sequence[str] | None = None,
    sources: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[datasets.DatasetVersion, dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The rows of one target, per split, after the taint and consent checks, and what the
    export check found; :func:`export` writes them, the API streams them. ``workloads``: only
    those workloads' rows (the training loops train one workload). ``sources``: filled with the
    stored example behind each row, per split, in the same order (ids, interaction, quality,
    weight, segment: what a trainer records and weighs by)."""
    target = TARGET_ALIASES.get(target, target)
    if target not in TARGETS:
        raise errors.ValidationError(f"unknown export target {target!r}; one of {', '.join(TARGETS)}", field="target")
    if style not in ("auto", "standard", "conversational"):
        raise errors.ValidationError(f"style must be auto, standard or conversational, not {style!r}", field="style")
    if sft_format not in ("prompt_completion", "messages"):
        raise errors.ValidationError(
            f"sft_format must be prompt_completion or messages, not {sft_format!r}", field="sft_format"
        )
    default = {"fewshot": ["train"], "eval": ["eval"]}.get(target, ["train", "validation"])
    chosen = list(dict.fromkeys(splits)) if splits else default
    bad = sorted(set(chosen) - {"train", "validation", "eval"})
    if bad:
        raise errors.ValidationError(
            f"unknown splits {', '.join(bad)}; splits are train, validation and eval", field="splits"
        )
    if target != "eval" and "eval" in chosen:
        raise errors.ValidationError(
            "the held-out eval split is reserved for evaluation; export it with the eval target", field="splits"
        )
    version = datasets.get(store, project_id, ref)
    if version.tainted and not force:
        raise errors.Conflict(
            f"dataset version {version.short_id} is tainted: {version.taint_reason}. "
            f"Rebuild it (flyloop datasets rebuild {version.short_id}) or export with --force"
        )
    rows = datasets.examples(store, project_id, version.id, KIND_OF[target], chosen)
    if workloads is not None:
        wanted = set(workloads)
        rows = [r for r in rows if r["workload"] in wanted]
    total = len(rows)
    rows, excluded = _recheck(store, project_id, version.id, rows)
    if not rows:
        if total == 0:
            raise errors.NotFound(
                f"dataset version {version.short_id} has no {KIND_OF[target]} examples in "
                f"{', '.join(chosen)} (counts: {version.counts.get(KIND_OF[target], {})})"
            )
        raise errors.Conflict(
            f"nothing left to export: all {total} rows were excluded at export "
            f"({', '.join(f'{n} {k}' for k, n in excluded.items() if n)})"
        )
    conversational = style == "conversational" or (
        style == "auto" and any(not isinstance(r["prompt"], str) for r in rows)
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for split in chosen:
        part = [r for r in rows if r["split"] == split]
        if not part:
            continue
        formatted = [
            format_row(target, r, conversational=conversational, sft_format=sft_format, system=system) for r in part
        ]
        if weights:
            for row, src in zip(formatted, part):
                row["weight"] = src["weight"]
        out[split] = formatted
        if sources is not None:
            sources[split] = part
    check = {
        "target": target,
        "splits": chosen,
        "style": "conversational" if conversational else "standard",
        "exported_at": time.time(),
        "forced": bool(version.tainted and force),
        "consent_recheck": {
            "rule": "rows whose user's consent no longer allows training, or whose source "
            "interaction is gone, are left out",
            **excluded,
        },
    }
    return version, out, check


def export(
    store: Store,
    project_id: str,
    ref: str,
    target: str,
    out: str | Path,
    *,
    fmt: str | None = None,
    splits: Sequence[str] | None = None,
    style: Style = "auto",
    sft_format: str = "prompt_completion",
    system: str | None = None,
    weights: bool = False,
    force: bool = False,
    overwrite: bool = False,
) -> ExportResult:
    """Write one target of a dataset version to ``out`` (a folder or a file; see the module
    docstring). ``fmt``: jsonl (default) or parquet; a file's suffix sets it."""
    target = TARGET_ALIASES.get(target, target)
    path, as_file, fmt, splits = plan_out(out, target, fmt, splits)
    version, parts, check = prepare(
        store,
        project_id,
        ref,
        target,
        splits=splits,
        style=style,
        sft_format=sft_format,
        system=system,
        weights=weights,
        force=force,
    )
    result = write_files(
        path,
        as_file,
        target,
        fmt,
        parts,
        version,
        check,
        lambda: datasets.lineage(store, project_id, version.id),
        overwrite=overwrite,
    )
    # Recorded, so that erasing a user later rewrites these copies too.
    record_export(
        store,
        project_id,
        version.id,
        result,
        fmt=fmt,
        style=check["style"],
        sft_format=sft_format,
        system=system,
        weights=weights,
    )
    return result


def plan_out(
    out: str | Path, target: str, fmt: str | None, splits: Sequence[str] | None
) -> tuple[Path, bool, str, list[str] | None]:
    """Where an export goes, checked before any work: ``(path, as_file, format, splits)``. ``out`` is
    a folder, or one ``.jsonl``/``.parquet`` file (whose suffix sets the format) holding one split
    (the train split unless ``splits`` names another). The SDK's export through a server plans
    its files here too, so both write the same files."""
    if isinstance(splits, str):  # one split named on its own, not its letters
        splits = [splits]
    if fmt is not None and fmt not in ("jsonl", "parquet"):
        raise errors.ValidationError(f"format must be jsonl or parquet, not {fmt!r}", field="format")
    path = Path(out)
    as_file = path.suffix in SUFFIXES and not path.is_dir()
    if as_file:
        if fmt is not None and fmt != SUFFIXES[path.suffix]:
            raise errors.ValidationError(
                f"{path.name} is a {SUFFIXES[path.suffix]} file but the format asked for is {fmt}", field="format"
            )
        fmt = SUFFIXES[path.suffix]
        if splits and len(set(splits)) > 1:
            raise errors.ValidationError(
                f"{path.name} is one file and holds one split, not {len(set(splits))}; "
                f"name one split, or give a folder for several",
                field="splits",
            )
        splits = list(splits) if splits else [{"eval": "eval"}.get(target, "train")]
    elif path.exists() and not path.is_dir():
        raise errors.ValidationError(
            f"{path} is a file without a .jsonl or .parquet suffix; give a folder or a data file", field="out"
        )
    return path, as_file, fmt or "jsonl", list(splits) if splits else None


def write_files(
    path: Path,
    as_file: bool,
    target: str,
    fmt: str,
    parts: dict[str, list[dict[str, Any]]],
    version: datasets.DatasetVersion,
    check: dict[str, Any],
    lineage: Callable[[], dict[str, Any]],
    *,
    overwrite: bool,
) -> ExportResult:
    """Write the rows of each split and the manifest where :func:`plan_out` said, each file whole
    or not at all; a file already there is a Conflict unless ``overwrite``. ``lineage`` is read
    only once the files may be written."""
    if as_file:
        targets = {split: path for split in parts}
        manifest_path = path.with_name(path.stem + ".manifest.json")
    else:
        targets = {split: path / f"{target}-{split}.{fmt}" for split in parts}
        manifest_path = path / f"{target}.manifest.json"
    existing = [str(p) for p in [*targets.values(), manifest_path] if p.exists()]
    if existing and not overwrite:
        raise errors.Conflict(
            f"{existing[0]} already exists{f' (and {len(existing) - 1} more)' if len(existing) > 1 else ''}; "
            f"export elsewhere or pass --overwrite"
        )
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    excluded = {k: v for k, v in check["consent_recheck"].items() if k != "rule"}
    result = ExportResult(
        version.id, target, excluded=excluded, forced_taint=version.taint_reason if version.tainted else None
    )
    for split, rows in parts.items():
        _write(targets[split], rows, fmt)
        result.files.append(str(targets[split]))
        result.rows[split] = len(rows)
    manifest = {
        **version.manifest,
        "tainted": version.tainted,
        "taint_reason": version.taint_reason,
        "export": {**check, "format": fmt, "rows": result.rows, "files": [Path(f).name for f in result.files]},
        "lineage": lineage(),
    }
    manifest_path.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    result.manifest = str(manifest_path)
    return result


def serialize(parts: dict[str, list[dict[str, Any]]], fmt: str) -> bytes:
    """Rows of several splits as one body, each row with a ``split`` column: what the API sends."""
    rows = [{**row, "split": split} for split, part in parts.items() for row in part]
    if fmt == "jsonl":
        return b"".join(orjson.dumps(row) + b"\n" for row in rows)
    import io

    pa = require("pyarrow", "exports", "Parquet")
    pq = require("pyarrow.parquet", "exports", "Parquet")

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer)
    return buffer.getvalue()


def _write(path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    if fmt == "jsonl":
        with tmp.open("wb") as fh:
            for row in rows:
                fh.write(orjson.dumps(row))
                fh.write(b"\n")
    else:
        pa = require("pyarrow", "exports", "Parquet")
        pq = require("pyarrow.parquet", "exports", "Parquet")

        pq.write_table(pa.Table.from_pylist(rows), tmp)
    tmp.replace(path)  # a reader never sees half a file
