"""The assistant track's questions: arithmetic with exact answers from ``mathematics-dataset``,
generated once into a JSONL cache, split into the traffic pool and a held-out set no arm trains on.

The generator (``bench/flywheel/math_questions.py``) runs in a virtualenv of its own under
``bench/.venvs/math`` (``sympy==1.5.1``, which the package needs, clashes with torch): on first
use :func:`ensure_questions` creates the venv (``pip install mathematics-dataset sympy==1.5.1``)
and runs the script; the file lands in the bench cache (``~/.cache/flyloop-bench/flywheel/``,
outside the repository), named by its seed, count, modules, digits and plainness, so a second run
reads it.

A question is a :class:`bench.flywheel.data.Mail` (``text`` the question, ``label`` the answer,
``group`` its module), so the triage track's simulated population serves and judges it as is.
Users judge exactly: :func:`normalise` of the answer equals the truth.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bench.flywheel.data import Mail
from bench.policy_corpus import CACHE

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "bench" / ".venvs" / "math"
SCRIPT = Path(__file__).with_name("math_questions.py")
QUESTIONS = CACHE / "flywheel" / "math"
PACKAGES = ("mathematics-dataset==1.0.1", "sympy==1.5.1")
# Sums and differences of two numbers: the task the 135M model can learn on a CPU within the run
# (issue 12's seed: 2-digit additions 0.00 -> 0.58 held-out exact match in 50 LoRA steps). With
# add_sub_multiple beside it (chains like "-12 + 1 + 176 + -164") even the oracle stayed at 0.07
# after three rounds of 30 steps (BENCHMARKS.md flywheel_assistant, the run of 2026-12-06 01:55).
DEFAULT_MODULES = "arithmetic__add_or_sub"

_SPACE = re.compile(r"\s+")
# What a user reads past: a full stop or the like at the end, spaces, a leading "+" sign.
_CLOSING = ".,;:!?"


def normalise(answer: str) -> str:
    """An answer as a user compares it with the truth: Unicode NFKC, case-folded, runs of
    whitespace as one space, trimmed, closing punctuation at the end dropped (flyloop's
    ``normalize_answer`` does the same, so the users and flyloop's exact match agree). "-36." and
    " -36" equal "-36"; "The answer is -36." does not: the product promised the number alone."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", answer).casefold()).strip()
    return text.rstrip(_CLOSING).rstrip()


def parse_line(line: str, where: str = "questions") -> dict[str, str]:
    """One line of the cache: a JSON object with a non-empty ``question`` and ``answer`` (strings)
    and an optional ``module``; a ValueError naming the field otherwise."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise ValueError(f"{where}: a line must be a JSON object")
    for name in ("question", "answer"):
        value = row.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: field {name!r} must be a non-empty string")
    module = row.get("module", "")
    return {"question": row["question"].strip(), "answer": row["answer"].strip(), "module": str(module)}


@dataclass(frozen=True, slots=True)
class MathData:
    """The traffic pool, the held-out questions and the golden set's (each disjoint from the
    others by question text)."""

    name: str
    train: list[Mail]
    heldout: list[Mail]
    golden: list[Mail] = field(default_factory=list)

    def summary(self) -> str:
        modules = sorted({m.group for m in self.train + self.heldout + self.golden})
        golden = f", {len(self.golden)} in the golden set" if self.golden else ""
        return (
            f"{self.name}: {len(self.train)} questions in the traffic pool, {len(self.heldout)} held out{golden} "
            f"(modules {', '.join(modules)})"
        )


def cache_file(
    seed: int, count: int, modules: str, max_digits: int, plain: bool = False, unsigned: bool = False
) -> Path:
    tag = modules.replace(",", "+").replace("__", "-")
    kind = ("-plain" if plain else "") + ("-unsigned" if unsigned else "")
    return QUESTIONS / f"{tag}-d{max_digits}{kind}-n{count}-s{seed}.jsonl"


def ensure_venv(venv: Path = VENV) -> Path:
    """The math virtualenv's Python, creating the venv and installing the generator on first use."""
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"creating {venv} (mathematics-dataset needs sympy 1.5.1, apart from torch) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return python


