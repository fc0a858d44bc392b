"""One handle on a project, whose verbs work the same on the local store and through a server.

::

    fw = flyloop.Flywheel()                                               # local store
    fw = flyloop.Flywheel(server_url="http://flyloop:8000", api_key="fl_...")   # HTTP
    fw.labels.get(interaction_id)             # a Label, either way
    version = fw.datasets.build("support", {"workloads": ["support-reply"]})
    fw.datasets.export(version.id, "dpo", "data/")
    fw.users.erase("u-42")

Each stage has one namespace class (:class:`Interactions`, :class:`Labels`, :class:`Datasets`,
:class:`Users`, :class:`Privacy`, :class:`Retention`; workloads and policy versions in
:mod:`flyloop.sdk.registry`, banks and loop runs in :mod:`flyloop.sdk.improve`) whose verbs take
the same arguments and return the same types in both modes, and raise the same
:mod:`flyloop.errors` (an HTTP answer is turned back into the error the server raised, by the name
its JSON body carries). A verb is written once, with its two halves side by side: the stage's own
function on a :class:`Local` transport (the store, the project), a call of the API on a
:class:`Remote` one (a key's project is the key's, never the request's). :class:`Project` holds
the namespaces; :class:`flyloop.Flywheel` carries the same ones, and the CLI opens a
:class:`Project` from the settings (``FLYLOOP_SERVER_URL`` and ``FLYLOOP_API_KEY`` set: the
server, else the local store).

Adding a stage's verbs (evaluation, rollout): a :class:`Namespace` subclass here or in a module
of its own beside this one, one line in :meth:`Verbs._attach`; the route, where a verb lacks one,
in ``flyloop.server``.

The verbs are synchronous (they wait on the store or the network); :class:`flyloop.AsyncFlywheel`
runs each in a worker thread, so ``await afw.labels.get(id)`` keeps the event loop free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flyloop import errors
from flyloop.settings import Settings

from .artifacts import Artifacts
from .evaluate import Evaluations, Golden
from .experiments import Automation, Decisions, Experiments
from .improve import Banks, Loops, Retrieval, Reward
from .monitor import Monitor
from .privacy import Privacy, Retention, Users
from .registry import Policies, Workloads
from .transport import (
    Local,
    Namespace,
    Remote,
    Transport,
    api_path,
    check_filters,
    check_text,
    check_whole,
    remote_export,
    remote_version,
)
from .versions import Versions

if TYPE_CHECKING:  # what a verb returns; each stage loads only when its verb first runs
    from flyloop.curation import CurationConfig
    from flyloop.datasets import DatasetVersion, ExportResult
    from flyloop.labels import Label, LabelStats
    from flyloop.store import Store

Progress = Callable[[str, int, int], None]


# --- namespaces --------------------------------------------------------------------------------


class Interactions(Namespace):
    """What capture stored: ``GET /v1/interactions...`` remotely."""

    def get(self, interaction_id: str) -> dict[str, Any]:
        """One interaction with its signals and outcomes, as stored (redacted, pseudonymized)."""
        check_text(interaction_id, "interaction_id")
        if local := self._local:
            return local.store.get_interaction(local.project, interaction_id)
        return self._remote.call("GET", api_path("v1", "interactions", interaction_id))

    def list(
        self,
        *,
        workload: str | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """A page of interactions, newest first: ``{"items", "next_cursor"}``; pass
        ``next_cursor`` back as ``cursor`` for the next page. ``user_id``: the app's id or its
        pseudonym."""
        check_whole(limit, "limit")
        check_filters(
            workload=workload, user_id=user_id, session_id=session_id, since=since, until=until, cursor=cursor
        )
        if local := self._local:
            from flyloop.privacy import PSEUDONYM, pseudonym

            if not 1 <= limit <= 1000:  # the route's bounds, in its words, so both modes refuse alike
                bound = "greater than or equal to 1" if limit < 1 else "less than or equal to 1000"
                raise errors.ValidationError(f"Input should be {bound}", field="limit")
            if user_id is not None and not PSEUDONYM.match(user_id):
                user_id = pseudonym(local.store, local.project, user_id)  # the store holds pseudonyms only
            rows, next_cursor = local.store.list_interactions(
                local.project,
                workload=workload,
                user_id=user_id,
                session_id=session_id,
                since=since,
                until=until,
                limit=limit,
                cursor=cursor,
            )
            return {"items": rows, "next_cursor": next_cursor}
        params = {
            "workload": workload,
            "user_id": user_id,
            "session_id": session_id,
            "since": since,
            "until": until,
            "limit": limit,
            "cursor": cursor,
        }
        return self._remote.call("GET", "/v1/interactions", params=params)


class Labels(Namespace):
    """Verdicts from signals: ``GET /v1/labels/...`` and ``/v1/coverage`` remotely."""

    def get(self, interaction_id: str) -> Label:
        """The interaction's label; NotFound if it has none yet."""
        from flyloop import labels

        check_text(interaction_id, "interaction_id")
        if local := self._local:
            return labels.get(local.store, local.project, interaction_id)
        found = self._remote.call("GET", api_path("v1", "labels", interaction_id))
        return labels.Label(**{f.name: found[f.name] for f in fields(labels.Label)})

    def explain(self, interaction_id: str) -> dict[str, Any]:
        """The label with each signal's weight and evidence, the edit, and outcomes left out."""
        from flyloop import labels

        check_text(interaction_id, "interaction_id")
        if local := self._local:
            return labels.explain(local.store, local.project, interaction_id, settings=local.settings)
        return self._remote.call("GET", api_path("v1", "labels", interaction_id))

    def stats(self, *, workload: str | None = None) -> dict[str, Any]:
        """Verdicts per workload, edit classes, waiting signals, unattributed outcomes."""
        from flyloop import labels

        check_filters(workload=workload)
        if local := self._local:
            return labels.stats(local.store, local.project, workload=workload, settings=local.settings)
        return self._remote.call("GET", "/v1/labels/stats", params={"workload": workload})

    def recompute(self, *, workload: str | None = None, infer: bool = False) -> LabelStats:
        """Relabel every interaction (of one workload) from its stored signals; ``infer`` re-runs
        attribution and inference first. Remotely an admin key's action, audited."""
        from flyloop import labels

        check_filters(workload=workload, infer=infer)
        if local := self._local:
            return labels.recompute(local.store, local.project, workload=workload, infer=infer, settings=local.settings)
        found = self._remote.call("POST", "/v1/labels/recompute", body={"workload": workload, "infer": infer})
        return labels.LabelStats(**found)

    def coverage(
        self, *, workload: str | None = None, since: float | None = None, until: float | None = None
    ) -> dict[str, Any]:
        """Per workload, the share of interactions with each kind of signal, and kinds never collected."""
        from flyloop.labels import measure_coverage

        check_filters(workload=workload, since=since, until=until)
        if local := self._local:
            return measure_coverage(local.store, local.project, workload=workload, since=since, until=until)
        return self._remote.call("GET", "/v1/coverage", params={"workload": workload, "since": since, "until": until})


