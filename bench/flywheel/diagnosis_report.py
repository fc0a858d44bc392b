"""The triage section's tables from bench/flywheel/diagnose.py's and bench/flywheel/complementary.py's
JSON (``bench/results/flywheel_triage_diagnosis*.json``, ``..._complementary.json``), for
bench/flywheel/run.py to write into BENCHMARKS.md: kept apart from the scripts, which import the
benchmark's run module, so that it can import these."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import RESULTS

DRAWS = 5  # diagnose.py's random draws per size (the learning curve, each round's same-size comparison)


def diagnosis_lines(name: str, results: Path = RESULTS) -> list[str]:
    """The gap to the oracle split by bench/flywheel/diagnose.py (``NAME_diagnosis.json``), if run."""
    path = results / f"{name}_diagnosis.json"
    if not path.exists():
        return []
    d = json.loads(path.read_text())
    t = d["table"]
    rows = [
        ("a_without_other_label", "flyloop's train split, curated labels, without the bad verdicts' other label"),
        ("a_flyloop_train_curated", "(a) flyloop's train split, curated labels (the head its loop measures)"),
        (
            "a2_flyloop_train_validation_curated",
            "(a2) flyloop's train and validation splits, curated labels (the head its loop serves: the refit)",
        ),
        (
            "a2_stored_texts",
            "(a2) with each input as stored (after the privacy gate's redaction: what the loop reads), asked the "
            "held-out mails as sent (as production was before a head redacted its inputs)",
        ),
        (
            "a2_stored_texts_heldout_redacted",
            "(a2) with each input as stored, asked the held-out mails redacted as the gate would (as the served "
            "head now does)",
        ),
        ("b_flyloop_train_true", "(b) the same examples, true labels"),
        ("c_every_interaction_true", "(c) every interaction seen, true labels (the oracle's data)"),
        ("d_flyloop_all_splits_curated", "(d) flyloop's train, validation and eval examples, curated labels"),
        ("e_self_training", "(e) (a2) and the head's own confident labels of the traffic without one (not in flyloop)"),
    ]
    lines = [
        f"Where flyloop's final head loses to the oracle (`{d['_command']}`, {d['_at']}): the head flyloop's "
        f"loop fits, on each data, measured on the held-out set (seed {d['seed']}, after round {len(d['rounds'])}):",
        "",
        "| data | rows | label noise | held-out | ham recall | spam recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, words in rows:
        if key in t:
            r = t[key]
            noise = f"{100 * r['noise']:.1f}%" if "noise" in r else "as (a2)"
            lines.append(
                f"| {words} | {r['n']} | {noise} | {r['accuracy']:.3f} | "
                f"{r['ham_recall']:.3f} | {r['spam_recall']:.3f} |"
            )
    naive = t.get("naive_examples")
    if naive:
        lines.append(
            f"| naive's examples (its own head) | {naive['n']} | {100 * naive['noise']:.1f}% | "
            f"{naive['heldout']:.3f} | | |"
        )
    st = t.get("e_self_training")
    if st:
        lines += [
            "",
            f"(e) is self-training, measured by the harness only: {st['pseudo_labelled']} of the {st['pool']} "
            "interactions with no example (users in neither the eval nor the validation split) labelled by the "
            f"(a2) head where it was at least {st['confidence']:g} sure, weight {st['weight']:g}; "
            f"{100 * st['pseudo_noise']:.1f}% of those labels wrong.",
        ]
    points = sorted(t.get("learning_curve_true_labels", {}).items(), key=lambda kv: int(kv[0]))
    curve = ", ".join(
        f"{n}: {a:.3f}" if not isinstance(a, dict) else f"{n}: {a['mean']:.3f} ({a['min']:.3f}-{a['max']:.3f})"
        for n, a in points
    )
    drawn = any(isinstance(a, dict) for _, a in points)
    how = f" (mean of {DRAWS} draws, lowest-highest)" if drawn else ""
    lines += ["", f"The head's held-out accuracy on n random true labels of the traffic{how}: {curve}.", ""]
    lines += [
        "Each round's head candidate, on the next round's traffic (mails it has not trained on; round "
        f"{len(d['rounds'])}: its own) and on the held-out (later) mails, by label:",
        "",
        "| round | eval gain (gate) | traffic: ham / spam recall | held-out | held-out: ham / spam recall |",
        "|---:|---|---|---:|---|",
    ]
    for r in d["rounds"]:
        h = r.get("head")
        if not h:
            continue
        gain = "" if h.get("eval_gain") is None else f"{100 * h['eval_gain']:+.1f}"
        verdict = "promoted" if h.get("promoted") else "passed" if h.get("passed") else "rejected"
        tr, ho = h.get("traffic_unseen") or h["traffic_so_far"], h["heldout"]
        lines.append(
            f"| {r['round']} | {gain} ({verdict}) | {tr['ham_recall']:.3f} / {tr['spam_recall']:.3f} | "
            f"{ho['accuracy']:.3f} | {ho['ham_recall']:.3f} / {ho['spam_recall']:.3f} |"
        )
    lines += [
        "",
        "The head is fitted class-balanced, so the traffic's prior (15% spam) is not what it leans on; what "
        "moves between refreshes is spam recall on the later mails, which no split of the traffic shows.",
    ]
    return lines + bad_verdict_lines(name, results)


def _diagnoses(name: str, results: Path) -> list[dict[str, Any]]:
    """Every seed's diagnosis (``NAME_diagnosis.json``, ``NAME_diagnosis_seedN.json``), by seed."""
    found = [json.loads(p.read_text()) for p in sorted(results.glob(f"{name}_diagnosis*.json"))]
    return sorted(found, key=lambda d: d["seed"])


