"""Alerts delivered to a webhook: a JSON POST per alert, retried with backoff.

An alert waits as ``pending``; a 2xx answer makes it ``delivered``. A failure (refused
connection, timeout, any other status) is counted and retried after ``backoff_s``, doubled at
each further failure up to ``max_backoff_s``; after ``attempts`` failures the alert is
``undelivered``, still kept and still retried every ``max_backoff_s``, so a receiver that comes
back gets it. Never lost: an alert only leaves the queue on a 2xx.

Two processes never send the same alert at once: each claims an alert by moving its
``next_attempt_at`` past the send (a compare-and-set) before it posts.

The body carries ``text`` (the message) besides the alert's fields, which is what Slack- and
Mattermost-style incoming webhooks show.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa

from flyloop import errors
from flyloop.settings import Settings
from flyloop.store import Store
from flyloop.store import schema as t

from .alerts import list_alerts


@dataclass
class Delivery:
    """What one delivery pass did: ids delivered, ids that failed (with why), ids now undelivered."""

    delivered: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    undelivered: list[str] = field(default_factory=list)


def deliver_alerts(
    store: Store,
    project_id: str,
    url: str,
    *,
    now: float | None = None,
    attempts: int = 5,
    backoff_s: float = 30.0,
    max_backoff_s: float = 3600.0,
    timeout_s: float = 5.0,
) -> Delivery:
    """POST every alert due for delivery to ``url``; see the module's docstring."""
    if not url.startswith(("http://", "https://")):
        raise errors.ConfigError(
            f"monitor_webhook_url must be an http(s) URL, not {url!r}", field="monitor_webhook_url"
        )
    if attempts < 1:
        raise errors.ConfigError("monitor_webhook_attempts must be at least 1", field="monitor_webhook_attempts")
    now = time.time() if now is None else now
    a = t.monitor_alerts
    due = [
        al
        for al in list_alerts(store, project_id, delivery="pending", limit=10000)
        + list_alerts(store, project_id, delivery="undelivered", limit=10000)
        if al.next_attempt_at is None or al.next_attempt_at <= now
    ]
    out = Delivery()
    with httpx.Client(timeout=timeout_s) as client:
        for alert in sorted(due, key=lambda al: al.created_at):
            lease = now + timeout_s * 2 + 1
            with store.write() as conn:
                claimed = conn.execute(
                    sa.update(a)
                    .where(
                        a.c.project_id == project_id,
                        a.c.id == alert.id,
                        a.c.delivery != "delivered",
                        sa.or_(a.c.next_attempt_at.is_(None), a.c.next_attempt_at <= now),
                    )
                    .values(next_attempt_at=lease)
                ).rowcount
            if claimed != 1:
                continue  # another process has it
            body = {"project_id": project_id, "text": alert.message, **alert.to_json()}
            try:
                answer = client.post(url, json=body)
                error = None if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            tries = alert.attempts + 1
            with store.write() as conn:
                where = (a.c.project_id == project_id, a.c.id == alert.id)
                if error is None:
                    conn.execute(
                        sa.update(a)
                        .where(*where)
                        .values(
                            delivery="delivered",
                            attempts=tries,
                            delivered_at=time.time(),
                            next_attempt_at=None,
                            last_error=None,
                        )
                    )
                    out.delivered.append(alert.id)
                    continue
                wait = min(max_backoff_s, backoff_s * 2 ** (tries - 1))
                state = "undelivered" if tries >= attempts else "pending"
                conn.execute(
                    sa.update(a)
                    .where(*where)
                    .values(delivery=state, attempts=tries, next_attempt_at=now + wait, last_error=error[:500])
                )
                out.failed[alert.id] = error
                if state == "undelivered":
                    out.undelivered.append(alert.id)
    return out


def deliver_configured(
    store: Store, project_id: str, settings: Settings, *, now: float | None = None
) -> Delivery | None:
    """:func:`deliver_alerts` with the ``monitor_webhook_*`` settings; None when no webhook is set."""
    if not settings.monitor_webhook_url:
        return None
    return deliver_alerts(
        store,
        project_id,
        settings.monitor_webhook_url,
        now=now,
        attempts=settings.monitor_webhook_attempts,
        backoff_s=settings.monitor_webhook_backoff_s,
        max_backoff_s=settings.monitor_webhook_max_backoff_s,
    )
