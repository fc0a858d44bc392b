"""How a policy version answers evaluation cases: through its real backend, exactly as serving
would run it (:func:`answerer`, one case), and in batches where its model runs in this process
(:func:`batch_answerer`, :func:`answer_cases`).

::

    outputs = answer_cases(store, "acme", version, cases)   # one Output per case, in order
    outputs[0].text, outputs[0].latency_ms, outputs[0].tokens

**One case.** A ``classifier`` version answers a label (a trained head or zero-shot prototypes
classify the input; a kNN version votes over the examples its bank retrieves); any other version
renders the case's messages with its bank's examples (:func:`flyloop.improve.render`, serving's own
rendering) and asks its backend; a reranking version answers its best of n. A case's latency is
the backend's wall time for the answer.

**Batches.** A version whose model runs in this process as one padded forward pass for many
conversations (the ``transformers`` backend, :data:`BATCHED`) answers in batches of its backend's
``batch_size`` (the version's ``params.batch_size``, 8 by default) through ``generate_batch``: on
2 loaded cores, one torch thread, SmolLM2-135M answered 32 short questions in 0.16 s each in
batches of 8 against 0.63 s one by one. Each case's ``latency_ms`` is then its batch's model time
divided by the batch's rows: what one answer costs the model when answers are batched, not how
long a lone request waits. An evaluation measures both versions the same way, so the latency
guardrail compares like with like (a longer prompt or answer costs more per row, batched or not);
its p95 is over batch shares and so flatter than a lone request's. Greedy answers are the same
batched or one by one (the padding is masked) up to float rounding. A remote endpoint and a
reranking version answer one case at a time (an endpoint's concurrent requests would time each
other's queueing).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flyloop import errors
from flyloop.evaluate.metrics import EvalCase, Output
from flyloop.improve import (
    CLASSIFIER,
    Generation,
    HeadClassifier,
    PrototypeClassifier,
    backend_for,
    examples,
    generate_best_of,
    generation_params,
    render,
    vote,
)

if TYPE_CHECKING:
    from flyloop.registry import PolicyVersion
    from flyloop.settings import Settings
    from flyloop.store import Store

CLASSIFIER_K = 10  # a kNN version with k=0 votes over this many neighbours, as served policies do


def _output(answer: Generation, rows: int = 1) -> Output:
    """The answer as scored; ``rows``: the size of the batch whose wall time ``latency_ms`` is."""
    tokens = (answer.tokens_in or 0) + (answer.tokens_out or 0)
    return Output(text=answer.text, latency_ms=float(answer.latency_ms) / rows, tokens=tokens or None)


# Backends that load a model or an index in this process on their first answer (a remote endpoint
# is warm already, and an extra call to it may cost money).
IN_PROCESS = frozenset({CLASSIFIER, "transformers"})
# Backends whose versions answer every case once, untimed, before the timed answers (cheap ones).
PRIME_ALL = frozenset({CLASSIFIER})
# Backends whose versions answer cases in padded batches (the module's docstring, "Batches").
BATCHED = frozenset({"transformers"})
# Answers = what a version answers for a run of cases, in order.
Answers = Callable[[Sequence[EvalCase]], list[Output]]


def answerer(
    store: Store, project_id: str, version: PolicyVersion, *, settings: Settings | None = None
) -> Callable[[EvalCase], Generation]:
    """How ``version`` answers one case: through its real backend, as it is served."""
    if version.backend == CLASSIFIER and version.model not in (None, "knn"):
        built = backend_for(version, settings)  # a trained head, or zero-shot label prototypes
        if isinstance(built, HeadClassifier | PrototypeClassifier):
            return lambda case: built.classify(case.input)

    def answer(case: EvalCase) -> Generation:
        if version.backend == CLASSIFIER:
            started = time.perf_counter()
            shown = examples(store, project_id, version, case.input, version.k or CLASSIFIER_K, settings=settings)
            if not shown:
                raise errors.BackendError(
                    f"policy {version.id}'s bank {version.bank!r} retrieved no examples to vote", field="bank"
                )
            return vote(shown, model=f"knn:{version.bank}", started=started)
        messages = render(store, project_id, version, case.input, settings=settings).messages
        if version.reranker:
            return generate_best_of(version, messages, case.input, settings)
        return backend_for(version, settings).generate(messages, **generation_params(version))

    return answer


def batch_size(version: PolicyVersion, settings: Settings | None = None) -> int:
    """How many cases ``version`` answers at once: its backend's ``batch_size`` where the backend
    batches (:data:`BATCHED`; this loads the model), else 1."""
    if version.backend not in BATCHED or version.reranker:
        return 1
    return max(1, int(getattr(backend_for(version, settings), "batch_size", 1)))


def batch_answerer(
    store: Store, project_id: str, version: PolicyVersion, *, settings: Settings | None = None
) -> Answers:
    """How ``version`` answers a run of cases: in batches of :func:`batch_size` through its
    backend's ``generate_batch`` where it batches (each case's latency its batch's divided by its
    rows), else one at a time through :func:`answerer`."""
    size = batch_size(version, settings)
    if size == 1:
        answer = answerer(store, project_id, version, settings=settings)
        return lambda cases: [_output(answer(case)) for case in cases]
    backend = backend_for(version, settings)
    params = generation_params(version)

    def answer_batches(cases: Sequence[EvalCase]) -> list[Output]:
        out: list[Output] = []
        for start in range(0, len(cases), size):
            rows = cases[start : start + size]
            messages = [render(store, project_id, version, case.input, settings=settings).messages for case in rows]
            # At most batch_size rows: the backend runs them as one batch, whose wall time every row reports.
            out += [_output(answer, len(rows)) for answer in backend.generate_batch(messages, **params)]
        return out

    return answer_batches


def answer_cases(
    store: Store,
    project_id: str,
    version: PolicyVersion,
    cases: Sequence[EvalCase],
    *,
    settings: Settings | None = None,
    on_case: Callable[[int], None] | None = None,
) -> list[Output]:
    """What ``version`` answers for each case, in order, through its real backend as served; in
    batches where the backend batches (module docstring, "Batches"). ``on_case(done)`` after
    each case, or each batch."""
    answers = batch_answerer(store, project_id, version, settings=settings)
    size = batch_size(version, settings)
    out: list[Output] = []
    for start in range(0, len(cases), size):
        out += answers(cases[start : start + size])
        if on_case is not None:
            on_case(len(out))
    return out