def bad_verdict_lines(name: str, results: Path = RESULTS) -> list[str]:
    """Per seed and round, what the bad verdicts became and what curation held back (diagnose.py)."""
    found = [d for d in _diagnoses(name, results) if any(r.get("bad_verdicts") for r in d["rounds"])]
    if not found:
        return []

    def n(t: dict[str, int]) -> str:
        return f"{t['n']} ({t['true']})"

    lines = [
        "",
        "The bad verdicts (a trusted thumbs-down, a failed outcome): on a two-label workload curation makes "
        "each an `sft` row of the other label (source `other_label`; the eval split keeps it as a known-bad "
        "case), so the head already learns from them. Per round, each split's `other_label` rows (in "
        "brackets: how many name the true label), the head fitted on the train and validation rows (as the "
        "loop serves it) with and without them on the held-out mails, beside the same head on as many "
        f"interactions of the traffic so far drawn at random with their true labels (mean of {DRAWS} draws, "
        "lowest-highest), and the labels curation held back "
        "(true in brackets; a `bad` one read as the other label) "
        f"(`python -m bench.flywheel.diagnose --seed N`, {', '.join(d['_at'] for d in found)}):",
        "",
        "| seed | round | train rows (spam) | other_label: train / validation / eval | held-out with / without "
        "| random true labels, as many | held back |",
        "|---:|---:|---:|---|---|---|---:|",
    ]
    for d in found:
        for r in d["rounds"]:
            b = r.get("bad_verdicts")
            if not b:
                continue
            held = b.get("held_back_truth") or {}
            total = {"n": sum(t["n"] for t in held.values()), "true": sum(t["true"] for t in held.values())}
            with_, without = b.get("heldout_with_other_label"), b.get("heldout_without_other_label")
            heads = f"{with_:.3f} / {without:.3f}" if with_ is not None and without is not None else ""
            rnd = b.get("random_true_same_size")
            same = f"{rnd['mean']:.3f} ({rnd['min']:.3f}-{rnd['max']:.3f})" if rnd else ""
            lines.append(
                f"| {d['seed']} | {r['round']} | {b['train_rows']} ({100 * b['train_spam_share']:.0f}%) | "
                f"{n(b['other_label_train'])} / {n(b['other_label_validation'])} / {n(b['other_label_eval'])} | "
                f"{heads} | {same} | {n(total)} |"
            )
    edge = []
    for d in found:
        points = [
            (
                r["round"],
                r["bad_verdicts"]["heldout_with_other_label"] - r["bad_verdicts"]["random_true_same_size"]["mean"],
            )
            for r in d["rounds"]
            if "heldout_with_other_label" in (r.get("bad_verdicts") or {})
            and (r.get("bad_verdicts") or {}).get("random_true_same_size")
        ]
        edge.append(f"seed {d['seed']}: " + ", ".join(f"{100 * x:+.1f}" for _, x in points))
    lines += [
        "",
        "flyloop's curated rows minus as many random true labels, in points of held-out accuracy, round by round "
        f"({'; '.join(edge)}; round 1's few rows say little): round 2's rows, largely the zero-shot policy's "
        "mistakes found by the bad verdicts and corrections, teach more than random ones; the rows of later "
        "rounds are mostly the head's own right answers confirmed (good verdicts), which add less than as many "
        "random labels would, so the edge shrinks and the later heads gain little from the added rows.",
    ]
    lines += ["", "What curation held back at the last round, by verdict and why (true in brackets):", ""]
    for d in found:
        last = [r["bad_verdicts"] for r in d["rounds"] if r.get("bad_verdicts")][-1]
        held = last.get("held_back_truth") or {}
        words = ", ".join(f"{why} {n(t)}" for why, t in sorted(held.items(), key=lambda kv: -kv[1]["n"]))
        lines.append(f"- seed {d['seed']}: {words or 'nothing'}.")
    return lines + complementary_lines(name, results)


