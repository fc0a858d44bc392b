"""The project handle's verbs for the improvement loops (``fw.banks``, ``fw.loops``), the same in
both modes: the improve functions on a local store, the ``/v1/banks`` and ``/v1/loops`` routes
(:mod:`flyloop.server.improve`) through a server, where the long work (a bank build, a loop run)
runs inside the request.

::

    bank = fw.banks.build("support", min_examples=20)       # a Bank
    run = fw.loops.run("fewshot", "support")                # a LoopRun with its candidates
    run = fw.loops.run("finetune", "support", steps=50, on_progress=print)  # {"done", "total", "loss"}
    fw.loops.cancel(run_id)                                 # from anywhere: the run ends cancelled
    fw.loops.failures("support", since=time.time() - 86400)  # the failure clusters, as JSON

A run given ``on_progress`` through a server is started in the server's background (202, the run
``running``) and followed by reading its record about once a second; Ctrl-C there asks the server
to cancel it, as Ctrl-C does to a local run.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import orjson

from flyloop import errors

from .transport import (
    Namespace,
    Remote,
    _json_body,
    answer_error,
    api_path,
    check_filters,
    check_number,
    check_segment,
    check_text,
    check_whole,
)

if TYPE_CHECKING:
    from flyloop.improve import Bank, Embedder, LoopRun

MAX_RUNS = 1000
MAX_MIN_EXAMPLES = 10_000_000  # the route's bound: a bank needs at most this many examples
# How long a verb whose work the server does inside the request (a bank build, a loop run, the
# failure clusters) waits for its answer: the SDK's own timeout (seconds) is for sending events.
LONG_WORK_S = 3600.0
RUN_STATUSES = ("running", "succeeded", "failed", "cancelled", "skipped")
FOLLOW_EVERY_S = 1.0  # how often a run in a server's background is read for its progress
CANCEL_WAIT_S = 120.0  # how long Ctrl-C waits for a server's run to end cancelled


def check_embedder(name: Any) -> str | None:
    """An embedder's name, one of those registered (None: the default)."""
    from flyloop.improve import embedder_names

    if name is None:
        return None
    check_text(name, "embedder")
    known = embedder_names()
    if name not in known:
        raise errors.ValidationError(f"unknown embedder {name!r}: one of {', '.join(known)}", field="embedder")
    return str(name)


def as_json(value: Any) -> Any:
    """``value`` as JSON reads it back (NumPy numbers made plain, tuples made lists), so a local
    answer equals the one a server sends."""
    return orjson.loads(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS))


class Banks(Namespace):
    """Few-shot example banks: immutable versions built from a dataset version's examples."""

    def build(
        self,
        workload: str,
        dataset: str | None = None,
        *,
        embedder: str | None = None,
        min_examples: int | None = None,
        min_quality: float | None = None,
        index: str | None = None,
    ) -> Bank:
        """Build (or find) the workload's bank from ``dataset`` (a version id, prefix or name;
        None: the newest with training examples of the workload). Rules left out take the
        library's defaults. Too few examples: NotEnoughData ("not enough data: N of M").
        Remotely an admin key's action, audited, run inside the request."""
        from flyloop.improve import build_bank

        rules = check_rules(embedder=embedder, min_examples=min_examples, min_quality=min_quality, index=index)
        check_segment(workload, "workload")
        check_filters(dataset=dataset)
        if local := self._local:
            return build_bank(local.store, local.project, workload, dataset=dataset, settings=local.settings, **rules)
        body = {"workload": workload, "dataset": dataset, **rules}
        built = self._remote.call("POST", "/v1/banks", body=body, wait_s=LONG_WORK_S)
        return remote_bank(built)

    def get(self, bank_id: str) -> Bank:
        """A bank by id; NotFound naming ``bank`` otherwise."""
        from flyloop.improve import get_bank

        check_segment(bank_id, "bank")
        if local := self._local:
            return get_bank(local.store, local.project, bank_id)
        return remote_bank(self._remote.call("GET", api_path("v1", "banks", bank_id)))

    def list(self, workload: str | None = None) -> list[Bank]:
        """The project's banks (of one workload), newest first."""
        from flyloop.improve import list_banks

        check_filters(workload=workload)
        if local := self._local:
            return list_banks(local.store, local.project, workload)
        return [remote_bank(b) for b in self._remote.call("GET", "/v1/banks", params={"workload": workload})["items"]]


