"""What every training loop shares: its data (a dataset version's rows of one workload in a
trainer's format, refused when tainted unless forced with a recorded reason, and "not enough data:
N of M" below the loop's floor), where it runs (a GPU when one is present, else the CPU, said so on
the run), and whether it fits in memory (estimated before it starts, refused with the estimate).

Progress and cancellation are the run's (:meth:`flyloop.improve.runs.RunContext.progress` and
:meth:`~flyloop.improve.runs.RunContext.check_cancelled`); the files it makes, the artifacts'
(:mod:`flyloop.improve.artifacts`).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from flyloop import curation, datasets, errors
from flyloop.improve.runs import RunContext
from flyloop.settings import Settings
from flyloop.store import Store, schema

GiB = 1 << 30
TRAIN_SPLITS = ("train", "validation")


@dataclass
class TrainingData:
    """One workload's rows of a dataset version in ``target``'s format, per split, and the stored
    example behind each row (same order: ``id``, ``interaction_id``, ``quality``, ``weight``, ...)."""

    version: datasets.DatasetVersion
    target: str
    rows: dict[str, list[dict[str, Any]]]
    sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)

    def count(self, split: str = "train") -> int:
        return len(self.rows.get(split, []))


def latest_version(store: Store, project_id: str, workload: str, kind: str, split: str = "train") -> str | None:
    """The newest dataset version (tainted or not: the caller decides) holding examples of
    ``kind`` for ``workload`` in ``split``."""
    v, e = schema.dataset_versions, schema.dataset_examples
    has = (
        sa.select(sa.literal(1))
        .where(
            e.c.project_id == project_id,
            e.c.dataset_id == v.c.id,
            e.c.kind == kind,
            e.c.split == split,
            e.c.workload == workload,
        )
        .exists()
    )
    query = sa.select(v.c.id).where(v.c.project_id == project_id, has).order_by(v.c.created_at.desc(), v.c.id).limit(1)
    with store.read() as conn:
        return conn.execute(query).scalar()


def check_taint(ctx: RunContext, version: datasets.DatasetVersion) -> None:
    """Refuse a tainted dataset version unless the run's options say ``force=True`` with a
    ``reason``, which is recorded on the run (``details["forced_taint"]``) and in what it makes."""
    if not version.tainted:
        return
    if not ctx.options.get("force"):
        raise errors.Conflict(
            f"dataset version {version.short_id} is tainted: {version.taint_reason}. Train on a rebuild "
            f"(flyloop datasets rebuild {version.short_id}), or force it with a reason "
            f"(--force --reason '...'; force=True, reason='...')",
            field="dataset",
            dataset=version.id,
        )
    reason = ctx.options.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise errors.ValidationError(
            "training on a tainted dataset version is forced only with a reason, which is recorded", field="reason"
        )
    ctx.details["forced_taint"] = {"dataset": version.id, "taint": version.taint_reason, "reason": reason.strip()}


def training_data(
    ctx: RunContext,
    target: str,
    *,
    need: int,
    splits: tuple[str, ...] = TRAIN_SPLITS,
    kind: str | None = None,
) -> TrainingData:
    """The workload's ``target`` rows (``sft``, ``dpo``, ``kto``, ``fewshot``, ``eval``) of the
    dataset version the run's ``dataset`` option names, else the newest one holding them; at
    least ``need`` in ``train`` (:class:`~flyloop.errors.NotEnoughData` "not enough data: N of M"
    otherwise, before anything trains). Records the version on the run's inputs."""
    kind = kind or datasets.KIND_OF.get(target, target)
    first = "eval" if "eval" in splits else "train"
    ref = ctx.options.get("dataset") or latest_version(ctx.store, ctx.project_id, ctx.workload, kind, first)
    if ref is None:
        raise errors.NotEnoughData(
            f"not enough data: 0 of {need} {kind} examples of workload {ctx.workload!r}; no dataset version "
            f"holds any (build one: flyloop datasets build --workload {ctx.workload})",
            field="dataset",
            have=0,
            need=need,
        )
    version = datasets.get(ctx.store, ctx.project_id, str(ref))
    ctx.inputs["dataset"] = version.id
    check_taint(ctx, version)
    sources: dict[str, list[dict[str, Any]]] = {}
    try:
        _, rows, check = datasets.prepare(
            ctx.store,
            ctx.project_id,
            version.id,
            target,
            splits=list(splits),
            force=True,  # the taint was decided above
            workloads=[ctx.workload],
            sources=sources,
        )
    except errors.NotFound:
        rows, check = {}, {"consent_recheck": {}}
    except errors.Conflict as exc:  # every row excluded at the consent recheck
        raise errors.NotEnoughData(f"not enough data: 0 of {need}; {exc.message}", have=0, need=need) from exc
    data = TrainingData(
        version,
        target,
        rows,
        sources,
        {k: v for k, v in check["consent_recheck"].items() if isinstance(v, int) and v},
    )
    have = data.count(first)
    ctx.inputs["examples"] = {split: len(part) for split, part in rows.items()}
    if have < need:
        raise errors.NotEnoughData(
            f"not enough data: {have} of {need} {kind} examples of workload {ctx.workload!r} in dataset "
            f"version {version.short_id}'s {first} split{_held_back(version)}",
            field="dataset",
            have=have,
            need=need,
            dataset=version.id,
        )
    return data


