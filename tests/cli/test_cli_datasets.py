"""flyloop datasets and flyloop export on the command line (flyloop.cli.datasets)."""

from __future__ import annotations

import time

import orjson
import sqlalchemy as sa
from typer.testing import CliRunner

from flyloop import Capture, Settings

PROJECT = "acme"


T0 = (int(time.time()) // 3600 - 240) * 3600.0  # on the hour: the split cut-off is rounded to one


def fix_keys(store, project: str = PROJECT) -> None:
    """Fixed pseudonym and split keys, so which users are held out is the same on every run."""
    from flyloop.store import tables as schema

    with store.write() as conn:
        conn.execute(
            sa.insert(schema.project_secrets),
            [
                {
                    "project_id": project,
                    "purpose": purpose,
                    "version": 1,
                    "secret": (purpose.encode() * 32)[:32].hex(),
                    "created_at": 0.0,
                }
                for purpose in ("pseudonym", "split")
            ],
        )


def seed(capture: Capture, users: int = 10, project: str = PROJECT) -> None:
    """Per user: a good answer (accepted, thumbs-up, and the task then succeeded: the outcome
    vouches for the user's judgement), a wrong one corrected by an edit, and a wrong one
    regenerated into a right one in the same session; user0 also picks between two drafts."""
    fix_keys(capture.store, project)
    interactions, signals, outcomes = [], [], []

    def it(iid, user, session, text, output, ts, plan):
        interactions.append(
            {
                "id": iid,
                "workload": "math",
                "input": text,
                "output": output,
                "user_id": user,
                "session_id": session,
                "ts": ts,
                "metadata": {"plan": plan},
            }
        )

    def sg(sid, iid, kind, user, ts, **kw):
        signals.append({"id": sid, "interaction_id": iid, "kind": kind, "actor": user, "ts": ts, **kw})

    for u in range(users):
        user, plan, base = f"user{u}", "pro" if u < 3 else "free", T0 + u * 3600
        it(f"g{u}", user, f"s{u}a", f"What is {u} + 10?", f"The answer is {u + 10}.", base, plan)
        sg(f"g{u}-acc", f"g{u}", "accept", user, base + 5)
        sg(f"g{u}-up", f"g{u}", "thumbs_up", user, base + 6)
        outcomes.append(
            {"id": f"g{u}-done", "interaction_id": f"g{u}", "name": "task_completed", "value": 1.0, "ts": base + 3600}
        )
        it(f"c{u}", user, f"s{u}b", f"What is {u} + 20?", f"The answer is {u + 21}.", base + 100, plan)
        sg(f"c{u}-down", f"c{u}", "thumbs_down", user, base + 105)
        sg(f"c{u}-edit", f"c{u}", "edit", user, base + 110, payload={"text": f"The answer is {u + 20}."})
        it(f"r{u}", user, f"s{u}c", f"What is {u} + 30?", f"The answer is {u + 33}.", base + 200, plan)
        sg(f"r{u}-regen", f"r{u}", "regenerate", user, base + 202)
        it(f"r{u}b", user, f"s{u}c", f"What is {u} + 30?", f"The answer is {u + 30}.", base + 206, plan)
        sg(f"r{u}b-acc", f"r{u}b", "accept", user, base + 210)
        sg(f"r{u}b-up", f"r{u}b", "thumbs_up", user, base + 211)
    sg(
        "g0-choice",
        "g0",
        "choice",
        "user0",
        T0 + 7,
        payload={"chosen": "The answer is 10.", "rejected": ["The answer is 11."]},
    )
    capture.ingest(project, {"interactions": interactions})
    capture.ingest(project, {"signals": signals})
    capture.ingest(project, {"outcomes": outcomes})


def test_cli_build_show_list_and_export(database_url, tmp_path, monkeypatch):
    from flyloop import Store
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project="default")
    runner = CliRunner()
    out = runner.invoke(
        app, ["datasets", "build", "--name", "math", "--segment-key", "plan", "--database-url", database_url]
    )
    assert out.exit_code == 0, out.output
    assert "examples: sft" in out.output and "train 21" in out.output
    listed = runner.invoke(app, ["datasets", "list", "--json", "--database-url", database_url])
    version_id = orjson.loads(listed.output)[0]["id"]
    out = runner.invoke(
        app,
        ["export", "kto", "math", "--out", str(tmp_path / "x"), "--format", "parquet", "--database-url", database_url],
    )
    assert out.exit_code == 0, out.output
    assert (tmp_path / "x" / "kto-train.parquet").exists()
    out = runner.invoke(app, ["datasets", "build", "--workload", "nope", "--database-url", database_url])
    assert out.exit_code == 2 and "no interactions in project 'default' match" in out.output
    out = runner.invoke(app, ["datasets", "taint", version_id[:12], "--reason", "oops", "--database-url", database_url])
    assert out.exit_code == 0
    out = runner.invoke(
        app, ["export", "sft", version_id[:12], "--out", str(tmp_path / "y"), "--database-url", database_url]
    )
    assert out.exit_code == 2 and "tainted" in out.output
    out = runner.invoke(
        app, ["export", "sft", version_id[:12], "--out", str(tmp_path / "y"), "--force", "--database-url", database_url]
    )
    assert out.exit_code == 0 and "warning: exported a tainted version" in out.output
    store.close()


