"""flyloop's one exception tree.

Every error flyloop raises on purpose derives from :class:`FlyloopError`. Foreign errors
(sqlite3, psycopg, SQLAlchemy, HTTP) are translated at the boundary where they occur, so callers
catch one family. The CLI prints an error as one line; the API returns it as JSON with the
``status_code`` declared on its class::

    FlyloopError                      500  base; never raised bare
    ├── ConfigError                   400  a setting or URL that cannot be used
    ├── ValidationError               422  input that breaks a rule; names the field
    │   ├── MalformedBody             400  a body that is not JSON at all
    │   └── PayloadTooLarge           413  a body or field over its configured limit
    ├── AuthError                     401  missing or unknown API key
    │   └── PermissionDenied          403  a valid key without the scope for this action
    ├── NotFound                      404  no such object in this project
    ├── Conflict                      409  the request contradicts stored state
    │   ├── NotEnoughData             409  too few examples to build from ("N of M")
    │   └── Cancelled                 409  a loop run stopped on request (nothing it made was kept)
    ├── RateLimited                   429  too many requests for this key
    ├── StoreError                    503  the store failed; the request may be retried as is
    ├── Unavailable                   503  the server cannot apply the project's policy now
    ├── BackendError                  502  a model backend failed to load or answer (names model, path)
    │   └── BackendTimeout            504  the backend did not answer in time, after bounded retries
    └── TransportError                503  the SDK could not reach the server (the spool keeps it)
"""

from __future__ import annotations

from typing import Any


class FlyloopError(Exception):
    """Base of every error flyloop raises on purpose."""

    status_code: int = 500

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": type(self).__name__, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ConfigError(FlyloopError):
    """A setting, URL or file that cannot be used as given."""

    status_code = 400


class ValidationError(FlyloopError):
    """Input that breaks a rule; ``field`` names where (``signals[3].kind``)."""

    status_code = 422


class MalformedBody(ValidationError):
    """A request body that does not parse as JSON."""

    status_code = 400


class PayloadTooLarge(ValidationError):
    """A request body or a field larger than its configured limit."""

    status_code = 413


class AuthError(FlyloopError):
    """A request without an API key, or with one flyloop does not know. The SDK raises it from
    ``flush()`` when the server refused its key: it stops sending and keeps the events spooled."""

    status_code = 401


class PermissionDenied(AuthError):
    """A valid key that lacks the scope, or belongs to another project."""

    status_code = 403


class NotFound(FlyloopError):
    """No such object in this project."""

    status_code = 404


class Conflict(FlyloopError):
    """The request contradicts what is stored."""

    status_code = 409


class NotEnoughData(Conflict):
    """Too few usable examples to build from: ``details`` carry ``have`` and ``need`` ("N of M")."""

    status_code = 409


class Cancelled(Conflict):
    """A loop run stopped because someone asked it to (``flyloop loops cancel``, Ctrl-C): nothing it
    was making was registered, and its partial files were removed. ``details`` carry ``run``."""

    status_code = 409


class RateLimited(FlyloopError):
    """Too many requests for this key in the current window."""

    status_code = 429


class StoreError(FlyloopError):
    """The store failed underneath; nothing was written, and the request may be retried."""

    status_code = 503


class Unavailable(FlyloopError):
    """The server cannot take the events now through no fault of theirs: the project's privacy
    policy needs a package this server lacks (``ner`` redaction without the ``pii`` extra). A 503,
    so clients keep the batch and retry; a 4xx would have made them set the events aside as bad."""

    status_code = 503


class BackendError(FlyloopError):
    """A model backend could not load (the model or path named, nothing registered) or its
    endpoint failed after the bounded retries (5xx, refused connection)."""

    status_code = 502


class BackendTimeout(BackendError):
    """The backend did not answer within its timeout, on every one of the bounded tries."""

    status_code = 504


class TransportError(FlyloopError):
    """The SDK could not deliver a batch; it stays in the spool and is retried with the same ids."""

    status_code = 503
