"""Where the triage track's flyloop arm loses to the oracle, and why a refresh that gained on the
eval split can lose held-out: the harness's own look (flyloop never sees it).

Runs the traffic of one seed through the ``flyloop`` and ``naive`` arms (the same code as the
benchmark), then fits the head flyloop's fine-tuning loop fits
(:func:`flyloop.improve.head_fit.fit_head`: vectors and words, C chosen by cross-validation) on:

- (a) flyloop's final train split, its curated labels and qualities (the head it measures);
- (a2) its train and validation splits so (the head it serves: the loop's refit,
  ``loops_finetune_head_refit``);
- (a2) again with each input as the loop reads it, stored after the privacy gate's redaction
  (every row above reads each mail as sent), asked the held-out mails as sent and as the gate
  would redact them (:func:`stored_texts`: what redacting only the training side costs);
- (b) the same examples with their true labels (a minus b: label noise);
- (c) every interaction seen, true labels (the oracle's data; c minus b: volume);
- (d) flyloop's train, validation and eval examples, curated labels (d minus a: the held-out
  eval split and validation rows the loop never trains on);
- naive's examples as it kept them (count and noise);
- (e) self-training, tried here only (flyloop has no such loop): (a2) plus each interaction no
  example came from, of a user with no example in the eval or validation split, labelled by the
  (a2) head where it is :data:`SELF_TRAIN_CONFIDENCE` sure, weighed :data:`SELF_TRAIN_WEIGHT`; the
  pseudo-labels' noise beside the gain;
- (a) without the signals naive ignores: the train split's ``bad`` verdicts (a thumbs-down or a
  failed outcome), which curation turns into the other label on a two-label workload;

and a learning curve of the head on true labels. Per round, the bad verdicts (:func:`bad_verdicts`:
how many ``other_label`` rows each split holds and how many name the true label, the eval split's
known-bad cases, the head with and without those rows) and every label curation held back, by why,
with how many of them are true (:func:`held_back_truth`). Per round it also gives every head candidate's
held-out accuracy, by label (spam recall, ham recall), beside the same on the next round's traffic
(mails no head has trained on; the last round: its own) and its gain on the eval split, so a
refresh that fell is explained by which label it lost, and where.

    python -m bench.flywheel.diagnose --seed 7 --rounds 6
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from bench.common import RESULTS
from bench.flywheel import arms as arm_kinds
from bench.flywheel.data import Mail, spam_assassin
from bench.flywheel.diagnosis_report import DRAWS
from bench.flywheel.flyloop_arm import FlyloopArm
from bench.flywheel.population import Population, PopulationConfig, Request
from bench.flywheel.run import DEFAULT_SEED, EMBEDDINGS, SMALL_PRODUCT, embed_all, make_arm, serve_round

LABELS = ["ham", "spam"]
SELF_TRAIN_CONFIDENCE = 0.9  # (e): a pseudo-label is kept where the head's calibrated probability is at least this
SELF_TRAIN_WEIGHT = 0.3  # (e): a pseudo-labelled row's weight (a curated example's is its quality, up to 1)


def per_label(predicted: list[str], mails: list[Mail]) -> dict[str, float]:
    """Accuracy, and each label's recall, of ``predicted`` on ``mails``."""
    out = {"accuracy": round(float(np.mean([p == m.label for p, m in zip(predicted, mails)])), 4)}
    for label in LABELS:
        rows = [p == m.label for p, m in zip(predicted, mails) if m.label == label]
        out[f"{label}_recall"] = round(float(np.mean(rows)), 4) if rows else 0.0
    return out


def measure(head: Any, heldout: list[Mail], heldout_vectors: np.ndarray) -> dict[str, float]:
    p = head.probabilities(heldout_vectors, [m.text for m in heldout])
    return per_label([head.labels[i] for i in p.argmax(axis=1)], heldout)


