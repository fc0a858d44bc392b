"""Prompt refinement: the budget (estimated before, never passed, every call counted), the
validation slice (never a failure of the pool), the feedback the reflection model reads, robust
parsing of its answers, the best proposal chosen by score, candidates ready to register; with
backends written here that answer by rule, and once with the real SmolLM2 model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from test_failures import PROJECT, T, seed_failures

from flyloop import errors, registry
from flyloop.capture import Capture
from flyloop.improve import Backend, Generation, HashingEmbedder
from flyloop.improve.cases import Case
from flyloop.improve.failures import failure_clusters, load_failures
from flyloop.improve.refine import (
    RefinePlan,
    estimate,
    parse_proposal,
    prepare_refine,
    refine_prompt,
    run_refine,
    score,
)

CHECK = "Double-check every sum before answering."
PARENT = {"workload": "assist", "backend": "openai", "model": "m", "system_prompt": "You answer questions."}


class Adder:
    """A target model that adds the first two numbers of the user turn: one too many unless its
    system prompt tells it to double-check. Records every conversation it was given."""

    name = "adder"
    model = "adder-1"

    def __init__(self) -> None:
        self.seen: list[list[dict[str, str]]] = []

    def generate(self, messages: list[dict[str, str]], **params: Any) -> Generation:
        self.seen.append(messages)
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        a, b = (int(x) for x in re.findall(r"\d+", messages[-1]["content"])[:2])
        total = a + b if CHECK.lower() in system.lower() else a + b + 1
        return Generation(f"The answer is {total}.", 10, 5, 1.0, self.model, "stop")

    def generate_batch(self, batch: Sequence[list[dict[str, str]]], **params: Any) -> list[Generation]:
        return [self.generate(m, **params) for m in batch]


class Scripted:
    """A reflection model that answers from a script, in turn, and records what it read."""

    name = "scripted"
    model = "scripted-1"

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.seen: list[list[dict[str, str]]] = []

    def generate(self, messages: list[dict[str, str]], **params: Any) -> Generation:
        self.seen.append(messages)
        return Generation(self.answers[(len(self.seen) - 1) % len(self.answers)], 100, 20, 1.0, self.model, "stop")

    def generate_batch(self, batch: Sequence[list[dict[str, str]]], **params: Any) -> list[Generation]:
        return [self.generate(m, **params) for m in batch]


def plan(capture: Capture, **kw: Any) -> RefinePlan:
    options: dict[str, Any] = {"parent": PARENT, "since": T, "until": T + 1000, "validation_size": 4, "budget": 20}
    return prepare_refine(capture.store, PROJECT, "assist", **{**options, **kw})


def test_backends_here_implement_the_protocol() -> None:
    assert isinstance(Adder(), Backend) and isinstance(Scripted([""]), Backend)


def test_budget_estimated_and_never_passed(capture: Capture) -> None:
    seed_failures(capture)
    planned = plan(capture)
    # The parent on 4 cases, then (20 - 4) // (1 + 4) = 3 iterations of one reflection and 4 scorings.
    assert (len(planned.validation), planned.iterations, planned.estimate) == (4, 3, 19)
    assert estimate(20, 4) == 19 and estimate(24, 4) == 24 and estimate(100, 4, max_iterations=2) == 14
    answers = [f"<prompt>{CHECK}</prompt>", "<prompt>Be brief.</prompt>", "<prompt>One sentence.</prompt>"]
    target, reflection = Adder(), Scripted(answers)
    ticks: list[tuple[str, int, int]] = []
    result = run_refine(planned, reflection=reflection, target=target, progress=lambda *a: ticks.append(a))
    assert result.calls == 19 == len(target.seen) + len(reflection.seen)
    assert (len(reflection.seen), len(target.seen)) == (3, 16)
    assert result.tokens == 16 * 15 + 3 * 120
    assert ticks[-1] == ("scoring", 19, 20) and [t[1] for t in ticks] == [4, 5, 9, 10, 14, 15, 19]
    # An answer without a prompt costs its call and no scoring: fewer calls than the estimate.
    short = run_refine(plan(capture), reflection=Scripted(["I would say: be careful."]), target=Adder())
    assert short.calls == 4 + 3 and [p.error for p in short.proposals] == ["the answer held no prompt"] * 3
    assert short.best == [] and short.candidates == []


class Failing(Adder):
    """Answers the parent's cases, then times out for good (its retries spent)."""

    def generate_batch(self, batch: Sequence[list[dict[str, str]]], **params: Any) -> list[Generation]:
        if self.seen:
            raise errors.BackendTimeout("model adder-1 did not answer in 30 s after 3 tries", model=self.model)
        return super().generate_batch(batch, **params)


