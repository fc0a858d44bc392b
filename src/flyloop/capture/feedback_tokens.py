"""Signed, expiring, per-interaction feedback tokens, so a browser can send a signal without an
API key.

The app's backend (holding an ingest key) asks for a token for one interaction
(``issue_feedback_token``, ``POST /v1/feedback-tokens``) and puts it in the page; the browser
posts ``{"token", "kind", "value"?, "payload"?}`` to ``POST /v1/feedback`` (plain JSON body, so
``navigator.sendBeacon`` works). The token is a JWT (HS256, PyJWT) signed with a key of the
project's own (``project_secrets``, purpose 'feedback'); it names the project, the interaction,
the signal kinds it may send (explicit and implicit kinds by default, never outcomes), how many
signals it may send (``max_uses``, default 1) and when it expires.

- A token cannot reach another interaction or project: both are inside the signature.
- An expired, tampered or unknown-key token is refused (401); rotating the 'feedback' key
  (``flyloop privacy rotate-key --purpose feedback``) revokes every outstanding token.
- Replay: each accepted signal spends one use, recorded under the token's nonce with a primary
  key, so a replayed request (or one past ``max_uses``) is refused (409) even when two arrive at
  once. The signal id is derived from the nonce and the use, so nothing can be stored twice.

The signal then goes through :meth:`flyloop.capture.ingest.Capture.ingest` like any other, privacy gate
included; its actor is the interaction's user.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from typing import Any

import jwt
import sqlalchemy as sa

from flyloop import errors
from flyloop.capture.ingest import Capture
from flyloop.events import KINDS, IngestResult
from flyloop.privacy import current_secret, latest_existing
from flyloop.store import Store, schema

AUDIENCE = "flyloop:feedback"
ISSUER = "flyloop"
MAX_TTL_S = 30 * 86400.0
MAX_USES = 20


def browser_kinds() -> list[str]:
    """Kinds a browser may send by default: what a user does, never an outcome."""
    return sorted(name for name, kind in KINDS.items() if kind.category in ("explicit", "implicit"))


def issue_feedback_token(
    store: Store,
    project_id: str,
    interaction_id: str,
    *,
    ttl_s: float = 86400.0,
    kinds: Sequence[str] | None = None,
    max_uses: int = 1,
) -> dict[str, Any]:
    """A token letting a browser send up to ``max_uses`` signals of ``kinds`` about one
    interaction within ``ttl_s`` seconds: ``{"token", "expires_at", "kinds", "max_uses"}``."""
    if not isinstance(interaction_id, str) or not 1 <= len(interaction_id) <= 128:
        raise errors.ValidationError("interaction_id must be an id of 1 to 128 characters", field="interaction_id")
    if not 0 < ttl_s <= MAX_TTL_S:
        raise errors.ValidationError(f"ttl_s must be within (0, {MAX_TTL_S:g}]", field="ttl_s")
    if not isinstance(max_uses, int) or not 1 <= max_uses <= MAX_USES:
        raise errors.ValidationError(f"max_uses must be an integer from 1 to {MAX_USES}", field="max_uses")
    allowed = browser_kinds()
    if isinstance(kinds, str):  # one kind named on its own, not its letters
        kinds = [kinds]
    chosen = sorted(set(kinds)) if kinds is not None else allowed
    bad = sorted(set(chosen) - set(allowed))
    if bad or not chosen:
        raise errors.ValidationError(
            f"kinds must be some of {', '.join(allowed)}; got {', '.join(bad) or 'none'}", field="kinds"
        )
    version, key = current_secret(store, project_id, "feedback")
    now = time.time()
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "pid": project_id,
        "sub": interaction_id,
        "jti": secrets.token_hex(16),
        "iat": int(now),
        "exp": int(now + ttl_s),
        "ver": version,
        "uses": max_uses,
    }
    if kinds is not None:
        claims["kinds"] = chosen
    return {
        "token": jwt.encode(claims, key, algorithm="HS256"),
        "expires_at": claims["exp"],
        "kinds": chosen,
        "max_uses": max_uses,
    }


def verify_feedback_token(store: Store, token: Any) -> dict[str, Any]:
    """The token's claims if it is genuine and unexpired; raises AuthError otherwise."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        raise errors.AuthError("a feedback token is required", field="token")
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
        project_id, version = unverified["pid"], unverified["ver"]
        if not isinstance(project_id, str) or not isinstance(version, int):
            raise KeyError("pid")
    except (jwt.PyJWTError, KeyError, TypeError):
        raise errors.AuthError("not a feedback token", field="token") from None
    # Only the newest key verifies: rotating it revokes every token signed with an older one.
    latest = latest_existing(store, project_id, "feedback")
    if latest is None or latest[0] != version:
        raise errors.AuthError("this feedback token was revoked or never valid", field="token")
    key = latest[1]
    try:
        return jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "jti", "sub", "pid", "ver", "uses"]},
        )
    except jwt.ExpiredSignatureError:
        raise errors.AuthError("this feedback token has expired", field="token") from None
    except jwt.PyJWTError:
        raise errors.AuthError("this feedback token is not valid", field="token") from None


