"""``flyloop eval``: run a candidate against production on held-out cases and read the stored
results; ``flyloop golden``: the golden sets people curate; ``flyloop gate``: what a candidate
must show. Each body is a verb of ``fw.evaluations`` or ``fw.golden``, so with
``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flyloop import errors
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle
from flyloop.cli.registry import JsonOpt, fields_table, when
from flyloop.settings import Settings

eval_app = typer.Typer(
    help="Evaluate a candidate against production on held-out cases: run, list, show.", no_args_is_help=True
)
golden_app = typer.Typer(help="Golden sets, cases a person curates: add, list, show, delete.", no_args_is_help=True)
gate_app = typer.Typer(help="The gate a candidate must pass: show, set.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(golden_app, name="golden")
app.add_typer(gate_app, name="gate")


def evaluation_json(evaluation: Any) -> dict[str, Any]:
    return dict(evaluation.model_dump(mode="json"))


def comparison_table(evaluation: Any) -> Table:
    """The comparison as a Rich table: per metric and segment, both versions, the difference and
    its interval (the cells of ``Evaluation.table()``)."""
    from flyloop.evaluate import EVALUATION_COLUMNS

    table = Table(title=f"{evaluation.candidate} vs {evaluation.baseline or '(no baseline)'} on {evaluation.source}")
    for col in EVALUATION_COLUMNS:
        table.add_column(col, justify="left" if col in ("segment", "metric") else "right")
    for cells in evaluation.cells():
        table.add_row(*cells)
    return table


def print_evaluation(evaluation: Any) -> None:
    console.print(
        f"evaluation {evaluation.id}: {evaluation.cases} cases of {evaluation.workload} "
        f"({evaluation.source}{', dataset ' + evaluation.dataset_version[:12] if evaluation.dataset_version else ''}), "
        f"{evaluation.status}"
    )
    if evaluation.rows():
        console.print(comparison_table(evaluation))
    if evaluation.gate is not None:
        console.print(("PASS: " if evaluation.passed else "FAIL: ") + evaluation.summary)
    elif evaluation.status == "failed":
        console.print(f"failed: {evaluation.error}")
    elif evaluation.baseline is None:
        console.print("no production version to compare with: the candidate's own figures, no gate")


@command(eval_app, "run")
def eval_run(
    workload: str,
    candidate: str,
    baseline: str | None = typer.Option(None, help="The version to compare with (default: production)."),
    dataset: str | None = typer.Option(None, help="Dataset version whose eval split to use (default: the newest)."),
    golden: str | None = typer.Option(None, help="A golden set's name, instead of the eval split."),
    metric: list[str] | None = typer.Option(
        None, "--metric", "-m", help="A metric to compute (repeat; default: the workload type's)."
    ),
    judge: str | None = typer.Option(None, help="A policy version that judges pairs of answers (generation)."),
    reward: str | None = typer.Option(None, help="A reward model (rm_...) to score answers with (generation)."),
    margin: float | None = typer.Option(
        None, help="The primary metric must improve by more than this (in its units, 0.02 = 2 points)."
    ),
    segment_key: str | None = typer.Option(
        None, "--segment-key", help="A metadata key to give results per (such as plan)."
    ),
    limit: int | None = typer.Option(None, help="Evaluate the first N cases only."),
    seed: int = typer.Option(0, help="Seed of the bootstrap and the judge's order."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Run a candidate and the production version on the same held-out cases, compare them with
    user-clustered bootstrap intervals, judge them by the gate, store and print the result.
    Exit status 1 when the candidate fails the gate.

    Example: flyloop eval run triage pv_0123456789abcdef --golden hard-cases --margin 0.02
    """
    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    options: dict[str, Any] = {
        "baseline": baseline, "dataset": dataset, "golden": golden, "metrics": metric or None, "judge": judge,
        "reward": reward, "segment_key": segment_key, "limit": limit, "seed": seed, "margin": margin,
    }  # fmt: skip
    options = {k: v for k, v in options.items() if v is not None}
    if as_json or fw.local is None:
        done = fw.evaluations.run(workload, candidate, **options)
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            tasks: dict[str, Any] = {}

            def progress(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=total)
                bar.update(tasks[phase], completed=done, total=total)

            done = fw.evaluations.run(workload, candidate, on_progress=progress, **options)
    if as_json:
        _print_json(evaluation_json(done))
    else:
        print_evaluation(done)
    if done.passed is False:
        raise typer.Exit(1)


