"""The configuration file: sections, one-line errors, environment overrides, relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from adapters.settings import ConfigError, load_settings


def error_line(path: Path | str | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    line = str(caught.value)
    assert "\n" not in line
    return line


def test_a_complete_file_is_read_with_every_section(write_config, tmp_path):
    path = write_config(
        """
        [database]
        url = "sqlite:///data/hub.db"
        [blobs]
        path = "files"
        [plugins]
        enabled = ["vendor_example"]
        [plugins.vendor_example]
        endpoint = "https://x.example"
        [ports]
        case_export = ["vendor_example"]
        letters = []
        notifier = "none"
        [policy]
        create_case_for_unknown_party = true
        [server]
        host = "0.0.0.0"
        port = 8123
        """.replace("        ", "")
    )
    settings = load_settings(path)
    assert settings.municipality.cvr == "29188386"
    assert settings.database.url == f"sqlite:///{tmp_path.resolve()}/data/hub.db"
    assert settings.blobs.path == tmp_path.resolve() / "files"
    assert settings.plugins.enabled == ["vendor_example"]
    assert settings.plugins.block("vendor_example") == {"endpoint": "https://x.example"}
    assert settings.plugins.block("other") is None
    assert settings.ports.case_export == ["vendor_example"]
    assert settings.policy.create_case_for_unknown_party is True
    assert (settings.server.host, settings.server.port) == ("0.0.0.0", 8123)
    assert settings.config_file == path


def test_defaults_put_the_database_and_blobs_next_to_the_file(write_config, tmp_path):
    settings = load_settings(write_config())
    assert settings.database.url == f"sqlite:///{tmp_path.resolve()}/sagshub.db"
    assert settings.blobs.path == tmp_path.resolve() / "blobs"
    assert settings.ports.notifier == "none"
    assert settings.plugins.enabled == []


def test_the_file_is_found_through_sagshub_config(write_config, monkeypatch):
    path = write_config(name="elsewhere.toml")
    monkeypatch.setenv("SAGSHUB_CONFIG", str(path))
    assert load_settings().config_file == path


def test_the_default_file_is_sagshub_toml_in_the_working_folder(write_config, monkeypatch):
    path = write_config()
    monkeypatch.chdir(path.parent)
    assert load_settings().municipality.name == "Testrup Kommune"


def test_a_wrong_cvr_is_one_line_naming_file_key_and_expectation(write_config, monkeypatch):
    path = write_config(base='[municipality]\nname = "X"\ncvr = "29188387"\n')
    monkeypatch.chdir(path.parent)
    assert error_line() == "sagshub.toml: municipality.cvr: the CVR number's check digit is wrong"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[municipalty]\nname = 'x'\n", "municipalty: unknown setting"),
        ("[server]\nport = 'eighty'\n", "server.port: Input should be a valid integer"),
        ("[ports]\nletters = 'eboks'\n", "ports.letters: Input should be a valid list"),
        ("[ports]\nfax = []\n", "ports.fax: unknown setting"),
        ("[policy]\ncreate_cases = true\n", "policy.create_cases: unknown setting"),
        ("[plugins]\nenabled = ['a', 'a']\n", "plugins.enabled: a listed more than once"),
    ],
)
def test_mistakes_name_the_dotted_key(write_config, extra, expected):
    path = write_config(extra)
    assert error_line(path).startswith(f"{path}: {expected}")


def test_a_missing_section_is_required(write_config):
    path = write_config(base="")
    assert error_line(path) == f"{path}: municipality: required, but not given"


def test_several_mistakes_still_give_one_line(write_config):
    path = write_config("[server]\nport = 'x'\nhost = 1\n")
    assert error_line(path).endswith("(and 1 more)")


def test_the_notifier_is_bound_to_exactly_one_adapter(write_config):
    path = write_config("[ports]\nnotifier = ['none', 'email']\n")
    assert error_line(path) == f"{path}: ports.notifier: Input should be a valid string"


def test_broken_toml_is_one_line(write_config):
    path = write_config("[ports\n")
    line = error_line(path)
    assert line.startswith(f"{path}: not valid TOML: ")
    assert "line 5" in line


def test_a_missing_file_says_how_to_name_one(tmp_path):
    path = tmp_path / "nowhere.toml"
    assert error_line(path) == (
        f"{path}: no such configuration file (give --config or set SAGSHUB_CONFIG)"
    )


def test_an_inline_database_password_is_refused(write_config):
    path = write_config("[database]\nurl = 'postgresql+psycopg://hub:secret@db/hub'\n")
    line = error_line(path)
    assert line.startswith(f"{path}: database.url: the URL holds a password")
    assert "secret" not in line


def test_the_database_password_comes_from_the_named_variable(write_config, monkeypatch):
    monkeypatch.setenv("HUB_DB_PASSWORD", "pa ss")
    path = write_config(
        "[database]\nurl = 'postgresql+psycopg://hub@db/hub'\npassword_env = 'HUB_DB_PASSWORD'\n"
    )
    database = load_settings(path).database
    url = make_url(database.effective_url)
    assert (url.username, url.password, url.host) == ("hub", "pa ss", "db")
    assert "pa ss" not in repr(database)


def test_environment_overrides_the_file(write_config, monkeypatch, tmp_path):
    monkeypatch.setenv("SAGSHUB_DATABASE__URL", "sqlite:////srv/hub.db")
    monkeypatch.setenv("SAGSHUB_SERVER__PORT", "9001")
    monkeypatch.setenv("SAGSHUB_PORTS__LETTERS", '["eboks", "print"]')
    monkeypatch.setenv("SAGSHUB_PLUGINS__VENDOR_EXAMPLE__ENDPOINT", "https://env.example")
    settings = load_settings(
        write_config("[plugins.vendor_example]\nendpoint = 'https://file.example'\nx = 1\n")
    )
    assert settings.database.url == "sqlite:////srv/hub.db"
    assert settings.server.port == 9001
    assert settings.ports.letters == ["eboks", "print"]
    assert settings.plugins.block("vendor_example") == {"endpoint": "https://env.example", "x": 1}


def test_a_bad_value_from_the_environment_says_where_it_came_from(write_config, monkeypatch):
    monkeypatch.setenv("SAGSHUB_MUNICIPALITY__CVR", "12345678")
    line = error_line(write_config())
    assert line.endswith(
        "municipality.cvr: the CVR number's check digit is wrong "
        "(from the environment variable SAGSHUB_MUNICIPALITY__CVR)"
    )


def test_standards_dir_from_the_environment(write_config, monkeypatch, tmp_path):
    standards = tmp_path / "standards"
    standards.mkdir()
    monkeypatch.setenv("SAGSHUB_STANDARDS_DIR", str(standards))
    assert load_settings(write_config()).standards_dir == standards


def test_a_standards_dir_that_does_not_exist_is_an_error(write_config, monkeypatch, tmp_path):
    monkeypatch.setenv("SAGSHUB_STANDARDS_DIR", str(tmp_path / "missing"))
    path = write_config()
    assert error_line(path) == f"{path}: standards_dir: no such folder {tmp_path / 'missing'}"
