"""The HTTP routes of the privacy and security stage, mounted by :func:`flyloop.server.app.create_app`.

Scopes: setting a user's consent and issuing feedback tokens are what an app's backend does with
its ingest key; reading consent, the policy and the drop counters needs read; changing the
policy, rotating keys, erasing users, running retention and reading the audit log need admin.
``POST /v1/feedback`` takes a feedback token instead of a key (see :mod:`flyloop.capture.feedback_tokens`).
User ids travel in bodies and query strings, never in paths, so any id works unescaped.
"""

from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from flyloop import errors
from flyloop.capture import Capture, issue_feedback_token, submit_feedback
from flyloop.privacy import (
    apply_retention,
    audit_log,
    consent_of,
    drop_counts,
    erase_user,
    privacy_policy,
    pseudonym,
    redact_text,
    rotate_key,
    set_consent,
    set_privacy_policy,
)
from flyloop.server.ratelimit import RateLimiter
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

JsonBody = Annotated[Any, Body()]
OptionalBody = Annotated[dict[str, Any] | None, Body()]


def _object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise errors.ValidationError(f"the body must be a JSON object with {what}", field="body")
    return body


def _only(body: dict[str, Any], fields: set[str]) -> None:
    """A misspelt field is an error, never silently ignored."""
    unknown = sorted(set(body) - fields)
    if unknown:
        raise errors.ValidationError(
            f"unknown fields {', '.join(unknown)}; known: {', '.join(sorted(fields))}", field=unknown[0]
        )


def _user(body: dict[str, Any]) -> str:
    user_id = body.get("user_id")
    if not isinstance(user_id, str) or not 1 <= len(user_id) <= 200:
        raise errors.ValidationError("user_id must be a string of 1 to 200 characters", field="user_id")
    return user_id