@command(eval_app, "list")
def eval_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's evaluations."),
    candidate: str | None = typer.Option(None, help="Only this candidate's evaluations."),
    limit: int = typer.Option(50, help="Most evaluations to list (1 to 1000)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List stored evaluations, newest first: what was compared, on what, the primary metric's
    difference and the verdict.

    Example: flyloop eval list --workload triage
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).evaluations.list(workload, candidate, limit)
    if as_json:
        _print_json([evaluation_json(e) for e in found])
        return
    table = Table(title="evaluations")
    for col in ("id", "workload", "candidate", "baseline", "source", "cases", "status", "verdict", "created"):
        table.add_column(col, overflow="fold")
    for e in found:
        verdict = "" if e.passed is None else ("pass" if e.passed else "fail")
        table.add_row(
            e.id,
            e.workload,
            e.candidate,
            e.baseline or "",
            e.source,
            str(e.cases),
            e.status,
            verdict,
            when(e.created_at),
        )
    console.print(table)


@command(eval_app, "show")
def eval_show(
    evaluation_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show one evaluation: the comparison table (per segment too) and the gate's reasons.

    Example: flyloop eval show ev_0123456789abcdef
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).evaluations.get(evaluation_id)
    if as_json:
        _print_json(evaluation_json(found))
        return
    print_evaluation(found)


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a JSONL file, one object a line (blank lines skipped); a bad line is refused
    naming it."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise errors.ValidationError(f"cannot read {path}: {exc.strerror}", field="file") from None
    cases = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            cases.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            raise errors.ValidationError(f"{path} line {n} is not JSON", field=f"file:{n}") from None
    return cases