def ensure_questions(
    seed: int,
    count: int,
    modules: str = DEFAULT_MODULES,
    max_digits: int = 2,
    plain: bool = False,
    unsigned: bool = False,
) -> Path:
    """The cached JSONL of ``count`` questions, generated through the math venv when missing
    (``plain``: every number of a question an integer of at most ``max_digits`` digits;
    ``unsigned``: no negative number in a question or its answer)."""
    path = cache_file(seed, count, modules, max_digits, plain, unsigned)
    if path.exists():
        return path
    python = ensure_venv()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    subprocess.run(
        [
            str(python),
            str(SCRIPT),
            "--out",
            str(partial),
            "--count",
            str(count),
            "--seed",
            str(seed),
            "--modules",
            modules,
            "--max-digits",
            str(max_digits),
            *(["--plain"] if plain else []),
            *(["--unsigned"] if unsigned else []),
        ],
        check=True,
    )
    partial.replace(path)  # a run interrupted mid-write leaves no half file under the final name
    return path


def read_questions(path: Path) -> list[Mail]:
    """The cache's questions as :class:`Mail` (id ``q<line>``, label the answer, group the module)."""
    out: list[Mail] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = parse_line(line, f"{path.name} line {n + 1}")
        out.append(Mail(id=f"q{n}", text=row["question"], label=row["answer"], group=row["module"], order=n))
    return out


def split(questions: list[Mail], heldout_size: int) -> tuple[list[Mail], list[Mail]]:
    """The last ``heldout_size`` distinct questions are held out; the pool keeps the rest, minus
    any whose text is a held-out question's (the generator keeps each text once; a file written
    another way may not)."""
    if heldout_size < 1 or heldout_size >= len(questions):
        raise ValueError(f"heldout must be from 1 to {len(questions) - 1}, got {heldout_size}")
    heldout = questions[-heldout_size:]
    held_texts = {normalise(m.text) for m in heldout}
    pool = [m for m in questions[:-heldout_size] if normalise(m.text) not in held_texts]
    return pool, heldout


def golden_after(questions: list[Mail], taken: int, size: int, *others: list[Mail]) -> list[Mail]:
    """The golden set: the ``size`` questions the generator made after the first ``taken`` (the
    traffic pool and the held-out set), the same kind of question from the same seeded stream.
    The generator keeps each text once, so they are disjoint from ``others`` by construction;
    checked here all the same by normalised text (a ValueError naming the twins otherwise)."""
    if size < 1:
        raise ValueError(f"golden must be 1 or more, got {size}")
    golden = questions[taken : taken + size]
    if len(golden) < size:
        raise ValueError(f"golden: {size} questions asked, the file holds {len(golden)} after the first {taken}")
    seen = {normalise(m.text) for group in others for m in group}
    twins = [m.text for m in golden if normalise(m.text) in seen]
    if twins or len({normalise(m.text) for m in golden}) < size:
        raise ValueError(f"golden: not disjoint from the traffic and held-out questions ({twins[:3]} ...)")
    return golden


def load(
    seed: int,
    pool_size: int,
    heldout_size: int,
    modules: str,
    max_digits: int,
    plain: bool = False,
    unsigned: bool = False,
    golden_size: int = 0,
) -> MathData:
    """The traffic pool and held-out set (the first ``pool_size + heldout_size`` questions of the
    seed's stream, as before golden sets: the same questions whatever ``golden_size``), and a
    golden set of ``golden_size`` questions (0: none) drawn from the same stream after them."""
    path = ensure_questions(seed, pool_size + heldout_size, modules, max_digits, plain, unsigned)
    pool, heldout = split(read_questions(path), heldout_size)
    golden: list[Mail] = []
    if golden_size > 0:
        longer = ensure_questions(seed, pool_size + heldout_size + golden_size, modules, max_digits, plain, unsigned)
        # The generator is one seeded stream: the longer file starts with the shorter one's questions.
        golden = golden_after(read_questions(longer), pool_size + heldout_size, golden_size, pool, heldout)
        golden = [Mail(id=f"g{m.order}", text=m.text, label=m.label, group=m.group, order=m.order) for m in golden]
    return MathData(f"mathematics-dataset ({path.name})", pool, heldout, golden)
