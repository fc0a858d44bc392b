"""flyloop users / privacy / retention / audit / compact on the command line (flyloop.cli.privacy)."""

from __future__ import annotations

import re

import orjson
import sqlalchemy as sa
from typer.testing import CliRunner

from flyloop import (
    consent_of,
)


def test_privacy_from_the_command_line(store, database_url, settings):  # store: PostgreSQL is emptied first
    from typer.testing import CliRunner

    from flyloop import Store
    from flyloop.cli import app

    runner = CliRunner()
    db = ["--database-url", database_url]
    result = runner.invoke(
        app,
        [
            "privacy",
            "set",
            "--redaction-style",
            "mask",
            "--content-days",
            "forever",
            "--workload",
            "support",
            "--metadata-keys",
            "plan,locale",
            *db,
        ],
    )
    assert result.exit_code == 0, result.output
    shown = orjson.loads(runner.invoke(app, ["privacy", "show", *db]).output)
    assert shown["policy"]["redaction"]["style"] == "mask" and shown["policy"]["retention"]["content_days"] is None
    assert shown["policy"]["workloads"] == {"support": {"fields": None, "metadata_keys": ["plan", "locale"]}}
    redacted = orjson.loads(runner.invoke(app, ["privacy", "redact", "write to jo@ex.io", *db]).output)
    assert redacted == {"text": "write to ********", "found": {"EMAIL_ADDRESS": 1}}
    assert runner.invoke(app, ["users", "consent", "u-9", "no_training", *db]).exit_code == 0
    user = orjson.loads(runner.invoke(app, ["users", "show", "u-9", *db]).output)
    assert user["state"] == "no_training" and re.fullmatch(r"u_[0-9a-f]{32}", user["pseudonym"])
    rotated = runner.invoke(app, ["privacy", "rotate-key", *db])
    assert rotated.exit_code == 0 and "version 2" in rotated.output
    audit = orjson.loads(runner.invoke(app, ["audit", "--json", *db]).output)
    assert [r["action"] for r in audit] == ["privacy.rotate_key", "users.consent", "privacy.set"]
    assert all(r["actor"].startswith("cli") for r in audit)
    bad = runner.invoke(app, ["privacy", "set", "--content-days", "soon", *db])
    assert bad.exit_code == 2 and "content_days" in bad.output and "Traceback" not in bad.output
    assert runner.invoke(app, ["privacy", "set", *db]).exit_code == 2
    assert runner.invoke(app, ["users", "consent", "u-9", "maybe", *db]).exit_code == 2
    db = Store(database_url)
    assert consent_of(db, "default", "u-9")["state"] == "no_training"
    db.close()


def it(id, user, **kw):
    return {"id": id, "workload": "support", "input": f"question {id}", "output": f"answer {id}", "user_id": user, **kw}


def test_erasure_from_the_command_line(store, database_url, settings):  # store: PostgreSQL is emptied first
    from flyloop import Store
    from flyloop.capture.ingest import Capture
    from flyloop.cli import app

    store = Store(database_url)
    Capture(store, settings).ingest("default", {"interactions": [it("z1", "zoe"), it("y1", "yann")]})
    runner = CliRunner()
    result = runner.invoke(app, ["users", "erase", "zoe", "--yes", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "erased: 1 interactions" in result.output and "verified: yes" in result.output
    refused = runner.invoke(app, ["users", "erase", "yann", "--database-url", database_url], input="n\n")
    assert refused.exit_code == 1 and user_rows_for(store, "default") == ["y1"]
    store.close()


def user_rows_for(store, project):
    with store.engine.connect() as conn:
        return sorted(
            conn.execute(sa.text("select id from interactions where project_id = :p"), {"p": project}).scalars()
        )


def test_compact_from_the_command_line(store, database_url, settings):  # store: PostgreSQL is emptied first
    from flyloop import Store
    from flyloop.cli import app

    Store(database_url).close()
    result = CliRunner().invoke(app, ["privacy", "compact", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "compacted" in result.output and "audit row" in result.output


def test_the_command_line_erases_the_spool_under_its_home(store, database_url, settings):
    from flyloop import Store
    from flyloop.capture.ingest import Capture
    from flyloop.cli import app
    from flyloop.sdk.sender import Spool
    from flyloop.sdk.spool import spool_folder

    store = Store(database_url)
    Capture(store, settings).ingest("default", {"interactions": [it("z1", "zoe")]})
    folder = spool_folder(settings.home, "default")
    Spool(folder).put([("interactions", it("z2", "zoe")), ("interactions", it("y2", "yann"))])
    result = CliRunner().invoke(app, ["users", "erase", "zoe", "--yes", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (
        "erased: 1 interactions" in said
        and "events removed from the SDK spool: 1 waiting, 0 in the journal, 0 rejected" in said
    )
    assert b"zoe" not in b"".join(p.read_bytes() for p in folder.glob("*.json"))
    store.close()


def test_keys_move_between_stores_on_the_command_line(store, database_url, tmp_path):
    """export-keys from one store, import-keys into a fresh one: the same user, the same pseudonym."""
    from flyloop import Store
    from flyloop.cli import app
    from flyloop.privacy import pseudonym

    runner = CliRunner()
    db = ["--database-url", database_url]
    assert runner.invoke(app, ["users", "consent", "u-9", "no_training", *db]).exit_code == 0
    exported = runner.invoke(app, ["privacy", "export-keys", *db])
    assert exported.exit_code == 0, exported.output
    keys = orjson.loads(exported.output)
    assert "pseudonym" in keys and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys["pseudonym"])
    (tmp_path / "keys.json").write_bytes(orjson.dumps(keys))
    other = ["--database-url", f"sqlite:///{tmp_path / 'other.db'}"]
    imported = runner.invoke(app, ["privacy", "import-keys", str(tmp_path / "keys.json"), *other])
    assert imported.exit_code == 0 and imported.output.startswith("imported pseudonym (1 version)"), imported.output
    here, there = Store(database_url), Store(f"sqlite:///{tmp_path / 'other.db'}")
    assert pseudonym(there, "default", "u-9") == pseudonym(here, "default", "u-9")
    here.close()
    there.close()
    again = runner.invoke(app, ["privacy", "import-keys", str(tmp_path / "keys.json"), *other])
    assert again.exit_code != 0 and "already has a" in again.output and keys["pseudonym"][0] not in again.output
    (tmp_path / "bad.json").write_text("{not json")
    bad = runner.invoke(app, ["privacy", "import-keys", str(tmp_path / "bad.json"), *other])
    assert bad.exit_code != 0 and "not a JSON file of keys" in bad.output and "Traceback" not in bad.output
