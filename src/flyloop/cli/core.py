"""The ``flyloop`` command: the root app, its shared options, and the capture commands. Each command
body is one call of the project handle's verb of the same name (:func:`handle`: the server when
``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` are set, else the local store).

Errors print as one line (``error: ...``) with exit status 2; ``--help`` on every command shows
an example, and ``tests/cli/test_core.py`` fails if a command lacks one. Read commands open the store
with ``create=False``: a missing database is an error naming where it was looked for, never a new
empty one.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING, Any

import orjson
import typer
from rich.console import Console, ConsoleDimensions
from rich.table import Table
from rich.text import Text

from flyloop import errors
from flyloop.settings import Settings

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads only for the commands that open one
    from flyloop.sdk import Project
    from flyloop.store import Store

app = typer.Typer(
    help="flyloop: the data flywheel for AI products.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
interactions_app = typer.Typer(help="Interactions as stored: one, or a page of them.", no_args_is_help=True)
app.add_typer(interactions_app, name="interactions")


# Markup off: what the CLI prints holds user text (ids, names, diffs) and flyloop's own messages
# (`pip install 'flyloop[pii]'`), and Rich would read their brackets as style tags and drop them.
# Styles are given as `style=` or `Text` instead.
class _Console(Console):
    """A console as wide as the terminal; written to a pipe or a file (a log under make or CI) with
    no COLUMNS set, at least 160 wide: Rich's 80 there wraps tables and cuts their version ids.
    Decided at each print, since where output goes (and COLUMNS) can change after import."""

    @property
    def size(self) -> ConsoleDimensions:
        found = super().size
        if self._width is None and not self.is_terminal and not self._environ.get("COLUMNS"):
            return ConsoleDimensions(max(found.width, PIPED_WIDTH), found.height)
        return found

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


PIPED_WIDTH = 160


def make_console(*, stderr: bool = False) -> Console:
    """The CLI's console (see :class:`_Console`): markup off."""
    return _Console(stderr=stderr, markup=False)


console = make_console()
err_console = make_console(stderr=True)


def print_error(exc: errors.FlyloopError) -> None:
    """One line on stderr, however long: a wrapped error reads as two."""
    err_console.print(Text.assemble(("error:", "red"), " ", str(exc)), highlight=False, soft_wrap=True)


def one_line_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a flyloop error as one line and exit 2, instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except errors.FlyloopError as exc:
            print_error(exc)
            raise typer.Exit(2) from None

    return wrapper


