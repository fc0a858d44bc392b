"""Failure clusters: what a workload gets wrong, grouped, measured and named (loop 1's first half).

The failures are the workload's interactions whose label (:mod:`flyloop.labels`) is ``bad`` or
``corrected`` in a time window. Their inputs are embedded (the default embedder, cached by content
hash) and clustered; each cluster reports its size, its share of the workload's traffic in the
window and the trend of that share against the window before, representative inputs (nearest its
centroid) with their outputs and corrections, the common edit (what the corrections typically do,
measured with :func:`flyloop.events.measure`), its segments (metadata values, share within the
cluster beside their share of all failures) and a label of its most distinctive words.

The clustering: agglomerative (average linkage over cosine distances), with the number of
clusters chosen by silhouette (scikit-learn's ``silhouette_score``). Why not the alternatives:
KMeans depends on its random start and assumes round clusters of like size, while failures come
as a few large modes and a long tail; a fixed distance threshold means something different for
every embedder (the hashing embedder's cosines sit far lower than MiniLM's for the same texts).
The tree is built once (SciPy, which scikit-learn itself builds on) and cut at each k, so picking
k costs one silhouette per k. It is deterministic, so a cluster's id (a hash of its members' ids)
is the same on every run over the same data. Clusters under ``min_size`` are counted as
``unclustered``, not shown. Pairwise distances cost O(n^2) memory, so at most ``max_failures``
failures of the window (2,000 by default) and half as many of the window before are clustered,
evenly spaced in time (:func:`sample_failures`), with shares scaled to all of them: at most 3,000
points, 72 MB of distances.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray

from flyloop import errors
from flyloop.events import measure
from flyloop.extras import require
from flyloop.improve.embedders import Embedder
from flyloop.improve.embedders import embedder as make_embedder
from flyloop.improve.traits import common_edit, default_segment_keys, keywords, segments
from flyloop.settings import Settings
from flyloop.store import Store, schema

FAILURE_VERDICTS = ("bad", "corrected")
DEFAULT_WINDOW_S = 7 * 86_400.0
# Below this silhouette no split of the failures is better than chance: they are one cluster.
MIN_SILHOUETTE = 0.1


@dataclass(frozen=True)
class Failure:
    """One failed interaction: what came in, what the workload answered, and the verdict on it."""

    interaction_id: str
    ts: float
    input: Any
    text: str  # the input as one string: what is embedded and shown
    output: str
    verdict: str
    corrected_text: str | None
    edit_class: str | None
    user_id: str | None
    consent: str | None
    meta: dict[str, Any]


@dataclass
class FailureCluster:
    """A group of similar failures; ``failures`` are its members, nearest the centroid first."""

    id: str
    label: str
    keywords: list[str]
    size: int
    share: float
    previous_share: float | None
    trend: float | None
    verdicts: dict[str, int]
    representatives: list[dict[str, Any]]
    common_edit: dict[str, Any]
    segments: dict[str, list[dict[str, Any]]]
    failures: list[Failure] = field(repr=False, default_factory=list)

    @property
    def member_ids(self) -> list[str]:
        return [f.interaction_id for f in self.failures]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "keywords": self.keywords,
            "size": self.size,
            "share": round(self.share, 6),
            "previous_share": None if self.previous_share is None else round(self.previous_share, 6),
            "trend": None if self.trend is None else round(self.trend, 6),
            "verdicts": self.verdicts,
            "representatives": self.representatives,
            "common_edit": self.common_edit,
            "segments": self.segments,
            "members": sorted(self.member_ids),
        }


@dataclass
class FailureReport:
    """The clusters of one workload's failures in ``[since, until)``, largest first."""

    project_id: str
    workload: str
    since: float
    until: float
    traffic: int
    failures: int
    previous_traffic: int
    previous_failures: int
    unclustered: int
    embedder: str
    method: dict[str, Any]
    clusters: list[FailureCluster]

    def cluster(self, cluster_id: str) -> FailureCluster:
        """The cluster with this id (or a unique prefix of it); NotFound naming the ids there are."""
        found = [c for c in self.clusters if c.id == cluster_id or c.id.startswith(cluster_id)]
        if len(found) != 1:
            known = ", ".join(c.id for c in self.clusters) or "none"
            raise errors.NotFound(
                f"no failure cluster {cluster_id!r} for workload {self.workload!r} (clusters: {known})",
                field="cluster",
            )
        return found[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "workload": self.workload,
            "since": self.since,
            "until": self.until,
            "traffic": self.traffic,
            "failures": self.failures,
            "failure_share": round(self.failures / self.traffic, 6) if self.traffic else None,
            "previous_traffic": self.previous_traffic,
            "previous_failures": self.previous_failures,
            "unclustered": self.unclustered,
            "embedder": self.embedder,
            "method": self.method,
            "clusters": [c.to_dict() for c in self.clusters],
        }

    def table(self) -> Any:
        """A rich Table: one row per cluster (what ``flyloop loops failures`` prints)."""
        from rich.table import Table

        title = (
            f"{self.workload}: {self.failures} failures of {self.traffic} interactions, "
            f"{len(self.clusters)} clusters ({self.unclustered} unclustered)"
        )
        table = Table(title=title)
        for name in ("cluster", "label", "size", "share", "trend", "common edit", "top segment", "example"):
            table.add_column(name, justify="right" if name in ("size", "share", "trend") else "left")
        for c in self.clusters:
            trend = "n/a" if c.trend is None else f"{c.trend * 100:+.1f} pt"
            # The segment the cluster hits hardest: the largest share over its baseline.
            over = [(v["share"] - v["baseline"], k, v) for k, values in c.segments.items() for v in values]
            top = max(over, key=lambda t: (t[0], t[1]), default=None)
            segment = f"{top[1]}={top[2]['value']} {top[2]['share']:.0%} (all: {top[2]['baseline']:.0%})" if top else ""
            example = _clip(c.representatives[0]["input"], 60) if c.representatives else ""
            edit = c.common_edit.get("summary", "")
            table.add_row(c.id, c.label, str(c.size), f"{c.share:.1%}", trend, edit, segment, example)
        return table


