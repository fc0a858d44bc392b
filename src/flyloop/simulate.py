"""A simulated AI product and its users, shared by the demo, the tests and every benchmark.

The product answers arithmetic questions ("What is 37 + 48?"), so the simulator alone knows
whether each output is right, and a correction can be exact. Users react as real users do:
most say nothing; some accept or copy; some edit the answer (honest users to the right one,
adversarial users to a wrong one); some regenerate, re-ask in other words, or give up; habitual
raters click thumbs-up on whatever they see; outcomes (did the task succeed?) arrive hours later.
Segments (``plan``) differ widely in how often their users give feedback, as in real products.

Every rate is a field of :class:`Rates` with its default documented there; ``seed`` makes a run
reproducible: the same seed, population and count give the same events with the same ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterator

USER_TYPES = ("honest", "habitual", "silent", "adversarial")


@dataclass(frozen=True)
class Rates:
    """How the simulated population behaves. Defaults are plausible for a consumer AI feature."""

    type_shares: dict[str, float] = field(default_factory=lambda: {"honest": 0.70, "habitual": 0.10, "silent": 0.15, "adversarial": 0.05})
    # segment -> (share of users, multiplier on every explicit-feedback rate)
    segments: dict[str, tuple[float, float]] = field(default_factory=lambda: {"free": (0.6, 0.5), "pro": (0.3, 1.5), "enterprise": (0.1, 3.0)})
    explicit_rate: float = 0.15      # an honest user rates (thumbs) this share of outputs, before the segment multiplier
    edit_rate: float = 0.20          # of wrong outputs, the share an honest user corrects
    accept_rate: float = 0.45        # of right outputs, the share accepted (copy in a third of those)
    regenerate_rate: float = 0.25    # of wrong outputs not edited, the share regenerated
    requery_rate: float = 0.20       # of wrong outputs not edited or regenerated, the share re-asked in other words
    abandon_rate: float = 0.30       # of wrong outputs left without any other action, the share abandoned
    escalate_rate: float = 0.05      # of wrong outputs, the share escalated to a human
    outcome_rate: float = 0.30       # share of interactions whose outcome (task success) is reported later
    outcome_delay_h: tuple[float, float] = (1.0, 48.0)   # outcome arrives this many hours after the output
    habitual_thumbs_rate: float = 0.8   # a habitual rater clicks thumbs-up on this share of outputs
    adversarial_rate: float = 0.5       # an adversarial user acts (flipped thumbs, wrong edit) on this share


@dataclass(frozen=True)
class SimUser:
    id: str
    type: str
    segment: str
    activity: float  # relative share of the traffic this user makes


@dataclass
class Truth:
    """What only the simulator knows: per interaction, whether the output was right, and the
    right answer; per user, their type."""

    correct: dict[str, bool] = field(default_factory=dict)
    answer: dict[str, str] = field(default_factory=dict)
    user_type: dict[str, str] = field(default_factory=dict)
    user_of: dict[str, str] = field(default_factory=dict)


def population(users: int = 200, seed: int = 7, rates: Rates | None = None) -> list[SimUser]:
    rates = rates or Rates()
    rng = random.Random(seed)
    types, type_weights = zip(*rates.type_shares.items())
    segments, seg_info = zip(*rates.segments.items())
    seg_weights = [s[0] for s in seg_info]
    out = []
    for n in range(users):
        # Activity is heavy-tailed: a few power users make much of the traffic.
        out.append(SimUser(f"user-{n:05d}", rng.choices(types, type_weights)[0], rng.choices(segments, seg_weights)[0],
                           rng.paretovariate(1.5)))
    return out


def question(rng: random.Random) -> tuple[str, str]:
    a, b = rng.randint(10, 99), rng.randint(10, 99)
    phrasing = rng.choice(("What is {a} + {b}?", "Compute {a} plus {b}.", "Add {a} and {b}.", "{a} + {b} = ?"))
    return phrasing.format(a=a, b=b), str(a + b)


def rephrase(text: str, rng: random.Random) -> str:
    """The same question in other words, as a user re-asking would type it."""
    numbers = [t.strip("?.") for t in text.replace("+", " ").split() if t.strip("?.").isdigit()]
    a, b = numbers[0], numbers[1]
    return rng.choice(("what's {a}+{b}", "no, I asked: {a} + {b}", "please add {a} and {b} correctly", "sum of {a} and {b}?")).format(a=a, b=b)


def answer(correct: str, quality: float, rng: random.Random) -> tuple[str, bool]:
    """The simulated model's output: right with probability ``quality``, else near miss."""
    if rng.random() < quality:
        return f"The answer is {correct}.", True
    wrong = int(correct) + rng.choice((-10, -2, -1, 1, 2, 10))
    return f"The answer is {wrong}.", False


