"""The pairwise judge protocol: any callable (a model behind any backend, a person's answers, a
rule) that reads an input and two outputs and says which is better.

``judge(input, a, b)`` returns ``"a"``, ``"b"`` or ``"tie"``. Judges, model judges most of all,
favour a position (often the first), so each case's order is drawn from a seeded generator: the
candidate is shown first in about half the cases, and every verdict is mapped back ("un-swapped")
to candidate-versus-production before it is scored. The rate at which the first-shown output won
(among decisive verdicts) is kept, so a position bias shows instead of hiding in the average.

Scores are from the candidate's side: 1 a win, 0.5 a tie, 0 a loss; production's is one minus
that, so the paired difference of the means is the net win rate, (wins - losses) / cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from flyloop import errors

VERDICTS = ("a", "b", "tie")


class Judge(Protocol):
    """Says which of two outputs for ``input`` is better: ``"a"``, ``"b"`` or ``"tie"``."""

    def __call__(self, input: Any, a: str, b: str) -> str: ...


@dataclass(frozen=True)
class JudgeVerdicts:
    """A judge's verdicts on paired outputs, un-swapped to the candidate's side."""

    candidate_scores: NDArray[np.float64]  # 1 win, 0.5 tie, 0 loss, per case
    candidate_first: NDArray[np.bool_]  # whether the candidate was shown as "a"
    verdicts: tuple[str, ...]  # as the judge said them, in the order shown

    @property
    def first_position_rate(self) -> float | None:
        """Among decisive verdicts, the share won by the output shown first (0.5: no position
        bias seen); None when every verdict was a tie."""
        decisive = [v for v in self.verdicts if v != "tie"]
        return None if not decisive else decisive.count("a") / len(decisive)


def judge_pairs(
    judge: Judge, inputs: Sequence[Any], production: Sequence[str], candidate: Sequence[str], *, seed: int = 0
) -> JudgeVerdicts:
    """Ask ``judge`` about each case, in a random order per case (seeded), and un-swap the answers."""
    if not callable(judge):
        raise errors.ValidationError("a judge is a callable judge(input, a, b) -> 'a' | 'b' | 'tie'", field="judge")
    if not len(inputs) == len(production) == len(candidate):
        raise errors.ValidationError(
            f"{len(inputs)} inputs, {len(production)} production and {len(candidate)} candidate outputs: "
            "one of each per case",
            field="judge",
        )
    candidate_first = np.random.default_rng(seed).random(len(inputs)) < 0.5
    scores = np.empty(len(inputs))
    said: list[str] = []
    for i, (input, prod, cand) in enumerate(zip(inputs, production, candidate)):
        a, b = (cand, prod) if candidate_first[i] else (prod, cand)
        verdict = judge(input, a, b)
        normal = verdict.strip().lower() if isinstance(verdict, str) else verdict
        if normal not in VERDICTS:
            raise errors.ValidationError(
                f"the judge answered {verdict!r} for case {i}: it must answer 'a', 'b' or 'tie'", field="judge"
            )
        said.append(normal)
        if normal == "tie":
            scores[i] = 0.5
        else:
            scores[i] = 1.0 if (normal == "a") == bool(candidate_first[i]) else 0.0
    return JudgeVerdicts(scores, candidate_first, tuple(said))
