"""The handle's privacy verbs: end users (consent, erasure), the privacy policy and keys, and
retention (``fw.users``, ``fw.privacy``, ``fw.retention``), locally or through a server alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flyloop import errors

from .transport import Namespace, check_filters, check_text, check_whole

if TYPE_CHECKING:
    from flyloop.privacy import PrivacyPolicy


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
