"""Small surprises a new user met: a lone events.json, `diff` errors, `generate` with no
argument outside a checkout, configuration in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from support.cli import cli
from support.paths import ari_spec
from support.specs import declaration, model, write_files


def test_a_lone_declaration_says_once_that_its_spec_is_needed(tmp_path: Path) -> None:
    events = ari_spec("22.0.0") / "api-docs" / "events.json"
    result = cli("generate", events, "--out", tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {events}: refers to 7 model(s) declared in the other ")
    assert "'Channel'" in lines[0] and "unknown type" not in lines[0]
    assert f"give the spec's folder, {ari_spec('22.0.0')} (or its resources.json)" in lines[0]
    assert not any(tmp_path.iterdir())


def test_a_lone_file_without_a_listing_beside_it_keeps_each_error(tmp_path: Path) -> None:
    prop = {"c": {"type": "Channel"}, "b": {"type": "Bridge"}}
    write_files(tmp_path, {"events.json": declaration({"E": model("E", prop)})})
    result = cli("generate", tmp_path / "events.json", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("unknown type") == 2


def test_diff_errors_do_not_speak_of_writing(tmp_path: Path) -> None:
    bad = {"A": model("A", {"x": {"type": "Nope"}}), "B": model("B", {"y": {"type": "Nah"}})}
    write_files(tmp_path, {"bad.json": declaration(bad)})
    for args in (("diff", tmp_path / "bad.json", tmp_path / "bad.json"), ("graph", tmp_path)):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == "2 problems", result.stderr
    result = cli("generate", tmp_path / "bad.json", "--out", tmp_path / "out")
    assert result.stderr.splitlines()[-1] == "2 problems; nothing was written"