class Simulation:
    """Drive ``fw`` (a :class:`flyloop.Flywheel`) with simulated traffic.

    ``run(n)`` logs ``n`` first-attempt interactions (regenerations and re-asks add more) over
    ``days`` of simulated time ending now, with their signals and late outcomes, and returns the
    :class:`Truth`. ``quality`` is the chance the simulated model answers right."""

    def __init__(self, fw: Any, users: int = 200, seed: int = 7, quality: float = 0.7, rates: Rates | None = None,
                 workload: str = "math-help", policy_version: str = "v1", days: float = 14.0, start: float | None = None) -> None:
        import time

        self.fw = fw
        self.rates = rates or Rates()
        self.users = population(users, seed, self.rates)
        self.rng = random.Random(seed + 1)
        self.quality = quality
        self.workload = workload
        self.policy_version = policy_version
        self.days = days
        self.start = start if start is not None else time.time() - days * 86400 - 86400
        self.truth = Truth(user_type={u.id: u.type for u in self.users})
        self._seq = 0

    def _id(self, prefix: str) -> str:
        self._seq += 1
        return f"sim-{prefix}-{self._seq:08d}"

    def run(self, n: int = 3000) -> Truth:
        weights = [u.activity for u in self.users]
        step = self.days * 86400 / max(1, n)
        for k in range(n):
            user = self.rng.choices(self.users, weights)[0]
            ts = self.start + k * step
            text, correct = question(self.rng)
            self._attempt(user, text, correct, ts, session=self._id("s"), depth=0)
        return self.truth

    def _log(self, user: SimUser, text: str, correct: str, ts: float, session: str) -> tuple[Any, bool]:
        output, right = answer(correct, self.quality, self.rng)
        interaction_id = self._id("i")
        handle = self.fw.log(self.workload, text, output, user_id=user.id, session_id=session, id=interaction_id, ts=ts,
                             policy_version=self.policy_version, latency_ms=round(self.rng.uniform(200, 1500), 1),
                             tokens_in=len(text.split()) + 12, tokens_out=6, cost=0.0002,
                             metadata={"plan": user.segment}, join_key=f"task-{interaction_id}")
        self.truth.correct[interaction_id] = right
        self.truth.answer[interaction_id] = f"The answer is {correct}."
        self.truth.user_of[interaction_id] = user.id
        return handle, right

    def _attempt(self, user: SimUser, text: str, correct: str, ts: float, session: str, depth: int) -> None:
        r, rng = self.rates, self.rng
        handle, right = self._log(user, text, correct, ts, session)
        mult = r.segments[user.segment][1]
        t = ts + rng.uniform(2, 40)
        sig = dict(actor=user.id)

        def at(seconds: float) -> dict[str, Any]:
            return {**sig, "ts": t + seconds}

        if user.type == "habitual":
            if rng.random() < r.habitual_thumbs_rate:
                handle.thumbs_up(**at(0))
            if right and rng.random() < r.accept_rate:
                handle.accept(**at(1))
        elif user.type == "adversarial" and rng.random() < r.adversarial_rate:
            if right:
                handle.thumbs_down(**at(0))
                wrong = int(correct) + rng.choice((-3, 3, 7))
                handle.edit(f"The answer is {wrong}.", **at(5))
            else:
                handle.thumbs_up(**at(0))
        else:
            explicit = user.type == "honest" and rng.random() < r.explicit_rate * mult
            handle.dwell(round(t - ts, 2), **at(0))
            if right:
                if rng.random() < r.accept_rate:
                    handle.accept(**at(1))
                    if rng.random() < 1 / 3:
                        handle.copy(**at(2))
                if explicit:
                    handle.thumbs_up(**at(3))
            else:
                if explicit:
                    handle.thumbs_down(**at(1))
                if rng.random() < r.escalate_rate:
                    handle.escalate(**at(30))
                if user.type == "honest" and rng.random() < r.edit_rate * mult:
                    handle.edit(f"The answer is {correct}.", **at(8))
                elif depth < 2 and rng.random() < r.regenerate_rate:
                    handle.regenerate(**at(2))
                    self._attempt(user, text, correct, t + 4, session, depth + 1)
                elif depth < 2 and rng.random() < r.requery_rate:
                    self._attempt(user, rephrase(text, rng), correct, t + 20, session, depth + 1)
                elif rng.random() < r.abandon_rate:
                    handle.abandon(**at(120))
        if rng.random() < r.outcome_rate:
            delay = rng.uniform(*r.outcome_delay_h) * 3600
            handle.outcome("task_completed", 1.0 if right else 0.0, ts=ts + delay)


def simulate(fw: Any, n: int = 3000, **kwargs: Any) -> Truth:
    """Shorthand: ``Simulation(fw, **kwargs).run(n)``."""
    return Simulation(fw, **kwargs).run(n)


def iter_rows(n: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """Plain (question, right answer) pairs, for benchmarks that need text without a flywheel."""
    rng = random.Random(seed)
    for _ in range(n):
        yield question(rng)
