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


def test_settings_base_iri_must_end_with_slash(tmp_path: Path) -> None:
    with pytest.raises(VisitgraphError, match="must end with"):
        load_settings(tmp_path, {"base_iri": "http://example.org/id"}, environ={})


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
