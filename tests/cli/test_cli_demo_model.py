"""The demo app's embedding-vote model (flyloop.cli.demo_model): zero-shot from the system prompt's
label descriptions, few-shot from the examples in the messages, checked before registration."""

from __future__ import annotations

import pytest
from test_cli_demo_wheel import SPAM

from flyloop import errors
from flyloop.cli import demo_mail, demo_model


def test_the_embedding_vote_model_reads_descriptions_then_examples(tmp_path):
    demo_model.register(None)
    from flyloop.improve import backend

    model = backend(demo_model.NAME, model="hashing")
    system = demo_model.system_prompt(demo_mail.DESCRIPTIONS)
    assert demo_model.prototypes(system) == demo_mail.DESCRIPTIONS
    zero = model.generate([{"role": "system", "content": system}, {"role": "user", "content": SPAM[0]}])
    assert (zero.text, zero.model) == ("spam", "embedding-vote:hashing")
    shots = [
        {"role": "system", "content": system},
        {"role": "user", "content": SPAM[0]},
        {"role": "assistant", "content": "ham"},  # a (wrong) example outvotes the descriptions
        {"role": "user", "content": SPAM[0]},
    ]
    assert model.generate(shots).text == "ham"
    with pytest.raises(errors.ValidationError) as bad:
        model.generate([{"role": "user", "content": "x"}])
    assert bad.value.field == "system_prompt"
    from flyloop.improve import check_loadable
    from flyloop.registry import PolicySpec

    with pytest.raises(errors.ValidationError) as unknown:
        check_loadable(PolicySpec(workload="triage", backend=demo_model.NAME, model="gpt-9"))
    assert unknown.value.field == "model"
