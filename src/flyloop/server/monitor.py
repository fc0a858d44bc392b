"""HTTP routes for the monitor: the metrics read off the rollups and the stored alerts, with a
read key. Both read only the monitor's tables (the rollups are kept by the worker's job), so a
dashboard can poll them; ``POST /v1/monitor/refresh`` runs that job for the key's project now."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from flyloop import monitor
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

Kind = Literal["regression", "segment_disparity", "metric_gaming", "coverage_bias", "input_drift", "flywheel_stall"]
DeliveryState = Literal["pending", "delivered", "undelivered"]


class RefreshBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workload: str | None = None
    check: bool = True


def monitor_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["monitor"])
    Read = Annotated[ApiKey, Depends(scope("read"))]

    @router.get("/metrics")
    def metrics(
        key: Read,
        grain: str = "day",  # checked by the library, so its words (naming the field) answer
        workload: str | None = None,
        by: str | None = None,
        since: float | None = None,
        until: float | None = None,
        segment_key: str | None = None,
    ) -> dict[str, Any]:
        """Metrics per hour, day or week window (counts and the rates they make), for one workload
        or all, grouped by workload, version, experiment arm or segment; ``notes`` says what is
        missing (an empty store, a window with no data). ``segment_key``: the metadata key the
        caller means to segment by, refused (naming it) when the server's rollups are kept by
        another; grouping by a key no interaction carries is refused too."""
        return monitor.metrics(
            store,
            key.project_id,
            grain=grain,
            workload=workload,
            by=by,
            since=since,
            until=until,
            segment_key=settings.monitor_segment_key,
            asked_segment_key=segment_key,
        )

    @router.post("/monitor/refresh")
    def refresh(key: Read, body: RefreshBody | None = None) -> dict[str, Any]:
        """The monitor's job for the key's project, now rather than at the server's next
        ``monitor_interval_s``: the rollups brought up to date, and with ``check`` the alert checks
        run and what is due delivered to the webhook. It changes only what is derived from the
        stored events (the job the server runs on its own anyway), so a read key may ask."""
        asked = body or RefreshBody()
        return monitor.refresh(store, key.project_id, settings, workload=asked.workload, check=asked.check)

    @router.get("/alerts")
    def alerts(
        key: Read,
        kind: Kind | None = None,
        workload: str | None = None,
        delivery: DeliveryState | None = None,
        limit: Annotated[int, Query(ge=1, le=10000)] = 100,
    ) -> dict[str, Any]:
        """Stored alerts, newest first, each with its message, numbers and delivery state."""
        found = monitor.list_alerts(store, key.project_id, kind=kind, workload=workload, delivery=delivery, limit=limit)
        return {"items": [a.to_json() for a in found]}

    return router
