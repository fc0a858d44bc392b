"""Serving (flyloop.rollout.serving): the version a request runs, why, its ETag, the messages it
sends with the examples its bank retrieves, and a bank's copy for the app's side, on a real bank
built from the seeded project (hashing embedder, exact index: the same neighbours on every run)."""

from __future__ import annotations

import pytest

from conftest import PROJECT as P
from conftest import with_policy
from flyloop import errors, registry
from flyloop.capture import declare_workload
from flyloop.improve import load_bank
from flyloop.rollout import (
    BankRef,
    Resolution,
    bank_download,
    choose,
    open_bank,
    render,
    resolve,
    served_context_ids,
    served_example_ids,
)


@pytest.fixture
def served(store, capture, settings):
    return with_policy(store, capture, settings)


def test_resolve_gives_the_production_version_its_bank_revision_and_why(store, served):
    version, bank = served
    found = resolve(store, P, "math", "u-1")
    assert found.version == version
    assert (found.workload, found.reason, found.user_id) == ("math", "production", "u-1")
    assert found.bank == BankRef(bank.id, "hashing", 384, 21, 0)
    assert found.etag == f'"{version.id}.{bank.id}.0"'
    assert Resolution.from_dict(found.as_dict(), "u-1") == found
    assert choose(store, P, "math") == (version, "production")


def test_a_new_production_version_is_resolved_at_once(store, served):
    version, _ = served
    plain = registry.register(store, P, {"workload": "math", "system_prompt": "Be brief."})
    registry.set_production(store, P, "math", plain.id, reason="no examples")
    found = resolve(store, P, "math")
    assert (found.version.id, found.bank, found.etag) == (plain.id, None, f'"{plain.id}"')
    assert plain.id != version.id


def test_an_unknown_workload_is_not_found_naming_it(store, served):
    with pytest.raises(errors.NotFound) as caught:
        resolve(store, P, "nope")
    assert caught.value.field == "workload"
    assert caught.value.message == "unknown workload 'nope': nothing declared or logged it in this project"


def test_a_workload_without_a_production_version_says_how_to_set_one(store, served):
    declare_workload(store, P, "triage", type="choice", labels=["bug", "question"])
    with pytest.raises(errors.NotFound) as caught:
        resolve(store, P, "triage")
    assert caught.value.field == "workload"
    assert caught.value.message == (
        "workload 'triage' has no production version: register one and set it "
        "(flyloop.registry.set_production(store, project, 'triage', version_id))"
    )


@pytest.mark.parametrize(
    ("workload", "user_id", "field"), [("", None, "workload"), (7, None, "workload"), ("math", "", "user_id")]
)
def test_bad_names_are_refused_naming_the_field(store, workload, user_id, field):
    with pytest.raises(errors.ValidationError) as caught:
        resolve(store, P, workload, user_id)
    assert caught.value.field == field


def test_served_examples_go_to_context_ids_after_the_apps_own():
    ids = served_context_ids(["e1", "e2"], ["doc-9"])
    assert ids == ["doc-9", "example:e1", "example:e2"]
    assert served_example_ids(ids) == ["e1", "e2"]
    assert served_example_ids(None) == []


def test_a_banks_copy_searches_like_the_bank_and_leaves_out_what_erasure_removed(store, served, settings):
    version, bank = served
    ref, data = bank_download(store, P, bank.id, settings)
    assert ref == BankRef(bank.id, "hashing", 384, 21, 0)
    copy = open_bank(data, settings)
    index = load_bank(store, P, bank.id, settings)
    for query in ("What is 3 + 10?", "What is 5 + 20?", "What is 0 + 30?"):
        assert [e.id for e in copy.search(query, 4)] == [e.id for e in index.search(query, 4)]
    assert len(copy) == 21

    from flyloop.privacy import erase_user

    erase_user(store, P, "user3")
    ref, data = bank_download(store, P, bank.id, settings)
    assert ref.removed == 3  # user3's good answer, correction and regenerated answer
    assert resolve(store, P, "math").etag == f'"{version.id}.{bank.id}.3"'
    copy = open_bank(data, settings)
    assert len(copy) == 18
    assert "g3" not in [e.interaction_id for e in copy.search("What is 3 + 10?", 5)]


def test_a_question_served_is_not_written_to_the_embeddings_file(store, served, settings):
    from pathlib import Path

    version, _ = served
    cache = Path(settings.home) / "embeddings" / "hashing-384.f32cache"
    before = cache.stat().st_size
    assert before == 21 * (32 + 4 * 384)  # the bank's inputs, embedded once when it was built
    sent = render(store, P, version, "A question nobody asked before?", variables={"tone": "x"}, settings=settings)
    assert len(sent.examples) == 2
    assert cache.stat().st_size == before
    # opted in (inputs that are not personal: a benchmark), the served input's vector is kept too
    settings.embed_query_cache = True
    again = render(store, P, version, "A question nobody asked before?", variables={"tone": "x"}, settings=settings)
    assert [e.id for e in again.examples] == [e.id for e in sent.examples]
    assert cache.stat().st_size == before + 32 + 4 * 384
