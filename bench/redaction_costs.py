"""What redaction costs: pattern mode's speed beside Presidio's default analyzer on the same texts,
ingest through the local SDK with redaction off, in pattern mode and in NER mode, and loading the
name list in a fresh process.

Ingest: the local SDK (the app's thread only enqueues; redaction runs in the Capture gate on the
sender's thread) logs the same interactions into a fresh SQLite file per run; throughput is
interactions stored per second from the first log call to a completed flush, and the app-thread
cost is the time spent in ``log`` calls.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from flyloop import Flywheel, Redactor, Settings, Store, set_privacy_policy


def throughput(pattern: Redactor, engine, texts: list[str], rounds: int = 3) -> dict[str, float]:
    """Texts analyzed per second, ours (pattern mode) and Presidio's default analyzer, interleaved."""
    ours_s, theirs_s = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        pattern.analyze(texts)
        ours_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for text in texts:
            engine.analyze(text=text, language="en")
        theirs_s.append(time.perf_counter() - t0)
    ours_rate, theirs_rate = len(texts) / statistics.median(ours_s), len(texts) / statistics.median(theirs_s)
    return {
        "pattern_texts_per_s": round(ours_rate, 1),
        "presidio_texts_per_s": round(theirs_rate, 1),
        "ratio": round(ours_rate / theirs_rate, 1),
    }


def ingest_run(mode: str, traffic: list[dict]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{home}/flyloop.db"
        store = Store(url)
        if mode == "off":
            set_privacy_policy(store, "bench", {"redaction": {"mode": "off"}})
        else:
            set_privacy_policy(store, "bench", {"redaction": {"mode": mode}})
        settings = Settings(home=home, database_url=url, project="bench")
        fw = Flywheel(settings=settings, store=store)
        on_app_thread = 0.0
        started = time.perf_counter()
        for event in traffic:
            t0 = time.perf_counter()
            handle = fw.log(
                event["workload"], event["input"], event["output"], user_id=event["user_id"], metadata=event["metadata"]
            )
            handle.thumbs_up()
            on_app_thread += time.perf_counter() - t0
        assert fw.flush(timeout=600)
        elapsed = time.perf_counter() - started
        fw.close()
        stored = store.status("bench")["counts"]["interactions"]
        store.close()
    assert stored == len(traffic), (mode, stored)
    return {"per_s": len(traffic) / elapsed, "app_us_per_log": 1e6 * on_app_thread / len(traffic)}


def name_list_cost() -> dict:
    """Size of the shipped name list and what loading it costs a fresh process (it loads when a
    Redactor in pattern or ner mode is made, i.e. at ``Flywheel()``), median of 5."""
    import subprocess

    from flyloop.privacy import pii_names

    path = Path(pii_names.__file__).with_name("pii_names.txt.gz")
    code = (
        "import time, flyloop.privacy.pii_names as p; t = time.perf_counter(); p._lists(); "
        "print(1000 * (time.perf_counter() - t))"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]
    from flyloop.privacy import pii_words

    first, last, also_words = pii_names.name_lists()
    return {
        "bytes": path.stat().st_size,
        "load_ms": round(statistics.median(runs), 1),
        "first_names": len(first),
        "surnames": len(last),
        "names_also_words": len(also_words),
        "common_words": len(pii_names.common_words()),
        "vocabulary": len(pii_words.vocabulary()),
        "places": len(pii_words.place_names()),
    }
