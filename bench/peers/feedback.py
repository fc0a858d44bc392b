"""The feedback every system is given: the same count, the same shape (a 1-5 rating with a
comment, by one of 200 users, on an interaction, trace or span that already exists), so the
figures differ only by the system taking it. Standard library only: each peer's driver imports
this from its own virtualenv."""

from __future__ import annotations

QUESTION = "How do I reset my password? (case {n})"
ANSWER = "Open Settings, then Security, then Reset password."
COMMENTS = (
    "Exactly what I needed, thanks.",
    "Close, but the menu is called Account now, not Settings.",
    "Did not work: there is no Security tab on my phone.",
    "Fine, though a link straight to the page would be quicker.",
    "Wrong product: I asked about the desktop app.",
)
USERS = 200
NAME = "user_rating"  # the assessment / annotation name in the peers


def feedback(n: int) -> dict[str, object]:
    """The n-th piece of feedback: ``rating`` (1..5), ``comment``, ``user``, ``question``, ``answer``."""
    rating = 1 + (n * 7) % 5
    return {
        "rating": rating,
        "comment": COMMENTS[(n * 3) % len(COMMENTS)],
        "user": f"u{n % USERS:03d}",
        "question": QUESTION.format(n=n),
        "answer": ANSWER,
    }
