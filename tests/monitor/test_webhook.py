"""Alerts POSTed to a real local receiver; a receiver that is down: retried with backoff, marked
undelivered, never lost, and delivered when it comes back."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from conftest import hours_ago
from flyloop import Settings, errors
from flyloop.monitor import check_alerts, deliver_alerts, list_alerts, run_monitor, update_rollups

BASE = hours_ago(30)


class Receiver:
    """An HTTP server in a thread that keeps every JSON body POSTed to it."""

    def __init__(self, port: int = 0, status: int = 200) -> None:
        bodies: list[dict] = []
        self.bodies = bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def drifted(capture, store, settings) -> str:
    its = [
        {"id": f"i{k}", "workload": "w", "input": "x" * (20 if k < 40 else 500), "output": "o", "ts": BASE + k * 90}
        for k in range(80)
    ]
    capture.ingest("acme", {"interactions": its})
    update_rollups(store, "acme")
    s = Settings(home=settings.home, database_url="sqlite://", monitor_window_s=3600, monitor_min_interactions=30)
    (alert,) = check_alerts(store, "acme", settings=s, now=BASE + 7000, kinds=["input_drift"]).raised
    return alert.id


def test_delivered_to_a_live_receiver(capture, store, settings):
    alert_id = drifted(capture, store, settings)
    receiver = Receiver()
    try:
        done = deliver_alerts(store, "acme", receiver.url, now=BASE + 7000)
    finally:
        receiver.close()
    assert done.delivered == [alert_id] and done.failed == {}
    (body,) = receiver.bodies
    assert body["id"] == alert_id and body["kind"] == "input_drift" and body["project_id"] == "acme"
    assert body["text"] == body["message"] and "population stability index" in body["text"]
    (stored,) = list_alerts(store, "acme")
    assert (stored.delivery, stored.attempts, stored.last_error) == ("delivered", 1, None)
    # Delivered once: a second pass sends nothing.
    assert deliver_alerts(store, "acme", receiver.url, now=BASE + 8000).delivered == []


def test_down_receiver_retried_then_undelivered_then_delivered(capture, store, settings):
    alert_id = drifted(capture, store, settings)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    now = BASE + 7000
    first = deliver_alerts(store, "acme", url, now=now, attempts=2, backoff_s=10, max_backoff_s=40, timeout_s=1)
    assert list(first.failed) == [alert_id] and "ConnectError" in first.failed[alert_id]
    (a,) = list_alerts(store, "acme")
    assert (a.delivery, a.attempts, a.next_attempt_at) == ("pending", 1, now + 10)
    # Not due yet: the backoff holds it.
    assert deliver_alerts(store, "acme", url, now=now + 5, attempts=2, backoff_s=10, timeout_s=1).failed == {}
    second = deliver_alerts(store, "acme", url, now=now + 10, attempts=2, backoff_s=10, max_backoff_s=40, timeout_s=1)
    assert second.undelivered == [alert_id]
    (a,) = list_alerts(store, "acme", delivery="undelivered")
    assert (a.attempts, a.next_attempt_at) == (2, now + 10 + 20)
    receiver = Receiver(port)
    try:
        back = deliver_alerts(store, "acme", url, now=now + 30, attempts=2, backoff_s=10, timeout_s=1)
    finally:
        receiver.close()
    assert back.delivered == [alert_id] and [b["id"] for b in receiver.bodies] == [alert_id]
    (a,) = list_alerts(store, "acme")
    assert (a.delivery, a.attempts) == ("delivered", 3)


def test_a_refusing_receiver_is_a_failure(capture, store, settings):
    alert_id = drifted(capture, store, settings)
    receiver = Receiver(status=500)
    try:
        done = deliver_alerts(store, "acme", receiver.url, now=BASE + 7000)
    finally:
        receiver.close()
    assert done.failed == {alert_id: "HTTP 500"} and len(receiver.bodies) == 1


def test_run_monitor_end_to_end(capture, store, settings):
    """The timer's job: rollups, checks, delivery, against the wall clock's windows (a day)."""
    its = [
        {"id": f"p{k}", "workload": "w", "input": "x" * 20, "output": "o", "ts": hours_ago(30) + k * 60}
        for k in range(40)
    ] + [
        {"id": f"c{k}", "workload": "w", "input": "x" * 500, "output": "o", "ts": hours_ago(1) + k * 60}
        for k in range(40)
    ]
    capture.ingest("acme", {"interactions": its})
    receiver = Receiver()
    try:
        s = Settings(home=settings.home, database_url="sqlite://", monitor_webhook_url=receiver.url)
        run_monitor(store, s)
        run_monitor(store, s)  # again: nothing new to raise or send
    finally:
        receiver.close()
    (alert,) = list_alerts(store, "acme")
    assert (alert.kind, alert.delivery) == ("input_drift", "delivered")
    assert [b["id"] for b in receiver.bodies] == [alert.id]
    with pytest.raises(errors.ConfigError) as e:
        deliver_alerts(store, "acme", "ftp://nowhere")
    assert e.value.field == "monitor_webhook_url"