def check_rules(**rules: Any) -> dict[str, Any]:
    """A bank's selection rules, checked alike in both modes; those left out (None) dropped."""
    check_embedder(rules["embedder"])
    if rules["min_examples"] is not None and check_whole(rules["min_examples"], "min_examples") > MAX_MIN_EXAMPLES:
        raise errors.ValidationError(
            f"min_examples must be at most {MAX_MIN_EXAMPLES:,}, not {rules['min_examples']}", field="min_examples"
        )
    if rules["min_quality"] is not None and not 0 <= check_number(rules["min_quality"], "min_quality") <= 1:
        raise errors.ValidationError(
            f"min_quality must be from 0 to 1, not {rules['min_quality']}", field="min_quality"
        )
    if rules["index"] is not None:
        check_text(rules["index"], "index")
    return {k: v for k, v in rules.items() if v is not None}


def remote_bank(found: dict[str, Any]) -> Bank:
    from flyloop.improve import Bank

    return Bank(**{f.name: found[f.name] for f in fields(Bank)})


class Loops(Namespace):
    """Runs of the improvement loops (``fewshot``, ``prompt``), each a record, and the failure
    clusters loop 1 starts from."""

    def run(
        self,
        loop: str,
        workload: str,
        *,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        **options: Any,
    ) -> LoopRun:
        """Run ``loop`` for ``workload`` now and return its record (succeeded or skipped; a failure
        is recorded, then raised; a cancel request or Ctrl-C ends it ``cancelled``, raised as
        :class:`~flyloop.errors.Cancelled`). ``options`` are the loop's own (``budget`` for
        ``prompt``, ``method`` and ``steps`` for ``finetune``). ``on_progress`` gets each progress
        report of a long run (``{"done", "total", "loss", ...}``). Remotely an admin key's action,
        audited: inside the request, or with ``on_progress`` in the server's background, followed
        until it ends."""
        from flyloop.improve import LoopRun, run_loop

        check_segment(loop, "loop")
        check_segment(workload, "workload")
        if on_progress is not None and not callable(on_progress):
            raise errors.ValidationError("on_progress must be a function of one report", field="on_progress")
        if local := self._local:
            return run_loop(
                local.store, local.project, loop, workload, settings=local.settings, on_progress=on_progress, **options
            )
        body = {"workload": workload, "options": options}
        path = api_path("v1", "loops", loop, "runs")
        if on_progress is None:
            found = self._remote.call("POST", path, params={"wait": "true"}, body=body, wait_s=LONG_WORK_S)
            return LoopRun.model_validate(found)
        started = LoopRun.model_validate(start_remote(self._remote, path, body))
        return self._follow(started, on_progress)

    def _follow(self, run: LoopRun, on_progress: Callable[[dict[str, Any]], None]) -> LoopRun:
        """Read a server's run until it ends, passing on each new progress report; Ctrl-C asks the
        server to cancel it and waits (a while) for it to end so."""
        from flyloop.improve import LoopRun

        path = api_path("v1", "loops", "runs", run.id)
        seen: Any = None
        try:
            while run.status == "running":
                report = run.details.get("progress")
                if report is not None and report != seen:
                    seen = report
                    on_progress(report)
                time.sleep(FOLLOW_EVERY_S)
                run = LoopRun.model_validate(self._remote.call("GET", path))
        except KeyboardInterrupt:
            self._cancel_and_wait(run.id)
            raise errors.Cancelled(f"loop run {run.id} was interrupted", run=run.id) from None
        report = run.details.get("progress")
        if report is not None and report != seen:
            on_progress(report)
        return ended(run)

    def _cancel_and_wait(self, run_id: str) -> None:
        from flyloop.improve import LoopRun

        try:
            self.cancel(run_id)
        except errors.Conflict:  # it ended on its own meanwhile
            return
        deadline = time.monotonic() + CANCEL_WAIT_S
        while time.monotonic() < deadline:
            found = LoopRun.model_validate(self._remote.call("GET", api_path("v1", "loops", "runs", run_id)))
            if found.status != "running":
                return
            time.sleep(FOLLOW_EVERY_S)

    def cancel(self, run_id: str) -> LoopRun:
        """Ask a running run to stop (from any process): it sees the request between its steps,
        removes what it was writing, registers nothing and ends ``cancelled``. The answer is its
        record, ``cancel_requested_at`` set; a run that already ended is a Conflict naming its
        status. Remotely an admin key's action, audited."""
        from flyloop.improve import LoopRun, cancel_run

        check_segment(run_id, "run")
        if local := self._local:
            asked = cancel_run(local.store, local.project, run_id)
            from flyloop.privacy import audit_record

            audit_record(
                local.store,
                local.project,
                "loops.cancel",
                actor=local.actor,
                target=run_id,
                details={"loop": asked.loop},
            )
            return asked
        return LoopRun.model_validate(self._remote.call("POST", api_path("v1", "loops", "runs", run_id, "cancel")))

    def plan(self, loop: str, workload: str, **options: Any) -> dict[str, Any]:
        """What a run of ``loop`` with ``options`` would read and spend (``estimate``: model calls),
        spending nothing and recording nothing: what to show before a run that costs calls."""
        from flyloop.improve import plan_loop

        check_segment(loop, "loop")
        check_segment(workload, "workload")
        if local := self._local:
            return as_json(plan_loop(local.store, local.project, loop, workload, settings=local.settings, **options))
        body = {"workload": workload, "options": options}
        return self._remote.call("POST", api_path("v1", "loops", loop, "plan"), body=body)

    def show(self, run_id: str) -> LoopRun:
        """One run's record: inputs, outputs (candidate versions), cost, status and error."""
        from flyloop.improve import LoopRun, get_run

        check_segment(run_id, "run")
        if local := self._local:
            return get_run(local.store, local.project, run_id)
        return LoopRun.model_validate(self._remote.call("GET", api_path("v1", "loops", "runs", run_id)))

    def failures(
        self,
        workload: str,
        *,
        since: float | None = None,
        until: float | None = None,
        window_s: float | None = None,
        max_clusters: int | None = None,
        min_size: int | None = None,
        min_failures: int | None = None,
        max_failures: int | None = None,
        representatives: int | None = None,
        segment_keys: list[str] | None = None,
        embedder: str | None = None,
    ) -> dict[str, Any]:
        """The workload's failure clusters (its ``bad`` and ``corrected`` interactions in a window,
        grouped) as the JSON of :meth:`flyloop.improve.FailureReport.to_dict`. Options left out
        take the library's defaults; ``embedder`` names one (default: the project's default).
        NotFound for an unknown workload; NotEnoughData under ``min_failures``."""
        options = check_failure_options(
            since=since,
            until=until,
            window_s=window_s,
            max_clusters=max_clusters,
            min_size=min_size,
            min_failures=min_failures,
            max_failures=max_failures,
            representatives=representatives,
        )
        check_segment(workload, "workload")
        check_embedder(embedder)
        if segment_keys is not None:
            if not isinstance(segment_keys, list):
                raise errors.ValidationError("segment_keys must be a list of metadata keys", field="segment_keys")
            for n, key in enumerate(segment_keys):
                check_text(key, f"segment_keys[{n}]")
        if local := self._local:
            return cluster_failures(local, workload, options, segment_keys, embedder)
        params = {**options, "segment_key": segment_keys, "embedder": embedder}
        return self._remote.call(
            "GET", api_path("v1", "workloads", workload, "failures"), params=params, wait_s=LONG_WORK_S
        )

    def list(
        self, loop: str | None = None, workload: str | None = None, limit: int = 50, *, status: str | None = None
    ) -> list[LoopRun]:
        """The newest runs first (of one loop, one workload, one status), at most ``limit`` (1 to 1000)."""
        from flyloop.improve import LoopRun, list_runs

        check_filters(loop=loop, workload=workload, status=status)
        if status is not None and status not in RUN_STATUSES:
            raise errors.ValidationError(f"status must be one of {', '.join(RUN_STATUSES)}", field="status")
        check_whole(limit, "limit")
        if not 1 <= limit <= MAX_RUNS:
            raise errors.ValidationError(f"limit must be from 1 to {MAX_RUNS}, not {limit}", field="limit")
        if local := self._local:
            return list_runs(local.store, local.project, loop=loop, workload=workload, status=status, limit=limit)
        params = {"loop": loop, "workload": workload, "status": status, "limit": limit}
        return [LoopRun.model_validate(r) for r in self._remote.call("GET", "/v1/loops/runs", params=params)["items"]]


