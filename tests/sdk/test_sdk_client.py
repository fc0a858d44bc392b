"""The SDK client at an app's exit, each app in its own interpreter: an app that exits (or drops
its client) without ``close`` still delivers everything, with heavy extras, threads still logging
and torch in NER mode too, and the sender's thread imports nothing late."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from test_client import counts

from flyloop import Store


def run_app(
    script: str,
    database_url: str,
    tmp_path: Path,
    project: str,
    *args: str,
    spool: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run an app ``script`` in its own interpreter: argv is the store URL, home, project, spool."""
    spool = spool or tmp_path / "spool"
    return subprocess.run(
        [sys.executable, "-c", script, database_url, str(tmp_path / "home"), project, str(spool), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def stored(database_url: str, project: str) -> dict[str, int]:
    """What a fresh store sees of ``project``, once the app's process is gone."""
    db = Store(database_url)
    try:
        return counts(db, project)
    finally:
        db.close()


EXIT_SCRIPT = textwrap.dedent("""
    import sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    for n in range(1000):
        fw.log("w", f"q{n}", id=f"exit-{n}").thumbs_up()
    # no flush, no close: the interpreter's exit hook must deliver everything
""")


def test_exiting_without_close_delivers_everything_and_leaves_nothing_behind(database_url, tmp_path, settings):
    project = f"exit-{uuid.uuid4().hex[:8]}"
    spool = tmp_path / "spool"
    done = run_app(EXIT_SCRIPT, database_url, tmp_path, project, spool=spool, timeout=60)
    assert done.returncode == 0, done.stderr
    assert stored(database_url, project) == {"interactions": 1000, "signals": 1000, "outcomes": 0}
    assert sorted(p.name for p in spool.iterdir()) == []


EXIT_50 = textwrap.dedent("""
    import sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    for n in range(50):
        fw.log("w", f"write to me at user{n}@example.com", "ok", id=f"exit50-{n}", user_id=f"u{n}")
""")


def test_an_app_with_heavy_extras_that_exits_without_close_stores_all_and_prints_nothing(
    database_url, tmp_path, settings
):
    project = f"exit-{uuid.uuid4().hex[:8]}"
    done = run_app(EXIT_50, database_url, tmp_path, project)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored(database_url, project) == {"interactions": 50, "signals": 0, "outcomes": 0}


DROPPED = textwrap.dedent("""
    import gc, sys
    import flyloop

    def log_once():  # the app keeps no reference to the client once this returns
        fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
        for n in range(50):
            fw.log("w", "q", "a", id=f"dropped-{n}")

    log_once()
    gc.collect()
""")


def test_a_client_the_app_dropped_without_close_still_delivers_at_exit(database_url, tmp_path, settings):
    project = f"dropped-{uuid.uuid4().hex[:8]}"
    done = run_app(DROPPED, database_url, tmp_path, project)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored(database_url, project) == {"interactions": 50, "signals": 0, "outcomes": 0}


NO_LATE_IMPORTS = textwrap.dedent("""
    import sys
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    before = set(sys.modules)
    for n in range(20):
        it = fw.log("w", f"mail me at jane{n}@example.com, I'm Jane Doe", "ok", user_id=f"u{n}", session_id="s")
        it.thumbs_up()
        it.edit("a better answer")
        it.outcome("resolved", 1.0)
    fw.log("w", "q", tokens_in=2**40)  # rejected: scrubbed on the sender's thread
    assert fw.flush(timeout=60)
    print(sorted(set(sys.modules) - before))
""")


def test_after_flywheel_returns_the_sender_thread_imports_nothing(database_url, tmp_path, settings):
    # A module the sender's thread imports late can be one an exiting interpreter refuses (torch
    # registering an atexit hook): everything it needs was loaded by Flywheel().
    project = f"imports-{uuid.uuid4().hex[:8]}"
    done = run_app(NO_LATE_IMPORTS, database_url, tmp_path, project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


LATE_THREAD = textwrap.dedent("""
    import sys, threading, time
    import flyloop
    fw = flyloop.Flywheel(database_url=sys.argv[1], home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])

    def worker() -> None:  # a non-daemon thread still logging after the main thread is done
        time.sleep(0.5)
        for n in range(10):
            fw.log("w", f"late {n}", id=f"late-{n}")

    threading.Thread(target=worker).start()
    for n in range(10):
        fw.log("w", f"main {n}", id=f"main-{n}")
""")


def test_events_an_app_thread_logs_while_the_interpreter_exits_are_delivered_too(database_url, tmp_path, settings):
    # The exit flush runs before the app's threads are joined (so before libraries tear down in
    # atexit hooks); the client stays open for them, and the atexit hook sends the rest.
    project = f"late-{uuid.uuid4().hex[:8]}"
    done = run_app(LATE_THREAD, database_url, tmp_path, project)
    assert (done.returncode, done.stderr) == (0, "")
    assert stored(database_url, project) == {"interactions": 20, "signals": 0, "outcomes": 0}


NER_EXIT = textwrap.dedent("""
    import sys
    import torch  # an AI app
    import flyloop
    from flyloop.privacy.policy import set_privacy_policy
    store = flyloop.Store(sys.argv[1])
    store.ensure_project(sys.argv[3])
    set_privacy_policy(store, sys.argv[3], {"redaction": {"mode": "ner"}})
    fw = flyloop.Flywheel(store=store, home=sys.argv[2], project=sys.argv[3], spool_dir=sys.argv[4])
    for n in range(50):
        fw.log("w", f"I'm Jane Doe, mail me at jane{n}@example.com", "ok", id=f"ner-{n}", user_id=f"u{n}")
""")


@pytest.mark.slow
def test_an_app_with_torch_in_ner_mode_that_exits_without_close_stores_all_and_exits_cleanly(
    database_url, tmp_path, settings
):
    # NER redaction on the sender's thread after torch's and spaCy's atexit hooks had run
    # corrupted the heap (rc 134); the exit flush now runs before any atexit hook.
    pytest.importorskip("torch")
    from flyloop.privacy.redaction import SPACY_MODEL

    spacy = pytest.importorskip("spacy")
    if not spacy.util.is_package(SPACY_MODEL):
        pytest.skip(f"the spaCy model {SPACY_MODEL} is not installed")
    project = f"ner-exit-{uuid.uuid4().hex[:8]}"
    done = run_app(NER_EXIT, database_url, tmp_path, project, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    db = Store(database_url)
    try:
        assert counts(db, project) == {"interactions": 50, "signals": 0, "outcomes": 0}
        assert db.get_interaction(project, "ner-7")["input"] == "I'm <PERSON>, mail me at <EMAIL_ADDRESS>"
    finally:
        db.close()
