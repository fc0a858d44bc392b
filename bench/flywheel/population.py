"""The simulated users: who sends the traffic and how each reacts to what the product answers.

Kinds of user (shares are flags; the rest are honest):

- **honest**: say nothing most of the time. When the answer is wrong they correct it (an edit to
  the true label) with ``edit_wrong``, else thumb it down with ``down_wrong``; when it is right
  they thumb it up with ``up_right``;
- **habitual** (``habitual_share``): thumb up almost everything they see (``habitual_up``), right
  or wrong, and never correct anything;
- **silent** (``silent_share``): no explicit feedback at all;
- **adversarial** (``adversarial_share``): poison the data: when the answer is right they correct
  it to a wrong label (``adversarial_edit``) or thumb it down, when it is wrong they thumb it up.

Segments: ``power_share`` of the users are power users, whose explicit feedback rates (every rate
above) are ``power_factor`` times a casual user's (capped at 1), and who send ``power_traffic``
times as many requests. Outcomes (the product measures them; no user controls them): for
``outcome_rate`` of the interactions of every kind of user, whether the mail ended where it belongs
(1) or not (0) arrives ``outcome_delay`` rounds later: the label the user left it with, their
correction when they corrected it, else the answer. That is what flyloop's curation reads an
outcome as (the task's result with the corrected text), so an honest correction of a wrong answer
is borne out and a poisoned one of a right answer is contradicted.

The ground truth never reaches the system except through these reactions. Every random draw of
an interaction is made once, from the seed and the interaction's position in the traffic
(:class:`Draws`), so every arm sees the same users, the same mails in the same order and the
same dice: only its answers differ.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np
from bench.flywheel.data import Mail

Kind = Literal["honest", "habitual", "silent", "adversarial"]


@dataclass(frozen=True)
class PopulationConfig:
    """Every rate of the population, with its default (each is a ``--flag`` of the benchmark)."""

    users: int = 200
    adversarial_share: float = 0.05
    habitual_share: float = 0.10
    silent_share: float = 0.30
    power_share: float = 0.20
    power_factor: float = 3.0
    power_traffic: float = 3.0
    up_right: float = 0.10
    down_wrong: float = 0.15
    edit_wrong: float = 0.20
    habitual_up: float = 0.90
    adversarial_edit: float = 0.50
    outcome_rate: float = 0.30
    outcome_delay: int = 1

    HELP = {
        "users": "simulated users sending the traffic",
        "adversarial_share": "share of users who poison (wrong corrections, flipped thumbs)",
        "habitual_share": "share of users who thumb up almost everything",
        "silent_share": "share of users who never give explicit feedback",
        "power_share": "share of users in the power segment",
        "power_factor": "how many times a casual user's feedback rates a power user has",
        "power_traffic": "how many times a casual user's traffic a power user sends",
        "up_right": "honest: chance of a thumbs-up on a right answer",
        "down_wrong": "honest: chance of a thumbs-down (no correction) on a wrong answer",
        "edit_wrong": "honest: chance of correcting a wrong answer to the true label",
        "habitual_up": "habitual: chance of a thumbs-up on any answer",
        "adversarial_edit": "adversarial: chance of acting on an answer (a wrong correction or a flipped thumb)",
        "outcome_rate": "share of interactions whose outcome (right or wrong) is measured",
        "outcome_delay": "rounds after the interaction its outcome arrives",
    }

    def __post_init__(self) -> None:
        shares = self.adversarial_share + self.habitual_share + self.silent_share
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("users", "outcome_delay", "power_factor", "power_traffic"):
                continue
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{f.name} must lie in [0, 1], got {value}")
        if shares > 1.0:
            raise ValueError(f"adversarial, habitual and silent shares add up to {shares:g}, over 1")
        if self.users < 1 or self.outcome_delay < 0 or self.power_factor < 0 or self.power_traffic <= 0:
            raise ValueError(
                "users must be 1 or more, outcome_delay 0 or more, power_factor and power_traffic positive"
            )

    @classmethod
    def add_flags(cls, parser: argparse.ArgumentParser) -> None:
        group = parser.add_argument_group("population")
        for f in fields(cls):
            default = f.default
            group.add_argument(
                f"--{f.name.replace('_', '-')}",
                type=type(default),
                default=default,
                help=f"{cls.HELP[f.name]} (default {default})",
            )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> PopulationConfig:
        return cls(**{f.name: getattr(args, f.name) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class User:
    id: str
    kind: Kind
    segment: Literal["power", "casual"]


@dataclass(frozen=True, slots=True)
class Request:
    """One request of the traffic: who sent which mail, in which round, and its dice."""

    position: int
    round: int
    user: User
    mail: Mail
    draws: Draws


@dataclass(frozen=True, slots=True)
class Draws:
    """The uniform numbers one interaction's reactions are decided by (same in every arm)."""

    act: float
    which: float
    outcome: float
    wrong_label: float