def start_remote(remote: Remote, path: str, body: dict[str, Any]) -> Any:
    """POST a run to be started in the server's background: its answer, 202 with the record."""
    import httpx

    try:
        response = remote.sink.client.post(
            path,
            params={"wait": "false"},
            content=_json_body(body),
            headers={"Content-Type": "application/json"},
            # (connect, read, write, pool): any client takes a tuple, as Remote.fetch passes it
            timeout=(
                remote.settings.sdk_timeout_s,
                LONG_WORK_S,
                remote.settings.sdk_timeout_s,
                remote.settings.sdk_timeout_s,
            ),
        )
    except httpx.HTTPError as exc:
        raise errors.TransportError(f"server unreachable: {exc}") from exc
    if response.status_code not in (200, 202):  # an old server runs it inside the request: 200
        raise answer_error(response)
    return response.json()


def ended(run: LoopRun) -> LoopRun:
    """A run a server ran in its background, as the local verb ends: its record when it succeeded
    or was skipped, its error raised when it failed or was cancelled: the class and field the
    run recorded (``details["error"]``: a NotEnoughData stays one), else a Conflict with the
    run's message; ``details["run"]`` names the run."""
    if run.status in ("succeeded", "skipped"):
        return run
    message = run.error or f"loop run {run.id} {run.status}"
    if run.status == "cancelled":
        raise errors.Cancelled(message, run=run.id)
    found = (run.details or {}).get("error")
    recorded: dict[str, Any] = found if isinstance(found, dict) else {}
    kind = getattr(errors, str(recorded.get("type")), None)
    if isinstance(kind, type) and issubclass(kind, errors.FlyloopError) and kind is not errors.FlyloopError:
        raise kind(str(recorded.get("message") or message), field=recorded.get("field"), run=run.id)
    raise errors.Conflict(message, run=run.id)


