"""Embedding benchmark (issue 11): sentences a second for the MiniLM int8 ONNX embedder and the
sentence-transformers fp32 one, measured one after the other in the same run on the same ~2,000
real sentences (the README, the docs, the seed notes and the docstrings of the package, its tests,
benchmarks and scripts, split into sentences), plus the hashing embedder and a fully cached pass.
Also the cosine of each int8 row to its fp32 row (the int8 model stands in for the fp32 one only
if they agree)."""

from __future__ import annotations

import ast
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, no_options, write_result

from flyloop.improve import embedder

N = int(os.environ.get("FLYLOOP_BENCH_EMBED_N", 2000))
REPEATS = 3


def sentences(limit: int) -> list[str]:
    """Real English prose of this project, split at sentence ends, deduplicated, 20 to 400 characters."""
    texts = [p.read_text() for p in sorted(ROOT.glob("*.md"))]
    texts += [p.read_text() for p in sorted(ROOT.glob("docs/**/*.md"))]
    texts += [p.read_text() for p in sorted(Path("/work/shared/seeds").glob("*")) if p.is_file()]
    texts += [p.read_text() for p in sorted(Path("/work/shared").glob("*.md"))]
    for path in sorted(
        p for folder in ("src/flyloop", "tests", "bench", "scripts") for p in (ROOT / folder).rglob("*.py")
    ):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    texts.append(doc)
    seen: dict[str, None] = {}
    for text in texts:
        for part in re.split(r"(?<=[.!?])\s+|\n\s*\n", text):
            s = " ".join(part.split()).strip("#*|- ")
            if 20 <= len(s) <= 400 and re.search(r"[a-z]{3}", s):
                seen.setdefault(s, None)
    return list(seen)[:limit]


def rates(embedders: dict[str, object], texts: list[str]) -> dict[str, float]:
    """Sentences a second, best of REPEATS passes each; the embedders take turns within each round,
    so that a burst of load on the shared machine falls on all of them rather than on one."""
    best = dict.fromkeys(embedders, float("inf"))
    for _ in range(REPEATS):
        for name, e in embedders.items():
            started = time.perf_counter()
            e.embed(texts)  # type: ignore[attr-defined]
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def main() -> None:
    no_options(__doc__, __file__)
    texts = sentences(N)
    hashing = embedder("hashing", cache=False)
    int8 = embedder("minilm-int8", cache=False)
    fp32 = embedder("sentence-transformers", cache=False)
    for e in (hashing, int8, fp32):  # warm: first-call allocations and thread pools out of the timing
        e.embed(texts[:64])
    load_before = os.getloadavg()[0]
    measured = rates({"int8": int8, "fp32": fp32, "hashing": hashing}, texts)
    per_s_int8, per_s_fp32, per_s_hashing = measured["int8"], measured["fp32"], measured["hashing"]
    cosines = (int8.embed(texts) * fp32.embed(texts)).sum(axis=1)
    cached = embedder("minilm-int8")
    cached.embed(texts)
    per_s_cached = rates({"cached": cached}, texts)["cached"]
    figures = {
        "n_sentences": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "embed_per_s_int8": round(per_s_int8, 1),
        "embed_per_s_fp32": round(per_s_fp32, 1),
        "embed_per_s_hashing": round(per_s_hashing, 1),
        "embed_per_s_cached": round(per_s_cached, 1),
        "int8_over_fp32": round(per_s_int8 / per_s_fp32, 2),
        "int8_fp32_cosine_min": round(float(cosines.min()), 4),
        "int8_fp32_cosine_mean": round(float(cosines.mean()), 4),
        # the machine is shared: the 1-minute load average before and after the timed passes
        "load_avg_before": round(load_before, 2),
        "load_avg_after": round(os.getloadavg()[0], 2),
    }
    md = f"""{len(texts)} real sentences (mean {figures["mean_chars"]} characters), batch 32, best of {REPEATS}
passes taken in turns:

| embedder | sentences/s |
|---|---|
| minilm-int8 (ONNX, onnxruntime) | {figures["embed_per_s_int8"]} |
| sentence-transformers (fp32, torch) | {figures["embed_per_s_fp32"]} |
| hashing (no model) | {figures["embed_per_s_hashing"]} |
| minilm-int8, every text cached | {figures["embed_per_s_cached"]} |

int8 / fp32: {figures["int8_over_fp32"]}x; cosine of int8 rows to fp32 rows: min {figures["int8_fp32_cosine_min"]},
mean {figures["int8_fp32_cosine_mean"]}. Load average (1 min) {figures["load_avg_before"]} before the
timed passes, {figures["load_avg_after"]} after: on a shared machine the ratio is the figure to compare.
"""
    write_result("embed", figures, md)
    _merge_into_policy(figures)
    print(figures)


def _merge_into_policy(figures: dict) -> None:
    """Issue 11 names these two rates among policy.json's keys: the same figures, with their run."""
    import json
    import time
    from pathlib import Path

    path = Path(__file__).parent / "results" / "policy.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update({k: figures[k] for k in ("embed_per_s_int8", "embed_per_s_fp32")})
    current["_embed_command"] = "python bench/bench_embed.py"
    current["_embed_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    current["_embed_load_avg"] = [figures["load_avg_before"], figures["load_avg_after"]]
    tmp = path.with_suffix(".json.embed.tmp")
    tmp.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


if __name__ == "__main__":
    main()