class Datasets(Namespace):
    """Immutable dataset versions and their exports: ``/v1/datasets`` remotely."""

    def build(
        self,
        name: str = "default",
        config: CurationConfig | Mapping[str, Any] | None = None,
        *,
        parent: str | None = None,
        progress: Progress | None = None,
    ) -> DatasetVersion:
        """Curate and store a version (or answer with the stored one of the same content).
        ``progress(stage, done, total)`` is called locally only: a server reports none."""
        from flyloop import datasets as versions
        from flyloop.curation import CurationConfig

        check_text(name, "name")
        if config is not None and not isinstance(config, CurationConfig | Mapping):
            raise errors.ValidationError("config must be an object", field="config")
        if parent is not None:
            check_text(parent, "parent")
        if local := self._local:
            conf = config if isinstance(config, CurationConfig) or config is None else dict(config)
            return versions.build(local.store, local.project, name, conf, parent=parent, progress=progress)
        body: dict[str, Any] = {"name": name, "parent": parent}
        if isinstance(config, CurationConfig):
            body["config"] = config.model_dump(mode="json")
        elif config is not None:
            body["config"] = dict(config)
        built = self._remote.call("POST", "/v1/datasets", body=body)
        return self.get(built["id"])

    def get(self, ref: str) -> DatasetVersion:
        """A version by id, unique id prefix, or name (its newest)."""
        from flyloop import datasets as versions

        check_text(ref, "ref")
        if local := self._local:
            return versions.get(local.store, local.project, ref)
        return remote_version(self._remote.call("GET", api_path("v1", "datasets", ref)))

    def show(self, ref: str) -> dict[str, Any]:
        """A version's manifest with its taint state."""
        from flyloop import datasets as versions

        check_text(ref, "ref")
        if local := self._local:
            return versions.show(local.store, local.project, ref)
        return self._remote.call("GET", api_path("v1", "datasets", ref))

    def list(self, name: str | None = None) -> list[DatasetVersion]:
        """The project's versions, newest first (of one name, if given)."""
        from flyloop import datasets as versions

        if local := self._local:
            return versions.list_versions(local.store, local.project, name)
        found = self._remote.call("GET", "/v1/datasets", params={"name": name, "full": "true"})
        names = [f.name for f in fields(versions.DatasetVersion)]
        return [versions.DatasetVersion(**{n: item[n] for n in names}) for item in found["items"]]

    def diff(self, a: str, b: str) -> dict[str, Any]:
        """Examples, sources, configuration and filter counts that changed from ``a`` to ``b``."""
        from flyloop import datasets as versions

        check_text(a, "ref")
        check_text(b, "ref")
        if local := self._local:
            return versions.diff(local.store, local.project, a, b)
        return self._remote.call("GET", api_path("v1", "datasets", a, "diff", b))

    def lineage(self, ref: str) -> dict[str, Any]:
        """The id lists behind a version: source interactions, signals, quarantined signals."""
        from flyloop import datasets as versions

        check_text(ref, "ref")
        if local := self._local:
            return versions.lineage(local.store, local.project, ref)
        return self._remote.call("GET", api_path("v1", "datasets", ref, "lineage"))

    def taint(self, ref: str, reason: str) -> DatasetVersion:
        """Mark a version unfit for use: exports refuse it unless forced."""
        from flyloop import datasets as versions

        check_text(ref, "ref")
        check_text(reason, "reason")
        if local := self._local:
            return versions.taint(local.store, local.project, ref, reason)
        marked = self._remote.call("POST", api_path("v1", "datasets", ref, "taint"), body={"reason": reason})
        return self.get(marked["id"])

    def rebuild(self, ref: str, *, progress: Progress | None = None) -> DatasetVersion:
        """A new version from a version's configuration, on the data as it is now."""
        from flyloop import datasets as versions

        check_text(ref, "ref")
        if local := self._local:
            return versions.rebuild(local.store, local.project, ref, progress=progress)
        built = self._remote.call("POST", api_path("v1", "datasets", ref, "rebuild"))
        return self.get(built["id"])

    def export(
        self,
        ref: str,
        target: str,
        out: str | Path,
        *,
        fmt: str | None = None,
        splits: Sequence[str] | None = None,
        style: str = "auto",
        sft_format: str = "prompt_completion",
        system: str | None = None,
        weights: bool = False,
        force: bool = False,
        overwrite: bool = False,
    ) -> ExportResult:
        """Write one target of a version to ``out``, a folder (one file per split and
        ``<target>.manifest.json``) or one ``.jsonl``/``.parquet`` file, on this machine.

        Remotely the server sends the rows (after its taint and consent checks) and this process
        writes the same files a local export writes. The server cannot reach this machine's
        disk, so it does not record them: erasing a user later rewrites the export files the
        server's own host wrote, not these; re-export after an erasure (or export locally)."""
        from flyloop import datasets as exports

        check_text(ref, "ref")
        check_text(target, "target")
        if local := self._local:
            return exports.export(
                local.store,
                local.project,
                ref,
                target,
                out,
                fmt=fmt,
                splits=splits,
                style=style,  # type: ignore[arg-type]
                sft_format=sft_format,
                system=system,
                weights=weights,
                force=force,
                overwrite=overwrite,
            )
        return remote_export(
            self._remote,
            ref,
            target,
            Path(out),
            fmt=fmt,
            splits=splits,
            params={
                "style": style,
                "sft_format": sft_format,
                "system": system,
                "weights": "true" if weights else None,
                "force": "true" if force else None,
            },
            overwrite=overwrite,
        )


