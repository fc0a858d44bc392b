"""What the training loops share (flyloop.improve.training): their data (one workload's rows,
"not enough data: N of M", a tainted version refused unless forced with a recorded reason), where
they run and whether they fit in memory."""

from __future__ import annotations

from typing import Any

import pytest
from test_loops import P, math_project, settings_for

from flyloop import datasets, errors
from flyloop.capture import Capture
from flyloop.improve.runs import RunContext
from flyloop.improve.training import GiB, available_memory, check_memory, device, training_data
from flyloop.settings import Settings


def _ctx(capture: Capture, settings: Settings | None = None, **options: Any) -> RunContext:
    return RunContext("", capture.store, P, "math", settings or capture.settings, options)


def test_training_data_is_one_workloads_rows_in_the_trainers_format(capture: Capture) -> None:
    dataset, _ = math_project(capture)
    ctx = _ctx(capture)
    data = training_data(ctx, "dpo", need=1)
    counts = datasets.get(capture.store, P, dataset).counts["preference"]
    assert data.version.id == dataset and ctx.inputs == {"dataset": dataset, "examples": {"train": data.count()}}
    assert data.count() == counts["train"] and "eval" not in data.rows
    row, source = data.rows["train"][0], data.sources["train"][0]
    assert sorted(row) == ["chosen", "prompt", "rejected"] and source["workload"] == "math"
    assert (row["chosen"], row["rejected"]) == (source["chosen"], source["rejected"])
    # The held-out split is there for evaluation, asked for by name.
    held = training_data(_ctx(capture), "eval", need=0, splits=("eval",))
    assert held.count("eval") == datasets.get(capture.store, P, dataset).counts["eval"]["eval"]
    assert list(held.rows) == ["eval"] and sorted(held.rows["eval"][0])[:3] == ["id", "interaction_id", "prompt"]


def test_too_little_data_is_refused_with_n_of_m(capture: Capture) -> None:
    dataset, _ = math_project(capture)
    have = training_data(_ctx(capture), "sft", need=1).count()
    with pytest.raises(errors.NotEnoughData) as caught:
        training_data(_ctx(capture), "sft", need=500)
    assert caught.value.message == (
        f"not enough data: {have} of 500 sft examples of workload 'math' in dataset version "
        f"{dataset[:12]}'s train split; curation held back 10 low confidence, labels waiting for more evidence "
        f"or a trusted rater (the version's verdicts: flyloop datasets show {dataset[:12]} --json)"
    )
    assert caught.value.details == {"have": have, "need": 500, "dataset": dataset}
    ctx = RunContext("", capture.store, P, "other", capture.settings, {})
    with pytest.raises(errors.NotEnoughData) as none:
        training_data(ctx, "kto", need=5)
    # The command it names runs as written (it said `datasets build NAME`, which takes no NAME).
    assert none.value.message == (
        "not enough data: 0 of 5 kto examples of workload 'other'; no dataset version holds any "
        "(build one: flyloop datasets build --workload other)"
    )


def test_a_tainted_version_is_refused_unless_forced_with_a_reason(capture: Capture) -> None:
    dataset, _ = math_project(capture)
    datasets.taint(capture.store, P, dataset, "user3 asked for erasure")
    with pytest.raises(errors.Conflict) as refused:
        training_data(_ctx(capture), "sft", need=1)
    assert refused.value.field == "dataset" and "is tainted: " in refused.value.message
    assert "force it with a reason" in refused.value.message
    with pytest.raises(errors.ValidationError) as no_reason:
        training_data(_ctx(capture, force=True), "sft", need=1)
    assert no_reason.value.field == "reason"
    ctx = _ctx(capture, force=True, reason="  the erased rows were purged; audit ticket 42 ")
    training_data(ctx, "sft", need=1)
    forced = ctx.details["forced_taint"]
    assert (forced["dataset"], forced["reason"]) == (dataset, "the erased rows were purged; audit ticket 42")
    assert forced["taint"].endswith("user3 asked for erasure")


def test_training_runs_on_the_cpu_here_and_says_so(capture: Capture) -> None:
    ctx = _ctx(capture)
    assert device(capture.settings, ctx) == "cpu"
    assert ctx.details == {
        "device": "cpu",
        "device_note": "no GPU found: training runs on the CPU (slower; the defaults are sized for it)",
    }
    pinned = _ctx(capture)
    assert device(settings_for(capture, train_device="cpu"), pinned) == "cpu" and pinned.details == {"device": "cpu"}
    with pytest.raises(errors.ConfigError) as no_gpu:
        device(settings_for(capture, train_device="cuda"))
    assert (no_gpu.value.field, no_gpu.value.message) == (
        "train_device",
        "train_device is cuda, but torch sees no GPU here",
    )
    with pytest.raises(errors.ConfigError):
        device(settings_for(capture, train_device="tpu"))


def test_torch_threads_caps_the_cpu_threads_and_the_run_says_so(capture: Capture) -> None:
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    try:
        ctx = _ctx(capture)
        assert device(settings_for(capture, train_device="cpu", torch_threads=1), ctx) == "cpu"
        assert (torch.get_num_threads(), ctx.details) == (1, {"device": "cpu", "torch_threads": 1})
    finally:
        torch.set_num_threads(before)
    with pytest.raises(errors.ConfigError) as bad:
        device(settings_for(capture, train_device="cpu", torch_threads=-2))
    assert bad.value.field == "torch_threads"


def test_torch_threads_without_torch_installed_caps_nothing(capture: Capture, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    ctx = _ctx(capture)
    assert device(settings_for(capture, train_device="cpu", torch_threads=1), ctx) == "cpu"
    assert ctx.details == {"device": "cpu"}


def test_a_run_that_cannot_fit_in_memory_is_refused_with_the_estimate(capture: Capture) -> None:
    free = available_memory()
    assert free > 0
    fits = _ctx(capture)
    check_memory(fits, GiB // 100, "a small run")
    assert fits.details["memory"]["estimate_gib"] == 0.01
    ctx = _ctx(capture)
    with pytest.raises(errors.ConfigError) as caught:
        check_memory(ctx, 10_000 * GiB, "LoRA SFT of smollm2")
    assert caught.value.field == "config"
    assert caught.value.message.startswith("LoRA SFT of smollm2 needs about 10000.0 GiB on cpu, but ")
    assert caught.value.details["estimate_bytes"] == 10_000 * GiB
    assert ctx.details["memory"]["estimate_gib"] == 10_000.0
