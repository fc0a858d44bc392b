"""The demo's simulated mail users: who reads which mail, and what each does with the label the
triage policy gave it. The truth (the mail's group in the corpus) never reaches flyloop except
through these reactions.

Most users are careful: a right label they accept (``accept_right``) or thumb up, a wrong one they
correct to the true label (an edit, ``correct_wrong``) or thumb down. A few are careless
(``careless_share``): they accept almost anything, right or wrong, and never correct. And even a
careful user slips now and then (``slip``): accepts a wrong label. Every draw comes from
the seed and the request's place in the traffic, so two runs of one seed react alike.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from flyloop.cli.demo_mail import Mail

Kind = Literal["careful", "careless"]


@dataclass(frozen=True, slots=True)
class Reaction:
    """What one user did with one label: accepted it, thumbed it, or corrected it (the label written)."""

    accept: bool = False
    thumbs: Literal["up", "down"] | None = None
    edit: str | None = None


@dataclass(frozen=True)
class Users:
    """``count`` users, ``careless_share`` of them careless; the reaction rates below."""

    count: int = 300
    seed: int = 7
    careless_share: float = 0.1
    accept_right: float = 0.6
    up_right: float = 0.1
    correct_wrong: float = 0.6
    down_wrong: float = 0.2
    careless_accept: float = 0.8
    slip: float = 0.03
    outcome_rate: float = 0.3

    def measured(self, position: int) -> bool:
        """Whether the product measures the outcome of the request at ``position``."""
        return random.Random(f"{self.seed}:outcome:{position}").random() < self.outcome_rate

    def ids(self) -> list[str]:
        return [f"reader-{i:03d}" for i in range(self.count)]

    def kind(self, user: str) -> Kind:
        return "careless" if random.Random(f"{self.seed}:{user}").random() < self.careless_share else "careful"

    def sender(self, position: int) -> str:
        """Who reads the mail at ``position`` of the traffic."""
        return self.ids()[random.Random(f"{self.seed}:who:{position}").randrange(self.count)]

    def react(self, user: str, position: int, mail: Mail, answer: str) -> Reaction:
        """How ``user`` reacts to ``answer`` for ``mail`` (its ``label`` is the truth)."""
        dice = random.Random(f"{self.seed}:react:{position}:{answer}")
        act, slip = dice.random(), dice.random()
        if self.kind(user) == "careless":
            return Reaction(accept=act < self.careless_accept)
        if answer == mail.label:
            if act < self.accept_right:
                return Reaction(accept=True)
            if act < self.accept_right + self.up_right:
                return Reaction(thumbs="up")
            return Reaction()
        if slip < self.slip:
            return Reaction(accept=True)
        if act < self.correct_wrong:
            return Reaction(edit=mail.label)
        if act < self.correct_wrong + self.down_wrong:
            return Reaction(thumbs="down")
        return Reaction()
