"""What makes two runs of one seed agree in a flyloop arm's store: the project's keys, imported
from the seed before flyloop first opens the store, and event ids made as the SDK makes its own
but with a prefix drawn from the seed (see ``bench/flywheel/run.py``'s docstring).
"""

from __future__ import annotations


def seeded_keys(seed: int) -> dict[str, list[str]]:
    """The flyloop arms' project keys (pseudonyms, the split, redaction, ...), one version each,
    drawn from ``seed``: what ``flyloop.privacy.import_keys`` takes."""
    import hashlib

    from flyloop.privacy.pseudonyms import PURPOSES

    return {purpose: [hashlib.sha256(f"flywheel:{seed}:{purpose}".encode()).hexdigest()] for purpose in PURPOSES}


def open_seeded(database_url: str, project: str, seed: int) -> None:
    """Install the project's keys from ``seed`` before flyloop first opens the store, as an
    operator moving a project between stores would (``flyloop.privacy.import_keys``): the
    user-disjoint split deals users by a keyed hash, so with keys of its own each store held other
    users out and two runs of one seed ended a point apart."""
    import flyloop
    from flyloop.privacy import import_keys

    store = flyloop.Store(database_url)
    try:
        import_keys(store, project, seeded_keys(seed), actor="flywheel-bench")
    finally:
        store.close()


class SeededIds:
    """Event ids for the SDK's ``id=`` arguments, made as the SDK makes its own (a prefix per
    client, then a counter) but with the prefix drawn from the seed instead of at random: ids
    order rows and break ties downstream (dataset examples, training rows), so random ones made
    two runs of one seed train on rows in another order."""

    def __init__(self, seed: int) -> None:
        import hashlib

        self.prefix = hashlib.sha256(f"flywheel-ids:{seed}".encode()).hexdigest()[:12]
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count:010x}"
