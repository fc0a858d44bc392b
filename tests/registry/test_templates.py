"""Rendering a version's chat from its sandboxed template."""

from __future__ import annotations

import pytest

from flyloop import errors
from flyloop.registry import PolicySpec, check_template, render_messages, template_variables


def test_messages_are_the_system_prompt_the_examples_then_the_user_turn():
    spec = PolicySpec(
        workload="w", system_prompt="Answer in one word.", template="[{{ tone }}] {{ input }}", variables=["tone"]
    )
    examples = [{"input": "2+2?", "output": "4"}, {"input": [{"role": "user", "content": "3+3?"}], "output": "6"}]
    assert render_messages(spec, "5+5?", examples, tone="calm") == [
        {"role": "system", "content": "Answer in one word."},
        {"role": "user", "content": "[calm] 2+2?"},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "[calm] 3+3?"},
        {"role": "assistant", "content": "6"},
        {"role": "user", "content": "[calm] 5+5?"},
    ]


def test_a_chat_input_keeps_its_earlier_turns_and_a_mapping_input_reaches_the_template_whole():
    spec = PolicySpec(workload="w", template="{{ input }}")
    chat = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "bye"},
    ]
    assert render_messages(spec, chat) == chat
    order = PolicySpec(workload="w", template="Order {{ input.id }} by {{ input.who }}")
    assert render_messages(order, {"id": 7, "who": "ana"}) == [{"role": "user", "content": "Order 7 by ana"}]


def test_variables_must_be_exactly_those_declared():
    spec = PolicySpec(workload="w", template="{{ tone }} {{ input }}", variables=["tone"])
    with pytest.raises(errors.ValidationError) as missing:
        render_messages(spec, "x")
    assert (missing.value.field, missing.value.message) == ("variables.tone", "missing template variable tone")
    with pytest.raises(errors.ValidationError) as extra:
        render_messages(spec, "x", tone="a", mood="b")
    assert (extra.value.field, extra.value.message) == ("variables.mood", "mood is not declared by this policy")


def test_the_sandbox_refuses_python_internals():
    spec = PolicySpec(workload="w", template="{{ input.__class__.__mro__ }}")
    with pytest.raises(errors.ValidationError) as caught:
        render_messages(spec, "x")
    assert caught.value.field in {"template", "variables"}
    assert template_variables("{% for x in items %}{{ x }}{% endfor %}{{ input }}") == {"items", "input"}


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{ input.__class__ }}",
            "the template breaks the sandbox: access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "{% for n in range(10**9) %}{% endfor %}{{ input }}",
            "the template breaks the sandbox: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
        ),
        ("{{ input * 10**9 }}", "the template breaks the sandbox: a repetition longer than 1,000,000 is refused"),
        (
            "{{ 'a' * 2000000 }}{{ input }}",
            "the template breaks the sandbox: a repetition longer than 1,000,000 is refused",
        ),
        ("{{ 2 ** 100000 }}{{ input }}", "the template breaks the sandbox: an exponent above 1,000 is refused"),
    ],
)
def test_a_template_that_always_breaks_the_sandbox_is_refused_at_registration(template, message):
    with pytest.raises(errors.ValidationError) as caught:
        check_template(template, [])
    assert (caught.value.field, caught.value.message) == ("template", message)


def test_a_template_failing_on_the_values_is_a_validation_error_naming_the_template_never_a_crash():
    # Registered: with placeholder values it may fail for reasons the app's values decide.
    check_template("{{ input }} of {{ 100 // count }}", ["count"])
    spec = PolicySpec(workload="w", template="{{ input }} of {{ 100 // count }}", variables=["count"])
    assert render_messages(spec, "x", count=4) == [{"role": "user", "content": "x of 25"}]
    with pytest.raises(errors.ValidationError) as caught:
        render_messages(spec, "x", count=0)
    assert (caught.value.field, caught.value.message) == (
        "template",
        "the template could not render: ZeroDivisionError: integer division or modulo by zero",
    )
    big = PolicySpec(workload="w", template="{{ input * count }}", variables=["count"])
    assert render_messages(big, "ab", count=3) == [{"role": "user", "content": "ababab"}]
    with pytest.raises(errors.ValidationError, match="a repetition longer than 1,000,000 is refused"):
        render_messages(big, "ab", count=500_001)