def test_a_backend_that_fails_ends_the_run_with_what_it_spent(capture: Capture) -> None:
    seed_failures(capture)
    with pytest.raises(errors.BackendTimeout) as caught:
        run_refine(plan(capture), reflection=Scripted([f"<prompt>{CHECK}</prompt>"]), target=Failing())
    # The parent's 4 cases, one reflection, and the 4 calls of the batch that failed: all spent.
    assert caught.value.details == {"model": "adder-1", "calls": 9, "tokens": 4 * 15 + 120}


def test_budget_too_small_and_bad_options_refused(capture: Capture) -> None:
    seed_failures(capture)
    with pytest.raises(errors.ValidationError) as caught:
        plan(capture, budget=8)
    assert caught.value.field == "budget" and "at least 9" in caught.value.message
    for name in ("minibatch_size", "validation_size", "keep"):
        with pytest.raises(errors.ValidationError) as bad:
            plan(capture, **{name: 0})
        assert bad.value.field == name
    with pytest.raises(errors.ValidationError) as bad:
        plan(capture, metric="bleu")
    assert bad.value.field == "metric"
    with pytest.raises(errors.NotFound) as missing:
        plan(capture, parent=None)  # no production version yet
    assert missing.value.field == "parent"
    with pytest.raises(errors.NotEnoughData) as empty:
        plan(capture, since=T + 5000, until=T + 6000)
    assert empty.value.details == {"have": 0, "need": 1}


def test_the_best_proposal_wins_and_becomes_a_candidate(capture: Capture) -> None:
    seed_failures(capture)
    version = registry.register(capture.store, PROJECT, PARENT)
    registry.set_production(capture.store, PROJECT, "assist", version.id)
    reflection = Scripted(
        ["<prompt>Be brief.</prompt>", f"Sure! Here it is:\n```\n{CHECK}\n```", "<prompt>Be brief.</prompt>"]
    )
    result = refine_prompt(
        capture.store,
        PROJECT,
        "assist",
        reflection=reflection,
        target=Adder(),
        since=T,
        until=T + 1000,
        validation_size=4,
        budget=20,
    )
    assert result.plan.parent_id == version.id and result.plan.metric == "similarity"
    # Every validation case is a good answer or a correction from before the window: references
    # the adder's parent prompt misses by one, and the double-check prompt hits.
    assert result.parent_score < 1.0
    by_id = {p.id: p for p in result.proposals}
    assert by_id["p2"].system_prompt == CHECK and by_id["p2"].score == 1.0
    assert by_id["p1"].score == result.parent_score  # "Be brief." changes nothing for the adder
    # p2 is best on every case, so the Pareto front is p2 alone: the third reflection refines it.
    assert by_id["p3"].parent == "p2" and by_id["p3"].score == result.parent_score
    assert [p.id for p in result.best] == ["p2"]
    assert result.candidates == [{**version.spec().definition(), "system_prompt": CHECK}]
    candidate = registry.register(capture.store, PROJECT, result.candidates[0], parent=version.id, created_by="loop:r1")
    assert candidate.system_prompt == CHECK and candidate.parent == version.id
    body = result.to_dict()
    assert (
        body["calls"] == result.calls <= 20
        and body["best"] == ["p2"]
        and body["candidates"][0]["system_prompt"] == CHECK
    )


