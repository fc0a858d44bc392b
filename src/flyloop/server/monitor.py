"""HTTP routes for the monitor: the metrics read off the rollups and the stored alerts, with a
read key. Both read only the monitor's tables (the rollups are kept by the worker's job), so a
dashboard can poll them."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from flyloop import monitor
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

Grain = Literal["hour", "day", "week"]
Group = Literal["workload", "version", "segment"]
Kind = Literal["regression", "segment_disparity", "metric_gaming", "coverage_bias", "input_drift", "flywheel_stall"]
DeliveryState = Literal["pending", "delivered", "undelivered"]


def monitor_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["monitor"])
    Read = Annotated[ApiKey, Depends(scope("read"))]

    @router.get("/metrics")
    def metrics(
        key: Read,
        grain: Grain = "day",
        workload: str | None = None,
        by: Group | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> dict[str, Any]:
        """Metrics per hour, day or week window (counts and the rates they make), for one workload
        or all, grouped by workload, version (an experiment's arms) or segment; ``notes`` says
        what is missing (an empty store, a window with no data, a segment key nobody carries)."""
        return monitor.metrics(
            store,
            key.project_id,
            grain=grain,
            workload=workload,
            by=by,
            since=since,
            until=until,
            segment_key=settings.monitor_segment_key,
        )

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
