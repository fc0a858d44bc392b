"""flyloop versions on the command line (flyloop.cli.versions): list, show, diff, promote under
the gate, rollback and taint, as text and as JSON, and one-line errors."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from flyloop import Store
from promotion_fixtures import evaluated, versions

runner = CliRunner()


@pytest.fixture(autouse=True)
def _wide(store, monkeypatch):
    """Taking ``store`` empties PostgreSQL before each test; tables wide enough not to wrap ids."""
    monkeypatch.setenv("COLUMNS", "300")


def invoke(database_url: str, *args: str):
    from flyloop.cli import app

    return runner.invoke(app, [*args, "--database-url", database_url, "--project", "acme"])


def test_promote_rollback_list_show_diff_and_taint(database_url):
    db = Store(database_url)
    try:
        a, b = versions(db, "Answer briefly.", "Answer briefly and kindly.")
        out = invoke(database_url, "versions", "promote", a.id, "--reason", "launch")
        assert (out.exit_code, out.output) == (0, f"reply: production is {a.id}\n")
        out = invoke(database_url, "versions", "promote", b.id)
        assert out.exit_code == 2
        assert out.output == (
            f"error: gate: no evaluation of {b.id} against production {a.id}: run flyloop eval run reply {b.id}, "
            "or force with a reason\n"
        )
        evaluated(db, b.id, a.id, True, summary="accuracy +4.0 points [1.2, 6.8] > margin 0: PASS")
        out = invoke(database_url, "versions", "promote", b.id, "--reason", "passed")
        assert (out.exit_code, out.output) == (
            0,
            f"reply: production is {b.id} (was {a.id}, now archived)\n"
            "gate: accuracy +4.0 points [1.2, 6.8] > margin 0: PASS\n",
        )
        listed = orjson.loads(invoke(database_url, "versions", "list", "--json").output)
        assert [(e["version"]["id"], e["stage"], e["taint"]) for e in listed] == [
            (a.id, "archived", None),
            (b.id, "production", None),
        ]
        table = invoke(database_url, "versions", "list", "--workload", "reply").output
        assert a.id in table and "archived" in table and "production" in table
        out = invoke(database_url, "versions", "diff", a.id, b.id)
        assert out.output == (
            f"--- {a.id}/system_prompt\n+++ {b.id}/system_prompt\n@@ -1 +1 @@\n"
            "-Answer briefly.\n+Answer briefly and kindly.\n"
        )
        assert invoke(database_url, "versions", "diff", a.id, a.id).output == f"{a.id} and {a.id} have the same spec\n"
        shown = invoke(database_url, "versions", "show", b.id).output
        assert "stage history" in shown and "accuracy +4.0 points [1.2, 6.8] > margin 0: PASS" in shown
        assert "evaluations" in shown and "passed" in shown
        as_json = orjson.loads(invoke(database_url, "versions", "show", b.id, "--json").output)
        assert (as_json["stage"], [m["stage"] for m in as_json["moves"]]) == ("production", ["production"])
        out = invoke(database_url, "versions", "rollback", "reply", "--reason", "error rate up")
        assert (out.exit_code, out.output) == (0, f"reply: production is {a.id} again (was {b.id})\n")
        out = invoke(database_url, "versions", "rollback", "reply", "--reason", "again")
        assert (out.exit_code, out.output) == (
            2,
            f"error: workload: no earlier production version of 'reply' to roll back to (production is {a.id})\n",
        )
        moves = orjson.loads(invoke(database_url, "versions", "history", "reply", "--json").output)
        assert [(m["stage"], m["version_id"]) for m in moves] == [
            ("production", a.id),
            ("production", b.id),
            ("archived", a.id),
            ("production", a.id),
            ("archived", b.id),
        ]
        table = invoke(database_url, "versions", "history", "--version", b.id, "--stage", "production").output
        assert "accuracy +4.0 points [1.2, 6.8] > margin 0: PASS" in table and "error rate up" in table
        out = invoke(database_url, "versions", "taint", b.id, "--reason", "a leaked ticket")
        assert out.output == f"{b.id} is tainted: a leaked ticket\n"
        tainted = orjson.loads(invoke(database_url, "versions", "list", "--tainted", "--json").output)
        assert [(e["version"]["id"], e["taint"]) for e in tainted] == [(b.id, "a leaked ticket")]
        out = invoke(database_url, "versions", "promote", b.id, "--force", "--reason", "try")
        assert out.output == f"error: version: {b.id} is tainted (a leaked ticket): it serves no one\n"
    finally:
        db.close()


def test_forcing_past_a_failed_gate_shows_it_and_keeps_the_reason(database_url):
    db = Store(database_url)
    try:
        a, b = versions(db, "A", "B")
        invoke(database_url, "versions", "promote", a.id)
        evaluated(db, b.id, a.id, False, summary="accuracy -2.0 points: FAIL")
        out = invoke(database_url, "versions", "promote", b.id, "--force")
        assert out.output == "error: reason: going past the gate needs a reason, which is recorded\n"
        out = invoke(database_url, "versions", "promote", b.id, "--force", "--reason", "labels changed", "--json")
        move = orjson.loads(out.output)
        assert move["gate"] == {
            "passed": False,
            "summary": "accuracy -2.0 points: FAIL",
            "checks": [],
            "forced": True,
            "reason": "labels changed",
        }
        shown = invoke(database_url, "versions", "show", b.id).output
        assert "FORCED (labels changed): accuracy -2.0 points: FAIL" in shown
    finally:
        db.close()
