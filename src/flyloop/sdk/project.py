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
    from flyloop.privacy import PrivacyPolicy
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


class Users(Namespace):
    """End users, by the app's own id: consent and erasure (``/v1/users/...`` remotely)."""

    def erase(self, user_id: str) -> dict[str, Any]:
        """Erase the user from the store (remotely: an admin key's ``POST /v1/users/erase``) and
        from this machine's SDK spool of the project, which only this machine can reach: the
        report's ``spool`` counts what left that folder (None where there is none)."""
        from flyloop.privacy import erase_user
        from flyloop.sdk.spool import spool_eraser

        if local := self._local:
            return erase_user(
                local.store,
                local.project,
                user_id,
                actor=local.actor,
                grace_s=local.settings.erasure_grace_s,
                spool=spool_eraser(local.spool_dir) if local.spool_dir is not None else None,
                settings=local.settings,
            )
        remote = self._remote
        report: dict[str, Any] = remote.call("POST", "/v1/users/erase", body={"user_id": user_id})
        if remote.spool_dir is not None:
            report["spool"] = spool_eraser(remote.spool_dir)(user_id)
        return report

    def consent(self, user_id: str) -> dict[str, Any]:
        """The consent in force for the user, whether it is the default, and its history."""
        from flyloop.privacy import consent_of

        if local := self._local:
            return consent_of(local.store, local.project, user_id)
        return self._remote.call("GET", "/v1/users/consent", params={"user_id": user_id})

    def set_consent(self, user_id: str, state: str, *, source: str = "api") -> dict[str, Any]:
        """Record the user's consent (full, no_training, no_content); 'no_content' also removes
        the content already stored for them. Remotely an ingest key suffices."""
        from flyloop.privacy import set_consent

        if local := self._local:
            return set_consent(local.store, local.project, user_id, state, source=source, actor=local.actor)
        body = {"user_id": user_id, "state": state, "source": source}
        return self._remote.call("PUT", "/v1/users/consent", body=body)

    def pseudonym(self, user_id: str) -> str:
        """The id the store holds for the user (a keyed hash of theirs)."""
        from flyloop.privacy import pseudonym

        if local := self._local:
            return pseudonym(local.store, local.project, user_id)
        return str(self._remote.call("GET", "/v1/users/pseudonym", params={"user_id": user_id})["pseudonym"])

    def show(self, user_id: str) -> dict[str, Any]:
        """The user's pseudonym, consent in force and consent history."""
        return {"pseudonym": self.pseudonym(user_id), **self.consent(user_id)}


# Keys never travel through a server's API: a leaked admin key must not be enough to take them.
_KEYS_LOCAL = "a project's keys never travel through the API; run `flyloop privacy export-keys` on the store's host"


class Privacy(Namespace):
    """The project's privacy policy, keys and audit log (``/v1/privacy/...``, ``/v1/audit``)."""

    def policy(self) -> PrivacyPolicy:
        """The policy in force: consent default, redaction, allow-lists, retention."""
        from flyloop.privacy import PrivacyPolicy, privacy_policy

        if local := self._local:
            return privacy_policy(local.store, local.project)
        return PrivacyPolicy.model_validate(self._remote.call("GET", "/v1/privacy/policy"))

    def set_policy(self, changes: Mapping[str, Any]) -> PrivacyPolicy:
        """Merge a partial policy into the project's (lists are replaced whole), audited."""
        from flyloop.privacy import PrivacyPolicy, set_privacy_policy

        if local := self._local:
            return set_privacy_policy(local.store, local.project, changes, actor=local.actor)
        if not isinstance(changes, Mapping):  # refused here as the library refuses it, not as a body
            raise errors.ValidationError("policy changes must be a JSON object", field="policy")
        return PrivacyPolicy.model_validate(self._remote.call("PUT", "/v1/privacy/policy", body=dict(changes)))

    def drops(self) -> dict[str, dict[str, int]]:
        """What minimization, consent and erasure dropped at ingest: {workload: {what: count}}."""
        from flyloop.privacy import drop_counts

        if local := self._local:
            return drop_counts(local.store, local.project)
        return self._remote.call("GET", "/v1/privacy/drops")["drops"]

    def rotate_key(self, purpose: str = "pseudonym") -> dict[str, Any]:
        """Rotate a project key: 'pseudonym', 'feedback' or 'redaction', audited."""
        from flyloop.privacy import rotate_key

        if local := self._local:
            return rotate_key(local.store, local.project, purpose, actor=local.actor)
        return self._remote.call("POST", "/v1/privacy/rotate-key", body={"purpose": purpose})

    def export_keys(self) -> dict[str, list[str]]:
        """Every key version the project holds, by purpose, oldest first, as hex (local only): what
        :meth:`import_keys` takes in another store, so a moved project keeps its pseudonyms and
        splits. Audited, without the keys. Whoever holds them can test guesses of raw user ids."""
        from flyloop.privacy import export_keys

        local = self._local_only("exporting keys", _KEYS_LOCAL)
        return export_keys(local.store, local.project, actor=local.actor)

    def import_keys(self, keys: dict[str, list[str]]) -> dict[str, int]:
        """Install keys from :meth:`export_keys` before any data arrives (local only); refused,
        naming the field, where the project already holds a key of a purpose given."""
        from flyloop.privacy import import_keys

        local = self._local_only("importing keys", _KEYS_LOCAL)
        return import_keys(local.store, local.project, keys, actor=local.actor)

    def redact(self, text: str) -> dict[str, Any]:
        """What the project's redaction policy makes of ``text``: ``{"text", "found"}``."""
        from flyloop.privacy import redact_text

        check_text(text, "text")
        if local := self._local:
            return redact_text(local.store, local.project, text)
        return self._remote.call("POST", "/v1/privacy/redact", body={"text": text})

    def audit(self, *, action: str | None = None, since: float | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Audit rows, newest first; ``action`` exact or a prefix ending in '.' (``users.``)."""
        from flyloop.privacy import audit_log

        check_filters(action=action, since=since)
        check_whole(limit, "limit")
        if local := self._local:
            return audit_log(local.store, local.project, action=action, since=since, limit=limit)
        return self._remote.call("GET", "/v1/audit", params={"action": action, "since": since, "limit": limit})["items"]

    def compact(self) -> dict[str, Any]:
        """Rewrite the store's files so erased and expired rows leave the disk (local only)."""
        from flyloop.privacy import compact

        local = self._local_only(
            "compaction",
            "it rewrites the whole store, every project's tables, under a lock, so no project's key may "
            "start it; run `flyloop privacy compact` on the server's host",
        )
        return compact(local.store, local.project, actor=local.actor)


class Retention(Namespace):
    """The retention policy, applied now (it also runs every hour inside ``flyloop serve``)."""

    def apply(self, *, all_projects: bool = False) -> dict[str, Any]:
        """Blank content past ``content_days`` and delete events past ``events_days``; returns
        ``{project: what was removed}``. ``all_projects`` (local only): every project in the store."""
        from flyloop.privacy import apply_retention

        if all_projects:
            store_side = self._local_only("retention of every project", "a server key reaches its own project only")
            return apply_retention(store_side.store, None, actor=store_side.actor)
        if local := self._local:
            return apply_retention(local.store, local.project, actor=local.actor)
        return self._remote.call("POST", "/v1/retention/apply")


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
