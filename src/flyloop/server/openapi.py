"""What the OpenAPI document says beyond what FastAPI reads off the routes: the bodies of the
routes that read JSON by hand, every error each operation can answer (in one schema), and that
no string anywhere may hold a NUL. ``scripts/fuzz.sh`` holds the API to this document with every
schemathesis check, so it must say what the routes accept, neither more nor less.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer of the API."""

    error: str = Field(description="The error's class in flyloop's exception tree, such as ValidationError.")
    message: str
    field: str | None = Field(None, description="The field at fault, such as signals[3].kind or user_id.")
    details: dict[str, Any] | None = Field(None, description="More about it: every problem found, when to retry.")


# Each answer the API can give besides its success, as the OpenAPI document lists it.
ERROR_STATUSES = {
    400: "The body is not JSON.",
    401: "No API key, or an unknown or revoked one.",
    403: "The key lacks the scope this route needs.",
    404: "No such object in this project.",
    405: "This path does not take this method.",
    409: "The request contradicts stored state.",
    413: "The body is over its size limit.",
    422: "Input that breaks a rule; `field` names where.",
    429: "Too many requests for this key; `Retry-After` says when to retry.",
    503: "The store failed; the request may be retried as is.",
}


_TEXT_PATTERN = "^[^\\u0000]*$"
# Text with something besides whitespace (what ``str.strip`` removes) and no NUL.
_SPACE = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace())
_NOT_BLANK_PATTERN = f"^[^\\u0000]*[^\\u0000{_SPACE}][^\\u0000]*$"


def _text(max_length: int, min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


def _document_bodies(schema: dict[str, Any], key_name_chars: int) -> None:
    """The JSON bodies of the routes that read them by hand, as precisely as the routes check
    them, so a client (or a fuzzer) knows what is accepted: FastAPI only sees ``Any``."""
    from flyloop.capture import MAX_TTL_S, MAX_USES, browser_kinds
    from flyloop.curation import CurationConfig
    from flyloop.privacy import ENTITIES, MINIMIZABLE_FIELDS, PrivacyPolicy
    from flyloop.store import SCOPES

    components = schema["components"]["schemas"]

    def model(cls: Any) -> dict[str, Any]:
        found = cls.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(found.pop("$defs", {}))
        return found

    policy = model(PrivacyPolicy)
    # a partial policy: every field optional, a workload set to null removes its allow-list
    policy["properties"]["workloads"]["additionalProperties"] = {
        "anyOf": [{"$ref": "#/components/schemas/WorkloadAllowList"}, {"type": "null"}]
    }
    components["RedactionPolicy"]["properties"]["entities"]["items"]["enum"] = list(ENTITIES)
    fields = components["WorkloadAllowList"]["properties"]["fields"]["anyOf"][0]
    fields["items"]["enum"] = list(MINIMIZABLE_FIELDS)
    components["CurationConfig"] = model(CurationConfig)
    # Any JSON (a payload, metadata) but what no route takes: a NUL, nesting past 64 levels.
    components["JsonValue"] = {
        "anyOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "array", "items": {"$ref": "#/components/schemas/JsonValue"}},
            {"$ref": "#/components/schemas/JsonObject"},
        ]
    }
    components["JsonObject"] = {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JsonValue"}}
    # a signal's kind is one registered when the document is made (flyloop.events.kinds.KINDS)
    from flyloop.events import KINDS

    components["SignalIn"]["properties"]["kind"] = {"enum": sorted(KINDS), "description": "A registered signal kind."}
    # an outcome names exactly one of its interaction or a join key
    components["OutcomeIn"]["oneOf"] = [
        {"required": [name], "properties": {name: {"type": "string"}}} for name in ("interaction_id", "join_key")
    ]
    for name in ("InteractionIn", "SignalIn", "OutcomeIn"):
        for field in ("metadata", "payload"):
            if field in components[name]["properties"]:
                components[name]["properties"][field] = {"$ref": "#/components/schemas/JsonObject"}
    user = {"user_id": _text(200)}
    closed = {"type": "object", "additionalProperties": False}
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("put", "/v1/users/consent"): {
            **closed,
            "required": ["user_id", "state"],
            "properties": {**user, "state": {"enum": ["full", "no_training", "no_content"]}, "source": _text(60)},
        },
        ("post", "/v1/users/erase"): {**closed, "required": ["user_id"], "properties": user},
        ("post", "/v1/labels/recompute"): {
            "anyOf": [
                {"type": "null"},
                {**closed, "properties": {"workload": _text(200), "infer": {"type": "boolean"}}},
            ]
        },
        ("post", "/v1/privacy/redact"): {**closed, "required": ["text"], "properties": {"text": {"type": "string"}}},
        ("post", "/v1/keys"): {
            **closed,
            "required": ["scopes"],
            "properties": {
                "scopes": {"type": "array", "minItems": 1, "items": {"enum": list(SCOPES)}},
                "name": _text(key_name_chars, 0),
            },
        },
        ("post", "/v1/feedback-tokens"): {
            "type": "object",
            "required": ["interaction_id"],
            "additionalProperties": False,
            "properties": {
                "interaction_id": _text(128),
                "ttl_s": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_TTL_S},
                "kinds": {
                    "anyOf": [{"type": "array", "minItems": 1, "items": {"enum": browser_kinds()}}, {"type": "null"}]
                },
                "max_uses": {"type": "integer", "minimum": 1, "maximum": MAX_USES},
            },
        },
        ("post", "/v1/feedback"): {
            "type": "object",
            "required": ["token", "kind"],
            "additionalProperties": False,
            "description": "One signal from a browser, authorized by a feedback token.",
            "properties": {
                "token": {**_text(4096), "description": "The feedback token the app's backend put in the page."},
                "kind": {"enum": browser_kinds(), "description": "A signal kind the token allows."},
                "value": {
                    "anyOf": [{"type": "number"}, {"type": "null"}],
                    "description": "A number: a rating, a score.",
                },
                "payload": {
                    "anyOf": [{"$ref": "#/components/schemas/JsonObject"}, {"type": "null"}],
                    "description": "The kind's details: a comment's or an edit's text goes in payload.text.",
                },
            },
        },
        ("post", "/v1/privacy/rotate-key"): {
            "anyOf": [
                {"type": "null"},
                {**closed, "properties": {"purpose": {"enum": ["pseudonym", "feedback", "redaction"]}}},
            ]
        },
        ("put", "/v1/privacy/policy"): policy,
        ("post", "/v1/datasets"): {
            "type": "object",
            "properties": {
                "name": _text(200),
                "config": {"$ref": "#/components/schemas/CurationConfig"},
                "parent": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
        },
        ("post", "/v1/datasets/{ref}/taint"): {
            **closed,
            "required": ["reason"],
            "properties": {
                "reason": {**_text(2000), "pattern": _NOT_BLANK_PATTERN, "description": "Why; not only whitespace."}
            },
        },
    }
    for (method, path), body in bodies.items():
        operation = schema["paths"].get(path, {}).get(method)
        if operation is not None:
            operation["requestBody"] = {
                "required": (method, path) not in OPTIONAL_BODIES,
                "content": {"application/json": {"schema": body}},
            }


