"""HTTP routes for dataset versions: list, show, diff and export with a read key; build, taint
and rebuild with an admin key (each recorded in the audit log). Exports stream JSONL rows in the
target's format, after the same taint and consent checks as ``flyloop export``."""

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from flyloop import datasets, errors
from flyloop.privacy import audit_record as record
from flyloop.settings import Settings
from flyloop.store import ApiKey, Store

# Declared as enums so the OpenAPI document says what the export accepts (a client generated from
# it, or a fuzzer, then never sends a value the route refuses); "preference" names dpo's kind.
Target = Literal["sft", "dpo", "preference", "kto", "openai", "openai-dpo", "fewshot", "eval"]
Split = Literal["train", "validation", "eval"]


def datasets_router(store: Store, settings: Settings, scope: Callable[[str], Any]) -> APIRouter:
    router = APIRouter(prefix="/v1/datasets", tags=["datasets"])
    Read = Annotated[ApiKey, Depends(scope("read"))]
    Admin = Annotated[ApiKey, Depends(scope("admin"))]

    @router.get("")
    def list_versions(key: Read, name: str | None = None, full: bool = False) -> dict[str, Any]:
        """The project's dataset versions, newest first; ``full`` adds each one's configuration and
        manifest (what the SDK's ``fw.datasets.list()`` reads)."""
        versions = datasets.list_versions(store, key.project_id, name)
        if full:
            return {"items": [{**v.as_dict(), "config": v.config, "manifest": v.manifest} for v in versions]}
        return {"items": [v.as_dict() for v in versions]}

    @router.post("")
    async def build(key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Curate and store a version: ``{"name", "config"?, "parent"?}``; the answer is its manifest."""
        name = body.get("name", "default")
        if not isinstance(name, str):
            raise errors.ValidationError("name must be a string", field="name")
        config = body.get("config")
        config = {} if config is None else config
        if not isinstance(config, dict):
            raise errors.ValidationError("config must be an object", field="config")
        parent = body.get("parent")
        if parent is not None and not isinstance(parent, str):  # a list reached the store as a 500
            raise errors.ValidationError("parent must be a version id or name", field="parent")
        version = await run_in_threadpool(datasets.build, store, key.project_id, name, config, parent=parent)
        record(
            store, key.project_id, "datasets.build", actor=f"key:{key.id}", target=version.id, details={"name": name}
        )
        return version.manifest

    @router.get("/{ref}")
    def show(ref: str, key: Read) -> dict[str, Any]:
        """A version's manifest and taint state."""
        return datasets.show(store, key.project_id, ref)

    @router.get("/{a}/diff/{b}")
    def diff(a: str, b: str, key: Read) -> dict[str, Any]:
        """Examples, sources, configuration and filter counts that changed from ``a`` to ``b``."""
        return datasets.diff(store, key.project_id, a, b)

    @router.get("/{ref}/lineage")
    def lineage(ref: str, key: Read) -> dict[str, Any]:
        """The full id lists behind a version: source interactions, signals, quarantined signals."""
        return datasets.lineage(store, key.project_id, ref)

    @router.post("/{ref}/taint")
    def taint(ref: str, key: Admin, body: dict[str, Any]) -> dict[str, Any]:
        """Mark a version unfit for use: ``{"reason"}``."""
        unknown = sorted(set(body) - {"reason"})
        if unknown:
            raise errors.ValidationError(f"unknown field {unknown[0]!r}; a taint takes only reason", field=unknown[0])
        reason = body.get("reason")
        if not isinstance(reason, str):
            raise errors.ValidationError("reason must be a string", field="reason")
        version = datasets.taint(store, key.project_id, ref, reason)
        record(store, key.project_id, "datasets.taint", actor=f"key:{key.id}", target=version.id)
        return version.as_dict()

    @router.post("/{ref}/rebuild")
    async def rebuild(ref: str, key: Admin) -> dict[str, Any]:
        """A new version from this one's configuration, on the data as it is now."""
        version = await run_in_threadpool(datasets.rebuild, store, key.project_id, ref)
        record(
            store, key.project_id, "datasets.rebuild", actor=f"key:{key.id}", target=version.id, details={"from": ref}
        )
        return version.manifest

    @router.get("/{ref}/export/{target}")
    def export(
        ref: str,
        target: Target,
        key: Read,
        split: Annotated[list[Split] | None, Query()] = None,
        style: Literal["auto", "standard", "conversational"] = "auto",
        sft_format: Literal["prompt_completion", "messages"] = "prompt_completion",
        force: bool = False,
        fmt: Annotated[Literal["jsonl", "parquet"], Query(alias="format")] = "jsonl",
        system: Annotated[str | None, Query(min_length=1, max_length=10_000)] = None,
        weights: bool = False,
    ) -> Response:
        """One target's rows (``preference`` means ``dpo``), of all requested splits, each row
        with a ``split`` column; ``format`` is ``jsonl`` (default) or ``parquet`` (one file);
        ``system``: a system message first (chat formats); ``weights``: each row's segment weight
        as a ``weight`` column. Headers: ``X-Flyloop-Dataset`` (the version's id),
        ``X-Flyloop-Excluded`` (rows left out at export, by reason) and ``X-Flyloop-Export`` (the
        export check, as a local export's manifest records it)."""
        version, parts, check = datasets.prepare(
            store,
            key.project_id,
            ref,
            target,
            splits=split,
            style=style,
            sft_format=sft_format,
            system=system,
            weights=weights,
            force=force,
        )
        headers = {
            "X-Flyloop-Dataset": version.id,
            "X-Flyloop-Excluded": orjson.dumps(
                {k: v for k, v in check["consent_recheck"].items() if k != "rule"}
            ).decode(),
            # ASCII-escaped: a header holds Latin-1 only
            "X-Flyloop-Export": json.dumps(check, separators=(",", ":")),
        }
        media = "application/x-ndjson" if fmt == "jsonl" else "application/vnd.apache.parquet"
        return Response(datasets.serialize(parts, fmt), media_type=media, headers=headers)

    return router
