"""``flyloop users``, ``privacy``, ``retention`` and ``audit``: consent, erasure, policy, retention, audit.
Each body is one verb of the project handle (``fw.users.erase`` for ``flyloop users erase``), so with
``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set the commands ask the server."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import typer
from rich.table import Table

from flyloop import errors
from flyloop.cli.core import DbOpt, ProjectOpt, _print_json, app, command, console, handle, project_name
from flyloop.settings import Settings

if TYPE_CHECKING:
    from flyloop.sdk import Project

users_app = typer.Typer(help="End users: consent and erasure, by the app's own user id.", no_args_is_help=True)
app.add_typer(users_app, name="users")
privacy_app = typer.Typer(
    help="Privacy policy (consent default, redaction, allow-lists, retention) and project keys.", no_args_is_help=True
)
app.add_typer(privacy_app, name="privacy")
retention_app = typer.Typer(
    help="Retention: remove content and events older than the policy allows.", no_args_is_help=True
)
app.add_typer(retention_app, name="retention")


def _handle(project: str | None, database_url: str | None, *, create: bool = False) -> tuple[Settings, Project]:
    settings = Settings(project=project, database_url=database_url)
    # Policy and consent may be set before the first event arrives; everything else needs a store.
    return settings, handle(settings, create=create)


@command(users_app, "erase")
def users_erase(
    user_id: str = typer.Argument(..., help="The app's own id for the user (not the pseudonym)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Erase a user: their interactions, signals (theirs, and others' on their interactions), outcomes
    and consent history, now, verified; and their copies on disk: this machine's SDK spool of the
    project (under the home folder) and every export file written from the store.

    Example: flyloop users erase user-00042 --yes
    """
    settings, fw = _handle(project, database_url)
    if not yes:
        typer.confirm(
            f"Erase every trace of user {user_id!r} from project {project_name(settings, fw)!r}? This cannot be undone",
            abort=True,
        )
    report = fw.users.erase(user_id)
    if as_json:
        _print_json(report)
        return
    console.print(
        f"erased: {report['interactions']:,} interactions, {report['signals']:,} signals, "
        f"{report['outcomes']:,} outcomes, {report['consents']:,} consent records"
        + "".join(f", {n:,} rows of {t}" for t, n in report["other"].items())
        + f"; verified: {'yes' if report.get('verified') else 'no'}; audit row {report['audit_id']}"
    )
    spool = report["spool"]
    console.print(
        f"events removed from the SDK spool: {spool['spool']:,} waiting, {spool['journal']:,} in the journal, "
        f"{spool['rejected']:,} rejected" + (f"; NOT reached: {spool['error']}" if "error" in spool else ""),
        markup=False,
    )
    tainted = report.get("tainted_datasets") or []
    if tainted:
        console.print(f"dataset versions tainted (rebuild them): {', '.join(v[:12] for v in tainted)}", markup=False)
    for bank, removed in sorted((report.get("banks") or {}).items()):
        console.print(f"few-shot bank {bank}: {removed:,} examples removed, served no more", markup=False)
    for file in report["export_files"]:
        how = {
            "rewritten": f"rewritten without {file['rows_removed']:,} rows",
            "missing": "missing (not on disk any more)",
            "deleted": f"deleted ({file.get('reason', '')})",
            "failed": f"NOT erased: {file.get('error', '')}",
        }
        console.print(f"export file {file['path']}: {how.get(file['action'], file['action'])}", markup=False)


