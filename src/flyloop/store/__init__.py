"""The one store, picked by URL (``sqlite:///path``, ``sqlite://`` in memory, ``postgresql://...``):
the tables, their migrations, API keys, and every statement that differs between databases.

Later stages write dialect-neutral SQLAlchemy Core on :meth:`Store.read` / :meth:`Store.write`
connections, and call a primitive where Core is too slow or cannot say it the same way on every
database: :func:`add_new` (insert-or-ignore), :func:`upsert_newer`, :func:`bulk_insert`,
:func:`fetch_all` / :func:`fetch_by_ids` / :func:`stream` (reads as plain tuples, with
:func:`json_reader` and :func:`in_stable_order`), :func:`lock`; and, on the store itself,
:meth:`Store.insert`, :meth:`Store.insert_or_update`, :meth:`Store.one_writer`,
:meth:`Store.checkpoint`, :meth:`Store.compact`. Nothing outside this package names a database.
"""

from . import tables as schema  # the tables as one namespace: not a submodule's name, so importing it names the face
from .dialects import (
    add_new,
    bulk_insert,
    fetch_all,
    fetch_by_ids,
    in_stable_order,
    json_reader,
    lock,
    stream,
    upsert_newer,
)
from .engine import ErasedMeanwhile, Store, display_url, normalize_url
from .keys import SCOPES, ApiKey, hash_secret
from .tables import metadata

__all__ = [
    "SCOPES",
    "ApiKey",
    "ErasedMeanwhile",
    "Store",
    "add_new",
    "bulk_insert",
    "display_url",
    "fetch_all",
    "fetch_by_ids",
    "hash_secret",
    "in_stable_order",
    "json_reader",
    "lock",
    "metadata",
    "normalize_url",
    "schema",
    "stream",
    "upsert_newer",
]
