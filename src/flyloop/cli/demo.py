"""``flyloop demo``: the main job, end to end, on the embedded default.

A simulated AI app (see :mod:`flyloop.testing`) logs a few thousand interactions through the
SDK, with every kind of signal and late outcomes; then the demo prints what flyloop captured.
Later stages (labels, curation, loops, rollout) add their own sections here as they land.

The demo writes where the CLI reads (``$FLYLOOP_HOME``, default ``~/.flyloop``), into a project of
its own (``demo``), so ``flyloop status --project demo`` shows what it captured. A second run
resets that project and starts again; a project the demo did not make is never touched.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flyloop import errors, labels
from flyloop.cli.core import make_console
from flyloop.sdk import Flywheel
from flyloop.settings import Settings
from flyloop.store import Store, display_url, schema
from flyloop.testing import Simulation, Truth

DEMO_PROJECT = "demo"
# The name on the projects row marks a project the demo made: only such a project is reset.
DEMO_MARK = "flyloop demo (reset by every run)"


def run(
    settings: Settings | None = None,
    *,
    interactions: int = 3000,
    users: int = 200,
    seed: int = 7,
    console: Console | None = None,
    wheel: bool = True,
    mail: Path | None = None,
) -> dict[str, Any]:
    """The capture tour (a simulated app on math-help, what flyloop captured, labelled, curated and
    protected), then, with ``wheel``, the whole wheel twice on real mail (:mod:`.demo_wheel`;
    ``mail``: the corpus's data folder, default the fetched one)."""
    settings = settings or Settings(project=DEMO_PROJECT)
    # Markup off: the demo prints stored text, which may hold brackets.
    console = console or make_console()
    if wheel:  # before the project is reset: without the corpus, one line saying how to fetch it
        from flyloop.cli.demo_mail import check_corpus

        Store(settings.database_url, synchronous=settings.sqlite_synchronous).close()  # the store's error first
        mail = check_corpus(mail)
    earlier = prepare_project(settings)  # first: a store that cannot be opened is the only line printed
    console.rule(Text("flyloop demo", style="bold"))
    console.print(
        f"store: {display_url(settings.database_url)}, project {settings.project}", highlight=False, soft_wrap=True
    )
    if earlier is not None:
        console.print(
            f"project {settings.project} held an earlier demo run ({earlier:,} interactions): "
            "reset it, so this run starts from nothing",
            highlight=False,
        )
    started = time.perf_counter()
    fw = Flywheel(settings=settings)
    try:
        sim = Simulation(fw, users=users, seed=seed, workload="math-help")
        truth = sim.run(interactions, deliver_outcomes=False)
        logged = time.perf_counter() - started
        delivered = fw.flush(timeout=120)
        # Outcomes arrive hours later in real life; here they arrive after everything else, and
        # the labels they touch update incrementally as they land.
        labelled_before = labels.stats(fw.store, fw.project, settings=settings)
        late = sim.deliver_outcomes()
        delivered = fw.flush(timeout=120) and delivered
        stored = time.perf_counter() - started
        report = fw.store.status(fw.project, orphan_window_s=settings.orphan_window_s)
        labelled = labels.stats(fw.store, fw.project, settings=settings)
        covered = labels.measure_coverage(fw.store, fw.project)
    finally:
        fw.close()
    stats = fw.stats
    console.print(
        f"simulated {users} users over {sim.days:.0f} days: {len(truth.correct):,} interactions "
        f"({sum(truth.correct.values()) / max(1, len(truth.correct)):.0%} answered right, known only to the simulator)"
    )
    console.print(
        f"SDK: {stats.sent:,} events sent in {stats.batches} batches; app thread busy {logged:.2f}s, "
        f"all stored after {stored:.2f}s; delivered={delivered}, rejected={stats.rejected}"
    )
    from flyloop.cli.core import status_table

    console.print(status_table(report, title="captured"))
    _print_labels(console, labelled_before, labelled, late, truth)
    for name, entry in covered["workloads"].items():
        console.print(labels.coverage_table(name, entry))
    dataset = _dataset_section(settings, console, truth)
    privacy_report = _privacy_section(settings, console, truth)
    turned = None
    if wheel:
        from flyloop.cli.demo_wheel import run_wheel

        turned = run_wheel(settings, console, folder=mail, seed=seed)
    again = f"flyloop status --project {settings.project}"
    if settings.sources["database_url"] == "argument":
        again += f" --database-url {display_url(settings.database_url)}"
    console.print(
        f"all of it stays in the store: `{again}` shows it again, and `flyloop demo` starts it over", highlight=False
    )
    return {
        "status": report,
        "truth": truth,
        "labels": labelled,
        "coverage": covered,
        "dataset": dataset,
        "privacy": privacy_report,
        "wheel": turned,
    }


def prepare_project(settings: Settings) -> int | None:
    """Make the demo's project ready: create it marked as the demo's, or reset the one an earlier run
    made (every row of the project, and its export folders). Returns how many interactions the
    earlier run left, or None on a first run. Refuses a project the demo did not make."""
    project = settings.project
    store = Store(settings.database_url, synchronous=settings.sqlite_synchronous)
    try:
        with store.read() as conn:
            name = conn.execute(sa.select(schema.projects.c.name).where(schema.projects.c.id == project)).scalar()
            held = conn.execute(
                sa.select(sa.func.count())
                .select_from(schema.interactions)
                .where(schema.interactions.c.project_id == project)
            ).scalar_one()
            versions = list(
                conn.execute(
                    sa.select(schema.dataset_versions.c.id).where(schema.dataset_versions.c.project_id == project)
                ).scalars()
            )
        if name is None and not held:
            store.ensure_project(project, DEMO_MARK)
            return None
        if name != DEMO_MARK:
            raise errors.ConfigError(
                f"project {project!r} holds data the demo did not write, and the demo resets its "
                f"project on every run: give it one of its own (flyloop demo --project {DEMO_PROJECT})"
            )
        with store.write() as conn:
            # Children before parents; the projects row stays, with its mark.
            for table in reversed(schema.metadata.sorted_tables):
                if table is not schema.projects and "project_id" in table.c:
                    conn.execute(table.delete().where(table.c.project_id == project))
    finally:
        store.close()
    for version in versions:
        shutil.rmtree(Path(settings.home) / "exports" / version[:12], ignore_errors=True)
    return held


def _print_labels(console: Console, before: dict[str, Any], after: dict[str, Any], late: int, truth: Truth) -> None:
    table = Table(title="labels (one verdict per interaction)")
    table.add_column("verdict")
    table.add_column("before late outcomes", justify="right")
    table.add_column(f"after {late:,} late outcomes", justify="right")
    for verdict, count in after["verdicts"].items():
        table.add_row(verdict, f"{before['verdicts'][verdict]:,}", f"{count:,}")
    console.print(table)
    console.print(
        "edits: "
        + ", ".join(f"{k} {v:,}" for k, v in after["edit_classes"].items())
        + "; outcomes counted for no interaction: "
        + ", ".join(f"{k} {v}" for k, v in after["unattributed_outcomes"].items() if v),
        highlight=False,
    )


def _dataset_section(settings: Settings, console: Console, truth: Truth) -> dict[str, Any]:
    """Curation and datasets: build a version, export it for TRL, and check every kind against the
    truth only the simulator knows, beside the naive "every thumbs-up and every edit" rule."""
    import re
    from pathlib import Path

    from flyloop import datasets
    from flyloop.cli.datasets import summary_table
    from flyloop.store import Store

    def right(text: str | None, interaction_id: str) -> bool | None:
        if interaction_id not in truth.answer:
            return None
        numbers = re.findall(r"-?\d+", text or "")
        return bool(numbers) and numbers[-1] == re.findall(r"-?\d+", truth.answer[interaction_id])[-1]

    store = Store(settings.database_url, synchronous=settings.sqlite_synchronous)
    try:
        version = datasets.build(
            store, settings.project, "math-help", {"workloads": ["math-help"], "balance": {"keys": ["plan"]}}
        )
        folder = Path(settings.home) / "exports" / version.short_id
        written, empty = {}, {}
        for target in ("sft", "dpo", "kto", "openai"):
            try:
                written[target] = datasets.export(store, settings.project, version.id, target, folder, overwrite=True)
            except errors.NotFound as exc:  # a small run can leave a kind with no example: say so, go on
                empty[target] = str(exc)
        scores = accuracy(store, settings.project, version.id, right)
    finally:
        store.close()
    console.print(summary_table(version.manifest))
    table = Table(title="accuracy against the simulator's truth")
    for column in ("export", "curated", "naive: every thumbs-up and every edit"):
        table.add_column(column, justify="right" if column != "export" else "left")
    for kind, what in (
        ("sft", "SFT label accuracy"),
        ("preference", "DPO pairs right (chosen right, rejected wrong)"),
        ("kto", "KTO label accuracy"),
    ):
        curated, naive = scores["curated"][kind], scores["naive"][kind]
        table.add_row(what, f"{_share(curated):.1%} of {curated[1]:,}", f"{_share(naive):.1%} of {naive[1]:,}")
    console.print(table)
    for target, result in written.items():
        console.print(
            f"exported {target}: " + ", ".join(f"{s} {n:,}" for s, n in result.rows.items()) + f" -> {folder}"
        )
    for target, why in empty.items():
        console.print(f"exported {target}: nothing ({why})")
    return {
        "version": version.id,
        "curated_accuracy": _share(scores["curated"]["sft"]),
        "naive_accuracy": _share(scores["naive"]["sft"]),
        "accuracy": {side: {kind: _share(hits) for kind, hits in by_kind.items()} for side, by_kind in scores.items()},
        "exports": {t: r.as_dict() for t, r in written.items()},
    }


def _share(hits: tuple[int, int]) -> float:
    return hits[0] / hits[1] if hits[1] else 0.0


def accuracy(
    store: Store, project_id: str, version_id: str, right: Callable[[str | None, str], bool | None]
) -> dict[str, dict[str, tuple[int, int]]]:
    """(right, checkable) per kind, for the version's examples ("curated") and the naive rule's
    ("naive"); ``right(text, interaction_id)`` says whether a text answers that interaction right
    (None: unknown, not checkable). SFT: the completion is right; DPO: the chosen is right and
    the rejected wrong (a regeneration pair's rejected side is judged on its own interaction);
    KTO: the label says whether the completion is right. The benchmark uses it too."""
    from flyloop import datasets

    def score(
        sft: Iterable[tuple[str, str | None]],
        pairs: Iterable[tuple[str, str, str | None, str | None]],
        kto: Iterable[tuple[str, str | None, bool]],
    ) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        checks = [right(text, iid) for iid, text in sft]
        out["sft"] = (sum(c is True for c in checks), sum(c is not None for c in checks))
        pair_checks = [(right(chosen, a), right(rejected, b)) for a, b, chosen, rejected in pairs]
        known = [(c, r) for c, r in pair_checks if c is not None and r is not None]
        out["preference"] = (sum(c and not r for c, r in known), len(known))
        kto_checks = [(right(text, iid), label) for iid, text, label in kto]
        out["kto"] = (
            sum(c == label for c, label in kto_checks if c is not None),
            sum(c is not None for c, _ in kto_checks),
        )
        return out

    def ids(e: dict[str, Any]) -> list[str]:
        return list(e["interaction_ids"] or [e["interaction_id"]])

    sft = datasets.examples(store, project_id, version_id, "sft")
    pref = datasets.examples(store, project_id, version_id, "preference")
    kto = datasets.examples(store, project_id, version_id, "kto")
    curated = score(
        ((e["interaction_id"], e["completion"]) for e in sft),
        ((ids(e)[0], ids(e)[-1], e["chosen"], e["rejected"]) for e in pref),
        ((e["interaction_id"], e["completion"], bool(e["label"])) for e in kto),
    )
    thumbs, edits = _naive(store, project_id)
    naive = score(
        [(iid, output) for iid, output in thumbs] + [(iid, text) for iid, text, _ in edits],
        [(iid, iid, text, output) for iid, text, output in edits],
        [(iid, output, True) for iid, output in thumbs]
        + [row for iid, text, output in edits for row in ((iid, text, True), (iid, output, False))],
    )
    return {"curated": curated, "naive": naive}


def _naive(
    store: Store, project_id: str
) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None, str | None]]]:
    """The naive rule's material: (interaction, output) of every thumbs-up, and (interaction,
    edited text, output) of every edit. As training data: SFT takes each thumbed-up output and
    each edit's text; DPO pairs each edit's text over the output; KTO marks thumbed-up outputs and
    edits' texts desirable, edited outputs undesirable."""
    import sqlalchemy as sa

    from flyloop.store import schema

    i, s = schema.interactions, schema.signals
    with store.read() as conn:
        rows = conn.execute(
            sa.select(s.c.kind, s.c.payload, i.c.id, i.c.output)
            .select_from(s.join(i, sa.and_(i.c.project_id == s.c.project_id, i.c.id == s.c.interaction_id)))
            .where(s.c.project_id == project_id, s.c.kind.in_(("thumbs_up", "edit")))
        ).all()
    thumbs = [(iid, output) for kind, _payload, iid, output in rows if kind == "thumbs_up"]
    edits = [(iid, (payload or {}).get("text"), output) for kind, payload, iid, output in rows if kind == "edit"]
    return thumbs, edits


