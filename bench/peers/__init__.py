"""The peers benchmark's parts (issue 15, the performance page): the feedback every system is
given (:mod:`bench.peers.feedback`), the drivers that give it (one per system, each run as a
subprocess in that system's own virtualenv and printing one JSON line), the servers they talk to
(:mod:`bench.peers.services`), the virtualenvs (:mod:`bench.peers.venvs`) and the figures
(:mod:`bench.peers.compare`). ``python bench/bench_peers.py`` runs them all.

Nothing here may import a third-party package at module level: the drivers of the peers import
:mod:`bench.peers.feedback` from virtualenvs that have neither flyloop nor its dependencies."""