# --- reading ----------------------------------------------------------------------------------------


def input_text(value: Any) -> str:
    """An interaction's input as one string: a chat input's user turns joined (all turns when it
    has none), a plain input as is."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        turns = [m for m in value if isinstance(m, dict)]
        users = [m for m in turns if m.get("role") == "user"] or turns
        return "\n".join(str(m.get("content", "")) for m in users)
    return "" if value is None else str(value)


def _window(since: float | None, until: float | None, window_s: float) -> tuple[float, float]:
    until = time.time() if until is None else float(until)
    since = until - window_s if since is None else float(since)
    if since >= until:
        raise errors.ValidationError(f"since ({since}) must be before until ({until})", field="since")
    return since, until


def count_traffic(store: Store, project_id: str, workload: str, since: float, until: float) -> int:
    """Interactions of the workload stamped in ``[since, until)``."""
    i = schema.interactions
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(i)
                .where(i.c.project_id == project_id, i.c.workload == workload, i.c.ts >= since, i.c.ts < until)
            ).scalar_one()
        )


def load_failures(
    store: Store,
    project_id: str,
    workload: str,
    since: float,
    until: float,
    *,
    limit: int | None = None,
    ids: Sequence[str] | None = None,
    verdicts: Sequence[str] = FAILURE_VERDICTS,
) -> list[Failure]:
    """The workload's labelled failures in ``[since, until)``, newest first (the newest ``limit``;
    only ``ids`` when given)."""
    if ids is not None and len(ids) > 500:  # a bounded IN list per statement, on both databases
        return [
            f
            for n in range(0, len(ids), 500)
            for f in load_failures(store, project_id, workload, since, until, ids=ids[n : n + 500], verdicts=verdicts)
        ]
    lb, i = schema.labels, schema.interactions
    query = (
        sa.select(
            lb.c.interaction_id,
            lb.c.ts,
            i.c.input,
            i.c.output,
            lb.c.verdict,
            lb.c.corrected_text,
            lb.c.edit_class,
            i.c.user_id,
            i.c.consent,
            i.c.meta,
        )
        .select_from(lb.join(i, sa.and_(i.c.project_id == lb.c.project_id, i.c.id == lb.c.interaction_id)))
        .where(
            lb.c.project_id == project_id,
            lb.c.workload == workload,
            lb.c.verdict.in_(list(verdicts)),
            lb.c.ts >= since,
            lb.c.ts < until,
            *([lb.c.interaction_id.in_(list(ids))] if ids is not None else []),
        )
        .order_by(lb.c.ts.desc(), lb.c.interaction_id)
    )
    if limit is not None:
        query = query.limit(limit)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [
        Failure(
            r.interaction_id,
            float(r.ts),
            r.input,
            input_text(r.input),
            r.output or "",
            r.verdict,
            r.corrected_text,
            r.edit_class,
            r.user_id,
            r.consent,
            dict(r.meta or {}),
        )
        for r in rows
    ]


def sample_failures(
    store: Store, project_id: str, workload: str, since: float, until: float, size: int
) -> tuple[list[Failure], int]:
    """At most ``size`` of the window's failures, evenly spaced in time (all of them when there
    are no more), newest first, and how many there are in all: shares measured on the sample are
    scaled to the whole, which the newest ``size`` alone would skew towards the window's end."""
    lb = schema.labels
    with store.read() as conn:
        every = list(
            conn.execute(
                sa.select(lb.c.interaction_id)
                .where(
                    lb.c.project_id == project_id,
                    lb.c.workload == workload,
                    lb.c.verdict.in_(FAILURE_VERDICTS),
                    lb.c.ts >= since,
                    lb.c.ts < until,
                )
                .order_by(lb.c.ts.desc(), lb.c.interaction_id)
            ).scalars()
        )
    if len(every) <= size:
        return load_failures(store, project_id, workload, since, until), len(every)
    step = len(every) / size
    chosen = [every[int(n * step)] for n in range(size)]
    return load_failures(store, project_id, workload, since, until, ids=chosen), len(every)