def fit_and_measure(
    vectors: np.ndarray,
    labels: list[str],
    texts: list[str],
    heldout: list[Mail],
    heldout_vectors: np.ndarray,
    weights: np.ndarray | None = None,
) -> dict[str, float]:
    from flyloop.improve.head_fit import fit_head

    head = fit_head(vectors, labels, LABELS, embedder=arm_kinds.EMBEDDER, weights=weights, texts=texts).head
    return measure(head, heldout, heldout_vectors)


def random_draws(
    rng: np.random.Generator,
    pool: list[Request],
    n: int,
    request_vectors: np.ndarray,
    heldout: list[Mail],
    heldout_vectors: np.ndarray,
) -> dict[str, float]:
    """The head fitted on ``n`` interactions of ``pool`` drawn at random with their true labels,
    :data:`DRAWS` times: its held-out accuracy's mean, lowest and highest."""
    n = min(n, len(pool))
    got = []
    for _ in range(DRAWS if n < len(pool) else 1):
        pick = [pool[i] for i in rng.permutation(len(pool))[:n]]
        got.append(
            fit_and_measure(
                request_vectors[[q.position for q in pick]],
                [q.mail.label for q in pick],
                [q.mail.text for q in pick],
                heldout,
                heldout_vectors,
            )["accuracy"]
        )
    return {"n": n, "mean": round(float(np.mean(got)), 4), "min": min(got), "max": max(got)}


def bad_verdicts(
    fly: Any, dataset: str, request_vectors: np.ndarray, heldout: list[Mail], heldout_vectors: np.ndarray
) -> dict[str, Any]:
    """What round's dataset version ``dataset`` makes of the bad verdicts (a trusted thumbs-down,
    a failed outcome): on this two-label workload curation turns each into an ``sft`` row of the
    other label (source ``other_label``), and the eval split keeps it as a known-bad case. Per
    split: how many, and how many name the true label; the train rows' label mix; the labels
    curation held back (the version's verdicts); and the head fitted on the train and validation
    rows (as the loop serves it) with and without the ``other_label`` rows, on the held-out mails."""
    from flyloop import datasets
    from flyloop.datasets import examples
    from flyloop.improve.head_fit import fit_head

    store, served = fly.fw.store, fly.served
    out: dict[str, Any] = {}
    sft = [x for x in examples(store, "bench", dataset, "sft") if x["interaction_id"] in served]
    for split in ("train", "validation", "eval"):
        rows = [x for x in sft if x["split"] == split and x["source"] == "other_label"]
        right = sum(x["completion"] == served[x["interaction_id"]].mail.label for x in rows)
        out[f"other_label_{split}"] = {"n": len(rows), "true": right}
    cases = [
        x for x in examples(store, "bench", dataset, "eval") if x["interaction_id"] in served and x["source"] == "bad"
    ]
    right = sum(x["rejected"] != served[x["interaction_id"]].mail.label for x in cases)
    out["eval_bad_cases"] = {"n": len(cases), "true": right}
    train = [x for x in sft if x["split"] == "train"]
    out["train_rows"] = len(train)
    out["train_spam_share"] = round(float(np.mean([x["completion"] == "spam" for x in train])), 4) if train else 0.0
    out["held_back"] = {v: n for n, v in _held_back(datasets.get(store, "bench", dataset).manifest)}
    out["held_back_truth"] = held_back_truth(fly)
    served_rows = [x for x in sft if x["split"] in ("train", "validation")]
    out["served_rows"] = len(served_rows)
    for name, rows in (("with", served_rows), ("without", [x for x in served_rows if x["source"] != "other_label"])):
        labels = [str(x["completion"]) for x in rows]
        if len(rows) < 20 or len(set(labels)) < 2:
            continue
        reqs = [served[x["interaction_id"]] for x in rows]
        head = fit_head(
            request_vectors[[q.position for q in reqs]],
            labels,
            LABELS,
            embedder=arm_kinds.EMBEDDER,
            weights=np.array([float(x["quality"]) for x in rows]),
            texts=[q.mail.text for q in reqs],
        ).head
        out[f"heldout_{name}_other_label"] = measure(head, heldout, heldout_vectors)["accuracy"]
    return out


