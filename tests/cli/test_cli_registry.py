"""flyloop workloads and flyloop policies on the command line (flyloop.cli.registry)."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(autouse=True)
def _empty_store(store, monkeypatch):
    """The commands open the database by URL; taking ``store`` empties PostgreSQL before each test.
    The openai backend's registration check wants an endpoint (it never calls it)."""
    monkeypatch.setenv("FLYLOOP_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("COLUMNS", "250")  # tables wide enough that ids are not wrapped


def invoke(database_url: str, *args: str, input: str | None = None):
    from flyloop.cli import app

    return runner.invoke(app, [*args, "--database-url", database_url], input=input)


def test_workloads_declare_list_show(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    out = invoke(database_url, "workloads", "declare", "triage", "--type", "choice", "--label", "billing", "-l", "bug")
    assert out.exit_code == 0, out.output
    assert out.output == "workload triage: choice labels billing, bug\n"
    out = invoke(database_url, "workloads", "declare", "reply", "--description", "answers tickets")
    assert out.output == "workload reply: generation\n"
    listed = orjson.loads(invoke(database_url, "workloads", "list", "--json").output)
    assert [(w["name"], w["type"], w["labels"]) for w in listed] == [
        ("reply", "generation", None),
        ("triage", "choice", ["billing", "bug"]),
    ]
    table = invoke(database_url, "workloads", "list").output
    assert "triage" in table and "billing, bug" in table and "answers tickets" in table
    shown = orjson.loads(invoke(database_url, "workloads", "show", "triage", "--json").output)
    assert (shown["type"], shown["labels"], shown["stats"]["interactions"]) == ("choice", ["billing", "bug"], 0)
    assert "choice" in invoke(database_url, "workloads", "show", "triage").output
    # Bad input: one line, exit 2, the field named.
    bad = invoke(database_url, "workloads", "declare", "x", "--type", "choice")
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and bad.output.startswith("error: labels: ")
    missing = invoke(database_url, "workloads", "show", "nope")
    assert missing.exit_code == 2 and missing.output.startswith("error: ")


def test_policies_register_promote_list_show_history(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    invoke(database_url, "workloads", "declare", "triage", "--type", "choice", "-l", "billing", "-l", "bug")
    out = invoke(
        database_url,
        "policies",
        "register",
        "--workload",
        "triage",
        "--model",
        "gpt-4o-mini",
        "--system-prompt",
        "Route the ticket.",
        "--param",
        "temperature=0",
        "--param",
        "stop=END",
        "--json",
    )
    assert out.exit_code == 0, out.output
    first = orjson.loads(out.output)
    assert (first["backend"], first["model"], first["params"]) == (
        "openai",
        "gpt-4o-mini",
        {"temperature": 0, "stop": "END"},
    )
    # From a file, an option overriding one of its fields; the parent given.
    spec = tmp_path / "policy.json"
    spec.write_bytes(
        orjson.dumps({"workload": "triage", "model": "gpt-4o-mini", "system_prompt": "Old.", "params": {"seed": 1}})
    )
    out = invoke(
        database_url,
        "policies",
        "register",
        str(spec),
        "--system-prompt",
        "Route the ticket; say bug for crashes.",
        "--parent",
        first["id"],
        "--note",
        "crashes",
    )
    assert out.exit_code == 0, out.output
    second_id = out.output.split()[2]
    assert out.output == f"policy version {second_id} of workload triage\n"
    second = orjson.loads(invoke(database_url, "policies", "show", second_id, "--json").output)
    assert (second["system_prompt"], second["params"], second["parent"], second["note"]) == (
        "Route the ticket; say bug for crashes.",
        {"seed": 1},
        first["id"],
        "crashes",
    )
    assert "Route the ticket; say bug for crashes." in invoke(database_url, "policies", "show", second_id).output

    none = invoke(database_url, "policies", "production", "triage")
    assert none.output == "triage has no production version: flyloop policies promote triage <version>\n"
    assert invoke(database_url, "policies", "production", "triage", "--json").output == "null\n"
    moved = invoke(database_url, "policies", "promote", "triage", first["id"], "--reason", "first one")
    assert moved.output == f"triage: production is {first['id']}\n"
    # The second has production to beat: its gate stands in the way until it is evaluated, or a
    # person goes past it with a reason, on record.
    refused = invoke(database_url, "policies", "promote", "triage", second_id)
    assert refused.exit_code == 2 and refused.output == (
        f"error: gate: no evaluation of {second_id} against production {first['id']}: run flyloop eval run "
        f"triage {second_id}, or force with a reason\n"
    )
    moved = invoke(database_url, "policies", "promote", "triage", second_id, "--force", "--reason", "by hand")
    assert moved.output == f"triage: production is {second_id} (was {first['id']})\n"
    assert orjson.loads(invoke(database_url, "policies", "production", "triage", "--json").output)["id"] == second_id
    assert (
        f"production version of triage: {second_id}" in invoke(database_url, "policies", "production", "triage").output
    )
    listed = orjson.loads(invoke(database_url, "policies", "list", "--workload", "triage", "--json").output)
    assert [v["id"] for v in listed] == [first["id"], second_id]
    assert f"{second_id} (production)" in invoke(database_url, "policies", "list").output
    history = orjson.loads(invoke(database_url, "policies", "history", "triage", "--json").output)
    assert [(m["version_id"], m["previous"], m["reason"]) for m in history] == [
        (first["id"], None, "first one"),
        (second_id, first["id"], "by hand"),
    ]
    assert "first one" in invoke(database_url, "policies", "history").output


def test_policies_bad_input_is_one_line_naming_the_field(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path / "home"))
    invoke(database_url, "workloads", "declare", "reply")
    cases = [
        (["-w", "reply", "--model", "m", "--template", "{{ input }} for {{ plan }}"], "error: template: "),
        (["--system-prompt", "x"], "error: workload: name the workload"),
        (["-w", "reply", "--model", "m", "--param", "temprature=1"], "error: params: unknown parameter 'temprature'"),
        (["-w", "reply", "--model", "m", "--param", "nonsense"], "error: param: a parameter is key=value"),
        (["-w", "reply", "--model", "m", "--k", "3"], "error: bank: k=3 examples need a bank"),
        (["-w", "reply"], "error: model: the openai backend needs a model name"),
        ([str(tmp_path / "none.json")], "error: file: no such file"),
    ]
    for args, start in cases:
        out = invoke(database_url, "policies", "register", *args)
        assert out.exit_code == 2 and out.output.startswith(start) and out.output.count("\n") == 1, (args, out.output)
    (tmp_path / "bad.json").write_text("{not json")
    out = invoke(database_url, "policies", "register", str(tmp_path / "bad.json"))
    assert out.exit_code == 2 and out.output.startswith("error: file: ")
    assert invoke(database_url, "policies", "list", "--json").output == "[]\n"
    out = invoke(database_url, "policies", "promote", "reply", "pv_0000000000000000")
    assert out.exit_code == 2 and out.output.startswith("error: version: ")