def _held_back(version: datasets.DatasetVersion) -> str:
    """The labels curation held back from the version (a correction waiting for more evidence, a
    rater not yet vouched for), counted, so that "not enough data" says where more would come from."""
    held = curation.held_back(version.manifest.get("verdicts") or {})
    if not held:
        return ""
    counts = ", ".join(f"{n:,} {v.replace('_', ' ')}" for n, v in held)
    return (
        f"; curation held back {counts}, labels waiting for more evidence or a trusted rater "
        f"(the version's verdicts: flyloop datasets show {version.short_id} --json)"
    )


# --- where it runs, and whether it fits ---------------------------------------------------------------


def device(settings: Settings, ctx: RunContext | None = None) -> str:
    """``cuda`` when the setting allows it and torch sees a GPU, else ``cpu``; said on the run
    (``details["device"]``, and ``details["device_note"]`` when no GPU was found)."""
    wanted = settings.train_device
    if wanted not in ("auto", "cpu", "cuda"):
        raise errors.ConfigError(f"train_device must be auto, cpu or cuda, not {wanted!r}", field="train_device")
    chosen = "cpu"
    note = None
    if wanted != "cpu":
        has_gpu = False
        if importlib.util.find_spec("torch") is not None:
            import torch

            has_gpu = bool(torch.cuda.is_available())
        if has_gpu:
            chosen = "cuda"
        elif wanted == "cuda":
            raise errors.ConfigError("train_device is cuda, but torch sees no GPU here", field="train_device")
        else:
            note = "no GPU found: training runs on the CPU (slower; the defaults are sized for it)"
    threads = settings.torch_threads
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise errors.ConfigError(f"torch_threads is a count of threads (0: torch's choice), not {threads!r}",
                                 field="torch_threads")  # fmt: skip
    # Only where torch is installed: without it there is nothing to cap, and the loop that needs it
    # refuses with its own words rather than an ImportError from here.
    threads = threads if chosen == "cpu" and importlib.util.find_spec("torch") is not None else 0
    if threads:
        import torch

        # Process-wide: torch has one intra-op pool; the last run's setting holds for the next.
        torch.set_num_threads(threads)
    if ctx is not None:
        ctx.details["device"] = chosen
        if note:
            ctx.details["device_note"] = note
        if threads:
            ctx.details["torch_threads"] = threads
    return chosen


def available_memory(device_name: str = "cpu") -> int:
    """Bytes free for a run now: the GPU's free memory, or the machine's available memory (Linux
    ``MemAvailable``, else physical memory), further bounded by a cgroup's limit when one is set."""
    if device_name == "cuda":
        import torch

        free, _total = torch.cuda.mem_get_info()
        return int(free)
    available = None
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if available is None:
        available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path, used_path in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
    ):
        try:
            limit_text = open(path).read().strip()
            used = int(open(used_path).read().strip())
        except (OSError, ValueError):
            continue
        if limit_text.isdigit() and int(limit_text) < (1 << 60):
            available = min(available, max(int(limit_text) - used, 0))
        break
    return int(available)


def check_memory(ctx: RunContext, estimate_bytes: int, what: str, device_name: str = "cpu") -> None:
    """Refuse a run whose ``estimate_bytes`` exceeds ``train_memory_fraction`` of what is free now
    (a :class:`~flyloop.errors.ConfigError` naming ``config``, with the estimate and what is free),
    before it loads anything. The estimate is recorded on the run."""
    free = available_memory(device_name)
    allowed = int(free * ctx.settings.train_memory_fraction)
    ctx.details["memory"] = {
        "estimate_gib": round(estimate_bytes / GiB, 2),
        "available_gib": round(free / GiB, 2),
        "device": device_name,
    }
    if estimate_bytes > allowed:
        raise errors.ConfigError(
            f"{what} needs about {estimate_bytes / GiB:.1f} GiB on {device_name}, but {free / GiB:.1f} GiB is "
            f"free (train_memory_fraction {ctx.settings.train_memory_fraction}: {allowed / GiB:.1f} GiB): "
            f"lower the batch size, max_length or rank",
            field="config",
            estimate_bytes=estimate_bytes,
            available_bytes=free,
        )
