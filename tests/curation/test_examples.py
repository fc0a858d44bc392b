"""Candidate examples (flyloop.curation.examples): an example's id is its content, what makes two
examples duplicates depends on its kind, and the few-shot bank takes the best training SFT
examples of each workload."""

from __future__ import annotations

from conftest import seed
from flyloop.curation.curate import CurationConfig, curate
from flyloop.curation.examples import Example, fewshot_bank
from flyloop.labels.catchup import catch_up


def example(kind="sft", prompt="What is 2 + 2?", iid="i1", quality=0.9, split="train", workload="math", **kw):
    return Example(kind, prompt, workload, (iid,), "u_1", "g", 100.0, "all", "good", quality, split=split, **kw)


def test_the_id_is_a_hash_of_the_content_and_lineage_only():
    one = example(completion="4")
    assert len(one.id) == 64 and one.id == one.content_id()
    assert example(completion="4", quality=0.1, split="eval", weight=2.0).id == one.id  # not content
    assert example(completion="5").id != one.id
    assert example(completion="4", iid="i2").id != one.id
    assert example("kto", completion="4", label=True).id != example("kto", completion="4", label=False).id
    assert Example("sft", "p", "w", ("i1",), None, "g", 0.0, "all", "good", 1.0, id="given").id == "given"
    assert one.interaction_id == "i1"


def test_dedup_parts_are_the_texts_that_make_each_kind():
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2 + 2?"}]
    assert example(completion="4").dedup_parts() == ("What is 2 + 2?", "4")
    assert example(prompt=messages, completion="4").dedup_parts()[1] == "4"
    assert example("preference", chosen="4", rejected="5").dedup_parts() == ("What is 2 + 2?", "4", "5")
    assert example("eval", completion="4", rejected="5").dedup_parts() == ("What is 2 + 2?", "4", "5")
    assert example("kto", completion=None).dedup_parts() == ("What is 2 + 2?", "")


def test_the_fewshot_bank_takes_the_best_training_examples_per_workload():
    sft = [
        example(iid="a", quality=0.5, completion="a"),
        example(iid="b", quality=0.9, completion="b"),
        example(iid="c", quality=0.7, completion="c"),
        example(iid="d", quality=0.99, completion="d", split="eval"),  # held out: never a few-shot
        example(iid="e", quality=0.1, completion="e", workload="chat"),
    ]
    bank = fewshot_bank(sft, per_workload=2)
    assert [(ex.workload, ex.interaction_id, ex.kind, ex.split) for ex in bank] == [
        ("chat", "e", "fewshot", "train"),
        ("math", "b", "fewshot", "train"),
        ("math", "c", "fewshot", "train"),
    ]
    assert bank[1].completion == "b" and bank[1].quality == 0.9
    assert fewshot_bank(sft, per_workload=0) == []


def test_a_correction_teaches_the_corrected_text_and_rejects_the_output(capture, store):
    seed(capture)
    catch_up(store, "acme")
    examples = [
        e
        for e in curate(store, "acme", CurationConfig(kinds=["sft", "preference", "kto"])).examples
        if e.interaction_ids == ("c2",)
    ]
    assert sorted((e.kind, e.completion, e.chosen, e.rejected, e.label) for e in examples) == [
        ("kto", "The answer is 22.", None, None, True),
        ("kto", "The answer is 23.", None, None, False),
        ("preference", None, "The answer is 22.", "The answer is 23.", None),
        ("sft", "The answer is 22.", None, None, None),
    ]


def test_a_bad_output_of_a_two_label_choice_teaches_the_other_label(capture, store):
    from conftest import T0, fix_keys
    from flyloop.capture import declare_workload

    fix_keys(store, "acme")
    declare_workload(store, "acme", "spam", type="choice", labels=["ham", "spam"])
    declare_workload(store, "acme", "route", type="choice", labels=["billing", "bugs", "sales"])
    rows = [  # id, workload, output, what the user did after it
        ("down", "spam", "ham", "thumbs_down"),
        ("failed", "spam", "spam", "outcome 0"),
        ("up", "spam", "ham", "thumbs_up"),
        ("three", "route", "bugs", "thumbs_down"),  # three labels: "not bugs" does not say which
    ]
    capture.ingest(
        "acme",
        {
            "interactions": [
                {"id": i, "workload": w, "input": f"mail {i}", "output": out, "user_id": f"u-{i}", "ts": T0 + n}
                for n, (i, w, out, _) in enumerate(rows)
            ]
        },
    )
    capture.ingest(
        "acme",
        {
            "signals": [
                {"id": f"{i}-s", "interaction_id": i, "kind": did, "actor": f"u-{i}", "ts": T0 + 60}
                for i, _, _, did in rows
                if not did.startswith("outcome")
            ]
        },
    )
    capture.ingest(
        "acme",
        {"outcomes": [{"id": "o", "interaction_id": "failed", "name": "task_completed", "value": 0.0, "ts": T0 + 600}]},
    )
    catch_up(store, "acme")
    built = curate(store, "acme", CurationConfig(kinds=["sft", "kto"])).examples
    assert sorted((e.interaction_id, e.completion, e.source) for e in built if e.kind == "sft") == [
        ("down", "spam", "other_label"),
        ("failed", "ham", "other_label"),
        ("up", "ham", "good"),
    ]
    # The bad outputs stay what they were for KTO: undesirable, their own text.
    assert sorted((e.interaction_id, e.completion, e.label) for e in built if e.kind == "kto") == [
        ("down", "ham", False),
        ("failed", "spam", False),
        ("three", "bugs", False),
        ("up", "ham", True),
    ]