@command(users_app, "consent")
def users_consent(
    user_id: str = typer.Argument(..., help="The app's own id for the user."),
    state: str = typer.Argument(..., help="full, no_training or no_content."),
    source: str = typer.Option("cli", help="Where the user said so (a settings page, support)."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Record a user's consent; 'no_content' also removes the content already stored for them.

    Example: flyloop users consent user-00042 no_training --source support-ticket
    """
    _, fw = _handle(project, database_url, create=True)
    result = fw.users.set_consent(user_id, state, source=source)
    removed = result["content_removed"]
    console.print(
        f"consent {result['state']} in force; content removed from {removed['interactions']:,} interactions "
        f"and {removed['signals']:,} signals"
    )


@command(users_app, "show")
def users_show(
    user_id: str = typer.Argument(..., help="The app's own id for the user."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Show a user's consent in force, its history, and their pseudonym in the store.

    Example: flyloop users show user-00042
    """
    _, fw = _handle(project, database_url)
    _print_json(fw.users.show(user_id))


@command(users_app, "pseudonym")
def users_pseudonym(
    user_id: str = typer.Argument(..., help="The app's own id for the user."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Print the id the store holds for a user (a keyed hash of the app's id).

    Example: flyloop users pseudonym user-00042
    """
    _, fw = _handle(project, database_url)
    console.print(fw.users.pseudonym(user_id), highlight=False, soft_wrap=True)


@command(retention_app, "apply")
def retention_apply(
    all_projects: bool = typer.Option(False, "--all-projects", help="Every project, not only --project."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Remove content older than the policy's content_days and events older than its events_days.

    Example: flyloop retention apply --all-projects
    """
    _, fw = _handle(project, database_url)
    report = fw.retention.apply(all_projects=all_projects)
    if as_json:
        _print_json(report)
        return
    for pid, part in report.items():
        content, deleted = part["content_removed"], part["deleted"]
        console.print(
            f"{pid}: content removed from {content['interactions']:,} interactions and {content['signals']:,} signals; "
            f"deleted {deleted['interactions']:,} interactions, {deleted['signals']:,} signals, "
            f"{deleted['outcomes']:,} outcomes"
        )


@command(privacy_app, "show")
def privacy_show(project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Print the project's privacy policy and what it has dropped at ingest so far.

    Example: flyloop privacy show --project default
    """
    _, fw = _handle(project, database_url)
    _print_json({"policy": fw.privacy.policy().model_dump(), "drops": fw.privacy.drops()})


@command(privacy_app, "set")
def privacy_set(
    consent_default: str | None = typer.Option(None, help="full, no_training or no_content."),
    redaction_mode: str | None = typer.Option(None, help="off, pattern or ner."),
    redaction_style: str | None = typer.Option(None, help="tag, hash or mask."),
    entities: str | None = typer.Option(None, help="Comma-separated entity types, e.g. EMAIL_ADDRESS,PERSON."),
    min_score: float | None = typer.Option(None, help="Ignore detections scored below this (0..1)."),
    content_days: str | None = typer.Option(None, help="Days content is kept ('forever' keeps it)."),
    events_days: str | None = typer.Option(None, help="Days events are kept ('forever' keeps them)."),
    audit_days: str | None = typer.Option(None, help="Days audit rows are kept ('forever' keeps them)."),
    workload: str | None = typer.Option(None, help="Workload ('*' for all others) whose allow-list to set."),
    fields: str | None = typer.Option(
        None, help="With --workload: comma-separated fields kept ('all' keeps every one)."
    ),
    metadata_keys: str | None = typer.Option(None, help="With --workload: comma-separated metadata keys kept ('all')."),
    remove_workload: bool = typer.Option(False, "--remove-workload", help="With --workload: drop its allow-list."),
    from_file: str | None = typer.Option(None, "--from-file", help="A JSON file with a (partial) policy."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Change the project's privacy policy; options left out keep their value.

    Example: flyloop privacy set --redaction-mode ner --content-days 90 --workload support --metadata-keys plan,locale
    """
    from flyloop.privacy import policy_changes

    changes = policy_changes(
        consent_default=consent_default,
        redaction_mode=redaction_mode,
        redaction_style=redaction_style,
        entities=entities,
        min_score=min_score,
        content_days=content_days,
        events_days=events_days,
        audit_days=audit_days,
        workload=workload,
        fields=fields,
        metadata_keys=metadata_keys,
        remove_workload=remove_workload,
        from_file=from_file,
    )
    _, fw = _handle(project, database_url, create=True)
    _print_json(fw.privacy.set_policy(changes).model_dump())


@command(privacy_app, "rotate-key")
def privacy_rotate_key(
    purpose: str = typer.Option("pseudonym", help="pseudonym, feedback or redaction."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Rotate a project key: 'pseudonym' re-keys every stored user id, 'feedback' revokes browser tokens.

    Example: flyloop privacy rotate-key --purpose pseudonym
    """
    _, fw = _handle(project, database_url, create=True)
    result = fw.privacy.rotate_key(purpose)
    console.print(
        f"{purpose} key is now version {result['version']}; {result['user_ids_rekeyed']:,} stored user ids re-keyed"
    )


@command(privacy_app, "export-keys")
def privacy_export_keys(project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Print the project's keys as JSON, by purpose, oldest first: for `import-keys` in another store
    (a moved project keeps its pseudonyms and splits). Keep the output as private as raw user ids.

    Example: flyloop privacy export-keys --database-url sqlite:///old.db > keys.json
    """
    _, fw = _handle(project, database_url)
    _print_json(fw.privacy.export_keys())


@command(privacy_app, "import-keys")
def privacy_import_keys(
    file: Path = typer.Argument(..., help="A JSON file from `export-keys`.", exists=True, dir_okay=False),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Install keys from `export-keys` into this store's project, before any data arrives.

    Example: flyloop privacy import-keys keys.json --database-url postgresql://...
    """
    try:
        keys = orjson.loads(file.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise errors.ValidationError(f"{file}: not a JSON file of keys ({type(exc).__name__})", field="file") from None
    _, fw = _handle(project, database_url, create=True)
    counts = fw.privacy.import_keys(keys)
    console.print(
        "imported " + ", ".join(f"{purpose} ({n} version{'s' if n != 1 else ''})" for purpose, n in counts.items())
    )


@command(privacy_app, "compact")
def privacy_compact(project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Rewrite the store's files so erased and expired rows leave the disk (PostgreSQL: VACUUM FULL
    of the user tables, which locks each while it runs; SQLite: VACUUM and a WAL checkpoint).

    Example: flyloop privacy compact
    """
    _, fw = _handle(project, database_url)
    result = fw.privacy.compact()
    console.print(
        f"compacted {len(result['tables'])} tables on {result['dialect']} in {result['seconds']:.2f} s; "
        f"checkpoint: {'yes' if result['checkpoint'] else 'no'}; audit row {result['audit_id']}"
    )


@command(privacy_app, "redact")
def privacy_redact(
    text: str = typer.Argument(..., help="Text to redact as ingest would."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Show what the project's redaction policy makes of a text.

    Example: flyloop privacy redact "Call Jane Doe at 415-555-0134"
    """
    _, fw = _handle(project, database_url)
    _print_json(fw.privacy.redact(text))


@command(app)
def audit(
    action: str | None = typer.Option(None, help="Only this action, or a prefix ending in '.' (users.)."),
    limit: int = typer.Option(50, help="Most rows to show."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The audit log, newest first: admin actions and redactions (never the secrets themselves).

    Example: flyloop audit --action users. --limit 20
    """
    settings, fw = _handle(project, database_url)
    from datetime import datetime

    rows = fw.privacy.audit(action=action, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"audit log of project {project_name(settings, fw)}")
    for col in ("when", "actor", "action", "target", "details"):
        table.add_column(col, overflow="fold")
    for row in rows:
        when = datetime.fromtimestamp(row["ts"], UTC).isoformat(timespec="seconds")
        table.add_row(when, row["actor"], row["action"], row["target"] or "", orjson.dumps(row["details"]).decode())
    console.print(table)
