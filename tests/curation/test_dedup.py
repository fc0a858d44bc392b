"""Deduplication (flyloop.curation.dedup): exact by normalized hash, near duplicates by MinHash LSH."""

from __future__ import annotations

from flyloop.curation.dedup import DedupConfig, deduplicate, near_duplicate_groups, normalize


def test_exact_and_near_duplicates_keep_the_best_copy():
    long = (
        "Please summarise the quarterly report for the board meeting with the key revenue numbers, the main risks, "
        "the hiring plan, the product roadmap for next year, and the open questions from the last audit committee"
    )
    items = [
        (3, "What is 2 + 2?", "The answer is 4."),
        (1, "what is 2 + 2?", "the answer is 4"),  # exact once normalized; ranked first, so it stays
        (2, long, "Revenue grew."),
        (4, long + " today", "Revenue grew."),  # near duplicate
        (5, "Something else entirely", "Different."),
    ]
    kept, removed = deduplicate(items, parts=lambda x: (x[1], x[2]), rank=lambda x: x[0], config=DedupConfig())
    assert [x[0] for x in kept] == [1, 2, 5]
    assert removed == {"exact": 1, "near": 1}
    kept, removed = deduplicate(
        items, parts=lambda x: (x[1], x[2]), rank=lambda x: x[0], config=DedupConfig(near=False)
    )
    assert [x[0] for x in kept] == [1, 2, 4, 5]
    assert removed == {"exact": 1, "near": 0}


def test_near_duplicate_groups_chain_and_separate():
    base = "the quick brown fox jumps over the lazy dog near the river bank in the morning light"
    texts = [
        base,
        base + " today",
        "The Quick brown fox jumps over the lazy dog near the river bank in the morning light.",
        "completely unrelated words about databases and indexes and queries",
    ]
    labels = near_duplicate_groups(texts, DedupConfig())
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] != labels[0]
    assert normalize("  The answer IS 85. ") == "the answer is 85"