def held_back_truth(fly: Any) -> dict[str, dict[str, int]]:
    """Each label curation holds back, by why (its verdict, then the reason), with how many of them
    name the true label: what a looser curation would add (a ``bad`` verdict read as the other
    label). Curation's own pieces (sources, rater trust, each label's standing) on the arm's store,
    configured as the benchmark's dataset builds are; flyloop reports only the counts."""
    from flyloop.curation.curate import CurationConfig
    from flyloop.curation.examples import standing
    from flyloop.curation.filters import Filters
    from flyloop.curation.rater_trust import assess
    from flyloop.curation.sources import load

    config = CurationConfig(workloads=[arm_kinds.WORKLOAD], kinds=["sft", "eval"], **SMALL_PRODUCT)
    src = load(fly.fw.store, "bench", config, lambda *_: None)
    report = assess(src.evidence, config.integrity)
    filters = Filters(config.filters)
    out: dict[str, dict[str, int]] = {}
    for iid, rec in sorted(src.records.items()):
        if rec.verdict == "unknown" or iid not in fly.served:
            continue
        refused = standing(rec, src, report, filters, config.min_confidence).refused
        if refused is None:
            continue
        label = {"corrected": rec.corrected, "good": rec.output}.get(rec.verdict)
        if rec.verdict == "bad":
            label = next((x for x in LABELS if x != rec.output), None)
        tally = out.setdefault(f"{rec.verdict}:{refused}", {"n": 0, "true": 0})
        tally["n"] += 1
        tally["true"] += label == fly.served[iid].mail.label
    return dict(sorted(out.items()))


def _held_back(manifest: dict[str, Any]) -> list[tuple[int, str]]:
    from flyloop.curation.curate import held_back

    return held_back(manifest.get("verdicts") or {})


def stored_texts(
    fly: Any, embedder: Any, found: list[dict[str, Any]], heldout: list[Mail], heldout_vectors: np.ndarray
) -> dict[str, Any]:
    """(a2) as the loop reads its rows: each input as stored, after the privacy gate's redaction
    (the rows above read each mail as sent). Measured on the held-out mails as sent (as production
    is asked) and redacted by the project's policy (as the gate would store them)."""
    from flyloop.improve.bank import input_text
    from flyloop.improve.head_fit import fit_head
    from flyloop.privacy.policy import privacy_policy
    from flyloop.privacy.redaction import Redactor

    found = [x for x in found if x["interaction_id"] in fly.served]
    texts = [input_text(x["prompt"]) for x in found]
    labels = [str(x["completion"]) for x in found]
    weights = np.array([float(x["quality"]) for x in found])
    redacted = sum(t != fly.served[x["interaction_id"]].mail.text for t, x in zip(texts, found))
    vectors = embed_all(embedder, texts)
    head = fit_head(vectors, labels, LABELS, embedder=arm_kinds.EMBEDDER, weights=weights, texts=texts)
    out: dict[str, Any] = {
        "a2_stored_texts": {"n": len(found), "redacted": redacted, **measure(head.head, heldout, heldout_vectors)}
    }
    policy = privacy_policy(fly.fw.store, "bench").redaction
    if policy.mode != "off" and policy.style != "hash":  # a hash needs the project's key: not measured
        redactor = Redactor(policy.mode, policy.entities, policy.style, policy.min_score)
        gated = [r.text for r in redactor.redact_many([m.text for m in heldout])]
        p = head.head.probabilities(embed_all(embedder, gated), gated)
        out["a2_stored_texts_heldout_redacted"] = {
            "n": len(found),
            "heldout_redacted": sum(g != m.text for g, m in zip(gated, heldout)),
            **per_label([head.head.labels[i] for i in p.argmax(axis=1)], heldout),
        }
    return out


