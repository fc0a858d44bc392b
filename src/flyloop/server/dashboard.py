"""The dashboard: HTML pages at ``/`` and under ``/dashboard/``, served by ``flyloop serve``.

Sign-in takes an API key once (a form POST) and keeps a server-side session: the browser holds
only a random session id in an HttpOnly, SameSite=Strict cookie, never the key, so no script on
the page can read it. Looking needs the key's ``read`` scope, approving a decision its ``admin``
scope; the key is looked up again on every request, so a revoked key signs its sessions out.
Every action is a POST carrying the session's CSRF token (checked in constant time), and pages
are sent with a Content-Security-Policy that runs scripts from this server only.

Charts are drawn by Plotly's own ``plotly.min.js``, served from the installed ``plotly`` package
(the ``dashboard`` extra): nothing is fetched from a CDN. Without it the pages still show every
number in tables, and say how to install it. Sessions live in this process's memory: a restart
signs everyone out, and several server processes behind one address need sticky routing.
"""

from __future__ import annotations

import hmac
import importlib.util
import logging
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from flyloop import errors, rollout
from flyloop.server import dashboard_pages as pages
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

log = logging.getLogger("flyloop.server.dashboard")
Endpoint = Callable[[Request], Response | Awaitable[Response]]

FILES = Path(__file__).with_name("dashboard_files")
COOKIE = "flyloop_session"
SESSION_TTL_S = 8 * 3600.0
MAX_SESSIONS = 10_000
MAX_FORM_BYTES = 4096
# The form posts: the request guard passes their bodies through as they are (they are forms,
# not JSON); each route reads and checks its own fields.
FORM_PATHS = ("/dashboard/login", "/dashboard/logout", "/dashboard/decide")
INSTALL_PLOTLY = "pip install 'flyloop[dashboard]'"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
NAV = [
    ("/", "Velocity"),
    ("/dashboard/signals", "Signal mix"),
    ("/dashboard/verdicts", "Verdicts"),
    ("/dashboard/versions", "Versions"),
    ("/dashboard/experiments", "Experiments"),
    ("/dashboard/decisions", "Decisions"),
    ("/dashboard/segments", "Segments"),
    ("/dashboard/datasets", "Datasets"),
    ("/dashboard/runs", "Loop runs"),
    ("/dashboard/alerts", "Alerts"),
]


