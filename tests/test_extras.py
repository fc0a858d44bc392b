"""Optional dependencies (flyloop.extras): imported when a feature needs them, named when missing."""

from __future__ import annotations

import json
import sys

import pytest

from flyloop import errors
from flyloop.extras import require


def test_an_installed_module_is_returned_as_imported():
    assert require("json", "exports", "JSON") is json


def test_a_missing_module_is_one_config_error_naming_the_feature_and_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as on a core install: importing it fails
    with pytest.raises(errors.ConfigError) as caught:
        require("pyarrow", "exports", "Parquet export")
    assert caught.value.message == (
        "Parquet export needs the exports extra (pyarrow is not installed): pip install 'flyloop[exports]'"
    )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no traceback from deep inside


def test_a_missing_dependency_of_the_module_is_the_one_named():
    with pytest.raises(errors.ConfigError) as caught:
        require("flyloop_no_such_package.sub", "pii", "NER redaction")
    assert caught.value.message == (
        "NER redaction needs the pii extra (flyloop_no_such_package is not installed): pip install 'flyloop[pii]'"
    )