def test_cli_export_paths_folders_files_and_overwrites(database_url, tmp_path, monkeypatch):
    from flyloop import Store
    from flyloop.cli import app

    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    store = Store(database_url)
    seed(Capture(store, Settings(database_url=database_url)), project="default")
    runner = CliRunner()
    db = ["--database-url", database_url]
    assert runner.invoke(app, ["datasets", "build", "--name", "math", "--segment-key", "plan", *db]).exit_code == 0
    out = runner.invoke(
        app,
        [
            "datasets",
            "build",
            "--name",
            "again",
            "--segment-key",
            "plan",
            "--kind",
            "sft",
            "--kind",
            "dpo",
            "--kind",
            "kto",
            "--kind",
            "fewshot",
            "--kind",
            "eval",
            *db,
        ],
    )
    assert out.exit_code == 0, out.output
    shown = runner.invoke(app, ["datasets", "show", "again", *db])
    assert shown.exit_code == 0 and "again, math" in shown.output
    # A folder: per-target files and manifests; two targets do not clobber each other.
    for target in ("sft", "dpo"):
        assert runner.invoke(app, ["export", target, "math", "--out", str(tmp_path / "data"), *db]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "dpo-train.jsonl",
        "dpo.manifest.json",
        "sft-train.jsonl",
        "sft.manifest.json",
    ]
    # A file: that file (the train split), its manifest beside it.
    out = runner.invoke(app, ["export", "sft", "math", "--out", str(tmp_path / "train.jsonl"), *db])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "train.jsonl").is_file() and len((tmp_path / "train.jsonl").read_text().splitlines()) == 21
    assert (tmp_path / "train.manifest.json").is_file()
    again = runner.invoke(app, ["export", "sft", "math", "--out", str(tmp_path / "train.jsonl"), *db])
    assert again.exit_code == 2 and "already exists" in again.output and "--overwrite" in again.output
    assert "Traceback" not in again.output and len(again.output.strip().splitlines()) == 1
    assert (
        runner.invoke(
            app, ["export", "sft", "math", "--out", str(tmp_path / "train.jsonl"), "--overwrite", *db]
        ).exit_code
        == 0
    )
    out = runner.invoke(app, ["export", "kto", "math", "--out", str(tmp_path / "kto.parquet"), *db])
    assert out.exit_code == 0 and (tmp_path / "kto.parquet").read_bytes()[:4] == b"PAR1"
    out = runner.invoke(app, ["export", "sft", "math", "--out", str(tmp_path / "x.parquet"), "--format", "jsonl", *db])
    assert out.exit_code == 2 and "is a parquet file" in out.output
    out = runner.invoke(
        app,
        [
            "export",
            "sft",
            "math",
            "--out",
            str(tmp_path / "two.jsonl"),
            "--split",
            "train",
            "--split",
            "validation",
            *db,
        ],
    )
    assert out.exit_code == 2 and "holds one split" in out.output
    store.close()