FAILURE_NUMBERS = ("since", "until", "window_s")
FAILURE_COUNTS = ("max_clusters", "min_size", "min_failures", "max_failures", "representatives")
# The failures route's bounds (flyloop.server.improve), the same through the handle in both modes.
FAILURE_BOUNDS = {
    "max_clusters": (1, 100),
    "min_size": (1, 100_000),
    "min_failures": (3, 100_000),
    "max_failures": (1, 5_000),
    "representatives": (0, 100),
}


def check_failure_options(**options: Any) -> dict[str, Any]:
    """The clustering's options, checked alike in both modes; those left out (None) dropped."""
    for name in FAILURE_NUMBERS:
        if options[name] is not None:
            check_number(options[name], name)
    for name in FAILURE_COUNTS:
        if options[name] is not None:
            check_whole(options[name], name)
    # The route's bounds, checked here so both modes refuse with one message (the library checks
    # some of them itself, in other words, and leaves the rest to its callers).
    window_s = options["window_s"]
    if window_s is not None and window_s <= 0:
        raise errors.ValidationError(f"window_s must be above 0, not {window_s}", field="window_s")
    for name, (least, most) in FAILURE_BOUNDS.items():
        value = options[name]
        if value is not None and not least <= value <= most:
            raise errors.ValidationError(f"{name} must be from {least} to {most}, not {value}", field=name)
    return {k: v for k, v in options.items() if v is not None}


@functools.lru_cache(maxsize=8)
def named_embedder(name: str, home: str) -> Embedder:
    """One instance of each embedder a verb names, per flyloop home, for the process: a model
    loads once, not on every call."""
    from flyloop.improve import embedder

    return embedder(name, home=home)


def cluster_failures(
    local: Any, workload: str, options: dict[str, Any], segment_keys: list[str] | None, embedder: str | None
) -> dict[str, Any]:
    from flyloop.capture import get_workload
    from flyloop.improve import failure_clusters

    get_workload(local.store, local.project, workload)  # an unknown workload is NotFound, not "0 failures"
    model = named_embedder(embedder, str(local.settings.home)) if embedder is not None else None
    report = failure_clusters(
        local.store,
        local.project,
        workload,
        segment_keys=segment_keys,
        embedder=model,
        settings=local.settings,
        **options,
    )
    return as_json(report.to_dict())


# --- retrieval feedback and the reward model's flags ---------------------------------------------

RETRIEVAL_VIEWS = ("credit", "failures", "gaps")