# --- the handle --------------------------------------------------------------------------------


class Verbs:
    """The namespaces, attached to whatever holds a transport (:class:`Project`, the SDK's
    :class:`flyloop.Flywheel`). A later stage's namespace is one line in :meth:`_attach`."""

    interactions: Interactions
    labels: Labels
    datasets: Datasets
    users: Users
    privacy: Privacy
    retention: Retention
    workloads: Workloads
    policies: Policies
    banks: Banks
    loops: Loops
    artifacts: Artifacts
    retrieval: Retrieval
    reward: Reward
    evaluations: Evaluations
    golden: Golden
    experiments: Experiments
    decisions: Decisions
    automation: Automation
    versions: Versions
    monitor: Monitor

    def _attach(self, transport: Transport) -> None:
        self._verbs_transport = transport
        self.interactions = Interactions(transport)
        self.labels = Labels(transport)
        self.datasets = Datasets(transport)
        self.users = Users(transport)
        self.privacy = Privacy(transport)
        self.retention = Retention(transport)
        self.workloads = Workloads(transport)
        self.policies = Policies(transport)
        self.banks = Banks(transport)
        self.loops = Loops(transport)
        self.artifacts = Artifacts(transport)
        self.retrieval = Retrieval(transport)
        self.reward = Reward(transport)
        self.evaluations = Evaluations(transport)
        self.golden = Golden(transport)
        self.experiments = Experiments(transport)
        self.decisions = Decisions(transport)
        self.automation = Automation(transport)
        self.versions = Versions(transport)
        self.monitor = Monitor(transport)

    def status(self) -> dict[str, Any]:
        """Counts, the newest event, and signals waiting for (or orphaned from) their interaction."""
        transport = self._verbs_transport
        if isinstance(transport, Local):
            return transport.store.status(transport.project, orphan_window_s=transport.settings.orphan_window_s)
        return transport.call("GET", "/v1/status")


