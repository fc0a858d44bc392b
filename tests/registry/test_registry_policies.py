"""A listing filtered by a workload, version or experiment the project does not have answers 404
naming the filter (flyloop.registry.require_known: the library raises NotFound, the routes answer
404, the CLI prints one line); a known one with nothing to list answers an empty list. The
evaluate, rollout and registry listings alike."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flyloop import errors
from flyloop.capture import declare_workload
from flyloop.evaluate import list_evaluations, list_golden_sets
from flyloop.registry import catalog, stage_history
from flyloop.rollout import list_decisions, list_experiments
from promotion_fixtures import versions

P = "acme"
READ = ("read",)

UNKNOWN = [
    ("/v1/versions", {"workload": "nope"}, "workload", "no workload named 'nope' in this project"),
    ("/v1/stage-history", {"workload": "nope"}, "workload", "no workload named 'nope' in this project"),
    ("/v1/stage-history", {"version": "pv_nope"}, "version", "no policy version 'pv_nope' in this project"),
    ("/v1/experiments", {"workload": "nope"}, "workload", "no workload named 'nope' in this project"),
    ("/v1/decisions", {"experiment": "nope"}, "experiment", "no experiment 'nope' in this project"),
    ("/v1/decisions", {"workload": "nope"}, "workload", "no workload named 'nope' in this project"),
    ("/v1/evaluations", {"workload": "nope"}, "workload", "no workload named 'nope' in this project"),
    ("/v1/evaluations", {"candidate": "pv_nope"}, "candidate", "no policy version 'pv_nope' in this project"),
    ("/v1/golden", {"workload": "nope"}, "workload", "no workload named 'nope' in this project"),
]


@pytest.mark.parametrize(("path", "params", "field", "message"), UNKNOWN)
def test_an_unknown_filter_is_a_404_naming_it(api, store, path, params, field, message):
    (version,) = versions(store, "Answer briefly.")
    assert version.workload == "reply"
    r = api.get(path, scopes=READ, params=params)
    body = r.json()
    assert (r.status_code, body["error"], body["message"], body["field"]) == (404, "NotFound", message, field)


def test_a_known_filter_with_nothing_to_list_is_an_empty_list(api, store):
    (version,) = versions(store, "Answer briefly.")
    declare_workload(store, P, "quiet")
    for path, params in [
        ("/v1/versions", {"workload": "quiet"}),
        ("/v1/stage-history", {"workload": "reply"}),
        ("/v1/stage-history", {"version": version.id}),
        ("/v1/experiments", {"workload": "reply"}),
        ("/v1/decisions", {"workload": "reply"}),
        ("/v1/evaluations", {"workload": "reply"}),
        ("/v1/evaluations", {"candidate": version.id}),
        ("/v1/golden", {"workload": "reply"}),
    ]:
        r = api.get(path, scopes=READ, params=params)
        assert (r.status_code, r.json()) == (200, {"items": []}), (path, params)


def test_the_library_names_the_filter(store):
    versions(store, "Answer briefly.")
    calls = [
        (lambda: catalog(store, P, "nope"), "workload"),
        (lambda: stage_history(store, P, version_id="pv_nope"), "version"),
        (lambda: list_experiments(store, P, "nope"), "workload"),
        (lambda: list_decisions(store, P, experiment_id="ex_nope"), "experiment"),
        (lambda: list_evaluations(store, P, candidate="pv_nope"), "candidate"),
        (lambda: list_golden_sets(store, P, "nope"), "workload"),
    ]
    for call, field in calls:
        with pytest.raises(errors.NotFound) as caught:
            call()
        assert caught.value.field == field


def test_the_cli_says_so_in_one_line(store, database_url):
    from flyloop import Store
    from flyloop.cli import app

    db = Store(database_url)
    versions(db, "Answer briefly.")
    db.close()
    runner = CliRunner()
    for args, line in [
        (["versions", "history", "nope"], "error: workload: no workload named 'nope' in this project\n"),
        (["experiments", "list", "--workload", "nope"], "error: workload: no workload named 'nope' in this project\n"),
        (["decisions", "list", "--experiment", "nope"], "error: experiment: no experiment 'nope' in this project\n"),
        (["eval", "list", "--candidate", "pv_nope"], "error: candidate: no policy version 'pv_nope' in this project\n"),
    ]:
        out = runner.invoke(app, [*args, "--database-url", database_url, "--project", P])
        assert (out.exit_code, out.output) == (2, line), args  # 2: the CLI's exit code for an error of ours
    empty = runner.invoke(app, ["versions", "history", "reply", "--database-url", database_url, "--project", P])
    assert empty.exit_code == 0, empty.output
