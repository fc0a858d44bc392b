"""A simulated AI product and its users, shared by the demo, the tests and every benchmark.

The product answers arithmetic questions ("What is 37 + 48?"), so the simulator alone knows
whether each output is right, and a correction can be exact. Users react as real users do:

- most say nothing; some accept the answer, and some of those copy it;
- honest users give explicit feedback at a low rate (thumbs, a 1-5 rating, or a comment), pick
  the better of two drafts when the app shows two, edit wrong answers to the right one (some
  rewrite them whole) and touch up right ones now and then;
- on a wrong answer some escalate to a human, some regenerate (the app reports the click only
  sometimes), some re-ask in other words, some dismiss it, some leave (abandon: nothing more
  happens in the session); on a right one some ask a follow-up, sometimes about the same
  numbers (a different question a re-query detector must not confuse with a re-ask);
- habitual raters click thumbs-up on whatever they see; silent users leave only implicit traces;
  adversarial users flip thumbs, choose the wrong draft and "correct" right answers to wrong ones;
- outcomes (did the task succeed?) arrive hours later, by join key (one per task, shared by its
  regenerations and re-asks) or by interaction id; a few arrive after the attribution window.

Segments (``plan``) differ widely in how often their users give explicit feedback. Every rate is
a field of :class:`Rates`, its default documented beside it; ``seed`` makes a run reproducible:
the same seed, population and count give the same events with the same ids.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flyloop.sdk import Flywheel, Interaction

USER_TYPES = ("honest", "habitual", "silent", "adversarial")
OPS = {
    "+": (lambda a, b: a + b, ("What is {a} + {b}?", "Compute {a} plus {b}.", "Add {a} and {b}.", "{a} + {b} = ?")),
    "-": (
        lambda a, b: a - b,
        ("What is {a} - {b}?", "Compute {a} minus {b}.", "Subtract {b} from {a}.", "{a} - {b} = ?"),
    ),
    "*": (
        lambda a, b: a * b,
        ("What is {a} * {b}?", "Compute {a} times {b}.", "Multiply {a} and {b}.", "{a} * {b} = ?"),
    ),
}
REPHRASINGS = {
    "+": (
        "what's {a}+{b}",
        "no, I asked: {a} + {b}",
        "please add {a} and {b} correctly",
        "sum of {a} and {b}?",
        "{a}+{b} again please",
        "that's wrong. {a} plus {b}?",
    ),
    "-": (
        "what's {a}-{b}",
        "no, I asked: {a} - {b}",
        "please subtract {b} from {a} correctly",
        "{a} minus {b}?",
        "{a}-{b} again please",
        "that's wrong. {a} minus {b}?",
    ),
    "*": (
        "what's {a}*{b}",
        "no, I asked: {a} * {b}",
        "please multiply {a} and {b} correctly",
        "product of {a} and {b}?",
        "{a}*{b} again please",
        "that's wrong. {a} times {b}?",
    ),
}
PRAISE = ("Thanks, that's right!", "Perfect, exactly what I needed.", "Great, helpful answer.")
COMPLAINTS = ("This is wrong.", "Wrong answer, please check the math.", "Useless, the sum is incorrect.")


@dataclass(frozen=True)
class Rates:
    """How the simulated population behaves. Defaults are plausible for a consumer AI feature."""

    type_shares: dict[str, float] = field(
        default_factory=lambda: {"honest": 0.70, "habitual": 0.10, "silent": 0.15, "adversarial": 0.05}
    )
    # segment -> (share of users, multiplier on every explicit-feedback rate)
    segments: dict[str, tuple[float, float]] = field(
        default_factory=lambda: {"free": (0.6, 0.5), "pro": (0.3, 1.5), "enterprise": (0.1, 3.0)}
    )
    explicit_rate: float = (
        0.15  # an honest user gives explicit feedback on this share of outputs, before the segment multiplier
    )
    rating_share: float = 0.25  # of explicit feedback, the share given as a 1-5 rating (the rest: thumbs or a comment)
    comment_share: float = 0.15  # of explicit feedback, the share given as a free-text comment
    choice_rate: float = 0.05  # the app shows two drafts (this output and another) on this share of interactions
    edit_rate: float = 0.20  # of wrong outputs, the share an honest user corrects (before the segment multiplier)
    rewrite_share: float = 0.3  # of those corrections, the share that rewrite the answer whole
    touchup_rate: float = 0.03  # of right outputs, the share an honest user touches up (punctuation, case)
    accept_rate: float = 0.45  # of right outputs, the share accepted (copied too in a third of those)
    follow_up_rate: float = 0.15  # of right outputs, the share followed by a new question in the same session
    same_numbers_share: float = 0.5  # of follow-ups, the share about the same numbers (another operation)
    regenerate_rate: float = 0.25  # of wrong outputs not edited, the share regenerated
    regenerate_reported: float = (
        0.5  # of regenerations, the share the app reports as a signal (inference finds the rest)
    )
    requery_rate: float = 0.20  # of wrong outputs not edited or regenerated, the share re-asked in other words
    reject_rate: float = 0.15  # of wrong outputs left so far, the share an honest user dismisses
    abandon_rate: float = 0.30  # of wrong outputs left without any other action, the share abandoned (the session ends)
    escalate_rate: float = 0.05  # of wrong outputs, the share escalated to a human
    dwell_reported: float = (
        0.3  # of outputs acted on, the share whose time-to-action the app reports (inference finds the rest)
    )
    outcome_rate: float = 0.30  # share of tasks whose outcome (task success) is reported later
    outcome_by_key: float = 0.6  # of outcomes, the share sent by the task's join key (the rest by interaction id)
    outcome_delay_h: tuple[float, float] = (1.0, 48.0)  # outcome arrives this many hours after the output
    late_outcome_rate: float = (
        0.03  # of outcomes, the share that arrive 8 to 10 days later (outside a 7-day attribution window)
    )
    habitual_thumbs_rate: float = 0.8  # a habitual rater clicks thumbs-up on this share of outputs
    adversarial_rate: float = 0.5  # an adversarial user acts (flipped thumbs, wrong edit, wrong choice) on this share


@dataclass(frozen=True)
class SimUser:
    id: str
    type: str
    segment: str
    activity: float  # relative share of the traffic this user makes


@dataclass
class Truth:
    """What only the simulator knows: per interaction, whether the output was right, and the
    right answer; per user, their type; and what each user really did (for checking inference)."""

    correct: dict[str, bool] = field(default_factory=dict)
    answer: dict[str, str] = field(default_factory=dict)
    user_type: dict[str, str] = field(default_factory=dict)
    user_of: dict[str, str] = field(default_factory=dict)
    requery_of: dict[str, str] = field(default_factory=dict)  # re-ask id -> the interaction it re-asks
    regenerated: dict[str, str] = field(default_factory=dict)  # regenerated id -> the new attempt
    follow_up_of: dict[str, str] = field(default_factory=dict)  # follow-up id -> the interaction before it
    abandoned: set[str] = field(default_factory=set)
    corrected: dict[str, str] = field(default_factory=dict)  # interaction -> the text its user edited it to


def population(users: int = 200, seed: int = 7, rates: Rates | None = None) -> list[SimUser]:
    rates = rates or Rates()
    rng = random.Random(seed)
    types, type_weights = zip(*rates.type_shares.items())
    segments, seg_info = zip(*rates.segments.items())
    seg_weights = [s[0] for s in seg_info]
    out = []
    for n in range(users):
        # Activity is heavy-tailed: a few power users make much of the traffic.
        out.append(
            SimUser(
                f"user-{n:05d}",
                rng.choices(types, type_weights)[0],
                rng.choices(segments, seg_weights)[0],
                rng.paretovariate(1.5),
            )
        )
    return out


def question(rng: random.Random, op: str = "+", numbers: tuple[int, int] | None = None) -> tuple[str, str]:
    """A question and its right answer (as digits)."""
    a, b = numbers or (rng.randint(10, 99), rng.randint(10, 99))
    compute, phrasings = OPS[op]
    return rng.choice(phrasings).format(a=a, b=b), str(compute(a, b))


def _operands(text: str) -> tuple[str, str, str]:
    """The operation and the two numbers of a question this module wrote (in the order the
    operation takes them)."""
    lowered = text.lower()
    if "*" in lowered or any(w in lowered for w in ("times", "multiply", "product")):
        op = "*"
    elif "-" in lowered or any(w in lowered for w in ("minus", "subtract")):
        op = "-"
    else:
        op = "+"
    a, b = re.findall(r"\d+", text)[:2]
    return (op, b, a) if "subtract" in lowered and " from " in lowered else (op, a, b)


def rephrase(text: str, rng: random.Random) -> str:
    """The same question in other words, as a user re-asking would type it."""
    op, a, b = _operands(text)
    return rng.choice(REPHRASINGS[op]).format(a=a, b=b)


def answer(correct: str, quality: float, rng: random.Random) -> tuple[str, bool]:
    """The simulated model's output: right with probability ``quality``, else near miss."""
    if rng.random() < quality:
        return f"The answer is {correct}.", True
    wrong = int(correct) + rng.choice((-10, -2, -1, 1, 2, 10))
    return f"The answer is {wrong}.", False


