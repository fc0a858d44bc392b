"""Train/serve parity of the triage track's classifiers: each fitted on mails as the privacy gate
stores them (redacted), asked held-out mails as sent and redacted in the ways a serving side can.

Questions this answers (the head's serving redaction, flyloop.improve.head_model):

- the head, trained on tag-redacted mails: held-out mails as sent vs redacted alike;
- the head, trained on hash-redacted mails (the project's key): held-out mails as sent, with tag
  tokens, with hash tokens under a stand-in key (what a server without the project's key can
  make), and under the project's key (the ceiling);
- the kNN vote over a bank of tag-redacted mails, and the zero-shot prototypes (label descriptions,
  nothing redacted on their side): held-out mails as sent vs redacted.

``python -m bench.flywheel.parity [--train 1200] [--heldout 1000] [--seed 7]``; writes
bench/results/flywheel_triage_parity.json. One draw of training mails from the train pool (true
labels, weights 1), the held-out mails a random subset of the benchmark's held-out set.

``python -m bench.flywheel.parity --latency 300``: what the redaction costs a served head,
``HeadClassifier.classify`` one mail at a time with the embedder uncached (every mail embedded),
the redaction on and off alternating mail by mail in one run, CPU time of this process; writes
bench/results/flywheel_triage_parity_latency.json.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
from bench.common import RESULTS
from bench.flywheel.data import spam_assassin
from bench.flywheel.diagnose import LABELS, per_label
from bench.flywheel.run import EMBEDDINGS, embed_all

PROJECT_KEY = b"bench: the project's redaction key"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from flyloop.improve import embedder as make_embedder
    from flyloop.improve.head_fit import fit_head, knn_accuracy, label_texts
    from flyloop.improve.head_model import STAND_IN_KEY
    from flyloop.privacy import Redactor

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=1200)
    parser.add_argument("--heldout", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=int, default=0, help="measure classify() on this many mails instead")
    args = parser.parse_args(argv)
    if args.latency:
        return latency(args.latency, args.seed)
    started = time.perf_counter()
    data = spam_assassin()
    rng = np.random.default_rng(args.seed)
    train = [data.train[i] for i in sorted(rng.permutation(len(data.train))[: args.train])]
    heldout = [data.heldout[i] for i in sorted(rng.permutation(len(data.heldout))[: args.heldout])]
    labels = [m.label for m in train]
    emb = make_embedder("minilm-int8", home=EMBEDDINGS.parent, capacity=20000)
    redactors = {
        "tag": Redactor("pattern"),
        "hash (project key)": Redactor("pattern", style="hash", hash_key=PROJECT_KEY),
        "hash (stand-in key)": Redactor("pattern", style="hash", hash_key=STAND_IN_KEY),
    }

    def redact(name: str, texts: list[str]) -> list[str]:
        return [r.text for r in redactors[name].redact_many(texts)] if name != "as sent" else texts

    raw_heldout = [m.text for m in heldout]
    asked = {name: redact(name, raw_heldout) for name in ("as sent", *redactors)}
    vectors = {name: embed_all(emb, texts) for name, texts in asked.items()}
    out: dict[str, Any] = {
        "train": len(train),
        "heldout": len(heldout),
        "seed": args.seed,
        "redacted_heldout": sum(a != b for a, b in zip(asked["tag"], raw_heldout)),
    }

    def head_rows(trained_as: str, served_as: list[str]) -> dict[str, Any]:
        texts = redact(trained_as, [m.text for m in train])
        head = fit_head(embed_all(emb, texts), labels, LABELS, embedder="minilm-int8", texts=texts).head
        rows = {}
        for name in served_as:
            p = head.probabilities(vectors[name], asked[name])
            rows[name] = per_label([head.labels[i] for i in p.argmax(axis=1)], heldout)
        return rows

    out["head trained on tag-redacted mails"] = head_rows("tag", ["as sent", "tag"])
    out["head trained on hash-redacted mails"] = head_rows(
        "hash (project key)", ["as sent", "tag", "hash (stand-in key)", "hash (project key)"]
    )
    bank = embed_all(emb, redact("tag", [m.text for m in train]))
    truth = [m.label for m in heldout]
    out["kNN vote over a tag-redacted bank (k=10)"] = {
        name: round(knn_accuracy(bank, labels, np.ones(len(train)), vectors[name], truth), 4)
        for name in ("as sent", "tag")
    }
    prototypes = emb.embed([label_texts([label], data.descriptions[label])[0] for label in LABELS])
    out["zero-shot prototypes"] = {
        name: round(
            float(np.mean([LABELS[i] == t for i, t in zip((vectors[name] @ prototypes.T).argmax(1), truth)])), 4
        )
        for name in ("as sent", "tag")
    }
    out["minutes"] = round((time.perf_counter() - started) / 60, 2)
    path = RESULTS / "flywheel_triage_parity.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    print(f"wrote {path}")
    return out


def latency(n: int, seed: int) -> dict[str, Any]:
    """CPU time of ``HeadClassifier.classify`` per mail, redaction on and off (see the docstring)."""
    from flyloop.improve import HeadClassifier
    from flyloop.improve import embedder as make_embedder
    from flyloop.improve.head_fit import fit_head
    from flyloop.privacy import Redactor

    data = spam_assassin()
    rng = np.random.default_rng(seed)
    redactor = Redactor("pattern")
    train = [data.train[i] for i in rng.permutation(len(data.train))[:300]]
    texts = [r.text for r in redactor.redact_many([m.text for m in train])]
    cached = make_embedder("minilm-int8", home=EMBEDDINGS.parent, capacity=2000)
    head = fit_head(
        embed_all(cached, texts), [m.label for m in train], LABELS, embedder="minilm-int8", texts=texts
    ).head
    mails = [data.heldout[i].text for i in rng.permutation(len(data.heldout))[:n]]
    uncached = make_embedder("minilm-int8", cache=False)

    def served(with_redaction: bool) -> HeadClassifier:
        # The classifier as HeadClassifier(model) builds it, without an artifact folder to load from.
        out = HeadClassifier.__new__(HeadClassifier)
        out.head, out.embedder, out.model, out.labels = head, uncached, "hd_bench", list(head.labels)
        out.redactor = Redactor("pattern") if with_redaction else None
        out.redaction = None
        return out

    on, off = served(True), served(False)
    for mail in mails[:10]:  # warm: the models' first calls
        on.classify(mail), off.classify(mail)
    seconds: dict[str, list[float]] = {"redaction on": [], "redaction off": [], "redaction alone": []}
    for k, mail in enumerate(mails):
        order = [("redaction on", on), ("redaction off", off)]
        for name, classifier in order if k % 2 == 0 else order[::-1]:
            started = time.process_time()
            classifier.classify(mail)
            seconds[name].append(time.process_time() - started)
        started = time.process_time()
        redactor.redact(mail)
        seconds["redaction alone"].append(time.process_time() - started)
    out: dict[str, Any] = {"mails": n, "mean_chars": round(float(np.mean([len(m) for m in mails])), 1)}
    for name, values in seconds.items():
        ms = np.array(values) * 1e3
        out[name] = {"mean_ms": round(float(ms.mean()), 3), "median_ms": round(float(np.median(ms)), 3)}
    out["redaction share of classify"] = round(out["redaction alone"]["mean_ms"] / out["redaction on"]["mean_ms"], 4)
    path = RESULTS / "flywheel_triage_parity_latency.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    print(f"wrote {path}")
    return out


if __name__ == "__main__":
    main()