@dataclass(frozen=True, slots=True)
class Reaction:
    """What the user did: at most one of thumbs up/down and an edit (the label they wrote), and
    the outcome the product measures later (None: never measured)."""

    thumbs: Literal["up", "down"] | None
    edit: str | None
    outcome: float | None


class Population:
    """The users and the traffic of a run, from its config, labels and seed."""

    def __init__(self, config: PopulationConfig, labels: list[str], seed: int) -> None:
        self.config = config
        self.labels = list(labels)
        rng = random.Random(seed)
        n = config.users
        counts = {
            "adversarial": round(n * config.adversarial_share),
            "habitual": round(n * config.habitual_share),
            "silent": round(n * config.silent_share),
        }
        kinds: list[Kind] = ["adversarial"] * counts["adversarial"] + ["habitual"] * counts["habitual"]
        kinds += ["silent"] * counts["silent"]
        kinds += ["honest"] * (n - len(kinds))
        rng.shuffle(kinds)
        power = set(rng.sample(range(n), round(n * config.power_share)))
        self.users = [User(f"user-{i:04d}", kinds[i], "power" if i in power else "casual") for i in range(n)]
        self._seed = seed

    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for user in self.users:
            out[user.kind] = out.get(user.kind, 0) + 1
        return out

    def traffic(self, pool: list[Mail], rounds: int, per_round: int) -> list[list[Request]]:
        """``rounds`` batches of ``per_round`` requests: the pool's mails in a seeded random
        order (each mail sent once; the pool is cut, never repeated), each from a user drawn by
        traffic weight (power users ``power_traffic`` times as often)."""
        rng = np.random.default_rng(self._seed)
        order = rng.permutation(len(pool))[: rounds * per_round]
        weights = np.array([self.config.power_traffic if u.segment == "power" else 1.0 for u in self.users])
        senders = rng.choice(len(self.users), size=len(order), p=weights / weights.sum())
        dice = rng.random((len(order), 4))
        out: list[list[Request]] = [[] for _ in range(rounds)]
        for position, (mail_index, sender) in enumerate(zip(order, senders)):
            r = position // per_round
            out[r].append(
                Request(position, r, self.users[int(sender)], pool[int(mail_index)], Draws(*map(float, dice[position])))
            )
        return out

    def rate(self, user: User, base: float) -> float:
        return min(1.0, base * self.config.power_factor) if user.segment == "power" else base

    def react(self, request: Request, answer: str) -> Reaction:
        """How ``request``'s user reacts to ``answer`` (the truth is ``request.mail.label``)."""
        c, user, d = self.config, request.user, request.draws
        truth = request.mail.label
        right = answer == truth
        thumbs: Literal["up", "down"] | None = None
        edit: str | None = None
        if user.kind == "honest":
            if right:
                thumbs = "up" if d.act < self.rate(user, c.up_right) else None
            else:
                edit_p = self.rate(user, c.edit_wrong)
                down_p = self.rate(user, c.down_wrong)
                if d.act < edit_p:
                    edit = truth
                elif d.act < min(1.0, edit_p + down_p):
                    thumbs = "down"
        elif user.kind == "habitual":
            thumbs = "up" if d.act < self.rate(user, c.habitual_up) else None
        elif user.kind == "adversarial" and d.act < self.rate(user, c.adversarial_edit):
            if right:
                if d.which < 0.5:
                    others = [label for label in self.labels if label != truth]
                    edit = others[int(d.wrong_label * len(others)) % len(others)]
                else:
                    thumbs = "down"
            else:
                thumbs = "up"
        final = answer if edit is None else edit
        outcome = (1.0 if final == truth else 0.0) if d.outcome < c.outcome_rate else None
        return Reaction(thumbs, edit, outcome)
