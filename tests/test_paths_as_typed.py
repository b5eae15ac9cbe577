"""Paths in messages are the paths the user typed: relative stays relative, a symlinked
folder keeps its link's name (the real path is resolved only for the safety checks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.cli import cli
from support.paths import ari_spec
from support.specs import declaration, listing, model, write_files

from ari_codegen.errors import SpecError
from ari_codegen.load import load_spec


def _symlinked_spec(tmp_path: Path) -> Path:
    """``tmp_path/real/spec`` (a bad declaration inside) and ``tmp_path/link`` → ``real``."""
    write_files(
        tmp_path / "real" / "spec",
        {
            "resources.json": listing("/api-docs/things.{format}"),
            "api-docs/things.json": declaration({"Thing": model("Thing", {"a": {"type": 1}})}),
        },
    )
    try:
        os.symlink(tmp_path / "real", tmp_path / "link", target_is_directory=True)
    except OSError:
        pytest.skip("symlinks are not available here")
    return tmp_path / "link"


def test_error_names_the_symlinked_folder_as_typed(tmp_path: Path) -> None:
    _symlinked_spec(tmp_path)
    result = cli("generate", "link/spec", "--out", "out", cwd=tmp_path)
    assert result.exit_code == 2
    assert "error: link/spec/api-docs/things.json › models › Thing" in result.stderr
    assert "real" not in result.stderr
    assert str(tmp_path) not in result.stderr  # relative stays relative


def test_loaded_files_keep_the_typed_path(tmp_path: Path) -> None:
    link = _symlinked_spec(tmp_path)
    (link / "spec" / "api-docs" / "things.json").write_text(
        '{"swaggerVersion": "1.2", "apis": [], "models": {"Thing": {"id": "Thing"}}}'
    )
    spec = load_spec(link / "spec")
    assert [d.file for d in spec.documents] == [str(link / "spec" / "api-docs" / "things.json")]


def test_symlink_out_of_the_folder_is_still_refused(tmp_path: Path) -> None:
    write_files(tmp_path, {"outside.json": declaration({"Secret": model("Secret")})})
    write_files(tmp_path, {"spec/resources.json": listing("/api-docs/link.{format}")})
    (tmp_path / "spec" / "api-docs").mkdir()
    try:
        os.symlink(tmp_path / "outside.json", tmp_path / "spec" / "api-docs" / "link.json")
    except OSError:
        pytest.skip("symlinks are not available here")
    with pytest.raises(SpecError, match="leaves the spec's folder"):
        load_spec(tmp_path / "spec")


def test_a_symlinked_corpus_folder_keeps_its_name(tmp_path: Path) -> None:
    """``../shared`` as a symlink: Asterisk 12.0.0's duplicate keys name the link's path."""
    real = ari_spec("12.0.0").parent.parent
    try:
        os.symlink(real, tmp_path / "shared", target_is_directory=True)
    except OSError:
        pytest.skip("symlinks are not available here")
    result = cli("generate", "shared/ari-specs/12.0.0", "--out", "out", cwd=tmp_path)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors and all(
        line.startswith("error: shared/ari-specs/12.0.0/api-docs/recordings.json › ")
        for line in errors
    ), result.stderr
    assert not (tmp_path / "out").exists()
