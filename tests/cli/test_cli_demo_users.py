"""The demo's simulated readers (flyloop.cli.demo_users): who reads which mail and how each reacts."""

from __future__ import annotations

from collections import Counter

from flyloop.cli.demo_mail import Mail
from flyloop.cli.demo_users import Reaction, Users

SPAM = Mail("spam-1/00001", "free offer, click here", "spam", "spam-1")


def test_careful_readers_accept_right_labels_and_correct_wrong_ones_to_the_truth():
    users = Users(count=50, seed=3, careless_share=0.0, slip=0.0)
    right = Counter(users.react(u, i, SPAM, "spam") for i, u in enumerate(users.ids() * 40))
    wrong = Counter(users.react(u, i, SPAM, "ham") for i, u in enumerate(users.ids() * 40))
    assert set(right) == {Reaction(accept=True), Reaction(thumbs="up"), Reaction()}
    assert set(wrong) == {Reaction(edit="spam"), Reaction(thumbs="down"), Reaction()}
    assert abs(right[Reaction(accept=True)] / 2000 - 0.6) < 0.04
    assert abs(wrong[Reaction(edit="spam")] / 2000 - 0.6) < 0.04


def test_careless_readers_accept_anything_and_never_correct():
    users = Users(count=50, seed=3, careless_share=1.0)
    seen = {users.react(u, i, SPAM, answer) for answer in ("ham", "spam") for i, u in enumerate(users.ids())}
    assert seen == {Reaction(accept=True), Reaction()}


def test_the_same_seed_gives_the_same_readers_and_reactions():
    a, b = Users(count=30, seed=9), Users(count=30, seed=9)
    assert [a.sender(i) for i in range(100)] == [b.sender(i) for i in range(100)]
    assert [a.react(a.sender(i), i, SPAM, "ham") for i in range(100)] == [
        b.react(b.sender(i), i, SPAM, "ham") for i in range(100)
    ]
    assert [a.measured(i) for i in range(100)] == [b.measured(i) for i in range(100)]
    assert 0.2 < sum(a.measured(i) for i in range(1000)) / 1000 < 0.4  # outcome_rate 0.3
    assert sum(a.kind(u) == "careless" for u in a.ids()) < 10  # careless_share 0.1 of 30