def command(target: typer.Typer, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        return target.command(name)(one_line_errors(fn))

    return register


def _store(settings: Settings, *, create: bool = False) -> Store:
    """The store in force. Only commands that write on purpose pass ``create=True``; every other
    command fails on a missing database rather than reading (and leaving behind) an empty one."""
    from flyloop.store import Store

    try:
        return Store(settings.database_url, synchronous=settings.sqlite_synchronous, create=create)
    except errors.NotFound as exc:
        origin = settings.sources["database_url"]
        where = (
            f"home {settings.home}, from {settings.sources['home']}"
            if origin == "default"
            else f"from {'--database-url' if origin == 'argument' else origin}"
        )
        raise errors.NotFound(
            f"{exc.message} ({where}); "
            "`flyloop demo` or an app's first Flywheel() creates one, "
            "and FLYLOOP_HOME or --database-url reads another",
            **exc.details,
        ) from None


def handle(settings: Settings, *, create: bool = False) -> Project:
    """The project the command acts on: through the server when ``server_url`` is set
    (``FLYLOOP_SERVER_URL``, with ``FLYLOOP_API_KEY``) and no ``--database-url`` was given,
    else in the local store (opened as :func:`_store` opens it). The commands' bodies are the
    handle's verbs, so both ways answer alike."""
    from flyloop.sdk import Project

    # This machine's SDK spool of the project is reached by erasure either way.
    spool = Project.spool_folder(settings)
    if settings.server_url and settings.sources["database_url"] != "argument":
        return Project.on_server(settings, spool_dir=spool)
    from flyloop.privacy import cli_actor

    return Project.on_store(
        _store(settings, create=create), settings.project, settings, actor=cli_actor(), spool_dir=spool
    )


def project_name(settings: Settings, fw: Project) -> str:
    """The project a command acts on, as its output names it: through a server the key's (the
    server says which; ``--project`` does not reach past a key), else ``settings.project``."""
    if fw.local is not None:
        return settings.project
    return str(fw.status()["project"])


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


ProjectOpt = typer.Option(None, "--project", "-p", help="Project (default: FLYLOOP_PROJECT or 'default').")
DbOpt = typer.Option(
    None, "--database-url", help="Store URL (default: FLYLOOP_DATABASE_URL or a SQLite file in FLYLOOP_HOME)."
)


@command(app)
def serve(
    host: str | None = typer.Option(None, help="Address to bind."),
    port: int | None = typer.Option(None, help="Port to bind."),
    database_url: str | None = DbOpt,
) -> None:
    """Run the HTTP API.

    Example: flyloop serve --port 8000
    """
    from flyloop.server import serve as run_server

    run_server(Settings(host=host, port=port, database_url=database_url))


@command(app)
def demo(
    interactions: int = typer.Option(3000, help="Interactions the simulated app logs."),
    users: int = typer.Option(200, help="Simulated users."),
    seed: int = typer.Option(7, help="Seed; the same seed gives the same run."),
    project: str = typer.Option("demo", "--project", "-p", help="The demo's own project, reset by every run."),
    database_url: str | None = DbOpt,
    wheel: bool = typer.Option(
        True, "--wheel/--no-wheel", help="Then turn the wheel twice on real mail (make demo fetches the corpus)."
    ),
) -> None:
    """Simulate an AI app and its users logging through the SDK, then show what was captured; then
    turn the whole wheel twice on SpamAssassin mail (zero-shot, few-shot bank, trained head).

    It writes where every other command reads (FLYLOOP_HOME, default ~/.flyloop), into its own
    project, which each run resets; `flyloop status --project demo` shows it afterwards.

    Example: flyloop demo --interactions 3000 --seed 7
    """
    from flyloop.cli.demo import run

    run(
        # The local store always, as the README says of demo: FLYLOOP_SERVER_URL, exported for the
        # other commands, would send the simulated traffic to the key's project on that server.
        Settings(project=project, database_url=database_url, server_url=""),
        interactions=interactions,
        users=users,
        seed=seed,
        console=console,
        wheel=wheel,
    )


@command(app)
def worker(
    once: bool = typer.Option(False, "--once", help="Run each job once and exit (for cron)."),
    database_url: str | None = DbOpt,
) -> None:
    """Run serve's background jobs (label catch-up, retention) in a process of their own, at
    CPU niceness worker_nice (10): on a shared machine ingest gets the CPU first.

    Example: FLYLOOP_LABEL_INTERVAL_S=0 flyloop serve & flyloop worker
    """
    from flyloop.worker import lower_priority
    from flyloop.worker import worker as run_worker

    settings = Settings(database_url=database_url)
    lower_priority(settings.worker_nice)
    run_worker(settings, once=once)


def status_table(report: dict[str, Any], title: str | None = None) -> Table:
    """A store status report (``Store.status``) as a table; ``flyloop status`` and the demo print it."""
    table = Table(title=title or f"flyloop status: project {report['project']}")
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
    return table


@command(app)
def status(
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Counts, the newest event, and signals whose interaction never arrived.

    Example: flyloop status --project default
    """
    settings = Settings(project=project, database_url=database_url)
    fw = handle(settings)
    report = fw.status()
    if as_json:
        _print_json(report)
        return
    from datetime import datetime

    console.print(status_table(report))
    last = report["last_event_at"]
    console.print(
        "last event: " + (datetime.fromtimestamp(last, UTC).isoformat(timespec="seconds") if last else "none")
    )
    for item in report["orphaned_examples"][:5]:
        console.print(f"  orphaned signal {item['signal_id']} names missing interaction {item['interaction_id']}")
    if fw.local is not None:
        # The headline: how fast the wheel is turning (off the rollups, brought up to date first);
        # an empty project's hint below stays the last line, it says where the data is.
        from flyloop.monitor import headline

        console.print(headline(fw.local.store, settings.project, settings=settings), highlight=False, soft_wrap=True)
    if not any(report["counts"].values()) and fw.local is not None:
        # The usual surprise: the demo logs into its own project, `demo`, beside the default one.
        others = [name for name in fw.local.store.projects() if name != settings.project]
        if others:
            console.print(
                f"project {settings.project} is empty; this store also holds {', '.join(others)}: "
                f"flyloop status --project {others[0]}",
                highlight=False,
                soft_wrap=True,
            )


@command(interactions_app, "get")
def interactions_get(
    interaction_id: str,
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Print one interaction as stored (redacted, pseudonymized) with its signals and outcomes, as JSON.

    Example: flyloop interactions get sim-i-00000042
    """
    settings = Settings(project=project, database_url=database_url)
    _print_json(handle(settings).interactions.get(interaction_id))


@command(interactions_app, "list")
def interactions_list(
    workload: str | None = typer.Option(None, help="Only this workload."),
    user_id: str | None = typer.Option(None, "--user-id", help="Only this user (the app's id or its pseudonym)."),
    session_id: str | None = typer.Option(None, "--session-id", help="Only this session."),
    limit: int = typer.Option(20, help="Most interactions to print (1 to 1000)."),
    cursor: str | None = typer.Option(None, help="next_cursor of the previous page."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Print a page of interactions, newest first, as JSON {"items", "next_cursor"}.

    Example: flyloop interactions list --workload support-reply --limit 5
    """
    settings = Settings(project=project, database_url=database_url)
    _print_json(
        handle(settings).interactions.list(
            workload=workload, user_id=user_id, session_id=session_id, limit=limit, cursor=cursor
        )
    )


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
def keys_create(
    scopes: list[str] = typer.Option(["ingest"], "--scope", "-s", help="ingest, read or admin; repeat for several."),
    name: str = typer.Option("", help="A name to recognise the key by."),
    project: str | None = ProjectOpt,
    database_url: str | None = DbOpt,
) -> None:
    """Create an API key and print its secret, once.

    Example: flyloop keys create --scope ingest --scope read --name web-app
    """
    settings = Settings(project=project, database_url=database_url)
    store = _store(settings, create=True)
    key, secret = store.create_key(settings.project, scopes, name)
    from flyloop.privacy import audit_record as record
    from flyloop.privacy import cli_actor

    record(
        store, settings.project, "keys.create", actor=cli_actor(), target=key.id, details={"scopes": sorted(key.scopes)}
    )
    console.print(f"key {key.id} for project {key.project_id}, scopes {', '.join(sorted(key.scopes))}")
    console.print("secret (shown once, store it now):")
    sys.stdout.write(secret + "\n")


@command(keys_app, "list")
def keys_list(project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
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
def keys_revoke(key_id: str, project: str | None = ProjectOpt, database_url: str | None = DbOpt) -> None:
    """Revoke a key; requests with it fail from now on.

    Example: flyloop keys revoke 3f2a9c01b7e4
    """
    settings = Settings(project=project, database_url=database_url)
    store = _store(settings)
    store.revoke_key(settings.project, key_id)
    from flyloop.privacy import audit_record as record
    from flyloop.privacy import cli_actor

    record(store, settings.project, "keys.revoke", actor=cli_actor(), target=key_id)
    console.print(f"revoked {key_id}")


def main() -> None:
    try:
        app()
    except errors.FlyloopError as exc:  # errors raised while building settings, before a command runs
        print_error(exc)
        sys.exit(2)
