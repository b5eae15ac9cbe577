"""The committed generated/ tree: exactly what specs/ and templates/ give, and sound code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO
from support.tools import MYPY_VERSIONS, run_mypy, run_stubtest

from ari_codegen.styles import STYLE_NAMES as STYLES

GENERATED = REPO / "generated"


def files_of(root: Path) -> dict[str, bytes]:
    """Every file of the committed packages (bytecode caches left out)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".mypy_cache" not in p.parts
    }


def test_generated_tree_is_exactly_what_generate_writes(tmp_path: Path) -> None:
    """Golden: `ari-codegen generate` (no SPEC, no --style) from specs/ into a temporary
    folder gives the committed generated/ tree, byte for byte."""
    result = subprocess.run(
        [sys.executable, "-m", "ari_codegen", "generate", "--out", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = files_of(tmp_path)
    committed = files_of(GENERATED)
    assert sorted(fresh) == sorted(committed), "generated/ holds other files than generate gives"
    stale = sorted(name for name in fresh if fresh[name] != committed[name])
    assert not stale, f"generated/ is stale (run `ari-codegen generate`): {stale}"


def test_committed_dataclasses_import_and_round_trip(tmp_path: Path) -> None:
    """In a fresh interpreter (the package is called ari_models in every style)."""
    program = (
        "import ari_models, dataclasses\n"
        "assert ari_models.MODELS and set(ari_models.__all__) >= set(\n"
        "    c.__name__ for c in ari_models.MODELS.values())\n"
        "msg = ari_models.Message.from_dict({'type': 'StasisStart', 'application': 'a',\n"
        "    'args': [], 'channel': {'id': '1', 'name': 'n', 'state': 'Up',\n"
        "    'caller': {'name': '', 'number': ''}, 'connected': {'name': '', 'number': ''},\n"
        "    'accountcode': '', 'dialplan': {'context': 'c', 'exten': 'e', 'priority': 1},\n"
        "    'creationtime': '2013-08-23T10:00:00.000+0000'}})\n"
        "assert type(msg) is ari_models.StasisStart, type(msg)\n"
        "assert isinstance(msg, ari_models.Event) and dataclasses.is_dataclass(msg)\n"
        "print(len(ari_models.MODELS))\n"
    )
    result = subprocess.run(
        [sys.executable, "-B", "-c", program],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(GENERATED / "dataclasses")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 40  # the seed's 40 models


@pytest.mark.parametrize("version", MYPY_VERSIONS)
@pytest.mark.parametrize("style", STYLES)
def test_committed_packages_pass_mypy_strict(tmp_path: Path, style: str, version: str) -> None:
    result = run_mypy(GENERATED / style, ["ari_models"], version, scratch=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_stubs_match_committed_dataclasses(tmp_path: Path) -> None:
    result = run_stubtest(
        GENERATED / "dataclasses", GENERATED / "stubs", ["ari_models"], cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