def privacy_router(store: Store, settings: Settings, capture: Capture, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter()
    Ingest = Annotated[ApiKey, Depends(scope("ingest"))]
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]
    feedback_limiter = RateLimiter(settings.feedback_rate_limit, settings.rate_limit_storage)

    def actor(key: ApiKey) -> str:
        return f"key:{key.id}"

    @router.get("/v1/privacy/policy", tags=["privacy"])
    def get_policy(key: Read) -> dict[str, Any]:
        """The project's privacy policy: consent default, redaction, allow-lists, retention."""
        return privacy_policy(store, key.project_id).model_dump()

    @router.put("/v1/privacy/policy", tags=["privacy"])
    def put_policy(key: Admin, body: JsonBody) -> dict[str, Any]:
        """Change the policy: a partial policy, merged; lists are replaced whole."""
        return set_privacy_policy(store, key.project_id, _object(body, "policy fields"), actor=actor(key)).model_dump()

    @router.post("/v1/privacy/redact", tags=["privacy"])
    def redact(key: Read, body: JsonBody) -> dict[str, Any]:
        """What the project's redaction policy makes of a text, to try a policy out:
        ``{"text"}`` in, ``{"text", "found"}`` out (found: entity type -> count). Nothing is stored."""
        body = _object(body, "text")
        _only(body, {"text"})
        text = body.get("text")
        if not isinstance(text, str):
            raise errors.ValidationError("text must be a string", field="text")
        if len(text) > settings.max_text_chars:
            raise errors.PayloadTooLarge(
                f"text is {len(text)} characters; at most {settings.max_text_chars}", field="text"
            )
        return redact_text(store, key.project_id, text)

    @router.get("/v1/privacy/drops", tags=["privacy"])
    def get_drops(key: Read) -> dict[str, Any]:
        """What minimization, consent and erasure dropped at ingest, per workload."""
        return {"drops": drop_counts(store, key.project_id)}

    @router.post("/v1/privacy/rotate-key", tags=["privacy"])
    def rotate_project_key(key: Admin, body: OptionalBody = None) -> dict[str, Any]:
        """Rotate a project key: 'pseudonym' (re-keys stored user ids), 'feedback' (revokes
        outstanding tokens) or 'redaction' (new hash-style tokens)."""
        _only(body or {}, {"purpose"})
        purpose = (body or {}).get("purpose", "pseudonym")
        return rotate_key(store, key.project_id, purpose, actor=actor(key))

    @router.put("/v1/users/consent", tags=["capture"])
    def put_consent(key: Ingest, body: JsonBody) -> dict[str, Any]:
        """Record a user's consent: {"user_id", "state": full | no_training | no_content, "source"?}."""
        body = _object(body, "user_id and state")
        user_id = _user(body)
        _only(body, {"user_id", "state", "source"})
        state = body.get("state")
        if not isinstance(state, str):
            raise errors.ValidationError("state must be one of full, no_training, no_content", field="state")
        return set_consent(store, key.project_id, user_id, state, source=body.get("source", "api"), actor=actor(key))

    @router.get("/v1/users/consent", tags=["read"])
    def get_consent(key: Read, user_id: Annotated[str, Query(min_length=1, max_length=200)]) -> dict[str, Any]:
        """A user's consent in force and its history."""
        return consent_of(store, key.project_id, user_id)

    @router.get("/v1/users/pseudonym", tags=["read"])
    def get_pseudonym(key: Read, user_id: Annotated[str, Query(min_length=1, max_length=200)]) -> dict[str, Any]:
        """The id the store holds for a user (a keyed hash of the app's id): ``{"pseudonym"}``."""
        return {"pseudonym": pseudonym(store, key.project_id, user_id)}

    @router.post("/v1/users/erase", tags=["admin"])
    async def erase(key: Admin, body: JsonBody) -> dict[str, Any]:
        """Erase a user ({"user_id"}): their interactions, signals, outcomes and consent history,
        and the export files written from this store; synchronous, verified, audited. The apps'
        SDK spools are on their own hosts (``"spool": null``): ``fw.erase_user`` reaches those."""
        body = _object(body, "user_id")
        user_id = _user(body)
        _only(body, {"user_id"})
        return await run_in_threadpool(
            erase_user,
            store,
            key.project_id,
            user_id,
            actor=actor(key),
            grace_s=settings.erasure_grace_s,
            settings=settings,
        )

    @router.post("/v1/retention/apply", tags=["admin"])
    async def retention_apply(key: Admin) -> dict[str, Any]:
        """Apply the project's retention policy now."""
        return await run_in_threadpool(apply_retention, store, key.project_id, actor=actor(key))

    @router.get("/v1/audit", tags=["admin"])
    def get_audit(
        key: Admin,
        action: str | None = None,
        since: float | None = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    ) -> dict[str, Any]:
        """Audit rows, newest first; ``action`` exact or a prefix ending in '.' (``users.``)."""
        return {"items": audit_log(store, key.project_id, action=action, since=since, limit=limit)}

    @router.post("/v1/feedback-tokens", tags=["capture"])
    def feedback_token(key: Ingest, body: JsonBody) -> dict[str, Any]:
        """A token a browser can send signals about one interaction with:
        {"interaction_id", "ttl_s"?, "kinds"?, "max_uses"?}."""
        body = _object(body, "interaction_id")
        unknown = sorted(set(body) - {"interaction_id", "ttl_s", "kinds", "max_uses"})
        if unknown:
            raise errors.ValidationError(f"unknown fields {', '.join(unknown)}", field=unknown[0])
        ttl = body.get("ttl_s", settings.feedback_token_ttl_s)
        if not isinstance(ttl, (int, float)) or isinstance(ttl, bool):
            raise errors.ValidationError("ttl_s must be a number of seconds", field="ttl_s")
        kinds = body.get("kinds")
        if kinds is not None and not (isinstance(kinds, list) and all(isinstance(k, str) for k in kinds)):
            raise errors.ValidationError("kinds must be a list of signal kinds", field="kinds")
        max_uses = body.get("max_uses", 1)
        if isinstance(max_uses, float) and max_uses.is_integer():  # 2.0 is the integer 2 in JSON
            max_uses = int(max_uses)
        return issue_feedback_token(
            store, key.project_id, body.get("interaction_id"), ttl_s=float(ttl), kinds=kinds, max_uses=max_uses
        )

    @router.post("/v1/feedback", tags=["capture"])
    async def feedback(request: Request) -> dict[str, Any]:
        """A signal from a browser, authorized by a feedback token instead of an API key:
        {"token", "kind", "value"?, "payload"?}. Any content type (``sendBeacon`` sends text)."""
        feedback_limiter.check(f"feedback:{request.client.host if request.client else 'unknown'}")
        # Its size was checked as it arrived, and its text, by flyloop.server.guard (a smaller limit
        # than other routes': this one takes no key).
        raw = await request.body()
        try:
            body = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError as exc:
            raise errors.MalformedBody(f"the body is not valid JSON: {exc}") from None
        return await run_in_threadpool(submit_feedback, capture, body)

    return router
