"""Monitoring: is the wheel spinning, and for whom.

Rollups (:func:`update_rollups`) keep every metric per hour, day and week, workload, policy
version (an experiment's arms are its versions) and segment, up to date incrementally, so
:func:`metrics` never scans raw events. Alerts (:func:`check_alerts`) read the rollups for
regressions after a release, segment disparity, metric gaming, feedback coverage bias, input
drift and flywheel stall; they are stored (:func:`list_alerts`) and POSTed to a webhook
(:func:`deliver_alerts`). :func:`run_monitor` is the job serve and worker run on a timer.
"""

from __future__ import annotations

import logging
from typing import Any

from flyloop.settings import Settings
from flyloop.store import Store

from .alerts import Alert, AlertCheck, check_alerts, list_alerts
from .checks import CHECKS as ALERT_KINDS
from .checks import PARITY_BAND
from .report import ReportFiles, build_report, headline, write_report
from .rollups import Upkeep, catch_up_rollups, rebuild, update_rollups
from .series import GROUPS, RATES, derive, metrics, totals
from .webhook import Delivery, deliver_alerts, deliver_configured
from .windows import GRAINS, bucket_start, check_grain

log = logging.getLogger("flyloop.monitor")


def refresh(
    store: Store, project_id: str, settings: Settings, *, workload: str | None = None, check: bool = True
) -> dict[str, Any]:
    """One project's monitor job: the rollups brought up to date and, with ``check``, the alert
    checks run (one workload or all) and what is due delivered to the webhook (when one is set).
    ``{"interactions": recounted, "notes": [what the checks could not check, and why]}``."""
    done = catch_up_rollups(store, project_id, segment_key=settings.monitor_segment_key)
    notes: list[str] = []
    if check:
        notes = check_alerts(store, project_id, settings=settings, workload=workload).notes
        deliver_configured(store, project_id, settings)
    return {"interactions": done.interactions, "notes": notes}


def run_monitor(store: Store, settings: Settings) -> None:
    """For every project: bring the rollups up to date, run the alert checks, deliver what is
    due to the webhook (when one is configured). One project's failure does not stop the others."""
    for project_id in _projects(store):
        try:
            refresh(store, project_id, settings)
        except Exception:
            log.exception("monitor run failed for project %s", project_id)


def _projects(store: Store) -> list[str]:
    """Known projects, and any with events waiting in the outbox (a project written to directly,
    with no API key made for it) or rollups already."""
    import sqlalchemy as sa

    from flyloop.store import schema

    with store.read() as conn:
        found = set(conn.execute(sa.select(schema.projects.c.id)).scalars())
        found |= set(conn.execute(sa.select(schema.outbox.c.project_id).distinct()).scalars())
        found |= set(conn.execute(sa.select(schema.monitor_watermarks.c.project_id).distinct()).scalars())
    return sorted(found)


__all__ = [
    "ALERT_KINDS",
    "GRAINS",
    "GROUPS",
    "PARITY_BAND",
    "RATES",
    "Alert",
    "AlertCheck",
    "Delivery",
    "ReportFiles",
    "Upkeep",
    "bucket_start",
    "catch_up_rollups",
    "build_report",
    "check_alerts",
    "check_grain",
    "deliver_alerts",
    "deliver_configured",
    "derive",
    "headline",
    "list_alerts",
    "metrics",
    "rebuild",
    "refresh",
    "run_monitor",
    "totals",
    "update_rollups",
    "write_report",
]