class Simulation:
    """Drive ``fw`` (a :class:`flyloop.Flywheel`) with simulated traffic.

    ``run(n)`` logs ``n`` first questions (regenerations, re-asks and follow-ups add more) over
    ``days`` of simulated time ending a day before ``start + days``, with their signals, and
    returns the :class:`Truth`. Outcomes are held back and sent by :meth:`deliver_outcomes`
    (``run`` calls it unless ``deliver_outcomes=False``), so a demo can show them arriving late;
    one whose time is still in the future stays held. ``quality`` is the chance the simulated
    model answers right."""

    def __init__(
        self,
        fw: Flywheel,
        users: int = 200,
        seed: int = 7,
        quality: float = 0.7,
        rates: Rates | None = None,
        workload: str = "math-help",
        policy_version: str = "v1",
        days: float = 14.0,
        start: float | None = None,
    ) -> None:
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
        self.pending: list[tuple[float, dict[str, Any]]] = []
        self._seq = 0

    def _id(self, prefix: str) -> str:
        self._seq += 1
        return f"sim-{prefix}-{self._seq:08d}"

    def run(self, n: int = 3000, *, deliver_outcomes: bool = True) -> Truth:
        # Cumulative weights once: passing plain weights re-accumulates them on every draw, which
        # is O(users) per interaction (same draws either way: one random() each).
        cum_weights = list(itertools.accumulate(u.activity for u in self.users))
        step = self.days * 86400 / max(1, n)
        for k in range(n):
            user = self.rng.choices(self.users, cum_weights=cum_weights)[0]
            ts = self.start + k * step
            op = self.rng.choice(tuple(OPS)) if self.rng.random() < 0.2 else "+"
            text, correct = question(self.rng, op)
            session = self._id("s")
            self._attempt(user, text, correct, ts, session, f"task-{session}", depth=0)
        if deliver_outcomes:
            self.deliver_outcomes()
        return self.truth

    def deliver_outcomes(self, until: float | None = None) -> int:
        """Send the held outcomes whose time has come (by ``until``, default now); returns how many."""
        until = time.time() if until is None else until
        due = [kw for ts, kw in self.pending if ts <= until]
        self.pending = [(ts, kw) for ts, kw in self.pending if ts > until]
        for kw in due:
            self.fw.outcome(**kw)
        return len(due)

    def _log(
        self, user: SimUser, text: str, correct: str, ts: float, session: str, task: str
    ) -> tuple[Interaction, bool, str]:
        output, right = answer(correct, self.quality, self.rng)
        interaction_id = self._id("i")
        handle = self.fw.log(
            self.workload,
            text,
            output,
            user_id=user.id,
            session_id=session,
            id=interaction_id,
            ts=ts,
            policy_version=self.policy_version,
            latency_ms=round(self.rng.uniform(200, 1500), 1),
            tokens_in=len(text.split()) + 12,
            tokens_out=6,
            cost=0.0002,
            metadata={"plan": user.segment},
            join_key=task,
        )
        self.truth.correct[interaction_id] = right
        self.truth.answer[interaction_id] = f"The answer is {correct}."
        self.truth.user_of[interaction_id] = user.id
        return handle, right, output

    def _attempt(self, user: SimUser, text: str, correct: str, ts: float, session: str, task: str, depth: int) -> str:
        r, rng = self.rates, self.rng
        handle, right, output = self._log(user, text, correct, ts, session, task)
        right_text = f"The answer is {correct}."
        mult = r.segments[user.segment][1]
        t = ts + rng.uniform(2, 40)
        at: Callable[[float], dict[str, Any]] = lambda seconds: {"actor": user.id, "ts": t + seconds}  # noqa: E731
        acted = False
        succeeded = right
        honest = user.type == "honest"
        adversary = user.type == "adversarial" and rng.random() < r.adversarial_rate
        if rng.random() < r.choice_rate and user.type != "silent":
            other = right_text if not right else f"The answer is {int(correct) + rng.choice((-1, 1))}."
            pick_output = right != adversary  # honest users pick the right draft; adversaries the wrong one
            chosen, rejected = (output, other) if pick_output else (other, output)
            handle.choose(chosen, [rejected], **at(0))
            acted = True
        if user.type == "habitual":
            if rng.random() < r.habitual_thumbs_rate:
                handle.thumbs_up(**at(0))
                acted = True
            if right and rng.random() < r.accept_rate:
                handle.accept(**at(1))
        elif adversary:
            if right:
                handle.thumbs_down(**at(0))
                handle.edit(f"The answer is {int(correct) + rng.choice((-3, 3, 7))}.", **at(5))
            else:
                handle.thumbs_up(**at(0))
            acted = True
        else:
            if honest and rng.random() < r.explicit_rate * mult:
                self._explicit(handle, right, at)
                acted = True
            if right:
                if rng.random() < r.accept_rate:
                    handle.accept(**at(1))
                    acted = True
                    if rng.random() < 1 / 3:
                        handle.copy(**at(2))
                if honest and rng.random() < r.touchup_rate * mult:
                    handle.edit(output.replace("The answer is", "the answer is").rstrip(".") + "!", **at(6))
                    self.truth.corrected[handle.id] = output
                    acted = True
                if depth < 2 and rng.random() < r.follow_up_rate:
                    op, a, b = _operands(text)
                    if rng.random() < r.same_numbers_share:
                        new_text, new_correct = question(rng, rng.choice([o for o in OPS if o != op]), (int(a), int(b)))
                    else:
                        new_text, new_correct = question(rng)
                    follow = self._attempt(
                        user, new_text, new_correct, t + 15, session, f"task-{session}-{depth + 1}", depth + 1
                    )
                    self.truth.follow_up_of[follow] = handle.id
                    acted = True
            else:
                if rng.random() < r.escalate_rate:
                    handle.escalate(**at(30))
                    acted = True
                if honest and rng.random() < r.edit_rate * mult:
                    fixed = (
                        right_text
                        if rng.random() >= r.rewrite_share
                        else f"It is {correct}, since {text.rstrip('?=. ')} gives {correct}."
                    )
                    handle.edit(fixed, **at(8))
                    self.truth.corrected[handle.id] = fixed
                    succeeded = acted = True
                elif depth < 2 and rng.random() < r.regenerate_rate:
                    if rng.random() < r.regenerate_reported:
                        handle.regenerate(**at(2))
                    new = self._attempt(user, text, correct, t + 4, session, task, depth + 1)
                    self.truth.regenerated[handle.id] = new
                    return handle.id
                elif depth < 2 and rng.random() < r.requery_rate:
                    new = self._attempt(user, rephrase(text, rng), correct, t + 20, session, task, depth + 1)
                    self.truth.requery_of[new] = handle.id
                    return handle.id
                elif honest and rng.random() < r.reject_rate:
                    handle.reject(**at(1))
                    acted = True
                elif not acted and rng.random() < r.abandon_rate:
                    self.truth.abandoned.add(handle.id)
        if acted and rng.random() < r.dwell_reported:
            handle.dwell(round(t - ts, 2), actor=user.id, ts=t)
        if rng.random() < r.outcome_rate:
            delay = rng.uniform(*r.outcome_delay_h) * 3600
            if rng.random() < r.late_outcome_rate:
                delay = rng.uniform(8, 10) * 86400
            kw: dict[str, Any] = {
                "name": "task_completed",
                "value": 1.0 if succeeded else 0.0,
                "ts": ts + delay,
                "id": self._id("o"),
            }
            if rng.random() < r.outcome_by_key:
                kw["join_key"] = task
            else:
                kw["interaction_id"] = handle.id
            self.pending.append((ts + delay, kw))
        return handle.id

    def _explicit(self, handle: Interaction, right: bool, at: Callable[[float], dict[str, Any]]) -> None:
        r, rng = self.rates, self.rng
        roll = rng.random()
        if roll < r.rating_share:
            handle.rate(rng.choice((4, 5)) if right else rng.choice((1, 2)), **at(3))
        elif roll < r.rating_share + r.comment_share:
            handle.comment(rng.choice(PRAISE if right else COMPLAINTS), **at(3))
        elif right:
            handle.thumbs_up(**at(3))
        else:
            handle.thumbs_down(**at(1))


def simulate(fw: Flywheel, n: int = 3000, **kwargs: Any) -> Truth:
    """Shorthand: ``Simulation(fw, **kwargs).run(n)``."""
    return Simulation(fw, **kwargs).run(n)
