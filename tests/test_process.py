"""A long-running process's interpreter tuning (flyloop.process)."""

from __future__ import annotations

import gc

from flyloop.process import settle_heap


def test_settle_heap_freezes_what_is_loaded_and_collects_the_young_less_often():
    threshold = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_threshold() == (20_000, 10, 10)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
