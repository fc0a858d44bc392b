"""Questions with exact answers from DeepMind's ``mathematics-dataset``, one JSON object a line
(``question``, ``answer``, ``module``), for the flywheel benchmark's assistant track.

Runs in a virtualenv of its own (the package imports only with ``sympy==1.5.1``, which clashes
with torch); :func:`bench.flywheel.assistant_data.ensure_questions` creates that venv under
``bench/.venvs/math`` and runs this script on first use. Run by hand::

    bench/.venvs/math/bin/python bench/flywheel/math_questions.py --out q.jsonl --count 2000

Kept: the train-easy level (the lowest third of the module's entropy range), questions whose
answer is an integer (no decimals: the 135M model should be able to learn them on a CPU in
minutes) of at most ``--max-digits`` digits, each question text once. ``--plain`` keeps only
questions whose every number is an integer of at most ``--max-digits`` digits too (no "-1.4 - -0.4",
no "-117 - -55"): two-digit sums and differences, which the small model can learn in a few dozen
LoRA steps. Standard library and the package only: nothing of flyloop imports here.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys

NUMBER = re.compile(r"\d+(?:\.\d+)?")
NEGATIVE = re.compile(r"(?<![\w)])-\d")  # a minus sign that is a number's, not an operator


def entropy_fn(level: int, levels: int):  # type: ignore[no-untyped-def]
    """The package's own difficulty slicing (generate.py): level ``level`` of ``levels``."""

    def narrow(range_):  # type: ignore[no-untyped-def]
        low, high = range_
        span = high - low
        return (low + level / levels * span, low + (level + 1) / levels * span)

    return narrow


def plain(question: str, max_digits: int) -> bool:
    """Whether every number in ``question`` is an integer of at most ``max_digits`` digits."""
    return all("." not in n and len(n) <= max_digits for n in NUMBER.findall(question))


def unsigned(question: str, answer: str) -> bool:
    """Whether no number of ``question`` or ``answer`` is negative ("63 - 3" and "63 minus 3"
    are; "-3 + 63" and "3 - 63" are not)."""
    return not NEGATIVE.search(question) and not answer.startswith("-")


def generate(
    modules: list[str],
    count: int,
    seed: int,
    max_digits: int,
    plain_only: bool = False,
    unsigned_only: bool = False,
) -> list[dict[str, str]]:
    import numpy as np
    from mathematics_dataset.modules import modules as all_modules

    random.seed(seed)  # the package draws from both random and numpy's global state
    np.random.seed(seed)
    easy = all_modules.train(entropy_fn(0, 3))
    makers = []
    for name in modules:
        group, _, leaf = name.partition("__")
        if group not in easy or leaf not in easy[group]:
            raise SystemExit(f"unknown module {name!r} (e.g. arithmetic__add_or_sub)")
        makers.append((name, easy[group][leaf]))
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    tries = 0
    while len(out) < count:
        tries += 1
        # --plain keeps ~1 in 70 of the easy level's add_or_sub questions, --unsigned ~1 in 330
        if tries > count * 1000:
            raise SystemExit(f"only {len(out)} questions of {count} after {tries} tries: loosen --max-digits")
        name, make = makers[tries % len(makers)]
        problem = make()
        question, answer = str(problem.question).strip(), str(problem.answer).strip()
        digits = answer.lstrip("-")
        if not digits.isdigit() or len(digits) > max_digits or question in seen:
            continue
        if plain_only and not plain(question, max_digits):
            continue
        if unsigned_only and not unsigned(question, answer):
            continue
        seen.add(question)
        out.append({"question": question, "answer": answer, "module": name})
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="the JSONL file to write")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--modules", default="arithmetic__add_or_sub", help="comma-separated group__module names")
    p.add_argument("--max-digits", type=int, default=3, help="longest answer kept, in digits")
    p.add_argument("--plain", action="store_true", help="every number of the question an integer of --max-digits")
    p.add_argument("--unsigned", action="store_true", help="no negative number in the question or the answer")
    args = p.parse_args()
    modules = [m for m in args.modules.split(",") if m]
    rows = generate(modules, args.count, args.seed, args.max_digits, args.plain, args.unsigned)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"wrote {len(rows)} questions to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