def head_of(fw: Any, version: str) -> Any:
    """The head a candidate version serves (its artifact, loaded as the backend loads it)."""
    from flyloop import registry
    from flyloop.improve.artifacts import folder_of
    from flyloop.improve.head_model import Head

    model = registry.get_version(fw.store, "bench", version).model
    return Head.load(folder_of(str(model), fw.settings))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(prog="python -m bench.flywheel.diagnose", description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument(
        "--out",
        help="the JSON written (default bench/results/flywheel_triage_diagnosis.json, _seedN.json for another "
        "seed: tables in the triage section of BENCHMARKS.md)",
    )
    args = p.parse_args(argv)
    started = time.perf_counter()
    from flyloop.datasets import examples
    from flyloop.improve import embedder as make_embedder
    from flyloop.improve.head_fit import fit_head

    data = spam_assassin()
    config = PopulationConfig()
    per_round = len(data.train) // args.rounds
    embedder = make_embedder("minilm-int8", home=EMBEDDINGS.parent, capacity=len(data.train) + len(data.heldout) + 100)
    population = Population(config, data.labels, args.seed)
    traffic = population.traffic(data.train, args.rounds, per_round)
    flat = [r for batch in traffic for r in batch]
    request_vectors = embed_all(embedder, [r.mail.text for r in flat])
    heldout_vectors = embed_all(embedder, [m.text for m in data.heldout])
    heldout_texts = [m.text for m in data.heldout]
    prototypes = arm_kinds.Prototypes(embedder, data.descriptions)
    now = math.floor(time.time() / 3600) * 3600
    base = now - (args.rounds + config.outcome_delay + 2) * arm_kinds.DAY

    fly = make_arm("flyloop", data, prototypes, SMALL_PRODUCT, seed=args.seed)
    naive = make_arm("naive", data, prototypes, SMALL_PRODUCT, seed=args.seed)
    assert isinstance(fly, FlyloopArm) and isinstance(naive, arm_kinds.NaiveArm)
    truth_of_text = {m.text: m.label for m in data.train}
    rounds: list[dict[str, Any]] = []
    last_production: str | None = None  # measured by label whenever it changes (round 1: the zero-shot one)
    production_by_label: dict[str, float] = {}
    try:
        for arm in (fly, naive):
            pending: list[tuple[int, Request, float, float]] = []
            for r, batch in enumerate(traffic):
                vectors = request_vectors[r * per_round : r * per_round + len(batch)]
                due, pending = serve_round(
                    arm, population, batch, vectors, population.react, r, base, config.outcome_delay, pending
                )
                arm.outcomes(due)
                step = arm.improve(r + 1)
                accuracy = arm.accuracy(data.heldout, heldout_vectors)
                if arm is not fly:
                    continue
                if fly.production != last_production:
                    # production changed: its answers on the held-out mails, by label (a bank's kNN
                    # vote over the traffic's examples, or a head)
                    last_production = fly.production
                    policy = fly.fw.policy(arm_kinds.WORKLOAD)
                    answers_now = [fly._answer(policy, m.text, v)[0] for m, v in zip(data.heldout, heldout_vectors)]
                    production_by_label = per_label(answers_now, data.heldout)
                record: dict[str, Any] = {
                    "production_by_label": production_by_label,
                    "round": r + 1,
                    "production_heldout": round(accuracy, 4),
                    "action": step.action,
                }
                head = step.notes.get("head") or {}
                dataset_now = head.get("dataset") or (step.notes.get("fewshot") or {}).get("dataset")
                if dataset_now:
                    record["bad_verdicts"] = b = bad_verdicts(
                        fly, str(dataset_now), request_vectors, data.heldout, heldout_vectors
                    )
                    # the same number of the traffic seen so far, drawn at random, true labels
                    seen_so_far = flat[: r * per_round + len(batch)]
                    b["random_true_same_size"] = random_draws(
                        np.random.default_rng(args.seed + r),
                        seen_so_far,
                        b["served_rows"],
                        request_vectors,
                        data.heldout,
                        heldout_vectors,
                    )
                if head.get("candidate"):
                    h = head_of(fly.fw, head["candidate"])
                    pr = h.probabilities(heldout_vectors, heldout_texts)
                    # the traffic no head has trained on yet: the next round's (the last round: its own)
                    start = (r + 1) * per_round if r + 1 < len(traffic) else r * per_round
                    traffic_mails = [q.mail for q in flat[start : start + per_round]]
                    tv = request_vectors[start : start + per_round]
                    pt = h.probabilities(tv, [m.text for m in traffic_mails])
                    record["head"] = {
                        "heldout": per_label([h.labels[i] for i in pr.argmax(axis=1)], data.heldout),
                        "traffic_unseen": per_label([h.labels[i] for i in pt.argmax(axis=1)], traffic_mails),
                        "eval_gain": head.get("gain"),
                        "eval_truth_gain": head.get("truth_gain"),
                        "passed": head.get("passed"),
                        "promoted": head.get("promoted"),
                        "gate": head.get("gate"),
                        "dataset": head.get("dataset"),
                    }
                rounds.append(record)
                print(json.dumps(record), flush=True)

        dataset = next(r["head"]["dataset"] for r in reversed(rounds) if r.get("head"))
        served = fly.served
        sft = examples(fly.fw.store, "bench", dataset, "sft")
        ev = examples(fly.fw.store, "bench", dataset, "eval")

        def rows(found: list[dict[str, Any]]) -> tuple[np.ndarray, list[str], list[str], list[str], np.ndarray]:
            found = [x for x in found if x["interaction_id"] in served]
            reqs = [served[x["interaction_id"]] for x in found]
            return (
                request_vectors[[q.position for q in reqs]],
                [str(x["completion"]) for x in found],
                [q.mail.label for q in reqs],
                [q.mail.text for q in reqs],
                np.array([float(x["quality"]) for x in found]),
            )

        def noise(labels: list[str], truth: list[str]) -> float:
            return round(float(np.mean([a != b for a, b in zip(labels, truth)])), 4) if labels else 0.0

        table: dict[str, Any] = {}
        train = [x for x in sft if x["split"] == "train"]
        v, lab, tru, txt, q = rows(train)
        table["a_flyloop_train_curated"] = {
            "n": len(lab),
            "noise": noise(lab, tru),
            **fit_and_measure(v, lab, txt, data.heldout, heldout_vectors, q),
        }
        # (a2): the train and validation splits, curated labels: what the served head trains on
        # (flyloop.improve.heads: the refit after the head is measured, loops_finetune_head_refit)
        validation = [x for x in sft if x["split"] == "validation"]
        v5, lab5, tru5, txt5, q5 = rows(train + validation)
        refit_head = fit_head(v5, lab5, LABELS, embedder=arm_kinds.EMBEDDER, weights=q5, texts=txt5).head
        table["a2_flyloop_train_validation_curated"] = {
            "n": len(lab5),
            "noise": noise(lab5, tru5),
            **measure(refit_head, data.heldout, heldout_vectors),
        }
        table.update(stored_texts(fly, embedder, train + validation, data.heldout, heldout_vectors))
        # (e) self-training, measured here only (not in flyloop): (a2) plus the traffic no example
        # came from, of users with no example in the eval or validation splits, labelled by the
        # (a2) head where it is at least SELF_TRAIN_CONFIDENCE sure, weighed SELF_TRAIN_WEIGHT.
        held_users = {served[x["interaction_id"]].user.id for x in ev + validation if x["interaction_id"] in served}
        labelled = {x["interaction_id"] for x in sft + ev}
        pool = [q for iid, q in served.items() if iid not in labelled and q.user.id not in held_users]
        p = refit_head.probabilities(request_vectors[[q.position for q in pool]], [q.mail.text for q in pool])
        sure = [
            (q, refit_head.labels[int(k)]) for q, k, m in zip(pool, p.argmax(1), p.max(1)) if m >= SELF_TRAIN_CONFIDENCE
        ]
        table["e_self_training"] = {
            "n": len(lab5) + len(sure),
            "pseudo_labelled": len(sure),
            "pool": len(pool),
            "noise": noise(lab5 + [label for _, label in sure], tru5 + [q.mail.label for q, _ in sure]),
            "confidence": SELF_TRAIN_CONFIDENCE,
            "weight": SELF_TRAIN_WEIGHT,
            "pseudo_noise": noise([label for _, label in sure], [q.mail.label for q, _ in sure]),
            **fit_and_measure(
                np.vstack([v5, request_vectors[[q.position for q, _ in sure]]]) if sure else v5,
                lab5 + [label for _, label in sure],
                txt5 + [q.mail.text for q, _ in sure],
                data.heldout,
                heldout_vectors,
                np.concatenate([q5, np.full(len(sure), SELF_TRAIN_WEIGHT)]),
            ),
        }
        table["b_flyloop_train_true"] = {
            "n": len(lab),
            "noise": 0.0,
            **fit_and_measure(v, tru, txt, data.heldout, heldout_vectors),
        }
        every = flat
        table["c_every_interaction_true"] = {
            "n": len(every),
            "noise": 0.0,
            **fit_and_measure(
                request_vectors,
                [q.mail.label for q in every],
                [q.mail.text for q in every],
                data.heldout,
                heldout_vectors,
            ),
        }
        # (d): every split's labelled examples (sft train + validation; the eval split's cases with a reference)
        sft_all = [x for x in sft]
        eval_ref = [
            x for x in ev if x.get("completion") and x["interaction_id"] not in {y["interaction_id"] for y in sft_all}
        ]
        v2, lab2, tru2, txt2, q2 = rows(sft_all + eval_ref)
        table["d_flyloop_all_splits_curated"] = {
            "n": len(lab2),
            "noise": noise(lab2, tru2),
            **fit_and_measure(v2, lab2, txt2, data.heldout, heldout_vectors, q2),
        }
        # naive's data as it kept it
        nl = [label for _, label in naive.examples]
        nt = [truth_of_text.get(t, "?") for t in naive.texts]
        table["naive_examples"] = {"n": len(nl), "noise": noise(nl, nt), "heldout": rounds and None}
        table["naive_examples"]["heldout"] = naive.accuracy(data.heldout, heldout_vectors)
        # the signals naive ignores: the train split's bad verdicts (a thumbs-down, a failed
        # outcome) as the other label (curation's ``other_label`` rows), and (a) without them
        plain = [x for x in train if x["source"] != "other_label"]
        v3, lab3, tru3, txt3, q3 = rows(plain)
        added = [x for x in train if x["source"] == "other_label"]
        _, lab4, tru4, _, _ = rows(added)
        table["a_without_other_label"] = {
            "n": len(lab3),
            "noise": noise(lab3, tru3),
            **fit_and_measure(v3, lab3, txt3, data.heldout, heldout_vectors, q3),
        }
        table["other_label_rows"] = {"n": len(lab4), "noise": noise(lab4, tru4)}
        table["sources"] = {
            "sft_by_split_source": dict(Counter(f"{x['split']}:{x['source']}" for x in sft)),
            "eval_cases": len(ev),
        }
        # learning curve, true labels, random subsets of the traffic
        rng = np.random.default_rng(args.seed)
        table["learning_curve_true_labels"] = {
            n: random_draws(rng, flat, n, request_vectors, data.heldout, heldout_vectors)
            for n in (250, 400, 550, 700, 850, 1200, 1800, 2400, len(flat))
        }
    finally:
        fly.close()
        naive.close()
    out = {
        "seed": args.seed,
        "rounds": rounds,
        "table": table,
        "minutes": round((time.perf_counter() - started) / 60, 2),
        "_command": "python -m bench.flywheel.diagnose " + " ".join(sys.argv[1:] if argv is None else argv),
        "_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(json.dumps(table, indent=1))
    suffix = "" if args.seed == DEFAULT_SEED else f"_seed{args.seed}"  # as the benchmark names its other seeds' results
    path = Path(args.out) if args.out else RESULTS / f"flywheel_triage_diagnosis{suffix}.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    return out


if __name__ == "__main__":
    main()
