"""Evaluations whose process is gone: a row left ``running`` by a process that died (a server
killed mid-run, a ``flyloop eval run`` whose terminal closed) would say ``running`` for ever.

Each evaluation records the process that runs it in ``config.process`` (host, pid and, where the
system says, the process's start time, so that a pid reused by a later process does not pass for
the one that ran it). :func:`fail_interrupted`, run when ``flyloop serve`` and ``flyloop worker``
start, marks ``failed`` each running evaluation whose process on this host is gone. A process on
another host cannot be asked: its rows are left as they are. :func:`fail_running` marks one
evaluation failed, if it still runs (a stopping server's, whose thread did not end in time).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

import sqlalchemy as sa

from flyloop.process import pid_alive
from flyloop.store import Store, schema

log = logging.getLogger("flyloop.evaluate")


def _start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks after boot (Linux's /proc), else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: count from after it.
    fields = stat[stat.rfind(b")") + 2 :].split()
    try:
        return int(fields[19])  # field 22 of the whole line
    except (IndexError, ValueError):
        return None


def this_process() -> dict[str, Any]:
    """This process as an evaluation records it: ``{"host", "pid", "started"}``."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "started": _start_ticks(pid)}


def process_gone(owner: Any) -> bool:
    """Whether the process ``owner`` (:func:`this_process`'s shape) is known to be gone: on this
    host, and no process has its pid, or the one that has it started at another time. A record
    naming no process at all (written before owners were recorded) counts as gone."""
    pid = owner.get("pid") if isinstance(owner, dict) else None
    if not isinstance(owner, dict) or isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return True
    if owner.get("host") != socket.gethostname():
        return False  # another machine's process: this one cannot tell
    if pid == os.getpid():
        return False
    if not pid_alive(pid):
        return True
    # Someone has the pid: this process still, or a later one that reused it.
    started = owner.get("started")
    now = _start_ticks(pid)
    return started is not None and now is not None and now != started


def fail_running(store: Store, project_id: str, evaluation_id: str, error: str) -> bool:
    """Mark one evaluation ``failed`` with ``error``, only if it is still ``running`` (one that
    ended meanwhile keeps its result). Returns whether it was marked."""
    t = schema.evaluations
    with store.write() as conn:
        row = conn.execute(
            sa.select(t.c.config).where(t.c.project_id == project_id, t.c.id == evaluation_id, t.c.status == "running")
        ).first()
        if row is None:
            return False
        config = {**(row.config or {}), "error": {"type": "Interrupted", "field": None, "message": error}}
        done = conn.execute(
            sa.update(t)
            .where(t.c.project_id == project_id, t.c.id == evaluation_id, t.c.status == "running")
            .values(status="failed", error=error, config=config, finished_at=time.time())
        )
    return bool(done.rowcount)


def fail_interrupted(store: Store) -> list[tuple[str, str]]:
    """Mark ``failed`` ("interrupted: ...") every running evaluation, of any project, whose process
    is gone (:func:`process_gone`). Returns the (project, evaluation id) pairs marked."""
    t = schema.evaluations
    with store.read() as conn:
        rows = conn.execute(sa.select(t.c.project_id, t.c.id, t.c.config).where(t.c.status == "running")).all()
    marked = []
    for project_id, evaluation_id, config in rows:
        owner = (config or {}).get("process")
        if not process_gone(owner):
            continue
        who = f"pid {owner['pid']} on {owner['host']}" if isinstance(owner, dict) else "a process of an earlier version"
        error = f"interrupted: the process running it ({who}) ended before it finished"
        if fail_running(store, project_id, evaluation_id, error):
            log.warning("evaluation %s of project %s: %s", evaluation_id, project_id, error)
            marked.append((project_id, evaluation_id))
    return marked