class Project(Verbs):
    """A project handle without the SDK's sender: what the CLI and scripts that only read or
    administer open. :meth:`open` picks the server when ``server_url`` is set, else the store."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.project = transport.project
        self._attach(transport)

    @property
    def local(self) -> Local | None:
        return self.transport if isinstance(self.transport, Local) else None

    @staticmethod
    def spool_folder(settings: Settings) -> Path:
        """This machine's SDK spool folder of ``settings.project`` (under ``settings.home``):
        where the apps on this host keep undelivered events, which erasure reaches."""
        from flyloop.sdk.spool import spool_folder

        return spool_folder(settings.home, settings.project)

    @classmethod
    def on_store(
        cls,
        store: Store,
        project: str,
        settings: Settings | None = None,
        *,
        actor: str = "library",
        spool_dir: Path | None = None,
    ) -> Project:
        return cls(Local(store, project, settings or Settings(), actor, spool_dir))

    @classmethod
    def on_server(cls, settings: Settings, *, spool_dir: Path | None = None) -> Project:
        """The project of ``settings.api_key`` on ``settings.server_url``."""
        from flyloop.sdk.sender import HTTPSink

        if not settings.server_url:
            raise errors.ConfigError("no server to talk to: set FLYLOOP_SERVER_URL (or server_url in config.toml)")
        if not settings.api_key:
            raise errors.ConfigError(
                f"the server {settings.server_url} needs an API key: set FLYLOOP_API_KEY (or api_key in config.toml)"
            )
        sink = HTTPSink(settings.server_url, settings.api_key, settings.sdk_timeout_s)
        return cls(Remote(sink, settings.project, settings, spool_dir))

    def close(self) -> None:
        if isinstance(self.transport, Remote):
            self.transport.sink.close()
