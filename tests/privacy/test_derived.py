"""The copies of user data later stages keep (flyloop.privacy.derived): one explicit list, the
one path by which erasure and content removal reach labels, datasets, banks, models, versions
and experiment assignments."""

from __future__ import annotations

import ast
from pathlib import Path

import flyloop
from flyloop import datasets, improve, labels, rollout
from flyloop.privacy import derived


def test_the_list_names_every_copy_in_order():
    # The policy versions' marks follow the dataset versions' and artifacts' they rest on.
    assert derived.erase_steps() == [
        datasets.on_erase,
        improve.on_bank_erase,
        improve.on_artifact_erase,
        rollout.on_version_erase,
        rollout.erase_assignments,
    ]
    assert derived.content_steps() == [
        labels.forget_corrections,
        datasets.on_content_removed,
        improve.on_bank_content_removed,
        rollout.on_version_content_removed,
    ]


def test_content_removal_runs_each_step_with_the_reason_and_skips_an_empty_list(store, monkeypatch):
    calls = []
    monkeypatch.setattr(
        derived,
        "content_steps",
        lambda: [lambda *a: calls.append(("first", *a)), lambda *a: calls.append(("second", *a))],
    )
    derived.remove_content(store, "acme", [], "retention")
    assert calls == []
    derived.remove_content(store, "acme", ["i1", "i2"], "consent")
    assert calls == [
        ("first", store, "acme", ["i1", "i2"], "consent"),
        ("second", store, "acme", ["i1", "i2"], "consent"),
    ]


def test_nothing_registers_itself_on_import():
    """No hook lists filled by import side effects: privacy reaches later stages only through
    derived's functions, and no module calls a registration at import time."""
    root = Path(flyloop.__file__).parent
    gone = {"on_erase", "on_content_removed", "stage", "run_hooks", "erase_hooks"}
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:  # module level only: a call there runs on import
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call):
                name = getattr(call.func, "attr", getattr(call.func, "id", None))
                assert name not in gone, (path, name)
            for deco in getattr(node, "decorator_list", []):
                assert getattr(deco, "id", getattr(deco, "attr", None)) not in gone, (path, deco)
    assert "threading" not in (root / "privacy" / "gate.py").read_text()  # no thread-local hand-off


def test_the_relabel_after_an_erasure_runs_under_the_callers_settings(store, capture, monkeypatch):
    """Windows given as arguments (not the environment) decide the relabel too: the handle, the
    server and the demo pass their settings through erase_user."""
    from flyloop import Settings, erase_user

    seen = []
    monkeypatch.setattr(labels, "catch_up", lambda store, project, *, settings=None: seen.append(settings))
    rated = [
        {"id": f"s-{rater}", "interaction_id": "i1", "kind": "thumbs_up", "actor": rater} for rater in ("zoe", "zia")
    ]
    capture.ingest(
        "acme", {"interactions": [{"id": "i1", "workload": "w", "input": "q", "user_id": "yann"}], "signals": rated}
    )
    mine = Settings(requery_window_s=42.0)
    erase_user(store, "acme", "zoe", settings=mine)  # each rated yann's answer: it is labelled again
    erase_user(store, "acme", "zia")
    assert seen == [mine, None]