# Routes whose whole body may be left out.
OPTIONAL_BODIES = {("post", "/v1/privacy/rotate-key"), ("post", "/v1/labels/recompute")}


# A cursor is what ``next_cursor`` held: URL-safe base64 (of the last row's time and id).
CURSOR_PATTERN = "^[A-Za-z0-9_-]*={0,2}$"


def _parameter(schema: dict[str, Any], method: str, path: str, name: str) -> dict[str, Any] | None:
    operation = schema["paths"].get(path, {}).get(method, {})
    return next((p for p in operation.get("parameters", []) if p.get("name") == name), None)


def _document_rules(schema: dict[str, Any]) -> None:
    """Say what the routes refuse beyond the fields' own types, where JSON Schema can say it
    (a cursor's shape, an empty list) and in words where it cannot (rules across fields or
    parameters, per-kind rules). What stays in words only, ``scripts/fuzz.py`` names."""
    components = schema["components"]["schemas"]
    cursor = _parameter(schema, "get", "/v1/interactions", "cursor")
    if cursor is not None:
        cursor["description"] = (
            "The `next_cursor` of the previous page, as it was returned (empty or "
            "absent: the first page); any other value is a 422 naming `cursor`."
        )
        for branch in cursor["schema"].get("anyOf", [cursor["schema"]]):
            if branch.get("type") == "string":
                branch["pattern"] = CURSOR_PATTERN
    split = _parameter(schema, "get", "/v1/datasets/{ref}/export/{target}", "split")
    if split is not None:
        split["description"] = (
            "Splits to export (default: train and validation; `fewshot` train, `eval` eval). The held-out `eval` "
            "split is read only by the `eval` target; any other target asking for "
            "it gets a 422 naming `splits`."
        )
    config = components.get("CurationConfig")
    if config is not None:
        properties = config["properties"]
        properties["kinds"]["minItems"] = 1
        for branch in properties["workloads"].get("anyOf", []):
            if branch.get("type") == "array":
                branch["minItems"] = 1
        if properties.get("segments", {}).get("type") == "object":
            properties["segments"]["additionalProperties"]["minItems"] = 1
        config["description"] = (
            config.get("description", "").strip() + " Rules across fields, each a 422 "
            "naming the field: the split shares (train, validation, eval) add up to 1 "
            "and train is above 0; `since` is before `until`; a filter's minimum is "
            "not above its maximum; no workload is both included and excluded; "
            "`kinds` with `eval` needs an eval share above 0, with `fewshot` a "
            "`fewshot_per_workload` above 0."
        )
    signal = components.get("SignalIn")
    if signal is not None:
        signal["properties"]["value"]["description"] = (
            "A number whose rules depend on the kind: a `rating` lies within its `payload.scale` "
            "([1, 5] unless given), for example. A value a kind refuses is a 422 naming it."
        )


def _no_nul_in_strings(node: Any) -> None:
    """Say in the document what the API refuses everywhere: no string may hold a NUL."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(node):
            node["pattern"] = _TEXT_PATTERN
        if node.get("type") == "object" and node.get("additionalProperties", True) is not False:
            node.setdefault("propertyNames", {"pattern": _TEXT_PATTERN})
        for value in node.values():
            _no_nul_in_strings(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul_in_strings(value)


def _document_errors(schema: dict[str, Any]) -> None:
    """Every operation lists each error it can answer, in the one error schema (FastAPI's
    default 422 body is not what the API sends); ``/healthz`` takes no key (nor does
    ``/v1/feedback``: its token is in the body, and a bad one is a 401 too)."""
    components = schema["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components["ErrorBody"] = ErrorBody.model_json_schema()
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                if path == "/healthz" and status in (401, 403, 429):
                    continue
                responses[str(status)] = {"description": description, "content": content}
            if path in ("/healthz", "/v1/feedback"):
                operation["security"] = []


def describe(schema: dict[str, Any], *, key_name_chars: int) -> None:
    """Complete the document FastAPI generated, in place."""
    _document_bodies(schema, key_name_chars)
    _document_rules(schema)
    _document_errors(schema)
    _no_nul_in_strings(schema)
