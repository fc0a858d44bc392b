"""The openai backend against a real OpenAI-compatible server: ``transformers serve`` with
SmolLM2-135M-Instruct (started once per session by the openai_server fixture). Greedy answers
through the server are the in-process model's, exactly; a batch answers as one by one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from flyloop import errors
from flyloop.improve import backend, check_loadable

# A real model: the session loads it once (and serves it once), yet each answer takes a second or more.
pytestmark = pytest.mark.slow

ADDITION = [{"role": "user", "content": "What is 12 + 30?"}]
CAPITAL = [{"role": "system", "content": "Answer with one word."}, {"role": "user", "content": "Capital of France?"}]


@pytest.fixture(scope="module")
def served(openai_server: str, smollm2_dir: Any) -> Any:
    return backend("openai", model=str(smollm2_dir), base_url=openai_server, timeout_s=120, retries=0)


def test_the_server_answers_what_the_model_answers_in_process(served, hf_backend):
    through_server = served.generate(ADDITION, max_tokens=12, temperature=0)
    in_process = hf_backend.generate(ADDITION, max_tokens=12)
    assert through_server.text == in_process.text == "12 + 30 = 32\n\n"
    assert (through_server.tokens_in, through_server.tokens_out, through_server.finish_reason) == (40, 12, "length")
    assert through_server.model == served.model
    assert through_server.latency_ms > 0


def test_a_batch_through_the_server_answers_as_one_by_one(served):
    batch = served.generate_batch([CAPITAL, ADDITION], max_tokens=6, temperature=0)
    single = [served.generate(m, max_tokens=6, temperature=0) for m in (CAPITAL, ADDITION)]
    assert [(g.text, g.tokens_in, g.tokens_out) for g in batch] == [(g.text, g.tokens_in, g.tokens_out) for g in single]
    assert [g.text for g in batch] == ["The answer to this question is", "12 + 30"]


def test_a_model_the_server_does_not_serve_is_one_backend_error_without_retries(openai_server):
    wrong = backend("openai", model="gpt-imaginary", base_url=openai_server, retries=3, backoff_s=5.0)
    started = time.perf_counter()
    with pytest.raises(errors.BackendError) as caught:
        wrong.generate(ADDITION, max_tokens=2)
    assert time.perf_counter() - started < 5.0  # retrying would have slept 5 + 10 + 20 s
    assert type(caught.value) is errors.BackendError
    assert caught.value.details["status"] == 400
    assert str(caught.value).startswith(f"model 'gpt-imaginary' at {openai_server} refused the request (400): ")


def test_check_loadable_accepts_the_served_model(openai_server, smollm2_dir):
    class Spec:
        backend = "openai"
        model = str(smollm2_dir)
        adapter = None
        params = {"base_url": openai_server, "max_tokens": 8}

    check_loadable(Spec())
