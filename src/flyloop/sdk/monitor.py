"""The project handle's verbs for the monitor (``fw.monitor``), the same in both modes: the
functions of :mod:`flyloop.monitor` on a local store, the routes of :mod:`flyloop.server.monitor`
through a server.

::

    fw.monitor.refresh()                                    # rollups and alerts up to date
    fw.monitor.metrics("day", by="arm")["windows"][0]["rates"]["acceptance_rate"]
    [a.message for a in fw.monitor.alerts(kind="regression")]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flyloop import errors

from .transport import Namespace, check_text

if TYPE_CHECKING:
    from flyloop.monitor import Alert


REFRESH_WAIT_S = 600.0


class Monitor(Namespace):
    """Metrics read off the rollups, the stored alerts, and the upkeep that keeps both."""

    def refresh(self, *, workload: str | None = None, check: bool = True) -> dict[str, Any]:
        """Bring the rollups up to date and, with ``check``, run the alert checks (one workload or
        all) and deliver what is due to the configured webhook: what the worker runs on its timer.
        ``{"interactions": recounted, "notes": [what the checks could not check, and why]}``."""
        from flyloop.monitor import refresh

        if workload is not None:
            check_text(workload, "workload")
        if not isinstance(check, bool):
            raise errors.ValidationError("check is true or false", field="check")
        if local := self._local:
            return refresh(local.store, local.project, local.settings, workload=workload, check=check)
        # The server works inside the request; after a long pause the backlog may take a while.
        found: dict[str, Any] = self._remote.call(
            "POST", "/v1/monitor/refresh", body={"workload": workload, "check": check}, wait_s=REFRESH_WAIT_S
        )
        return found

    def metrics(
        self,
        grain: str = "day",
        *,
        workload: str | None = None,
        by: str | None = None,
        since: float | None = None,
        until: float | None = None,
        segment_key: str | None = None,
    ) -> dict[str, Any]:
        """The metrics per ``grain`` window (:func:`flyloop.monitor.metrics`), grouped ``by``
        workload, version, arm or segment. ``segment_key``: the metadata key the caller means to
        segment by; refused, naming ``segment_key``, when the rollups are kept by another."""
        from flyloop.monitor import metrics

        if local := self._local:
            return metrics(
                local.store,
                local.project,
                grain=grain,
                workload=workload,
                by=by,
                since=since,
                until=until,
                segment_key=local.settings.monitor_segment_key,
                asked_segment_key=segment_key,
            )
        params = {
            "grain": grain,
            "workload": workload,
            "by": by,
            "since": since,
            "until": until,
            "segment_key": segment_key,
        }
        found: dict[str, Any] = self._remote.call("GET", "/v1/metrics", params=params)
        return found

    def alerts(
        self,
        *,
        kind: str | None = None,
        workload: str | None = None,
        delivery: str | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """Stored alerts, newest first (:func:`flyloop.monitor.list_alerts`)."""
        from flyloop.monitor import Alert, list_alerts

        if local := self._local:
            return list_alerts(local.store, local.project, kind=kind, workload=workload, delivery=delivery, limit=limit)
        params = {"kind": kind, "workload": workload, "delivery": delivery, "limit": limit}
        found = self._remote.call("GET", "/v1/alerts", params=params)
        return [Alert(**item) for item in found["items"]]