def test_validation_never_holds_a_failure_of_the_pool(capture: Capture) -> None:
    seed_failures(capture)
    report = failure_clusters(
        capture.store, PROJECT, "assist", since=T, until=T + 1000, embedder=HashingEmbedder(), settings=capture.settings
    )
    for cluster in report.clusters:
        planned = plan(capture, cluster=cluster, validation_size=30, budget=200)
        members = set(cluster.member_ids)
        assert {f.interaction_id for f in planned.pool} == members
        assert not members & {c.interaction_id for c in planned.validation}
        # Other clusters' corrected failures may validate; this cluster's never.
        assert {c.source for c in planned.validation} <= {"corrected", "good"}
    everything = plan(capture, validation_size=30, budget=200)  # the pool: every failure of the window
    window = {f.interaction_id for f in load_failures(capture.store, PROJECT, "assist", T, T + 1000)}
    assert not window & {c.interaction_id for c in everything.validation}
    # The target is only ever shown validation inputs, never a failure's.
    target = Adder()
    run_refine(plan(capture), reflection=Scripted([f"<prompt>{CHECK}</prompt>"]), target=target)
    failure_inputs = {f.text for f in everything.pool}
    assert all(seen[-1]["content"] not in failure_inputs for seen in target.seen)
    with pytest.raises(errors.ValidationError) as overlap:
        plan(capture, validation=[Case("add0", "What is 1 + 1?", "2", "given")] * 3)
    assert overlap.value.field == "validation"


def test_reflection_reads_the_minibatch_and_the_current_prompt(capture: Capture) -> None:
    seed_failures(capture)
    reflection = Scripted([f"<prompt>{CHECK}</prompt>"])
    planned = plan(capture, minibatch_size=2, seed=1)
    result = run_refine(planned, reflection=reflection, target=Adder())
    text = reflection.seen[0][1]["content"]
    first = result.proposals[0].minibatch
    assert len(first) == 2 and len(set(result.proposals[1].minibatch) & set(first)) == 0  # dealt, not repeated
    for iid in first:
        failure = next(f for f in planned.pool if f.interaction_id == iid)
        assert failure.text in text and failure.output in text
    assert "<current_prompt>\nYou answer questions.\n</current_prompt>" in text


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("<prompt>Be exact.</prompt>", "Be exact."),
        ("Thoughts...\n<PROMPT>\n  First draft\n</PROMPT> better: <prompt>Second</prompt>", "Second"),
        ("Reasoning first. <prompt>Cut off at max_tokens", "Cut off at max_tokens"),
        ("Here:\n```text\nAnswer in one line.\n```\nHope it helps", "Answer in one line."),
        ('**New system prompt:** "Always show the sum."', "Always show the sum."),
        ("I think the assistant should be careful.", None),
        ("<prompt>   </prompt>", None),
    ],
)
def test_parse_proposal(answer: str, expected: str | None) -> None:
    assert parse_proposal(answer) == expected


def test_scores() -> None:
    assert score("The answer is 5.", "The answer is 5.", "similarity") == 1.0
    assert score("The answer is 5.", "The answer is 6.", "similarity") == pytest.approx(1 - 2 / 32)
    assert score(" Billing. ", "billing", "exact") == 1.0
    assert score("billing or refunds", "billing", "exact") == 0.0


@pytest.mark.slow
def test_with_the_real_small_model(capture: Capture, hf_backend: Any) -> None:
    """SmolLM2-135M as both reflection and target model: 3 validation cases and one iteration,
    3 + (1 + 3) = 7 calls of a few tokens each. A model this small rarely writes a usable prompt;
    what must hold is the budget, the tokens counted, and a score for a prompt that parsed."""
    seed_failures(capture)
    parent = {**PARENT, "params": {"max_tokens": 8, "temperature": 0.0}}
    planned = plan(capture, parent=parent, validation_size=3, budget=7, minibatch_size=1)
    assert (planned.iterations, planned.estimate) == (1, 7)
    result = run_refine(
        planned, reflection=hf_backend, target=hf_backend, reflection_params={"max_tokens": 32, "temperature": 0.0}
    )
    [proposal] = result.proposals
    assert result.calls == (7 if proposal.error is None else 4) and result.tokens > 0
    assert (proposal.score is not None) == (proposal.error is None)
    assert 0.0 <= result.parent_score <= 1.0
