"""Feedback integrity: how far each rater can be trusted, and which signals to set aside.

The seeds name three ways feedback lies: a vocal minority (power users), habitual thumbs-up
(metric gaming) and adversarial corrections (data poisoning). This module answers them from the
raw signals and outcomes, before any example is built:

* **Trust per rater.** Each explicit vote (thumbs, rating, edit) is checked against evidence the
  rater does not control: the interaction's outcome, the other raters of the same interaction,
  and (for edits) what other trusted raters and successful outcomes say the answer to the same
  prompt is. Trust is the Beta posterior mean of agreement, prior ``Beta(prior_agree,
  prior_disagree)``: a newcomer starts fairly trusted and evidence moves them.
* **Adversarial raters.** A rater who disagrees with that evidence significantly more often than
  the population does (one-sided binomial test, SciPy, ``adversarial_alpha``) is flagged, and
  every signal of theirs is quarantined.
* **Habitual raters.** Thumbs that always point the same way (at least ``habitual_constancy`` of
  at least ``habitual_min_votes`` votes) carry no information when the evidence says so: one of
  them is contradicted by the interaction's outcome or by the other raters of the same
  interaction, or the rater thumbs most of what they see (``habitual_min_rate``) while the other
  raters do not vote that way as constantly (their share in that direction is under
  ``habitual_constancy``). Their thumbs are quarantined; their edits and implicit signals still
  count. Constancy alone is no evidence: when every rater approves and nothing contradicts them
  (a project whose users are happy), the approval is the information, and nobody is habitual.
* **Outlier edits.** A correction that contradicts the interaction's outcome, or the consensus of
  other trusted raters and successful outputs on the same prompt, is quarantined on its own, so one
  poisoned edit is caught even from a rater with too little history to flag.
* **Claims need a record; opinions need only no record against them.** An opinion (thumbs, a
  rating) endorses or rejects an output the model wrote; a claim (a correction's text, a
  choice's order) writes what the model will be taught to say and, in a preference pair, what
  it will be taught to avoid: the way to poison a dataset. So an opinion counts unless the
  evidence speaks against its rater (trust below a newcomer's, :meth:`IntegrityReport.distrusted`),
  and a claim counts only when the evidence speaks *for* its rater (trust above a newcomer's,
  :meth:`IntegrityReport.vouched`): some of their votes were checked against outcomes, other
  raters or the consensus on a prompt, and agreed. A claim the consensus itself backs earns
  that check. A correction the interaction's failed outcome or the consensus contradicts is
  quarantined outright (above). The cost: a project with no outcomes and one rater per
  interaction has nothing to check raters against, and its corrections are held back
  (``correction_unvouched`` in the manifest) until ``min_claim_trust`` is set to 0.
* **Caps.** :func:`cap_per_user` bounds the share of a dataset one user's interactions may make.

Quarantined signals are never deleted: the report keeps each one with its reason, and the
dataset version stores them, so a person can see why a signal was not used.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from flyloop.curation.dedup import normalize

T = TypeVar("T")

THUMB_KINDS = frozenset({"thumbs_up", "thumbs_down", "rating"})
CLAIM_KINDS = frozenset({"edit", "choice"})  # votes that claim what the right output is


class IntegrityConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    prior_agree: float = Field(2.0, gt=0)
    prior_disagree: float = Field(1.0, gt=0)
    adversarial_alpha: float = Field(0.05, gt=0, lt=1)
    min_population_disagreement: float = Field(0.05, gt=0, lt=1)
    habitual_min_votes: int = Field(5, ge=2)
    habitual_constancy: float = Field(0.95, gt=0.5, le=1)
    habitual_min_rate: float = Field(0.5, gt=0, le=1)
    edit_consensus_min: int = Field(2, ge=1)
    # The trust a rater needs before their claims (corrections, choices) are used; None: more
    # than a newcomer's (the prior mean), i.e. the checks on record speak for them. 0 takes
    # every claim at face value.
    min_claim_trust: float | None = Field(None, ge=0, le=1)
    max_user_share: float | None = Field(0.05, gt=0, le=1)
    min_user_cap: int = Field(20, ge=1)


@dataclass(slots=True)
class Vote:
    """One explicit signal, as integrity sees it."""

    signal_id: str
    interaction_id: str
    actor: str
    kind: str
    polarity: int  # +1 the rater says good, -1 bad, 0 no direction
    text: str | None = None  # an edit's corrected text


@dataclass
class Evidence:
    """What the rest of the store says: outcome polarity per interaction (+1 success, -1
    failure), interactions each actor made, each interaction's prompt key and output, and the
    interactions that were corrected."""

    votes: list[Vote]
    outcome: dict[str, int]
    seen: Counter[str]
    prompt_of: dict[str, str]
    output_of: dict[str, str]
    edited: set[str] = field(default_factory=set)


@dataclass
class Rater:
    actor: str
    votes: int = 0
    agree: int = 0
    disagree: int = 0
    trust: float = 1.0
    p_value: float = 1.0
    flags: list[str] = field(default_factory=list)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "votes": self.votes,
            "agree": self.agree,
            "disagree": self.disagree,
            "trust": round(self.trust, 4),
            "p_value": round(self.p_value, 6),
            "flags": list(self.flags),
            "reason": self.reason,
        }


@dataclass
class IntegrityReport:
    raters: dict[str, Rater]
    quarantined: dict[str, str]  # signal id -> why it was set aside
    adversarial: set[str]  # actors whose every signal is set aside
    population_disagreement: float
    newcomer: float = 2 / 3  # the trust of a rater with no checks on record (the prior mean)
    claim_trust: float | None = None  # IntegrityConfig.min_claim_trust

    def trust(self, actor: str | None) -> float:
        rater = self.raters.get(actor or "")
        return rater.trust if rater else 1.0

    def vouched(self, actor: str | None) -> bool:
        """Whether a claim (a correction's text, a choice's order) from ``actor`` may be used:
        the evidence checked so far speaks for them (trust above a newcomer's), or
        ``min_claim_trust`` says how much is enough. A claim without a rater has no record."""
        if self.claim_trust == 0:
            return True
        rater = self.raters.get(actor or "")
        if rater is None or actor in self.adversarial:
            return False
        if self.claim_trust is None:
            return rater.trust > self.newcomer + 1e-9
        return rater.trust >= self.claim_trust

    def distrusted(self, actor: str | None) -> bool:
        """Whether the evidence speaks against ``actor`` (trust below a newcomer's)."""
        rater = self.raters.get(actor or "")
        return rater is not None and rater.trust < self.newcomer - 1e-9

    def summary(self) -> dict[str, Any]:
        reasons = Counter(r.split(":")[0] for r in self.quarantined.values())
        return {
            "raters": len(self.raters),
            "adversarial": len(self.adversarial),
            "habitual": sum(1 for r in self.raters.values() if "habitual" in r.flags),
            "quarantined_signals": len(self.quarantined),
            "quarantine_reasons": dict(sorted(reasons.items())),
            "population_disagreement": round(self.population_disagreement, 4),
        }


def _score(votes: Iterable[Vote], verdict: Callable[[Vote], int | None]) -> dict[str, list[int]]:
    """Per actor, the agreements (+1) and disagreements (-1) of their votes with ``verdict``."""
    tally: dict[str, list[int]] = defaultdict(list)
    for vote in votes:
        result = verdict(vote)
        if result is not None:
            tally[vote.actor].append(result)
    return tally


def assess(evidence: Evidence, config: IntegrityConfig) -> IntegrityReport:
    """Trust per rater, flags, and the quarantined signals with their reasons."""
    from scipy.stats import binomtest

    votes = [v for v in evidence.votes if v.polarity != 0]
    quarantined: dict[str, str] = {}
    if not config.enabled:
        return IntegrityReport({}, quarantined, set(), 0.0, _prior(config), 0.0)

    # Pass 1: opinions (thumbs, ratings) against the interaction's outcome and the other raters
    # of the same interaction. An outcome after a correction judges the corrected text, not the
    # output (flyloop.labels.verdicts reads it the same way), so opinions on edited interactions are not
    # checked against it; a correction the task then failed with is itself suspect.
    opinions = [v for v in votes if v.kind not in CLAIM_KINDS]
    peers: dict[str, dict[str, int]] = defaultdict(dict)
    for vote in opinions:
        peers[vote.interaction_id][vote.actor] = vote.polarity
    tally: dict[str, list[int]] = defaultdict(list)
    for vote in opinions:
        outcome = evidence.outcome.get(vote.interaction_id)
        if outcome is not None and vote.interaction_id not in evidence.edited:
            tally[vote.actor].append(1 if outcome == vote.polarity else -1)
        voters = peers[vote.interaction_id]
        # Most interactions have one rater, this one: no one else to agree or disagree with.
        peer_sum = sum(p for a, p in voters.items() if a != vote.actor) if len(voters) > 1 else 0
        if peer_sum:
            tally[vote.actor].append(1 if (peer_sum > 0) == (vote.polarity > 0) else -1)
    for vote in votes:
        if vote.kind == "edit" and evidence.outcome.get(vote.interaction_id, 0) < 0:
            tally[vote.actor].append(-1)
            quarantined[vote.signal_id] = "correction contradicts the outcome: the task failed with the corrected text"
    trust = {a: _posterior(t, config) for a, t in tally.items()}

    # Pass 2: claims about the right answer (a correction's text, a choice's chosen draft)
    # against the consensus on the same prompt: outputs that succeeded unedited, and the other
    # raters' claims, each weighted by its rater's pass-1 trust, so a few low-trust accounts
    # cannot outvote the evidence.
    support: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    backers_of: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for iid, outcome in evidence.outcome.items():
        if outcome > 0 and iid not in evidence.edited and iid in evidence.prompt_of:
            text = normalize(evidence.output_of[iid])
            support[evidence.prompt_of[iid]][text] += 1.0
            backers_of[evidence.prompt_of[iid]][text].add("outcome:" + iid)
    claims = [
        v for v in votes if v.kind in CLAIM_KINDS and v.text is not None and v.interaction_id in evidence.prompt_of
    ]
    for vote in claims:
        key, text = evidence.prompt_of[vote.interaction_id], normalize(vote.text or "")
        if vote.actor not in backers_of[key][text]:
            support[key][text] += trust.get(vote.actor, _prior(config))
            backers_of[key][text].add(vote.actor)
    for vote in claims:
        key, text = evidence.prompt_of[vote.interaction_id], normalize(vote.text or "")
        own = trust.get(vote.actor, _prior(config)) if vote.actor in backers_of[key][text] else 0.0
        rivals = {t: w - (own if t == text else 0.0) for t, w in support[key].items()}
        backers = {t: len(s - {vote.actor}) for t, s in backers_of[key].items()}
        top = max(rivals, key=lambda t: (rivals[t], t), default=None)
        if top is None or backers.get(top, 0) < config.edit_consensus_min or rivals[top] <= sum(rivals.values()) / 2:
            continue
        if top == text:
            tally[vote.actor].append(1)
        else:
            tally[vote.actor].append(-1)
            what = "correction" if vote.kind == "edit" else "choice"
            quarantined.setdefault(
                vote.signal_id,
                f"{what} contradicts the consensus: {backers[top]} other raters or "
                f"successful outputs support a different answer to this prompt",
            )

    total = [r for t in tally.values() for r in t]
    population = max(config.min_population_disagreement, total.count(-1) / len(total) if total else 0.0)
    raters: dict[str, Rater] = {}
    by_actor: dict[str, list[Vote]] = defaultdict(list)
    for vote in evidence.votes:
        by_actor[vote.actor].append(vote)
    # The direction of every rater's thumbs, so each rater's constancy can be set against the others'.
    directions: Counter[int] = Counter(v.polarity for v in votes if v.kind in THUMB_KINDS)
    adversarial: set[str] = set()
    for actor, mine in by_actor.items():
        results = tally.get(actor, [])
        agree, disagree = results.count(1), results.count(-1)
        rater = Rater(actor, votes=len(mine), agree=agree, disagree=disagree, trust=_posterior(results, config))
        if disagree:
            rater.p_value = float(binomtest(disagree, agree + disagree, population, alternative="greater").pvalue)
        if disagree and rater.p_value < config.adversarial_alpha:
            rater.flags.append("adversarial")
            rater.reason = (
                f"disagrees with outcomes and other raters on {disagree} of {agree + disagree} checks "
                f"(population {population:.1%}, p={rater.p_value:.2g})"
            )
            adversarial.add(actor)
        thumbs = [v for v in mine if v.kind in THUMB_KINDS and v.polarity != 0]
        if len(thumbs) >= config.habitual_min_votes:
            direction, count = Counter(v.polarity for v in thumbs).most_common(1)[0]
            rate = len(thumbs) / max(1, evidence.seen.get(actor, 0))
            contradicted = any(
                evidence.outcome.get(v.interaction_id, direction) != direction
                or _peers_against(peers[v.interaction_id], actor, direction)
                for v in thumbs
            )
            other_thumbs = sum(directions.values()) - len(thumbs)
            stands_out = other_thumbs > 0 and (directions[direction] - count) / other_thumbs < config.habitual_constancy
            if count / len(thumbs) >= config.habitual_constancy and (
                contradicted or (rate >= config.habitual_min_rate and stands_out)
            ):
                rater.flags.append("habitual")
                word = "up" if direction > 0 else "down"
                why = f"{count} of {len(thumbs)} thumbs {word} on {rate:.0%} of their interactions"
                rater.reason = f"{rater.reason}; {why}" if rater.reason else why
                for v in thumbs:
                    quarantined.setdefault(v.signal_id, f"habitual rater: {why}")
        raters[actor] = rater
    for vote in evidence.votes:
        if vote.actor in adversarial:
            quarantined[vote.signal_id] = f"adversarial rater: {raters[vote.actor].reason}"
    return IntegrityReport(raters, quarantined, adversarial, population, _prior(config), config.min_claim_trust)


def _peers_against(raters: dict[str, int], actor: str, direction: int) -> bool:
    """Whether the other raters of an interaction, on balance, voted against ``direction``."""
    others = sum(p for a, p in raters.items() if a != actor)
    return others != 0 and (others > 0) != (direction > 0)


def _prior(config: IntegrityConfig) -> float:
    return config.prior_agree / (config.prior_agree + config.prior_disagree)


def _posterior(results: Sequence[int], config: IntegrityConfig) -> float:
    agree = sum(1 for r in results if r > 0)
    return (agree + config.prior_agree) / (len(results) + config.prior_agree + config.prior_disagree)


def cap_per_user(
    items: Sequence[T], *, user: Callable[[T], str | None], config: IntegrityConfig
) -> tuple[list[T], int]:
    """At most ``max(min_user_cap, max_user_share * len(items))`` items per user, keeping each
    user's first items in the given (best-first) order; returns the kept items and how many
    were dropped. Items without a user are not capped."""
    if config.max_user_share is None or not items:
        return list(items), 0
    cap = max(config.min_user_cap, int(config.max_user_share * len(items)))
    taken: Counter[str] = Counter()
    kept: list[T] = []
    for item in items:
        owner = user(item)
        if owner is not None:
            if taken[owner] >= cap:
                continue
            taken[owner] += 1
        kept.append(item)
    return kept, len(items) - len(kept)
