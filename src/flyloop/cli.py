"""The ``flyloop`` command. Each command body is one library call of the same name.

Errors print as one line (``error: ...``) with exit status 2; ``--help`` on every command shows
an example, and ``tests/test_cli.py`` fails if a command lacks one.
"""

from __future__ import annotations

import functools
import sys
import tomllib
from typing import Any, Callable, Optional

import orjson
import typer
from rich.console import Console
from rich.table import Table

from . import errors
from .settings import Settings

app = typer.Typer(help="flyloop: the data flywheel for AI products.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
labels_app = typer.Typer(help="Labels: one verdict per interaction from its signals.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")
users_app = typer.Typer(help="End users: consent and erasure, by the app's own user id.", no_args_is_help=True)
app.add_typer(users_app, name="users")
privacy_app = typer.Typer(help="Privacy policy (consent default, redaction, allow-lists, retention) and project keys.",
                          no_args_is_help=True)
app.add_typer(privacy_app, name="privacy")
retention_app = typer.Typer(help="Retention: remove content and events older than the policy allows.", no_args_is_help=True)
app.add_typer(retention_app, name="retention")

console = Console()
err_console = Console(stderr=True)


def one_line_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a flyloop error as one line and exit 2, instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except errors.FlyloopError as exc:
            err_console.print(f"[red]error:[/red] {exc}", highlight=False, markup=True)
            raise typer.Exit(2) from None

    return wrapper


def command(target: typer.Typer, name: str | None = None):
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        return target.command(name)(one_line_errors(fn))

    return register


def _store(settings: Settings):
    from .store import Store

    return Store(settings.database_url, synchronous=settings.sqlite_synchronous)


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


ProjectOpt = typer.Option(None, "--project", "-p", help="Project (default: FLYLOOP_PROJECT or 'default').")
DbOpt = typer.Option(None, "--database-url", help="Store URL (default: FLYLOOP_DATABASE_URL or a SQLite file in FLYLOOP_HOME).")


@command(app)
def serve(host: Optional[str] = typer.Option(None, help="Address to bind."),
          port: Optional[int] = typer.Option(None, help="Port to bind."),
          database_url: Optional[str] = DbOpt) -> None:
    """Run the HTTP API.

    Example: flyloop serve --port 8000
    """
    from .server import serve as run_server

    run_server(Settings(host=host, port=port, database_url=database_url))


@command(app)
def demo(interactions: int = typer.Option(3000, help="Interactions the simulated app logs."),
         users: int = typer.Option(200, help="Simulated users."),
         seed: int = typer.Option(7, help="Seed; the same seed gives the same run."),
         database_url: Optional[str] = DbOpt) -> None:
    """Simulate an AI app and its users logging through the SDK, then show what was captured.

    Example: flyloop demo --interactions 3000 --seed 7
    """
    from .demo import run

    run(Settings(database_url=database_url), interactions=interactions, users=users, seed=seed, console=console)


@command(app)
def status(project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
           as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts, the newest event, and signals whose interaction never arrived.

    Example: flyloop status --project default
    """
    settings = Settings(project=project, database_url=database_url)
    report = _store(settings).status(settings.project, orphan_window_s=settings.orphan_window_s)
    if as_json:
        _print_json(report)
        return
    from datetime import datetime, timezone

    table = Table(title=f"flyloop status: project {report['project']}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in report["counts"].items():
        table.add_row(name, f"{count:,}")
    for name, count in report["workloads"].items():
        table.add_row(f"  workload {name}", f"{count:,}")
    for name, count in report["signal_kinds"].items():
        table.add_row(f"  signal {name}", f"{count:,}")
    table.add_row("signals waiting for their interaction", f"{report['waiting_signals']:,}")
    table.add_row("signals orphaned (past the window)", f"{report['orphaned_signals']:,}")
    console.print(table)
    last = report["last_event_at"]
    console.print("last event: " + (datetime.fromtimestamp(last, timezone.utc).isoformat(timespec="seconds") if last else "none"))
    for item in report["orphaned_examples"][:5]:
        console.print(f"  orphaned signal {item['signal_id']} names missing interaction {item['interaction_id']}")


@command(app)
def config() -> None:
    """Print the settings in force, and where each value came from.

    Example: FLYLOOP_PORT=9000 flyloop config
    """
    table = Table(title="flyloop settings")
    for col in ("name", "value", "from", "help"):
        table.add_column(col, overflow="fold")
    for row in Settings().rows():
        table.add_row(*row)
    console.print(table)


@command(keys_app, "create")
def keys_create(scopes: list[str] = typer.Option(["ingest"], "--scope", "-s", help="ingest, read or admin; repeat for several."),
                name: str = typer.Option("", help="A name to recognise the key by."),
                project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Create an API key and print its secret, once.

    Example: flyloop keys create --scope ingest --scope read --name web-app
    """
    settings = Settings(project=project, database_url=database_url)
    store = _store(settings)
    key, secret = store.create_key(settings.project, scopes, name)
    from .audit import cli_actor, record

    record(store, settings.project, "keys.create", actor=cli_actor(), target=key.id, details={"scopes": sorted(key.scopes)})
    console.print(f"key {key.id} for project {key.project_id}, scopes {', '.join(sorted(key.scopes))}")
    console.print("secret (shown once, store it now):")
    sys.stdout.write(secret + "\n")


@command(keys_app, "list")
def keys_list(project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """List the project's keys (never their secrets).

    Example: flyloop keys list
    """
    settings = Settings(project=project, database_url=database_url)
    table = Table(title=f"keys of project {settings.project}")
    for col in ("id", "name", "scopes", "revoked"):
        table.add_column(col)
    for row in _store(settings).list_keys(settings.project):
        table.add_row(row["id"], row["name"], row["scopes"], "yes" if row["revoked_at"] else "")
    console.print(table)


@command(keys_app, "revoke")
def keys_revoke(key_id: str, project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Revoke a key; requests with it fail from now on.

    Example: flyloop keys revoke 3f2a9c01b7e4
    """
    settings = Settings(project=project, database_url=database_url)
    store = _store(settings)
    store.revoke_key(settings.project, key_id)
    from .audit import cli_actor, record

    record(store, settings.project, "keys.revoke", actor=cli_actor(), target=key_id)
    console.print(f"revoked {key_id}")


@command(labels_app, "show")
def labels_show(interaction_id: str, project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
                as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show one interaction's label, the signals that decided it, and any left out with why.

    Example: flyloop labels show sim-i-00000042
    """
    from . import labels

    settings = Settings(project=project, database_url=database_url)
    found = labels.explain(_store(settings), settings.project, interaction_id, settings=settings)
    if as_json:
        _print_json(found)
        return
    console.print(f"[bold]{found['interaction_id']}[/bold] ({found['workload']}): [bold]{found['verdict']}[/bold] "
                  f"confidence {found['confidence']:.2f}, score {found['score']:+.2f}")
    if found["edit"]:
        edit = found["edit"]
        console.print(f"edit: {edit['edit_class']}, {edit['char_distance']} characters / {edit['token_distance']} tokens changed, "
                      f"similarity {edit['similarity']:.2f}", highlight=False)
        console.print(f"  {edit['diff']}", highlight=False, markup=False)
    table = Table(title="signals")
    for col in ("kind", "source", "weight", "evidence", "counted", "note"):
        table.add_column(col)
    for sig in found["signals"]:
        note = sig["excluded"] or (f"caused by {sig['caused_by']}" if sig["caused_by"] else "")
        table.add_row(sig["kind"], sig["source"], f"{sig['weight']:g}", f"{sig['evidence']:+.2f}", "yes" if sig["counted"] else "", note)
    console.print(table)
    for item in found["unattributed_outcomes"]:
        console.print(f"outcome {item['outcome_id']} ({item['name']}) not counted: {item['reason']}")


@command(labels_app, "stats")
def labels_stats(workload: Optional[str] = typer.Option(None, help="Only this workload."), project: Optional[str] = ProjectOpt,
                 database_url: Optional[str] = DbOpt, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Label distribution per workload, edit classes, and signals or outcomes that count for nothing yet.

    Example: flyloop labels stats --workload support-reply
    """
    from . import labels

    settings = Settings(project=project, database_url=database_url)
    report = labels.stats(_store(settings), settings.project, workload=workload, settings=settings)
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"labels of project {report['project']}")
    table.add_column("workload")
    for verdict in report["verdicts"]:
        table.add_column(verdict, justify="right")
    for name, entry in report["workloads"].items():
        table.add_row(name, *(f"{n:,}" for n in entry["verdicts"].values()))
    table.add_row("all", *(f"{n:,}" for n in report["verdicts"].values()))
    console.print(table)
    console.print("edits: " + ", ".join(f"{k} {v:,}" for k, v in report["edit_classes"].items()))
    console.print(f"signals waiting for their interaction: {report['signals_waiting_for_interaction']:,}; "
                  f"interactions not labelled yet: {report['unlabelled_interactions']:,}")
    console.print("outcomes counted for no interaction: " + ", ".join(f"{k} {v:,}" for k, v in report["unattributed_outcomes"].items()))


@command(labels_app, "recompute")
def labels_recompute(workload: Optional[str] = typer.Option(None, help="Only this workload."),
                     infer: bool = typer.Option(False, "--infer", help="Re-run attribution and inference first."),
                     project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Relabel every interaction from its stored signals (after changing weights, say).

    Example: flyloop labels recompute --infer
    """
    from . import labels

    settings = Settings(project=project, database_url=database_url)
    result = labels.recompute(_store(settings), settings.project, workload=workload, infer=infer, settings=settings)
    console.print(f"labelled {result.labelled:,} interactions in {result.seconds:.2f}s: "
                  + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))


@command(app)
def coverage(workload: Optional[str] = typer.Option(None, help="Only this workload."), project: Optional[str] = ProjectOpt,
             database_url: Optional[str] = DbOpt, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Per workload, the share of interactions with each kind of signal, and kinds never collected.

    Example: flyloop coverage --workload support-reply
    """
    from .coverage import coverage as measure_coverage

    settings = Settings(project=project, database_url=database_url)
    report = measure_coverage(_store(settings), settings.project, workload=workload)
    if as_json:
        _print_json(report)
        return
    from .coverage import table

    for name, entry in report["workloads"].items():
        console.print(table(name, entry))


# --- privacy and security (issue 4) ---------------------------------------------------------


def _privacy_cli(project: Optional[str], database_url: Optional[str]):
    from .audit import cli_actor

    settings = Settings(project=project, database_url=database_url)
    return settings, _store(settings), cli_actor()


@command(users_app, "erase")
def users_erase(user_id: str = typer.Argument(..., help="The app's own id for the user (not the pseudonym)."),
                yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
                project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
                as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Erase a user: their interactions, signals (theirs, and others' on their interactions), outcomes
    and consent history, now, verified by a scan of every table.

    Example: flyloop users erase user-00042 --yes
    """
    settings, store, actor = _privacy_cli(project, database_url)
    if not yes:
        typer.confirm(f"Erase every trace of user {user_id!r} from project {settings.project!r}? This cannot be undone",
                      abort=True)
    from .erasure import erase_user

    report = erase_user(store, settings.project, user_id, actor=actor, grace_s=settings.erasure_grace_s)
    if as_json:
        _print_json(report)
        return
    console.print(f"erased: {report['interactions']:,} interactions, {report['signals']:,} signals, "
                  f"{report['outcomes']:,} outcomes, {report['consents']:,} consent records"
                  + "".join(f", {n:,} rows of {t}" for t, n in report["other"].items())
                  + f"; verified: {'yes' if report.get('verified') else 'no'}; audit row {report['audit_id']}")


@command(users_app, "consent")
def users_consent(user_id: str = typer.Argument(..., help="The app's own id for the user."),
                  state: str = typer.Argument(..., help="full, no_training or no_content."),
                  source: str = typer.Option("cli", help="Where the user said so (a settings page, support)."),
                  project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Record a user's consent; 'no_content' also removes the content already stored for them.

    Example: flyloop users consent user-00042 no_training --source support-ticket
    """
    settings, store, actor = _privacy_cli(project, database_url)
    from .consent import set_consent

    result = set_consent(store, settings.project, user_id, state, source=source, actor=actor)
    removed = result["content_removed"]
    console.print(f"consent {result['state']} in force; content removed from {removed['interactions']:,} interactions "
                  f"and {removed['signals']:,} signals")


@command(users_app, "show")
def users_show(user_id: str = typer.Argument(..., help="The app's own id for the user."),
               project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Show a user's consent in force, its history, and their pseudonym in the store.

    Example: flyloop users show user-00042
    """
    settings, store, _ = _privacy_cli(project, database_url)
    from .consent import consent_of
    from .pseudonyms import pseudonym

    _print_json({"pseudonym": pseudonym(store, settings.project, user_id), **consent_of(store, settings.project, user_id)})


@command(retention_app, "apply")
def retention_apply(all_projects: bool = typer.Option(False, "--all-projects", help="Every project, not only --project."),
                    project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
                    as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Remove content older than the policy's content_days and events older than its events_days.

    Example: flyloop retention apply --all-projects
    """
    settings, store, actor = _privacy_cli(project, database_url)
    from .retention import apply_retention

    report = apply_retention(store, None if all_projects else settings.project, actor=actor)
    if as_json:
        _print_json(report)
        return
    for pid, part in report.items():
        content, deleted = part["content_removed"], part["deleted"]
        console.print(f"{pid}: content removed from {content['interactions']:,} interactions and {content['signals']:,} signals; "
                      f"deleted {deleted['interactions']:,} interactions, {deleted['signals']:,} signals, "
                      f"{deleted['outcomes']:,} outcomes")


@command(privacy_app, "show")
def privacy_show(project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Print the project's privacy policy and what it has dropped at ingest so far.

    Example: flyloop privacy show --project default
    """
    settings, store, _ = _privacy_cli(project, database_url)
    from .privacy import drop_counts, privacy_policy

    _print_json({"policy": privacy_policy(store, settings.project).model_dump(), "drops": drop_counts(store, settings.project)})


@command(privacy_app, "set")
def privacy_set(consent_default: Optional[str] = typer.Option(None, help="full, no_training or no_content."),
                redaction_mode: Optional[str] = typer.Option(None, help="off, pattern or ner."),
                redaction_style: Optional[str] = typer.Option(None, help="tag, hash or mask."),
                entities: Optional[str] = typer.Option(None, help="Comma-separated entity types, e.g. EMAIL_ADDRESS,PERSON."),
                min_score: Optional[float] = typer.Option(None, help="Ignore detections scored below this (0..1)."),
                content_days: Optional[str] = typer.Option(None, help="Days content is kept ('forever' keeps it)."),
                events_days: Optional[str] = typer.Option(None, help="Days events are kept ('forever' keeps them)."),
                audit_days: Optional[str] = typer.Option(None, help="Days audit rows are kept ('forever' keeps them)."),
                workload: Optional[str] = typer.Option(None, help="Workload ('*' for all others) whose allow-list to set."),
                fields: Optional[str] = typer.Option(None, help="With --workload: comma-separated fields kept ('all' keeps every one)."),
                metadata_keys: Optional[str] = typer.Option(None, help="With --workload: comma-separated metadata keys kept ('all')."),
                remove_workload: bool = typer.Option(False, "--remove-workload", help="With --workload: drop its allow-list."),
                from_file: Optional[str] = typer.Option(None, "--from-file", help="A JSON file with a (partial) policy."),
                project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Change the project's privacy policy; options left out keep their value.

    Example: flyloop privacy set --redaction-mode ner --content-days 90 --workload support --metadata-keys plan,locale
    """
    settings, store, actor = _privacy_cli(project, database_url)
    from .privacy_policy import policy_changes, set_privacy_policy

    changes = policy_changes(consent_default=consent_default, redaction_mode=redaction_mode, redaction_style=redaction_style,
                             entities=entities, min_score=min_score, content_days=content_days, events_days=events_days,
                             audit_days=audit_days, workload=workload, fields=fields, metadata_keys=metadata_keys,
                             remove_workload=remove_workload, from_file=from_file)
    _print_json(set_privacy_policy(store, settings.project, changes, actor=actor).model_dump())


@command(privacy_app, "rotate-key")
def privacy_rotate_key(purpose: str = typer.Option("pseudonym", help="pseudonym, feedback or redaction."),
                       project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Rotate a project key: 'pseudonym' re-keys every stored user id, 'feedback' revokes browser tokens.

    Example: flyloop privacy rotate-key --purpose pseudonym
    """
    settings, store, actor = _privacy_cli(project, database_url)
    from .privacy import rotate_key

    result = rotate_key(store, settings.project, purpose, actor=actor)
    console.print(f"{purpose} key is now version {result['version']}; {result['user_ids_rekeyed']:,} stored user ids re-keyed")


@command(privacy_app, "redact")
def privacy_redact(text: str = typer.Argument(..., help="Text to redact as ingest would."),
                   project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Show what the project's redaction policy makes of a text.

    Example: flyloop privacy redact "Call Jane Doe at 415-555-0134"
    """
    settings, store, _ = _privacy_cli(project, database_url)
    from .privacy import redact_text

    _print_json(redact_text(store, settings.project, text))


@command(app)
def audit(action: Optional[str] = typer.Option(None, help="Only this action, or a prefix ending in '.' (users.)."),
          limit: int = typer.Option(50, help="Most rows to show."), project: Optional[str] = ProjectOpt,
          database_url: Optional[str] = DbOpt, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The audit log, newest first: admin actions and redactions (never the secrets themselves).

    Example: flyloop audit --action users. --limit 20
    """
    settings, store, _ = _privacy_cli(project, database_url)
    from datetime import datetime, timezone

    from .audit import audit_log

    rows = audit_log(store, settings.project, action=action, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"audit log of project {settings.project}")
    for col in ("when", "actor", "action", "target", "details"):
        table.add_column(col, overflow="fold")
    for row in rows:
        when = datetime.fromtimestamp(row["ts"], timezone.utc).isoformat(timespec="seconds")
        table.add_row(when, row["actor"], row["action"], row["target"] or "", orjson.dumps(row["details"]).decode())
    console.print(table)


# --- datasets and exports (issue 5) ----------------------------------------------------------

datasets_app = typer.Typer(help="Dataset versions: build, list, show, diff, taint, rebuild.", no_args_is_help=True)
app.add_typer(datasets_app, name="datasets")
export_app = typer.Typer(help="Export a dataset version in a trainer's row format (JSONL or Parquet).", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _when(value: Optional[str], field: str) -> Optional[float]:
    """Epoch seconds or an ISO 8601 date/time (UTC when no zone is given)."""
    if value is None:
        return None
    from datetime import datetime, timezone

    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise errors.ValidationError(f"{value!r} is neither epoch seconds nor an ISO 8601 date", field=field) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def _build_config(config_file: Optional[str], **options: Any) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if config_file:
        from pathlib import Path

        path = Path(config_file)
        if not path.exists():
            raise errors.ValidationError(f"no such file {config_file!r}", field="config")
        try:
            config = tomllib.loads(path.read_text()) if path.suffix == ".toml" else orjson.loads(path.read_bytes())
        except (tomllib.TOMLDecodeError, orjson.JSONDecodeError) as exc:
            raise errors.ValidationError(f"{config_file}: not valid {'TOML' if path.suffix == '.toml' else 'JSON'} ({exc})",
                                         field="config") from None
    for key, value in options.items():
        if value is None or value == []:
            continue
        if key == "segment_keys":
            config.setdefault("balance", {})["keys"] = value
        else:
            config[key] = value
    return config


def _progress():
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description:<14}"), BarColumn(), TextColumn("{task.completed:,}"),
                    TimeElapsedColumn(), console=err_console, transient=True)


def _summary_table(manifest: dict[str, Any]) -> Table:
    from .datasets import summarize

    table = Table(title=f"dataset {manifest.get('name')} {str(manifest.get('id', ''))[:12]}", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    for what, value in summarize(manifest):
        table.add_row(what, value)
    return table


@command(datasets_app, "build")
def datasets_build(name: str = typer.Option("default", "--name", "-n", help="Dataset name; versions of a name form a lineage."),
                   config_file: Optional[str] = typer.Option(None, "--config", help="JSON or TOML file with the curation configuration."),
                   workload: list[str] = typer.Option([], "--workload", "-w", help="Only these workloads (repeat)."),
                   since: Optional[str] = typer.Option(None, help="Only interactions at or after (epoch or ISO date)."),
                   until: Optional[str] = typer.Option(None, help="Only interactions before (epoch or ISO date)."),
                   kind: list[str] = typer.Option([], "--kind", "-k", help="sft, preference, kto, fewshot, eval (repeat; default all)."),
                   segment_key: list[str] = typer.Option([], "--segment-key", help="Metadata key(s) whose segments weigh by usage."),
                   min_confidence: Optional[float] = typer.Option(None, help="Least label confidence used (default 0.5)."),
                   parent: Optional[str] = typer.Option(None, help="Parent version (default: the newest of this name)."),
                   project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Curate and store an immutable, content-hashed dataset version; print its manifest summary.

    Example: flyloop datasets build --name support --workload support-reply --segment-key plan
    """
    from . import datasets

    settings = Settings(project=project, database_url=database_url)
    config = _build_config(config_file, workloads=workload or None, since=_when(since, "since"), until=_when(until, "until"),
                           kinds=kind, segment_keys=segment_key, min_confidence=min_confidence)
    with _progress() as progress:
        tasks: dict[str, Any] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        version = datasets.build(_store(settings), settings.project, name, config, parent=parent, progress=tick)
    console.print(_summary_table(version.manifest))


@command(datasets_app, "list")
def datasets_list(name: Optional[str] = typer.Option(None, help="Only versions of this name."),
                  project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
                  as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List dataset versions, newest first.

    Example: flyloop datasets list --name support
    """
    from datetime import datetime, timezone

    from . import datasets

    settings = Settings(project=project, database_url=database_url)
    versions = datasets.list_versions(_store(settings), settings.project, name)
    if as_json:
        _print_json([v.as_dict() for v in versions])
        return
    table = Table(title=f"dataset versions of project {settings.project}")
    for col in ("id", "name", "created", "examples", "parent", "tainted"):
        table.add_column(col)
    for v in versions:
        examples = ", ".join(f"{k} {sum(s.values()):,}" for k, s in sorted(v.counts.items()))
        table.add_row(v.short_id, v.name, datetime.fromtimestamp(v.created_at, timezone.utc).isoformat(timespec="seconds"),
                      examples, (v.parent_id or "")[:12], "yes" if v.tainted else "")
    console.print(table)


@command(datasets_app, "show")
def datasets_show(ref: str = typer.Argument(..., help="Version id, unique id prefix, or name (its newest)."),
                  project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
                  as_json: bool = typer.Option(False, "--json", help="Print the whole manifest as JSON.")) -> None:
    """Show a version's manifest: sources, filters and their counts, integrity, splits, segments, consent, lineage.

    Example: flyloop datasets show support --json
    """
    from . import datasets

    settings = Settings(project=project, database_url=database_url)
    manifest = datasets.show(_store(settings), settings.project, ref)
    if as_json:
        _print_json(manifest)
        return
    console.print(_summary_table(manifest))


@command(datasets_app, "diff")
def datasets_diff(a: str = typer.Argument(..., help="The older version."), b: str = typer.Argument(..., help="The newer version."),
                  project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt,
                  as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What changed between two versions: examples per kind, sources, configuration, filter counts.

    Example: flyloop datasets diff 3f2a9c01b7e4 8c1d0e5f2a6b
    """
    from . import datasets

    settings = Settings(project=project, database_url=database_url)
    report = datasets.diff(_store(settings), settings.project, a, b)
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"dataset diff {report['a']['id'][:12]} -> {report['b']['id'][:12]}")
    for col in ("kind", "added", "removed", "unchanged", "moved split"):
        table.add_column(col)
    for kind, row in report["examples"].items():
        table.add_row(kind, f"{row['added']:,}", f"{row['removed']:,}", f"{row['unchanged']:,}", f"{row['moved_split']:,}")
    console.print(table)
    s = report["sources"]
    console.print(f"source interactions: +{s['added']:,} -{s['removed']:,} ={s['unchanged']:,}")
    for key, change in report["config"].items():
        console.print(f"config {key}: {change['a']!r} -> {change['b']!r}")
    for rule, change in report["filters"].items():
        console.print(f"filter {rule} removed: {change['a']} -> {change['b']}")


@command(datasets_app, "taint")
def datasets_taint(ref: str = typer.Argument(..., help="Version id, prefix or name."),
                   reason: str = typer.Option(..., help="Why the version must not be used."),
                   project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Mark a version as tainted: exports refuse it unless forced.

    Example: flyloop datasets taint 3f2a9c01b7e4 --reason "labels were computed with broken weights"
    """
    from . import datasets

    settings = Settings(project=project, database_url=database_url)
    version = datasets.taint(_store(settings), settings.project, ref, reason)
    console.print(f"tainted {version.short_id}: {version.taint_reason}")


@command(datasets_app, "rebuild")
def datasets_rebuild(ref: str = typer.Argument(..., help="Version id, prefix or name."),
                     project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
    """Build a new version from a version's configuration on today's data (without erased users).

    Example: flyloop datasets rebuild 3f2a9c01b7e4
    """
    from . import datasets

    settings = Settings(project=project, database_url=database_url)
    version = datasets.rebuild(_store(settings), settings.project, ref)
    console.print(_summary_table(version.manifest))


def _export_command(target: str, what: str, example: str) -> None:
    def run(ref: str = typer.Argument(..., help="Version id, prefix or name."),
            out: str = typer.Option("exports", "--out", "-o", help="Folder to write into."),
            fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl or parquet."),
            split: list[str] = typer.Option([], "--split", help="Splits to write (repeat; default train and validation)."),
            style: str = typer.Option("auto", help="auto, standard (plain text) or conversational (chat messages)."),
            sft_format: str = typer.Option("prompt_completion", help="sft only: prompt_completion or messages."),
            system: Optional[str] = typer.Option(None, help="A system message to put first (chat formats)."),
            weights: bool = typer.Option(False, "--weights", help="Add each row's segment weight as a 'weight' column."),
            force: bool = typer.Option(False, "--force", help="Export a tainted version anyway."),
            project: Optional[str] = ProjectOpt, database_url: Optional[str] = DbOpt) -> None:
        from .exports import export

        settings = Settings(project=project, database_url=database_url)
        result = export(_store(settings), settings.project, ref, target, out, fmt=fmt, splits=split or None, style=style,
                        sft_format=sft_format, system=system, weights=weights, force=force)
        if result.forced_taint:
            err_console.print(f"warning: exported a tainted version ({result.forced_taint})", highlight=False, markup=False)
        for path, (split_name, rows) in zip(result.files, result.rows.items()):
            console.print(f"{split_name}: {rows:,} rows -> {path}")
        left_out = ", ".join(f"{n:,} {why}" for why, n in result.excluded.items() if n)
        if left_out:
            console.print(f"left out at export: {left_out}")
        console.print(f"manifest: {result.manifest}")

    run.__doc__ = f"Export {what}.\n\n    Example: {example}\n    "
    command(export_app, target)(run)


_export_command("sft", "SFT rows for TRL ({prompt, completion} or {messages})", "flyloop export sft support --out data/ --format parquet")
_export_command("dpo", "preference pairs for TRL's DPO ({prompt, chosen, rejected})", "flyloop export dpo support --out data/")
_export_command("kto", "binary examples for TRL's KTO ({prompt, completion, label})", "flyloop export kto support --out data/")
_export_command("openai", "OpenAI chat fine-tuning JSONL ({messages})", "flyloop export openai support --system 'You are terse.'")
_export_command("openai-dpo", "OpenAI preference fine-tuning JSONL", "flyloop export openai-dpo support --out data/")
_export_command("fewshot", "the few-shot example bank", "flyloop export fewshot support --out data/")
_export_command("eval", "the held-out eval cases", "flyloop export eval support --split eval --out data/")


def main() -> None:
    try:
        app()
    except errors.FlyloopError as exc:  # errors raised while building settings, before a command runs
        err_console.print(f"error: {exc}", highlight=False, markup=False)
        sys.exit(2)