@command(golden_app, "add")
def golden_add(
    name: str,
    workload: str,
    file: Path,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Add the cases of a JSONL file ({"input", "expected"?, "id"?, "user_id"?, "metadata"?} a
    line) to a golden set of a workload; a case given again by id replaces the stored one.

    Example: flyloop golden add hard-cases triage cases.jsonl
    """
    settings = Settings(project=project, database_url=database_url)
    count = handle(settings).golden.add(name, workload, read_cases(file))
    if as_json:
        _print_json({"name": name, "workload": workload, "cases": count})
        return
    console.print(f"golden set {name} of {workload}: {count} cases")


@command(golden_app, "list")
def golden_list(
    workload: str | None = typer.Option(None, "--workload", "-w", help="Only this workload's golden sets."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the golden sets: workload, cases, how many have an expected answer.

    Example: flyloop golden list --workload triage
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).golden.list(workload)
    if as_json:
        _print_json(found)
        return
    table = Table(title="golden sets")
    for col in ("name", "workload", "cases", "labelled", "updated"):
        table.add_column(col)
    for g in found:
        table.add_row(g["name"], g["workload"], str(g["cases"]), str(g["labelled"]), when(g["updated_at"]))
    console.print(table)


@command(golden_app, "show")
def golden_show(
    name: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt
) -> None:
    """Show a golden set's cases.

    Example: flyloop golden show hard-cases
    """
    settings = Settings(project=project, database_url=database_url)
    cases = handle(settings).golden.get(name)
    if as_json:
        _print_json(cases)
        return
    table = Table(title=f"golden set {name} ({cases[0]['workload']})")
    for col in ("id", "input", "expected", "user"):
        table.add_column(col, overflow="fold")
    for c in cases:
        shown = c["input"] if isinstance(c["input"], str) else orjson.dumps(c["input"]).decode()
        table.add_row(c["id"], shown, c["expected"] or "", c["user_id"] or "")
    console.print(table)


@command(golden_app, "delete")
def golden_delete(name: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Delete a golden set.

    Example: flyloop golden delete hard-cases
    """
    settings = Settings(project=project, database_url=database_url)
    gone = handle(settings).golden.delete(name)
    console.print(f"deleted golden set {name} ({gone} cases)")


@command(gate_app, "show")
def gate_show(project: str | None = ProjectOpt, database_url: str | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Show the project's gate (or say that each workload type's default applies).

    Example: flyloop gate show
    """
    settings = Settings(project=project, database_url=database_url)
    found = handle(settings).evaluations.gate()
    if as_json:
        _print_json(found)
        return
    if found["gate"] is None:
        console.print(DEFAULTS_TEXT)
        return
    console.print(fields_table("gate", list(found["gate"].items())))


DEFAULTS_TEXT = (
    "no gate set: choice workloads need accuracy up, generation exact match (or the first measured of "
    "correction similarity, reward, judge), with guardrails on macro-F1 or refusals and length, p95 latency and cost"
)


def parse_guardrail(text: str) -> dict[str, Any]:
    """``metric:bound:low:high`` (an empty side is unbounded): ``latency_p95:ratio::1.2``."""
    parts = text.split(":")
    if len(parts) != 4:
        raise errors.ValidationError(
            f"a guardrail is metric:bound:low:high (latency_p95:ratio::1.2), not {text!r}", field="guardrail"
        )
    try:
        low, high = (float(p) if p else None for p in parts[2:])
    except ValueError:
        raise errors.ValidationError(f"a guardrail's bounds are numbers: {text!r}", field="guardrail") from None
    return {"metric": parts[0], "bound": parts[1], "low": low, "high": high}


@command(gate_app, "set")
def gate_set(
    primary: str | None = typer.Option(None, help="The metric that must improve (accuracy, exact_match, ...)."),
    margin: float = typer.Option(0.0, help="By more than this, in its units (0.02 = 2 points)."),
    guardrail: list[str] | None = typer.Option(None, help="metric:bound:low:high, bound ratio or difference (repeat)."),
    min_clusters: int = typer.Option(10, help="Users the primary metric's interval must rest on."),
    min_segment_cases: int = typer.Option(30, help="Cases a segment needs to be judged."),
    segment_band: str = typer.Option(
        "0.8,1.25", help="Each segment's ratio to production within low,high ('' for none)."
    ),
    reset: bool = typer.Option(False, "--reset", help="Forget the gate: each workload type's default applies."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Set the project's gate: the primary metric and margin, the guardrails, the segment band.

    Example: flyloop gate set --primary accuracy --margin 0.02 --guardrail latency_p95:ratio::1.2
    """
    settings = Settings(project=project, database_url=database_url)
    if reset:
        found = handle(settings).evaluations.set_gate(None)
    else:
        if primary is None:
            raise errors.ValidationError("name the primary metric (--primary), or --reset", field="primary")
        try:
            band = [float(v) for v in segment_band.split(",")] if segment_band else None
        except ValueError:
            raise errors.ValidationError("segment_band is low,high such as 0.8,1.25", field="segment_band") from None
        config = {
            "primary": primary, "margin": margin, "guardrails": [parse_guardrail(g) for g in guardrail or ()],
            "min_clusters": min_clusters, "min_segment_cases": min_segment_cases, "segment_band": band,
        }  # fmt: skip
        found = handle(settings).evaluations.set_gate(config)
    if as_json:
        _print_json(found)
        return
    console.print(
        "gate reset: the defaults apply" if found["gate"] is None else fields_table("gate", list(found["gate"].items()))
    )