def _privacy_section(settings: Settings, console: Console, truth: Truth) -> dict[str, Any]:
    """Privacy and security: what the gate did to the simulated traffic, then a user with PII,
    consent changes, a browser feedback token, retention and an erasure, each shown by its effect."""
    from collections import Counter

    from flyloop import privacy
    from flyloop.capture import Capture, issue_feedback_token, submit_feedback
    from flyloop.store import Store

    store = Store(settings.database_url, synchronous=settings.sqlite_synchronous)
    project = settings.project
    try:
        capture = Capture(store, settings)
        heavy = Counter(truth.user_of.values()).most_common(2)
        erased_raw, no_training_raw = heavy[0][0], heavy[1][0]
        erased_id = privacy.pseudonym(store, project, erased_raw)
        import sqlalchemy as sa

        from flyloop.privacy import Redactor
        from flyloop.store import schema

        with store.read() as conn:
            stored_ids = set(
                conn.execute(
                    sa.select(schema.interactions.c.user_id)
                    .distinct()
                    .where(schema.interactions.c.project_id == project, schema.interactions.c.user_id.is_not(None))
                ).scalars()
            )
        capture.ingest(
            project,
            {
                "interactions": [
                    {
                        "id": "demo-pii-1",
                        "workload": "math-help",
                        "user_id": "demo-user",
                        "input": "I'm Jane Roe, jane.roe@example.com, card 4111 1111 1111 1111: what is 12 + 30?",
                        "output": "42. We will call you on +1 (415) 555-0134.",
                        "metadata": {"contact": {"ip": "203.0.113.7"}},
                    }
                ]
            },
        )
        redacted = store.get_interaction(project, "demo-pii-1")
        try:
            with_ner = Redactor("ner").redact(
                "I'm Jane Roe, jane.roe@example.com, card 4111 1111 1111 1111: what is 12 + 30?"
            )
        except errors.ConfigError as exc:  # a core install: say what NER mode needs, keep going
            with_ner = f"not installed here ({exc})"
        privacy.set_consent(store, project, no_training_raw, "no_training", source="demo")
        privacy.set_consent(store, project, "quiet-user", "no_content", source="demo")
        capture.ingest(
            project,
            {
                "interactions": [
                    {
                        "id": "demo-quiet-1",
                        "workload": "math-help",
                        "user_id": "quiet-user",
                        "input": "What is 2 + 2?",
                        "output": "4",
                        "tokens_in": 7,
                        "tokens_out": 1,
                    }
                ]
            },
        )
        quiet = store.get_interaction(project, "demo-quiet-1")
        allowed = privacy.training_allowed(store, project, stored_ids)
        token = issue_feedback_token(store, project, "demo-pii-1")["token"]
        first = submit_feedback(capture, {"token": token, "kind": "thumbs_up"})
        try:
            submit_feedback(capture, {"token": token, "kind": "thumbs_up"})
            replay = "accepted (a bug)"
        except Exception as exc:  # the replay must be refused; show how
            replay = f"refused: {exc}"
        kept = privacy.apply_retention(store, project, actor="demo")[project]
        erased = privacy.erase_user(
            store, project, erased_raw, actor="demo", grace_s=settings.erasure_grace_s, settings=settings
        )
        redactions = len(privacy.audit_log(store, project, action="redact", limit=10_000))
    finally:
        store.close()
    table = Table(title="privacy and security")
    table.add_column("what")
    table.add_column("result", overflow="fold")
    table.add_row(
        "user ids in the store", f"{len(stored_ids):,} pseudonyms like {sorted(stored_ids)[0]}; no raw id is stored"
    )
    table.add_row("input with PII, as stored", str(redacted["input"]))
    table.add_row("output and metadata, as stored", f"{redacted['output']}  {redacted['metadata']}")
    table.add_row("the same input in NER mode", with_ner)
    table.add_row("redaction audit rows", f"{redactions:,} (entity types and fields only, never the values)")
    table.add_row(
        f"{no_training_raw} -> no_training",
        f"{len(allowed):,} of {len(stored_ids):,} users' data now usable for training",
    )
    table.add_row(
        "a no_content user's interaction",
        f"input {quiet['input']!r}, output {quiet['output']!r}, tokens {quiet['tokens_in']}/{quiet['tokens_out']} kept",
    )
    table.add_row("browser feedback token", f"first use stored {first['signal_id']}; replay {replay}")
    table.add_row(
        "retention (content kept 90 days)",
        f"content removed from {kept['content_removed']['interactions']} "
        "interactions: the simulated traffic is younger",
    )
    table.add_row(
        f"erase {erased_raw} ({erased_id[:12]}...)",
        f"{erased['interactions']:,} interactions, {erased['signals']:,} signals, {erased['outcomes']:,} outcomes; "
        f"datasets tainted: {', '.join(v[:12] for v in erased.get('tainted_datasets', [])) or 'none'}; "
        f"verified by a scan of every table: {erased['verified']}",
    )
    console.print(table)
    return {
        "pseudonyms": len(stored_ids),
        "redacted_input": redacted["input"],
        "training_allowed": len(allowed),
        "erased": {k: v for k, v in erased.items() if k != "audit_id"},
        "replay": replay,
    }
