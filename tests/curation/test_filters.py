"""Quality filters (flyloop.curation.filters): each a named rule with its own configuration, every removal counted."""

from __future__ import annotations

from flyloop.curation.filters import FilterConfig, Filters, edit_problem


def test_each_filter_names_its_rule_and_counts_it():
    f = Filters(
        FilterConfig(max_completion_chars=40, output_schemas={"json-wl": {"type": "object", "required": ["a"]}})
    )
    assert f.check("sft", "w", "Q?", "The answer is 85.") is None
    assert f.check("sft", "w", "Q?", "x" * 41) == "length"
    assert f.check("sft", "w", "", "ok") == "length"
    assert f.check("sft", "w", "Q?", "I'm sorry, but I can't help with that.") == "refusal"
    assert f.check("sft", "w", "Q?", "As an AI language model, no.") == "refusal"
    assert f.check("sft", "w", "Q?", "Lorem ipsum dolor") == "boilerplate"
    assert f.check("sft", "w", "Q?", "Dear [insert name]") == "boilerplate"
    assert f.check("preference", "w", "Q?", "The answer is 5.", rejected="the answer is 5") == "identical_pair"
    assert f.check("sft", "json-wl", "Q?", '{"a": 1}') is None
    assert f.check("sft", "json-wl", "Q?", '{"b": 1}') == "schema"
    assert f.check("sft", "json-wl", "Q?", "not json") == "schema"
    # A known-bad completion is meant to be bad: only length and language apply to it.
    assert f.check("kto", "w", "Q?", "I'm sorry, but I can't help with that.", desirable=False) is None
    report = f.report()
    assert report["length"]["removed"] == {"sft": 2}
    assert report["refusal"]["removed"] == {"sft": 2}
    assert report["boilerplate"]["removed"] == {"sft": 2}
    assert report["schema"]["removed"] == {"sft": 2}
    assert report["identical_pair"]["removed"] == {"preference": 1}


def test_language_filter():
    f = Filters(FilterConfig(languages=["en"]))
    assert f.check("sft", "w", "What is the capital of France?", "The capital of France is Paris.") is None
    assert (
        f.check("sft", "w", "Quelle est la capitale de la France ?", "La capitale de la France est Paris.")
        == "language"
    )
    assert (
        Filters(FilterConfig(exclude_languages=["fr"])).check(
            "sft", "w", "Quelle est la capitale de la France ?", "La capitale de la France est Paris."
        )
        == "language"
    )


def test_canned_answers_are_boilerplate_when_configured():
    f = Filters(FilterConfig(boilerplate_max_prompts=2))
    f.learn_canned([(f"question {n}", "Thanks for reaching out!") for n in range(3)] + [("q", "A real answer.")])
    assert f.check("sft", "w", "question 9", "thanks for reaching out") == "boilerplate"
    assert f.check("sft", "w", "q", "A real answer.") is None


def test_trivial_and_empty_edits():
    config = FilterConfig()
    assert edit_problem("The answer is 85.", "   ", config) == "empty_edit"
    assert edit_problem("The answer is 85.", "the answer is 85", config) == "trivial_edit"
    assert edit_problem("The answer is 85.", "The answer is 86.", config) is None
    assert (
        edit_problem(
            "A long paragraph that explains the answer in detail, line by line.",
            "A long paragraph that explains the answer in detail, line by line!",
            config,
        )
        == "trivial_edit"
    )
