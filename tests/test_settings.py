from __future__ import annotations

import pytest

from flyloop import ConfigError, Settings
from flyloop.settings import SETTINGS


def test_precedence_argument_env_file_default(tmp_path, monkeypatch, settings):
    home = tmp_path / "h"
    home.mkdir()
    (home / "config.toml").write_text('port = 7000\nproject = "from-file"\nhost = "0.0.0.0"\n')
    monkeypatch.setenv("FLYLOOP_HOME", str(home))
    monkeypatch.setenv("FLYLOOP_PORT", "8100")
    s = Settings(project="from-arg")
    assert (s.project, s.sources["project"]) == ("from-arg", "argument")
    assert (s.port, s.sources["port"]) == (8100, "FLYLOOP_PORT")
    assert (s.host, s.sources["host"]) == ("0.0.0.0", "config.toml")
    assert (s.max_batch_items, s.sources["max_batch_items"]) == (10_000, "default")
    assert s.database_url == f"sqlite:///{home / 'flyloop.db'}"


def test_bad_values_name_the_setting(monkeypatch, settings):
    monkeypatch.setenv("FLYLOOP_PORT", "eighty")
    with pytest.raises(ConfigError) as exc:
        Settings()
    assert exc.value.field == "port" and "FLYLOOP_PORT" in str(exc.value)


def test_unknown_settings_are_refused(tmp_path, monkeypatch, settings):
    with pytest.raises(ConfigError, match="unknown settings colour"):
        Settings(colour="blue")
    (tmp_path / "config.toml").write_text("colour = 'blue'\n")
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="unknown settings colour"):
        Settings()
    (tmp_path / "config.toml").write_text("port = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings()


def test_every_setting_has_help_and_a_unique_env_var():
    assert all(s.help.strip() for s in SETTINGS)
    envs = [s.env for s in SETTINGS]
    assert len(envs) == len(set(envs)) and all(e.startswith("FLYLOOP_") for e in envs)


def test_api_key_is_masked_in_rows(settings):
    rows = {r[0]: r for r in Settings(api_key="fl_secret").rows()}
    assert rows["api_key"][1] == "****"


def test_home_expands_a_tilde_and_places_the_store_in_it(monkeypatch, settings):
    from pathlib import Path

    monkeypatch.setenv("FLYLOOP_HOME", "~/somewhere")
    s = Settings()
    assert s.home == str(Path.home() / "somewhere")
    assert s.database_url == f"sqlite:///{Path.home() / 'somewhere' / 'flyloop.db'}"
    monkeypatch.delenv("FLYLOOP_HOME")
    assert Settings().home == str(Path.home() / ".flyloop")


def test_each_setting_is_a_class_attribute_and_its_value_an_instance_attribute_of_its_type(settings):
    from flyloop.settings import Setting

    assert isinstance(Settings.port, Setting) and (Settings.port.name, Settings.port.env) == ("port", "FLYLOOP_PORT")
    assert [s.name for s in SETTINGS][:3] == ["home", "database_url", "project"]  # declaration order: flyloop config's
    s = Settings(port="9001", sdk_durable="yes")
    assert (s.port, s.sdk_durable, s.server_url) == (9001, True, None)
    for setting in SETTINGS:
        value = getattr(s, setting.name)
        assert value == s.values[setting.name]
        assert value is None or isinstance(value, setting.type), setting.name
