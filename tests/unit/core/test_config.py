"""Settings: defaults < visitgraph.toml < VISITGRAPH_* env < flags; every setting documented."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from visitgraph.core.config import SETTINGS, Settings, load_settings
from visitgraph.core.errors import VisitgraphError

ROOT = Path(__file__).resolve().parents[3]


def test_settings_table_matches_dataclass() -> None:
    assert {s.name for s in SETTINGS} == {f.name for f in dataclasses.fields(Settings)}


def test_settings_sources_apply_in_order(tmp_path: Path) -> None:
    (tmp_path / "visitgraph.toml").write_text("port = 9001\nthreads = 3\nquery-timeout = 5\n")
    s = load_settings(tmp_path, {"threads": 7}, environ={"VISITGRAPH_PORT": "9002"})
    assert (s.port, s.threads, s.query_timeout) == (9002, 7, 5.0)


def test_settings_unknown_toml_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "visitgraph.toml").write_text("prot = 1\n")
    with pytest.raises(VisitgraphError, match="unknown setting 'prot'"):
        load_settings(tmp_path, environ={})


def test_settings_wrong_type_is_named(tmp_path: Path) -> None:
    with pytest.raises(VisitgraphError, match="'port' must be a whole number"):
        load_settings(tmp_path, environ={"VISITGRAPH_PORT": "eighty"})


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("http://example.org/id", "it does not end with '/' or '#'"),
        ("http://x y/", r"it is not a valid IRI \(Invalid IRI code point ' '\); percent-encode"),
        ("http://example.org/<id>/", "it is not a valid IRI"),
        ("relative/", "it does not start with http:// or https:// and a host name"),
        ("urn:visitgraph:id/", "it does not start with http:// or https://"),
        ("http:///id/", "it does not start with http:// or https:// and a host name"),
    ],
)
def test_settings_base_iri_must_be_an_http_iri_ending_with_slash(tmp_path: Path, base: str, reason: str) -> None:
    """A bad base is refused when settings load, saying what a good one is (before: a ValueError traceback)."""
    with pytest.raises(
        VisitgraphError,
        match=r"'base_iri' must be an absolute http\(s\) IRI that ends with '/' or '#', such as 'https://w3id.org/visitgraph/id/'; got .*: "
        + reason,
    ):
        load_settings(tmp_path, {"base_iri": base}, environ={})


@pytest.mark.parametrize(
    "base",
    ["https://w3id.org/visitgraph/id/", "http://example.org/data#", "HTTP://[::1]:8080/id/", "https://example.org/ïd/"],
)
def test_settings_base_iri_accepts_http_iris(tmp_path: Path, base: str) -> None:
    assert load_settings(tmp_path, {"base_iri": base}, environ={}).base_iri == base


def test_settings_base_iri_refused_from_cli_without_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from visitgraph.cli.main import cli, register_commands

    register_commands()
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "--base-iri", "http://x y/", "validate"])
    assert result.exit_code == 1 and result.exception is not None and not isinstance(result.exception, ValueError)
    assert "Error: Setting 'base_iri' must be an absolute http(s) IRI" in result.output


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS if type(s.default) is int])
def test_settings_count_refuses_a_negative_value(tmp_path: Path, setting: str) -> None:
    """VISITGRAPH_MAX_ROWS=-1 was taken ("first -1 rows"): a count below 0 is refused like a word would be."""
    with pytest.raises(VisitgraphError, match=f"'?{setting}'? must be (a whole number of 0|1) or more"):
        load_settings(tmp_path, environ={f"VISITGRAPH_{setting.upper()}": "-1"})


def test_settings_count_refuses_a_negative_value_from_toml(tmp_path: Path) -> None:
    (tmp_path / "visitgraph.toml").write_text("max-rows = -5\n")
    with pytest.raises(VisitgraphError, match="'max_rows' must be a whole number of 0 or more, got -5"):
        load_settings(tmp_path, environ={})
    assert load_settings(tmp_path, {"max_rows": 0}, environ={}).max_rows == 0


def test_settings_store_relative_to_root(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}).store == tmp_path / "var" / "store"


def test_settings_secrets_masked() -> None:
    s = Settings(write_token="secret")
    assert s.to_dict()["write_token"] == "***"


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_documented_in_readme(setting: str) -> None:
    assert f"`{setting}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_switch_takes_only_words_that_say_on_or_off(tmp_path: Path) -> None:
    """A typo must not turn a setting off unnoticed ("ture" read as false before): it is refused, named."""
    for word, value in (("true", True), ("ON", True), ("1", True), ("no", False), ("off", False), ("0", False)):
        assert load_settings(tmp_path, environ={"VISITGRAPH_VALIDATE_BESIDE": word}).validate_beside is value
    with pytest.raises(VisitgraphError, match="'validate_beside' must be true or false .* got 'ture'"):
        load_settings(tmp_path, environ={"VISITGRAPH_VALIDATE_BESIDE": "ture"})
