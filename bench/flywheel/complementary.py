"""Whether a "not this one" verdict helps a choice head when the workload has more than two labels:
the harness's own look, before flyloop learns from such verdicts.

On two labels a trusted thumbs-down names the other label, and curation already makes it an
``sft`` row (source ``other_label``; bench/flywheel/diagnose.py measures it). On K > 2 labels it
only rules one out. The cheapest way a logistic head can learn that is to spread the row over the
K - 1 other labels, each copy weighing 1 / (K - 1) (its loss: the cross-entropy to the uniform
distribution over the other labels). This measures it on a real three-label task before any code
of flyloop's is written for it.

The task: the SpamAssassin mails of the triage track labelled by their folder, ``easy_ham``,
``hard_ham`` (ham that looks like spam) or ``spam``; per draw, 1,500 of them held out. A first head
is fitted on ``--first`` random true labels and answers 1,800 more, as production would; users
label 40% of its right answers (a thumbs-up or an outcome: the true label), edit 20% of its wrong
ones to the true label and thumb down 15% more (a "not this answer" row). Three heads
(:func:`flyloop.improve.head_fit.fit_head`, as the finetune loop fits one) are then measured on
the held-out mails: on the labelled rows alone (the thumbs-downs left out: what flyloop does), on
those and each thumbs-down spread over the other labels, and on those and every thumbs-down's true
label (a ceiling).

    python -m bench.flywheel.complementary --draws 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench.common import RESULTS
from bench.flywheel.data import spam_assassin
from bench.flywheel.run import EMBEDDINGS, embed_all

LABELS = ["easy_ham", "hard_ham", "spam"]
HELDOUT = 1500
STREAM = 1800
RIGHT_LABELLED, WRONG_EDITED, WRONG_DOWN = 0.40, 0.20, 0.15


def one_draw(seed: int, first: int, vectors: np.ndarray, texts: list[str], truth: np.ndarray) -> dict[str, Any]:
    from flyloop.improve.head_fit import fit_head

    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    test, start, stream = order[:HELDOUT], order[HELDOUT : HELDOUT + first], order[HELDOUT + first :][:STREAM]

    def fit(rows: list[int], labels: list[str], weights: list[float] | None = None) -> Any:
        w = None if weights is None else np.array(weights)
        return fit_head(vectors[rows], labels, LABELS, embedder="bench", weights=w, texts=[texts[i] for i in rows]).head

    def accuracy(head: Any) -> float:
        p = head.probabilities(vectors[test], [texts[i] for i in test])
        return round(float((np.array(head.labels)[p.argmax(axis=1)] == truth[test]).mean()), 4)

    production = fit(list(start), list(truth[start]))
    p = production.probabilities(vectors[stream], [texts[i] for i in stream])
    answers = np.array(production.labels)[p.argmax(axis=1)]
    labelled, down = list(start), []
    for i, answer in zip(stream, answers, strict=True):
        u = rng.random()
        if answer == truth[i]:
            if u < RIGHT_LABELLED:
                labelled.append(int(i))
        elif u < WRONG_EDITED:
            labelled.append(int(i))
        elif u < WRONG_EDITED + WRONG_DOWN:
            down.append((int(i), str(answer)))
    rows, labels, weights = list(labelled), [str(truth[i]) for i in labelled], [1.0] * len(labelled)
    for i, answer in down:
        for other in LABELS:
            if other != answer:
                rows.append(i)
                labels.append(other)
                weights.append(1.0 / (len(LABELS) - 1))
    every = labelled + [i for i, _ in down]
    return {
        "labelled": len(labelled),
        "thumbs_down": len(down),
        "left_out": accuracy(fit(labelled, [str(truth[i]) for i in labelled])),
        "spread": accuracy(fit(rows, labels, weights)),
        "true_label": accuracy(fit(every, [str(truth[i]) for i in every])),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(prog="python -m bench.flywheel.complementary", description=__doc__.split("\n\n")[0])
    p.add_argument("--draws", type=int, default=5)
    p.add_argument("--first", type=int, nargs="+", default=[40, 150], help="true labels the first head is fitted on")
    p.add_argument("--out", help="default bench/results/flywheel_triage_complementary.json")
    args = p.parse_args(argv)
    started = time.perf_counter()
    from flyloop.improve import embedder as make_embedder

    data = spam_assassin()
    mails = data.train + data.heldout
    texts = [m.text for m in mails]
    truth = np.array([m.group.rsplit("-", 1)[0].replace("-", "_") for m in mails])
    embedder = make_embedder("minilm-int8", home=EMBEDDINGS.parent, capacity=len(texts) + 100)
    vectors = embed_all(embedder, texts)
    settings = {}
    for first in args.first:
        draws = [one_draw(seed, first, vectors, texts, truth) for seed in range(args.draws)]
        print(first, json.dumps(draws), flush=True)
        settings[str(first)] = {
            "draws": draws,
            **{
                key: round(float(np.mean([d[key] for d in draws])), 4)
                for key in ("labelled", "thumbs_down", "left_out", "spread", "true_label")
            },
        }
    out = {
        "labels": {label: int((truth == label).sum()) for label in LABELS},
        "first": settings,
        "minutes": round((time.perf_counter() - started) / 60, 2),
        "_command": "python -m bench.flywheel.complementary " + " ".join(sys.argv[1:] if argv is None else argv),
        "_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    path = Path(args.out) if args.out else RESULTS / "flywheel_triage_complementary.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(json.dumps({k: {m: v for m, v in s.items() if m != "draws"} for k, s in settings.items()}))
    return out


if __name__ == "__main__":
    main()