# --- clustering -------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _default_embedder(home: str | None) -> Embedder:
    # One per flyloop home per process: loading the ONNX session costs more than embedding a few
    # hundred cached texts; the CachedEmbedder under it keeps every text embedded once.
    return make_embedder(None, home=home)


def _cosine_distances(vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    x = np.asarray(vectors, dtype=np.float64)
    distances = np.clip(1.0 - x @ x.T, 0.0, 2.0)
    distances = (distances + distances.T) / 2.0
    np.fill_diagonal(distances, 0.0)
    return distances


def cluster_vectors(vectors: NDArray[np.float32], max_clusters: int) -> tuple[NDArray[np.int64], dict[str, Any]]:
    """Cluster unit vectors: one average-linkage tree over cosine distances, cut at the k in
    ``2..max_clusters`` with the best silhouette (ties: the smaller k); one cluster when no cut
    reaches :data:`MIN_SILHOUETTE`. Returns a label per row (0-based) and how it was chosen."""
    metrics = require("sklearn.metrics", "embed", "failure clusters")
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(vectors)
    distances = _cosine_distances(vectors)
    tree = linkage(squareform(distances, checks=False), method="average")
    best: tuple[float, int, NDArray[np.int64]] | None = None
    tried: dict[str, float] = {}
    for k in range(2, min(max_clusters, n - 1) + 1):
        labels = np.asarray(fcluster(tree, t=k, criterion="maxclust"), dtype=np.int64) - 1
        found = len(np.unique(labels))
        if found < 2 or str(found) in tried:  # ties in the tree can give fewer clusters than asked
            continue
        score = float(metrics.silhouette_score(distances, labels, metric="precomputed"))
        tried[str(found)] = round(score, 6)
        if best is None or score > best[0] + 1e-12:
            best = (score, found, labels)
    method: dict[str, Any] = {
        "algorithm": "agglomerative, average linkage, cosine distance",
        "k_by": "silhouette",
        "silhouettes": tried,
        "min_silhouette": MIN_SILHOUETTE,
    }
    if best is None or best[0] < MIN_SILHOUETTE:
        return np.zeros(n, dtype=np.int64), {
            **method,
            "k": 1,
            "silhouette": None if best is None else round(best[0], 6),
        }
    return best[2], {**method, "k": best[1], "silhouette": round(best[0], 6)}


def _cluster_id(member_ids: Sequence[str]) -> str:
    return "fc_" + hashlib.sha256("\n".join(sorted(member_ids)).encode()).hexdigest()[:12]


# --- the report -------------------------------------------------------------------------------------


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def failure_clusters(
    store: Store,
    project_id: str,
    workload: str,
    *,
    since: float | None = None,
    until: float | None = None,
    window_s: float = DEFAULT_WINDOW_S,
    embedder: Embedder | None = None,
    max_clusters: int = 8,
    min_size: int = 3,
    min_failures: int = 10,
    max_failures: int = 2000,
    representatives: int = 3,
    segment_keys: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> FailureReport:
    """Cluster the workload's ``bad`` and ``corrected`` interactions in ``[since, until)``
    (``until`` defaults to now, ``since`` to ``window_s`` before it); the trend compares each
    cluster's share of traffic with its share in the window of the same length just before (the
    two windows' failures are clustered together; a cluster is shown for its failures now).
    ``segment_keys``: metadata keys to break clusters down by (default: :func:`default_segment_keys`'
    choice). Fewer than ``min_failures`` failures: :class:`flyloop.errors.NotEnoughData`."""
    for name, value, least in (
        ("max_clusters", max_clusters, 1),
        ("min_size", min_size, 1),
        ("min_failures", min_failures, 3),
    ):
        if value < least:
            raise errors.ValidationError(f"{name} must be at least {least}, got {value}", field=name)
    since, until = _window(since, until, window_s)
    failures, total = sample_failures(store, project_id, workload, since, until, max_failures)
    if total < min_failures:
        raise errors.NotEnoughData(
            f"not enough data: {total} of {min_failures} failures (bad or corrected verdicts) of "
            f"workload {workload!r} between {since:.0f} and {until:.0f}",
            field="workload",
            have=total,
            need=min_failures,
        )
    settings = settings or Settings()
    model = embedder if embedder is not None else _default_embedder(settings.home)
    traffic = count_traffic(store, project_id, workload, since, until)
    span = until - since
    previous_traffic = count_traffic(store, project_id, workload, since - span, since)
    previous, total_before = sample_failures(store, project_id, workload, since - span, since, max_failures // 2)
    # Both windows' failures are clustered together, so that a cluster's share before is counted
    # inside the same boundary as its share now; rows past len(failures) are the earlier ones.
    texts = [f.text for f in failures] + [f.text for f in previous]
    vectors = model.embed(texts)
    groups, method = cluster_vectors(vectors, max_clusters)
    method["sampled"] = {"now": len(failures), "of": total, "before": len(previous), "of_before": total_before}
    words = keywords(texts, groups)
    keys = list(segment_keys) if segment_keys is not None else default_segment_keys(failures)
    now = len(failures)

    unclustered = 0
    clusters: list[FailureCluster] = []
    for group in np.unique(groups):
        rows = np.flatnonzero(groups[:now] == group)
        if len(rows) < min_size:
            unclustered += len(rows)
            continue
        centroid = vectors[rows].mean(axis=0)
        centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
        closeness = vectors[rows] @ centroid
        order = [
            int(rows[j])
            for j in sorted(range(len(rows)), key=lambda j: (-closeness[j], failures[rows[j]].interaction_id))
        ]
        members = [failures[r] for r in order]
        # A sample's count scaled to all the window's failures (the same count when nothing was left out).
        share = len(members) * total / (now * traffic) if traffic else 0.0
        earlier = int(np.count_nonzero(groups[now:] == group))
        previous_share: float | None = None
        if previous_traffic:
            previous_share = earlier * total_before / (len(previous) * previous_traffic) if previous else 0.0
        terms = words.get(int(group), [])
        clusters.append(
            FailureCluster(
                id=_cluster_id([f.interaction_id for f in members]),
                label=", ".join(terms) if terms else _clip(members[0].text, 40),
                keywords=terms,
                size=len(members),
                share=share,
                previous_share=previous_share,
                trend=None if previous_share is None else share - previous_share,
                verdicts=dict(sorted(Counter(f.verdict for f in members).items())),
                representatives=[
                    {
                        "interaction_id": f.interaction_id,
                        "input": f.text,
                        "output": f.output,
                        "verdict": f.verdict,
                        "correction": f.corrected_text,
                        "diff": measure(f.output, f.corrected_text).diff if f.corrected_text is not None else None,
                    }
                    for f in members[:representatives]
                ],
                common_edit=common_edit(
                    [(f.output, f.corrected_text) for f in members if f.corrected_text is not None]
                ),
                segments=segments(members, failures, keys),
                failures=members,
            )
        )
    clusters.sort(key=lambda c: (-c.size, c.id))
    return FailureReport(
        project_id=project_id,
        workload=workload,
        since=since,
        until=until,
        traffic=traffic,
        failures=total,
        previous_traffic=previous_traffic,
        previous_failures=total_before,
        unclustered=unclustered,
        embedder=model.name,
        method=method,
        clusters=clusters,
    )