class Retrieval(Namespace):
    """Retrieval feedback of a RAG workload (its interactions' context ids, their verdicts and
    outcomes), as JSON: each document's credit, the documents failures hold far more than
    successes, and corrections that added what the context lacked. Passages are read from the
    interactions' metadata (``passages``); ``since``/``until`` bound the window (epoch seconds)."""

    def credit(self, workload: str, *, since: float | None = None, until: float | None = None) -> list[dict[str, Any]]:
        """Each document the workload retrieved: uses, verdicts, outcomes, helpfulness with its
        95% interval (:class:`flyloop.improve.DocumentCredit`)."""
        return self._view("credit", workload, since=since, until=until)

    def failures(
        self,
        workload: str,
        *,
        since: float | None = None,
        until: float | None = None,
        min_ratio: float | None = None,
        min_failures: int | None = None,
    ) -> list[dict[str, Any]]:
        """Documents in the workload's failures far more than in its successes (at least
        ``min_ratio`` times, default 2, in ``min_failures`` failures, default 3, and a significant test)."""
        if min_ratio is not None and check_number(min_ratio, "min_ratio") <= 0:
            raise errors.ValidationError(f"min_ratio must be above 0, not {min_ratio}", field="min_ratio")
        if min_failures is not None and not 1 <= check_whole(min_failures, "min_failures") <= 1_000_000:
            raise errors.ValidationError(
                f"min_failures must be from 1 to 1000000, not {min_failures}", field="min_failures"
            )
        return self._view(
            "failures", workload, since=since, until=until, min_ratio=min_ratio, min_failures=min_failures
        )

    def gaps(self, workload: str, *, since: float | None = None, until: float | None = None) -> list[dict[str, Any]]:
        """Interactions whose users' corrections added what the retrieved context lacked."""
        return self._view("gaps", workload, since=since, until=until)

    def _view(self, view: str, workload: str, **given: Any) -> list[dict[str, Any]]:
        from flyloop.improve import context_gaps, document_credit, failure_documents

        check_segment(workload, "workload")
        check_filters(since=given.get("since"), until=given.get("until"))
        options = {k: v for k, v in given.items() if v is not None}
        if local := self._local:
            from flyloop.capture import get_workload

            get_workload(local.store, local.project, workload)  # an unknown workload is NotFound, not []
            make = {"credit": document_credit, "failures": failure_documents, "gaps": context_gaps}[view]
            found = make(local.store, local.project, workload, settings=local.settings, **options)  # type: ignore[operator]
            return [item.as_dict() for item in found]
        path = api_path("v1", "workloads", workload, "retrieval", view)
        return list(self._remote.call("GET", path, params=options, wait_s=LONG_WORK_S)["items"])


class Reward(Namespace):
    """What a reward model (an ``rm_…`` artifact) says about a workload's traffic."""

    def flags(
        self,
        workload: str,
        model: str,
        *,
        since: float | None = None,
        until: float | None = None,
        threshold: float | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Interactions with no verdict yet that reward model ``model`` scores under ``threshold``
        (default 0.3): likely bad before any feedback arrives, lowest first, at most ``limit``
        (default 100), as ``{"interaction_id", "score", "input", "output", "ts"}``."""
        from flyloop.improve import get_artifact, likely_bad

        check_segment(workload, "workload")
        check_text(model, "model")
        from flyloop.improve import is_artifact_id

        if not (is_artifact_id(model) and model.startswith("rm_")):
            raise errors.ValidationError(
                f"model must be a reward model's artifact id (rm_…), not {model!r}", field="model"
            )
        check_filters(since=since, until=until)
        if threshold is not None and not 0 <= check_number(threshold, "threshold") <= 1:
            raise errors.ValidationError(f"threshold must be from 0 to 1, not {threshold!r}", field="threshold")
        if limit is not None and not 1 <= check_whole(limit, "limit") <= 10_000:
            raise errors.ValidationError(f"limit must be from 1 to 10000, not {limit}", field="limit")
        given = {"since": since, "until": until, "threshold": threshold, "limit": limit}
        options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        if local := self._local:
            from dataclasses import asdict

            from flyloop.capture import get_workload

            get_workload(local.store, local.project, workload)
            get_artifact(
                local.store, local.project, model, settings=local.settings
            )  # NotFound, whatever is left to score
            found = likely_bad(local.store, local.project, workload, model, settings=local.settings, **options)
            return [as_json(asdict(item)) for item in found]
        path = api_path("v1", "workloads", workload, "reward", "flags")
        return list(self._remote.call("GET", path, params={"model": model, **options}, wait_s=LONG_WORK_S)["items"])
