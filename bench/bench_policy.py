"""Few-shot bank benchmark (issue 11): ``policy.examples(input, k=5)`` over a bank of 100,000
examples of real text and over 1,000,000 vectors, and the build of a 100,000-example bank.

The texts are :mod:`bench.policy_corpus`'s (SpamAssassin mail lines, chatterbot dialogues, the
project's prose, generated questions), embedded once with minilm-int8 into the bench cache. The
queries are 1,000 real lines the bank does not hold: the quoted-reply lines of the same mails
(left out of the corpus), deduplicated against it, embedded the same way. Latency excludes the
query's embedding (the query is given as a vector); recall@5 is against exact search (one matrix
product over every row).

Steps:

1. ANN libraries side by side on the 100,000 vectors: usearch HNSW and faiss HNSW with the same
   graph parameters (16 links, breadth 128 on insert), search breadth 32, 64 and 128: build
   seconds, p50 and p99 of one query, recall@5. faiss won (flyloop.improve.ann). hnswlib was not
   measured: its last release (0.8.0, 2023) publishes no wheel at all, only source to compile.
2. The bank build of 100,000 examples with embeddings cached (a dataset version of 100,000
   training ``sft`` examples stored in a fresh SQLite file, then ``build_bank``), and the search
   through ``load_bank(...).search(vector, 5)`` (what ``policy.examples`` calls after embedding).
3. 1,000,000: the 100,000 real vectors and nine noisy copies of each (Gaussian noise of norm
   about 0.35, then renormalised: cosine about 0.94 to their original), as a bank index in memory
   (no store rows: the rows are not what is timed); the same queries, recall@5 against exact.

Writes its keys into ``bench/results/policy.json`` (read, merged, written: other benchmarks of
the issue write theirs into the same file). ``FLYLOOP_BENCH_POLICY_COMPARE=0`` skips step 1 (its
figures already in the file stay), ``FLYLOOP_BENCH_POLICY_1M=0`` step 3.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import policy_corpus as corpus
from bench.common import RESULTS, machine, no_options

N = 100_000
QUERIES = 1_000
K = 5
REPEATS = 3


def query_texts(bank_texts: list[str], n: int = QUERIES) -> list[str]:
    """Quoted-reply lines of the mails: real, near the bank's distribution, not in it."""
    held = set(bank_texts)
    out: dict[str, None] = {}
    for _group, _subject, body in corpus.mails():
        for line in body.splitlines():
            if line.lstrip().startswith(">"):
                s = corpus._clean(line.lstrip("> "))
                if s is not None and s not in held:
                    out.setdefault(s, None)
    texts = list(out)
    rng = np.random.default_rng(5)
    return [texts[i] for i in sorted(rng.choice(len(texts), size=min(n, len(texts)), replace=False))]


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The exact top k of each query, by blocks of queries (1M x 384 at once would not fit twice)."""
    out = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), 100):
        scores = queries[start : start + 100] @ vectors.T
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        out[start : start + 100] = np.take_along_axis(top, order, axis=1)
    return out


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(f[:k]) & set(t.tolist())) / k for f, t in zip(found, truth, strict=True)]))


def timed(search: Any, queries: np.ndarray) -> tuple[list[list[int]], float, float]:
    """(results, p50 ms, p99 ms) of one query at a time, the best of REPEATS passes per query."""
    best = np.full(len(queries), np.inf)
    found: list[list[int]] = []
    for rep in range(REPEATS):
        for i, q in enumerate(queries):
            t = time.perf_counter()
            got = search(q)
            best[i] = min(best[i], time.perf_counter() - t)
            if rep == 0:
                found.append(got)
    return found, float(np.percentile(best, 50) * 1e3), float(np.percentile(best, 99) * 1e3)


def compare_libraries(vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        from usearch.index import Index
    except ImportError:
        return {"usearch": "not installed"}
    t = time.perf_counter()
    u = Index(ndim=vectors.shape[1], metric="ip", dtype="f32", connectivity=16, expansion_add=128)
    u.add(np.arange(len(vectors), dtype=np.uint64), vectors)
    out["usearch_build_s"] = round(time.perf_counter() - t, 2)
    for ef in (32, 64, 128):
        u.expansion_search = ef
        found, p50, p99 = timed(lambda q: u.search(q, K, threads=1).keys.tolist(), queries)
        out[f"usearch_ef{ef}"] = {
            "p50_ms": round(p50, 4),
            "p99_ms": round(p99, 4),
            "recall_at_5": round(recall(found, truth), 4),
        }
    try:
        import faiss
    except ImportError:
        out["faiss"] = "not installed"
        return out
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    t = time.perf_counter()
    f = faiss.IndexHNSWFlat(vectors.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
    f.hnsw.efConstruction = 128
    f.add(vectors)
    out["faiss_build_s"] = round(time.perf_counter() - t, 2)
    faiss.omp_set_num_threads(1)  # one query at a time, as the bank serves them
    for ef in (32, 64, 128):
        f.hnsw.efSearch = ef
        found, p50, p99 = timed(lambda q: f.search(q[None, :], K)[1][0].tolist(), queries)
        out[f"faiss_ef{ef}"] = {
            "p50_ms": round(p50, 4),
            "p99_ms": round(p99, 4),
            "recall_at_5": round(recall(found, truth), 4),
        }
    return out


def store_dataset(store: Any, project: str, texts: list[str]) -> str:
    """A dataset version of ``len(texts)`` training sft examples of workload 'support', stored as
    curation would store them (the build of the bank is timed, not curation)."""
    import orjson

    from flyloop.capture import declare_workload
    from flyloop.store import bulk_insert, schema

    declare_workload(store, project, "support", description="bench")
    version = "b" * 64
    with store.write() as conn:
        conn.execute(
            schema.dataset_versions.insert().values(
                project_id=project,
                id=version,
                name="bench",
                parent_id=None,
                created_at=time.time(),
                code_version="bench",
                config={},
                manifest={},
                counts={"sft": {"train": len(texts)}},
            )
        )
        columns = (
            "project_id",
            "dataset_id",
            "id",
            "kind",
            "split",
            "workload",
            "interaction_id",
            "interaction_ids",
            "user_id",
            "prompt",
            "completion",
            "weight",
            "quality",
            "source",
            "segment",
            "signal_ids",
            "ts",
        )
        bulk_insert(
            conn,
            schema.dataset_examples,
            columns,
            [
                (
                    project,
                    version,
                    f"{i:064x}",
                    "sft",
                    "train",
                    "support",
                    f"i{i}",
                    orjson.dumps([f"i{i}"]).decode(),
                    f"user{i % 5000}",
                    orjson.dumps(text).decode(),
                    texts[(i + 1) % len(texts)],
                    1.0,
                    0.9,
                    "good",
                    "",
                    "[]",
                    1.0,
                )
                for i, text in enumerate(texts)
            ],
        )
    return version


def bank_at_100k(texts: list[str], vectors: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    from flyloop import Settings, Store
    from flyloop.improve.bank import build_bank
    from flyloop.improve.bank_index import load_bank

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=str(corpus.HOME), database_url=f"sqlite:///{tmp}/bench.db")
        store = Store(settings.database_url)
        store_dataset(store, "bench", texts)
        # the bank's folder goes to a fresh home so that every run builds; the cache stays shared
        home = Path(tmp) / "home"
        (home / "embeddings").mkdir(parents=True)
        for f in (corpus.HOME / "embeddings").iterdir():
            (home / "embeddings" / f.name).symlink_to(f)
        settings = Settings(home=str(home), database_url=settings.database_url)
        t, cpu = time.perf_counter(), time.process_time()
        bank = build_bank(store, "bench", "support", embedder="minilm-int8", settings=settings)
        build_s, build_cpu = time.perf_counter() - t, time.process_time() - cpu
        t = time.perf_counter()
        index = load_bank(store, "bench", bank.id, settings)
        load_s = time.perf_counter() - t
        # an example's id is its row in the corpus (hex); exact search over the rows the bank kept
        rows = np.array(sorted(int(i, 16) for i in index.ids))
        truth = rows[exact_top(vectors[rows], queries, K)]
        found, p50, p99 = timed(lambda q: [int(e.id, 16) for e in index.search(q, K)], queries)
        _, p50_mmr, _ = timed(lambda q: [int(e.id, 16) for e in index.search(q, K, selector="mmr")], queries[:200])
        store.close()
    return {
        "bank_build_seconds_100k": round(build_s, 2),
        "bank_build_cpu_seconds_100k": round(build_cpu, 2),
        "bank_size_100k": bank.size,
        "bank_dropped_100k": bank.manifest["counts"]["dropped"],
        "bank_build_embedded": bank.manifest["embedded"],
        "bank_load_seconds_100k": round(load_s, 2),
        "examples_p50_ms_100k": round(p50, 4),
        "examples_p99_ms_100k": round(p99, 4),
        "examples_recall_at_5": round(recall(found, truth), 4),
        "examples_mmr_p50_ms_100k": round(p50_mmr, 4),
        "bank_index": bank.manifest["index"],
    }


def at_1m(vectors: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    from flyloop.improve import ann
    from flyloop.improve.bank import Bank
    from flyloop.improve.bank_index import BankIndex

    rng = np.random.default_rng(1)
    copies = [vectors]
    sigma = 0.35 / np.sqrt(vectors.shape[1])
    for _ in range(9):
        noisy = vectors + rng.normal(0.0, sigma, vectors.shape).astype(np.float32)
        copies.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    big = np.ascontiguousarray(np.concatenate(copies), dtype=np.float32)
    del copies
    cosine = float(np.mean(np.sum(big[N : 2 * N] * vectors, axis=1)))
    truth = exact_top(big, queries, K)
    t = time.perf_counter()
    index = ann.build_index(big, ann.FAISS)
    build_s = time.perf_counter() - t
    n = len(big)
    bank = Bank("bk_bench1m", "support", "-", "minilm-int8", big.shape[1], n, 0, {}, 0.0)
    rows = [(str(i), str(i), "", "", None, 0.9, None) for i in range(n)]
    from flyloop import Settings

    served = BankIndex(None, "bench", bank, rows, big, index, Settings(home=tempfile.gettempdir()))  # type: ignore[arg-type]
    served._checked = float("inf")  # no store behind it: nothing to refresh
    found, p50, p99 = timed(lambda q: [int(e.id) for e in served.search(q, K)], queries)
    return {
        "examples_p50_ms_1m": round(p50, 4),
        "examples_p99_ms_1m": round(p99, 4),
        "examples_recall_at_5_1m": round(recall(found, truth), 4),
        "index_build_seconds_1m": round(build_s, 1),
        "vectors_1m": "100,000 real minilm-int8 embeddings and 9 Gaussian-noise copies of each, renormalised "
        f"(mean cosine to the original {cosine:.3f})",
    }


def merge(figures: dict[str, Any]) -> None:
    """Read-modify-write of policy.json: other benchmarks of issue 11 keep their keys."""
    path = RESULTS / "policy.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update(figures)
    current["_bank_command"] = "python bench/bench_policy.py"
    current["_bank_machine"] = machine()
    current["_bank_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)
    print(f"merged {len(figures)} keys into {path}")


def main() -> None:
    no_options(__doc__, __file__)
    from flyloop.improve import embedder

    texts, vectors = corpus.vectors(N)
    queries_text = query_texts(texts)
    queries = embedder("minilm-int8", home=corpus.HOME).embed(queries_text)
    truth = exact_top(vectors, queries, K)
    generated = set(corpus._questions(len(texts))) & set(texts)
    figures: dict[str, Any] = {
        "bank_corpus": f"{len(texts)} lines: {len(texts) - len(generated)} real (SpamAssassin mail, chatterbot-corpus, "
        f"project prose) and {len(generated)} generated questions; "
        f"{len(queries_text)} held-out queries (quoted-reply lines), minilm-int8 vectors",
        "bank_load_avg_before": round(os.getloadavg()[0], 2),
    }
    if os.environ.get("FLYLOOP_BENCH_POLICY_COMPARE", "1") != "0":
        figures["ann_comparison_100k"] = compare_libraries(vectors, queries, truth)
        print(figures["ann_comparison_100k"], flush=True)
    figures.update(bank_at_100k(texts, vectors, queries))
    print({k: v for k, v in figures.items() if k.startswith(("bank", "examples"))}, flush=True)
    merge(figures)  # the 1,000,000 step takes long: what is measured is kept
    if os.environ.get("FLYLOOP_BENCH_POLICY_1M", "1") != "0":
        figures.update(at_1m(vectors, queries))
    figures["bank_load_avg_after"] = round(os.getloadavg()[0], 2)
    merge(figures)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
