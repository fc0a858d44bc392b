"""Retrieval feedback (flyloop.improve.retrieval): document credit, failure documents and context
gaps on hand-built interactions with exact expected numbers, and the same read back from the store
(context ids without the served examples, passages from metadata or a corpus file)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from conftest import hours_ago
from flyloop import errors
from flyloop.capture import Capture
from flyloop.improve import context_gaps, document_credit, failure_documents
from flyloop.improve.embedder_tune import helpful_pairs
from flyloop.improve.retrieval import (
    RagInteraction,
    added_terms,
    beta_interval,
    credit,
    failing,
    gaps,
    load_documents,
    load_interactions,
    support,
)

P = "acme"
PASSAGES = {
    "A": "Refunds are paid within 14 days to the original card.",
    "B": "Shipping takes 3 to 5 working days in Europe.",
    "C": "Orders can be cancelled from the orders page before they ship.",
}


def item(iid: str, verdict: str | None, docs: tuple[str, ...], confidence: float = 1.0, **kw: object) -> RagInteraction:
    fields: dict[str, object] = {
        "id": iid,
        "user_id": kw.get("user", f"u-{iid}"),
        "consent": None,
        "ts": float(kw.get("ts", 0.0)),  # type: ignore[arg-type]
        "query": str(kw.get("query", "a question")),
        "output": str(kw.get("output", "an answer")),
        "documents": docs,
        "passages": {d: PASSAGES[d] for d in docs if d in PASSAGES},
        "verdict": verdict,
        "confidence": confidence,
        "corrected_text": kw.get("corrected"),
        "outcomes": tuple(kw.get("outcomes", ())),  # type: ignore[arg-type]
    }
    return RagInteraction(**fields)  # type: ignore[arg-type]


def hand_built() -> list[RagInteraction]:
    return [
        item("i1", "good", ("A", "B"), outcomes=(1,)),
        item("i2", "good", ("A",), confidence=0.5),
        item("i3", "bad", ("B", "C"), outcomes=(-1, 0)),
        # C's passage holds what the correction added (cancelled, orders, page): C had the answer.
        item(
            "i4",
            "corrected",
            ("C",),
            query="can I stop my order?",
            output="No.",
            corrected="Yes: cancelled from the orders page.",
        ),
        # B's passage does not hold it: a failure of B, and a context gap.
        item(
            "i5",
            "corrected",
            ("B",),
            query="how long do refunds take?",
            output="Shipping takes 3 days.",
            corrected="Refunds take 14 days.",
        ),
        item("i6", "unknown", ("A",)),
    ]


def test_credit_weighs_verdicts_by_confidence_with_a_beta_interval() -> None:
    found = {c.document: c for c in credit(hand_built())}
    assert [c.document for c in credit(hand_built())] == ["A", "C", "B"]  # by the interval's lower bound
    a, b, c = found["A"], found["B"], found["C"]
    assert (a.uses, a.successes, a.failures) == (3, 1.5, 0.0)
    assert a.verdicts == {"good": 2, "bad": 0, "corrected": 0, "unknown": 1, "unlabelled": 0}
    assert a.outcomes == {"success": 1, "failure": 0, "neutral": 0}
    # Beta(2.5, 1): mean 2.5 / 3.5, quantiles q ** (1 / 2.5) in closed form.
    assert a.helpfulness == pytest.approx(2.5 / 3.5)
    assert (a.low, a.high) == (pytest.approx(0.025**0.4), pytest.approx(0.975**0.4))
    assert (round(a.low, 6), round(a.high, 6)) == (0.228653, 0.989924)
    # B: good i1, bad i3, an unsupported correction i5: Beta(2, 3).
    assert (b.uses, b.successes, b.failures, round(b.helpfulness, 6)) == (3, 1.0, 2.0, 0.4)
    assert (round(b.low, 6), round(b.high, 6)) == (0.067586, 0.80588)
    # C: bad i3, and i4 whose correction its passage supports: Beta(2, 2), symmetric.
    assert (c.uses, c.successes, c.failures, c.helpfulness) == (2, 1.0, 1.0, 0.5)
    assert (round(c.low, 6), round(c.high, 6)) == (0.094299, 0.905701)
    assert c.outcomes == {"success": 0, "failure": 1, "neutral": 1}
    assert beta_interval(0, 0) == (0.5, pytest.approx(0.025), pytest.approx(0.975))


def test_support_and_added_terms() -> None:
    i4, i5 = hand_built()[3], hand_built()[4]
    assert added_terms(i4) == {"cancelled", "orders", "page"}
    assert support(i4, "C") == 1.0
    # "refunds" and "take" are the query's words, "days" the output's: only the figure is new.
    assert added_terms(i5) == {"14"}
    assert support(i5, "B") == 0.0
    assert support(hand_built()[0], "A") is None  # no correction


def failure_set() -> list[RagInteraction]:
    """20 successes that used ``ok`` (one also ``stale``), 10 failures that used ``ok`` (8 also
    ``stale``, 2 also ``rare``)."""
    out = [item(f"s{n}", "good", ("ok", "stale") if n == 0 else ("ok",)) for n in range(20)]
    for n in range(10):
        docs = ("ok", "stale") if n < 8 else ("ok", "rare")
        out.append(item(f"f{n}", "bad" if n % 2 else "corrected", docs, ts=n, corrected="fixed text"))
    return out


def test_failure_documents_need_the_ratio_the_floor_and_the_test() -> None:
    (stale,) = failing(failure_set())
    # f=8 of F=10, s=1 of S=20: ((8.5 / 11) / (1.5 / 21)); Fisher one-sided on [[8, 2], [1, 19]].
    assert (stale.document, stale.failures, stale.successes) == ("stale", 8, 1)
    assert stale.ratio == pytest.approx((8.5 / 11) / (1.5 / 21)) and round(stale.ratio, 6) == 10.818182
    # P(X >= 8), X hypergeometric (30 interactions, 9 used it, 10 failed): (9 * C(21, 2) + 1 * 21) / C(30, 10).
    assert stale.p_value == pytest.approx((9 * 210 + 21) / 30_045_015) and round(stale.p_value, 8) == 0.0000636
    assert [e["interaction"] for e in stale.examples] == ["f7", "f6", "f5"]  # the newest three
    # ``rare``: 2 failures and no success, a high ratio (9.5) under the floor of 3 failures, and not
    # significant either (p = C(28, 8) / C(30, 10) = 0.103); ``ok``: ratio ~1.
    assert [d.document for d in failing(failure_set(), min_failures=2)] == ["stale"]
    rare = failing(failure_set(), min_failures=2, alpha=0.2)[1]
    assert (rare.document, round(rare.ratio, 4), round(rare.p_value, 4)) == ("rare", 9.5455, 0.1034)
    assert failing(failure_set(), min_ratio=20.0) == []
    assert failing(failure_set(), alpha=1e-6) == []
    with pytest.raises(errors.ValidationError):
        failing(failure_set(), alpha=0)


def test_context_gaps_are_corrections_the_passages_did_not_hold() -> None:
    (gap,) = gaps(hand_built())
    assert (gap.interaction, gap.added, gap.missing, gap.coverage) == ("i5", ["14"], ["14"], 0.0)
    unknown = item("i7", "corrected", ("Z",), corrected="Something entirely new here.")
    assert gaps([unknown]) == []  # no passage known: not judged
    assert [g.interaction for g in gaps(hand_built(), max_coverage=1.0)] == ["i5"]  # i4 is fully covered


def test_helpful_pairs_take_the_passage_drawn_on_or_supporting_the_correction() -> None:
    good = item("g", "good", ("B", "A"), output="Refunds are paid within 14 days.")
    pairs = helpful_pairs([good, *hand_built()])
    # g drew on A (all its terms), i1 on neither (ties go to the first retrieved), i2's confidence
    # 0.5 is enough, i4's correction is supported by C; bad, unsupported and unknown give none.
    assert [(p.interaction, p.document) for p in pairs] == [("g", "A"), ("i1", "A"), ("i2", "A"), ("i4", "C")]
    assert pairs[0].passage == PASSAGES["A"] and pairs[0].user_id == "u-g"
    low = helpful_pairs(hand_built(), min_confidence=0.6)
    assert [(p.interaction, p.document) for p in low] == [("i1", "A"), ("i4", "C")]


def test_documents_load_from_a_mapping_or_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "A", "text": "one"}\n\n{"id": "B", "text": "two"}\n')
    assert load_documents(path) == {"A": "one", "B": "two"} and load_documents({"x": "y"}) == {"x": "y"}
    path.write_bytes(b'{"id": "A"}\n')
    with pytest.raises(errors.ValidationError) as caught:
        load_documents(path)
    assert caught.value.field == "documents" and "line 1" in caught.value.message
    with pytest.raises(errors.ValidationError):
        load_documents(tmp_path / "missing.jsonl")


def test_the_store_path_reads_context_ids_passages_and_labels(capture: Capture, tmp_path: Path) -> None:
    now = hours_ago(2)
    rows = [
        ("q1", "What is the refund delay?", "Refunds are paid within 14 days.", ["A", "example:e1"], "up"),
        ("q2", "Shipping to Spain?", "Shipping takes 3 to 5 working days.", ["B"], "up"),
        ("q3", "Refund time?", "Shipping takes 3 days.", ["B", "C"], "down"),
        ("q4", "How long for refunds?", "Shipping takes 3 days.", ["B"], "edit"),
    ]
    interactions, signals = [], []
    for n, (iid, query, output, ctx, what) in enumerate(rows):
        # q1 logs its passage in metadata; the others leave the text to the corpus file.
        meta = {"passages": {"A": PASSAGES["A"]}} if iid == "q1" else {}
        interactions.append(
            {"id": iid, "workload": "rag", "input": query, "output": output, "user_id": f"u{n}", "ts": now + n}
            | {"context_ids": ctx, "metadata": meta}
        )
        if what == "up":
            signals += [
                {"id": f"{iid}-acc", "interaction_id": iid, "kind": "accept", "ts": now + n + 1},
                {"id": f"{iid}-up", "interaction_id": iid, "kind": "thumbs_up", "ts": now + n + 2},
            ]
        elif what == "down":
            signals.append({"id": f"{iid}-down", "interaction_id": iid, "kind": "thumbs_down", "ts": now + n + 1})
        else:
            signals.append(
                {
                    "id": f"{iid}-edit",
                    "interaction_id": iid,
                    "kind": "edit",
                    "ts": now + n + 1,
                    "payload": {"text": "Refunds are paid within 14 days to the card."},
                }
            )
    capture.ingest(P, {"interactions": interactions})
    capture.ingest(P, {"signals": signals})
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b"".join(orjson.dumps({"id": k, "text": v}) + b"\n" for k, v in PASSAGES.items() if k != "A"))

    items = load_interactions(capture.store, P, "rag", documents=corpus, settings=capture.settings)
    assert [(i.id, i.documents, i.verdict) for i in items] == [
        ("q1", ("A",), "good"),  # the served example is not a document
        ("q2", ("B",), "good"),
        ("q3", ("B", "C"), "bad"),
        ("q4", ("B",), "corrected"),
    ]
    assert items[0].passages == {"A": PASSAGES["A"]} and items[2].passages == {"B": PASSAGES["B"], "C": PASSAGES["C"]}
    found = {
        c.document: c for c in document_credit(capture.store, P, "rag", documents=corpus, settings=capture.settings)
    }
    assert {d: (c.uses, c.verdicts["good"], c.verdicts["bad"], c.verdicts["corrected"]) for d, c in found.items()} == {
        "A": (1, 1, 0, 0),
        "B": (3, 1, 1, 1),
        "C": (1, 0, 1, 0),
    }
    assert found["B"].failures == pytest.approx(items[2].confidence + items[3].confidence)
    (gap,) = context_gaps(capture.store, P, "rag", documents=corpus, settings=capture.settings)
    assert (gap.interaction, gap.missing) == ("q4", ["14", "card", "paid", "within"])
    # Too few failures for any document to stand out.
    assert failure_documents(capture.store, P, "rag", documents=corpus, settings=capture.settings) == []
    # A window with none of them.
    assert document_credit(capture.store, P, "rag", since=now + 100, settings=capture.settings) == []
    with pytest.raises(errors.ValidationError) as caught:
        document_credit(capture.store, P, "rag", since=now, until=now - 1)
    assert caught.value.field == "since"