def _spend(store: Store, claims: dict[str, Any]) -> int:
    """Record one use of the token; returns its number, or raises Conflict when none is left."""
    t = schema.feedback_token_uses
    project_id, nonce = claims["pid"], claims["jti"]
    for _ in range(3):  # a concurrent use may take the number we picked: pick again
        with store.read() as conn:
            used = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(t.c.project_id == project_id, t.c.nonce == nonce)
            ).scalar_one()
        if used >= int(claims["uses"]):
            raise errors.Conflict("this feedback token was already used", field="token")
        with store.write() as conn:
            # RETURNING says whether the row went in: an insert's rowcount is -1 on some drivers.
            stored = (
                conn.execute(
                    store.insert(t).returning(t.c.use),
                    {
                        "project_id": project_id,
                        "nonce": nonce,
                        "use": used + 1,
                        "interaction_id": claims["sub"],
                        "used_at": time.time(),
                        "expires_at": float(claims["exp"]),
                    },
                ).first()
                is not None
            )
        if stored:
            return used + 1
    raise errors.Conflict("this feedback token is being used concurrently; it was not used now", field="token")


def _unspend(store: Store, claims: dict[str, Any], use: int) -> None:
    t = schema.feedback_token_uses
    with store.write() as conn:
        conn.execute(sa.delete(t).where(t.c.project_id == claims["pid"], t.c.nonce == claims["jti"], t.c.use == use))


def _as_the_browser_sent_it(exc: errors.ValidationError, body: dict[str, Any]) -> errors.ValidationError:
    """The error naming the browser's fields (``value``, ``payload.text``), not those of the
    signal built from them (``signals[0].value``), which the browser never sent."""

    def own(field: str | None) -> str | None:
        return field.removeprefix("signals[0].") if field else field

    message = exc.message
    if own(exc.field) == "value" and isinstance(body.get("value"), str):
        message += '; value is a number (a rating, a score): text goes in payload.text, as {"payload": {"text": ...}}'
    details = dict(exc.details)
    if "problems" in details:
        details["problems"] = [{**p, "field": own(p["field"])} for p in details["problems"]]
    return type(exc)(message, field=own(exc.field), **details)


def submit_feedback(capture: Capture, body: Any) -> dict[str, Any]:
    """Store the signal a browser sent with a feedback token (see the module docstring)."""
    if not isinstance(body, dict):
        raise errors.ValidationError("the body must be a JSON object with token and kind", field="body")
    unknown = sorted(set(body) - {"token", "kind", "value", "payload"})
    if unknown:
        raise errors.ValidationError(f"unknown fields {', '.join(unknown)}", field=unknown[0])
    claims = verify_feedback_token(capture.store, body.get("token"))
    allowed = claims.get("kinds") or browser_kinds()
    kind = body.get("kind")
    if kind not in allowed:
        raise errors.PermissionDenied(f"this token may send {', '.join(allowed)}; not {kind!r}", field="kind")
    signal: dict[str, Any] = {"id": "", "interaction_id": claims["sub"], "kind": kind, "source": "user"}
    for name in ("value", "payload"):
        if body.get(name) is not None:
            signal[name] = body[name]
    try:
        batch = capture.parse({"signals": [{**signal, "id": "fb-check"}]})  # validate before spending a use
    except errors.ValidationError as exc:
        raise _as_the_browser_sent_it(exc, body) from None
    use = _spend(capture.store, claims)
    signal["id"] = f"fb-{claims['jti']}-{use}"
    batch = batch.model_copy(update={"signals": [batch.signals[0].model_copy(update={"id": signal["id"]})]})
    try:
        result: IngestResult = capture.ingest(claims["pid"], batch)
    except Exception:
        _unspend(capture.store, claims, use)  # nothing stored: the browser may try again
        raise
    return {
        "stored": result.signals == 1,
        "signal_id": signal["id"],
        "interaction_id": claims["sub"],
        "uses_left": int(claims["uses"]) - use,
    }
