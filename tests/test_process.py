"""A long-running process's interpreter tuning (flyloop.process)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from flyloop.process import pid_alive, settle_heap


def test_settle_heap_freezes_what_is_loaded_and_collects_the_young_less_often():
    threshold = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_threshold() == (20_000, 10, 10)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_pid_alive_tells_a_running_process_from_one_that_has_ended():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process now
    assert pid_alive(os.getpid()) is True
    assert pid_alive(child.pid) is False
    assert pid_alive(1) is True  # init: someone else's, alive