def plotly_js() -> Path | None:
    """The installed Plotly bundle, or None when the ``dashboard`` extra is not installed."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


@dataclass
class Session:
    secret: str  # the API key, kept server-side only: it is looked up again on every request
    csrf: str
    expires_at: float


class Sessions:
    """Signed-in browsers, by the random id in their cookie."""

    def __init__(self, ttl_s: float = SESSION_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, secret: str) -> tuple[str, Session]:
        sid, now = secrets.token_urlsafe(32), time.time()
        session = Session(secret=secret, csrf=secrets.token_urlsafe(32), expires_at=now + self.ttl_s)
        with self._lock:
            if len(self._by_id) >= MAX_SESSIONS:
                self._by_id = {k: s for k, s in self._by_id.items() if s.expires_at > now}
                while len(self._by_id) >= MAX_SESSIONS:  # still full: the oldest go first
                    self._by_id.pop(next(iter(self._by_id)))
            self._by_id[sid] = session
        return sid, session

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._by_id.get(sid)
            if session is not None and session.expires_at <= time.time():
                self._by_id.pop(sid, None)
                return None
        return session

    def end(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)


def _json_for_html(value: Any) -> Markup:
    # Inside <script type="application/json">: no "</script>" or "<!--" can end it early.
    text = orjson.dumps(value).decode().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(FILES), autoescape=select_autoescape(["html"]))
    env.filters["json_for_html"] = _json_for_html
    return env


def _form(body: bytes) -> dict[str, str]:
    if len(body) > MAX_FORM_BYTES:
        raise errors.PayloadTooLarge(f"a dashboard form is at most {MAX_FORM_BYTES} bytes", field="body")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise errors.ValidationError("the form is not UTF-8", field="body") from None
    form = dict(pairs)
    for name, value in form.items():
        if "\x00" in value:
            raise errors.ValidationError("holds a NUL character", field=name)
    return form


def _local(path: str) -> str:
    """A redirect target on this site only (no scheme, no host, no //evil.example)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def dashboard_router(
    store: Store, settings: Settings, find_key: Callable[[str], ApiKey | None], sessions: Sessions | None = None
) -> APIRouter:
    """The dashboard's routes; ``find_key`` is the app's key look-up (its cache included)."""
    router = APIRouter(include_in_schema=False)

    def route(path: str, method: str = "GET") -> Callable[[Endpoint], Endpoint]:
        # Plain Starlette routes, not API routes: they answer a browser with HTML and take a
        # session cookie, not an API key (the API's routes each check a key's scope; these check
        # the session's key the same way, in show() and decide()). They stay out of the OpenAPI.
        def add(endpoint: Endpoint) -> Endpoint:
            router.add_route(path, endpoint, methods=[method], include_in_schema=False)
            return endpoint

        return add

    sessions = sessions or Sessions()
    env = _environment()
    plotly = plotly_js()

    def html(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = env.get_template(template).render(
            nav=NAV, path=request.url.path, plotly=plotly is not None, install=INSTALL_PLOTLY, **context
        )
        response = HTMLResponse(body, status_code=status)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    def signed_in(request: Request) -> tuple[Session, ApiKey] | None:
        session = sessions.get(request.cookies.get(COOKIE))
        if session is None:
            return None
        key = find_key(session.secret)
        if key is None:  # revoked since sign-in
            sessions.end(request.cookies.get(COOKIE))
            return None
        return session, key

    def to_login(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/dashboard/login?next={quote(target, safe='')}", status_code=303)

    def show(request: Request, build: Callable[[ApiKey], pages.Page]) -> Response:
        found = signed_in(request)
        if found is None:
            return to_login(request)
        session, key = found
        if not key.allows("read"):
            return html(
                request,
                "message.html",
                403,
                title="Not allowed",
                session=session,
                message="This API key lacks the 'read' scope the dashboard needs. Sign out and use another.",
            )
        try:
            page = build(key)
        except errors.FlyloopError as exc:
            where = f" ({exc.field})" if getattr(exc, "field", None) else ""
            return html(
                request,
                "message.html",
                exc.status_code,
                title="Cannot show this page",
                session=session,
                message=f"{exc.message}{where}",
            )
        except Exception:
            log.exception("dashboard page %s failed", request.url.path)
            return html(
                request,
                "message.html",
                500,
                title="Something went wrong",
                session=session,
                message="This page failed on the server; the error was logged.",
            )
        return html(
            request,
            "page.html",
            page=page,
            session=session,
            admin=key.allows("admin"),
            flash=request.query_params.get("done", "")[:300],
        )

    def q(request: Request, name: str, default: str | None = None) -> str | None:
        value = request.query_params.get(name, default)
        return value if value else default

    # --- sign-in ---------------------------------------------------------------------------

    @route("/dashboard/login")
    def login_form(request: Request) -> Response:
        return html(request, "login.html", next=_local(request.query_params.get("next", "/")), error="")

    @route("/dashboard/login", "POST")
    async def login(request: Request) -> Response:
        form = _form(await request.body())
        secret, target = form.get("key", "").strip(), _local(form.get("next", "/"))
        key = find_key(secret) if secret else None
        error = ""
        if not secret:
            error = "Enter an API key."
        elif key is None:
            error = "Unknown or revoked API key."
        elif not key.allows("read"):
            error = "This key lacks the 'read' scope the dashboard needs."
        if error:
            return html(request, "login.html", 401, next=target, error=error)
        sid, _ = sessions.start(secret)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE,
            sid,
            max_age=int(sessions.ttl_s),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    @route("/dashboard/logout", "POST")
    async def logout(request: Request) -> Response:
        form = _form(await request.body())
        session = sessions.get(request.cookies.get(COOKIE))
        if session is not None and hmac.compare_digest(form.get("csrf", ""), session.csrf):
            sessions.end(request.cookies.get(COOKIE))
        response = RedirectResponse("/dashboard/login", status_code=303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return response

    # --- actions ---------------------------------------------------------------------------

    @route("/dashboard/decide", "POST")
    async def decide(request: Request) -> Response:
        """Approve or dismiss a flagged or pending decision: admin scope and the CSRF token."""
        form = _form(await request.body())
        found = signed_in(request)
        if found is None:
            return to_login(request)
        session, key = found
        if not hmac.compare_digest(form.get("csrf", ""), session.csrf):
            return html(
                request,
                "message.html",
                403,
                title="Refused",
                session=session,
                message="The form's CSRF token is missing or stale: reload the page and try again.",
            )
        if not key.allows("admin"):
            return html(
                request,
                "message.html",
                403,
                title="Not allowed",
                session=session,
                message="Approving needs an API key with the 'admin' scope.",
            )
        action, decision_id = form.get("action", ""), form.get("decision", "")
        target = _local(form.get("next", "/dashboard/decisions")).split("?")[0]
        by = f"key:{key.id}"
        try:
            if action == "approve":
                done = rollout.approve_decision(store, key.project_id, decision_id, by=by)
            elif action == "dismiss":
                done = rollout.dismiss_decision(store, key.project_id, decision_id, by=by)
            else:
                raise errors.ValidationError("action must be approve or dismiss", field="action")
        except errors.FlyloopError as exc:
            return html(
                request, "message.html", exc.status_code, title="Not done", session=session, message=exc.message
            )
        words = f"decision {done.id} ({done.action}) is {done.status}"
        return RedirectResponse(f"{target}?done={quote(words)}", status_code=303)

    # --- pages -----------------------------------------------------------------------------

    @route("/")
    def velocity(request: Request) -> Response:
        return show(
            request,
            lambda k: pages.overview(
                store, k.project_id, workload=q(request, "workload"), grain=q(request, "grain", "week") or "week"
            ),
        )

    @route("/dashboard/signals")
    def signals(request: Request) -> Response:
        return show(
            request,
            lambda k: pages.signal_mix(
                store, k.project_id, workload=q(request, "workload"), grain=q(request, "grain", "day") or "day"
            ),
        )

    @route("/dashboard/verdicts")
    def verdicts(request: Request) -> Response:
        return show(
            request,
            lambda k: pages.verdicts(
                store, k.project_id, workload=q(request, "workload"), grain=q(request, "grain", "day") or "day"
            ),
        )

    @route("/dashboard/versions")
    def versions(request: Request) -> Response:
        return show(request, lambda k: pages.versions(store, k.project_id, workload=q(request, "workload")))

    @route("/dashboard/versions/{version_id}")
    def version(request: Request) -> Response:
        version_id = request.path_params["version_id"]
        return show(request, lambda k: pages.lineage(store, k.project_id, version_id))

    @route("/dashboard/experiments")
    def experiments(request: Request) -> Response:
        return show(request, lambda k: pages.experiments(store, k.project_id, workload=q(request, "workload")))

    @route("/dashboard/experiments/{experiment_id}")
    def experiment(request: Request) -> Response:
        experiment_id = request.path_params["experiment_id"]
        return show(
            request, lambda k: pages.experiment(store, k.project_id, experiment_id, can_approve=k.allows("admin"))
        )

    @route("/dashboard/decisions")
    def decisions(request: Request) -> Response:
        return show(request, lambda k: pages.decisions(store, k.project_id, can_approve=k.allows("admin")))

    @route("/dashboard/segments")
    def segments(request: Request) -> Response:
        return show(
            request,
            lambda k: pages.segments(
                store,
                k.project_id,
                settings,
                workload=q(request, "workload"),
                grain=q(request, "grain", "day") or "day",
            ),
        )

    @route("/dashboard/datasets")
    def dataset_versions(request: Request) -> Response:
        return show(request, lambda k: pages.dataset_versions(store, k.project_id))

    @route("/dashboard/runs")
    def runs(request: Request) -> Response:
        return show(request, lambda k: pages.loop_runs(store, k.project_id, workload=q(request, "workload")))

    @route("/dashboard/alerts")
    def alerts(request: Request) -> Response:
        return show(request, lambda k: pages.alerts(store, k.project_id, workload=q(request, "workload")))

    # --- static files ----------------------------------------------------------------------

    @route("/dashboard/static/plotly.min.js")
    def plotly_bundle(_request: Request) -> Response:
        if plotly is None:
            return Response(
                f"/* plotly is not installed: {INSTALL_PLOTLY} */", media_type="text/javascript", status_code=404
            )
        return FileResponse(plotly, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @route("/dashboard/static/{name}")
    def static(request: Request) -> Response:
        name = request.path_params["name"]
        media = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}.get(name)
        if media is None:
            raise errors.NotFound(f"no dashboard file {name!r}", field="name")
        return FileResponse(FILES / name, media_type=media, headers={"Cache-Control": "max-age=3600"})

    return router