def complementary_lines(name: str, results: Path = RESULTS) -> list[str]:
    """More than two labels: a thumbs-down spread over the other labels (bench/flywheel/complementary.py)."""
    path = results / f"{name}_complementary.json"
    if not path.exists():
        return []
    d = json.loads(path.read_text())
    words = "; ".join(
        f"first head on {first} labels: {s['labelled']:.0f} labelled rows and {s['thumbs_down']:.0f} thumbs-downs, "
        f"left out {s['left_out']:.3f}, spread {s['spread']:.3f}, their true labels {s['true_label']:.3f}"
        for first, s in sorted(d["first"].items(), key=lambda kv: int(kv[0]))
    )
    lost = [s["spread"] < s["left_out"] for s in d["first"].values()]
    verdict = (
        "spreading cost accuracy every time, so flyloop's head does not spread them"
        if all(lost)
        else "spreading cost accuracy at some sizes only"
        if any(lost)
        else "spreading gained every time"
    )
    return [
        "",
        "With more than two labels a thumbs-down only rules one out; flyloop's head leaves it out. Spread over "
        "the other labels instead (each copy weighing 1 / (K - 1)), on the SpamAssassin mails labelled "
        f"easy_ham / hard_ham / spam by folder (`{d['_command']}`, {d['_at']}; held-out accuracy, mean of "
        f"{len(next(iter(d['first'].values()))['draws'])} draws): {words}; {verdict}.",
    ]


def parity_lines(name: str, results: Path = RESULTS) -> list[str]:
    """Train/serve parity of the classifiers (bench/flywheel/parity.py): fitted on mails as stored,
    asked mails as sent or redacted alike; and what the served head's redaction costs."""
    path = results / f"{name}_parity.json"
    if not path.exists():
        return []
    d = json.loads(path.read_text())
    tag, hashed = d["head trained on tag-redacted mails"], d["head trained on hash-redacted mails"]
    knn, zero = d["kNN vote over a tag-redacted bank (k=10)"], d["zero-shot prototypes"]
    lines = [
        "",
        "Train/serve parity (`python -m bench.flywheel.parity`: one draw, seed "
        f"{d['seed']}, {d['train']} training mails with their true labels stored as the privacy gate redacts "
        f"them, {d['heldout']} held-out mails of which redaction changes {d['redacted_heldout']}; held-out "
        f"accuracy): a head fitted on tag-redacted mails, {tag['as sent']['accuracy']:.3f} asked the mails as "
        f"sent, {tag['tag']['accuracy']:.3f} redacted alike (what flyloop's served head now does: its manifest "
        "records the redaction); fitted on hash-redacted mails, "
        f"{hashed['as sent']['accuracy']:.3f} as sent, {hashed['tag']['accuracy']:.3f} with tag tokens, "
        f"{hashed['hash (stand-in key)']['accuracy']:.3f} with hash tokens of a stand-in key (what a server "
        f"without the project's key serves) and {hashed['hash (project key)']['accuracy']:.3f} with the "
        f"project's key; the kNN vote over a tag-redacted bank {knn['as sent']:.3f} as sent, {knn['tag']:.3f} "
        "redacted (no gain: the vote reads queries as sent); the zero-shot prototypes "
        f"{zero['as sent']:.3f} as sent, {zero['tag']:.3f} redacted (their label descriptions are never "
        "redacted, so this is no skew: left as it is).",
    ]
    timing = results / f"{name}_parity_latency.json"
    if timing.exists():
        t = json.loads(timing.read_text())
        lines[-1] += (
            f" What it costs (`python -m bench.flywheel.parity --latency {t['mails']}`, CPU time, embedder "
            f"uncached, on and off alternating mail by mail on a busy 2-core machine): classify "
            f"{t['redaction on']['mean_ms']:.1f} ms a mail with the redaction, {t['redaction off']['mean_ms']:.1f} "
            f"without; the redaction alone {t['redaction alone']['mean_ms']:.1f} ms "
            f"({100 * t['redaction share of classify']:.1f}%; mails of {t['mean_chars']:.0f} characters on average)."
        )
    return lines
