"""The client's runtime modules are typed: mypy --strict (3.10 and 3.13), pyright, and
each stub matches its module.

The hand-written stubs are <module>_stub.pyi (a .pyi beside the .py would hide the .py from
mypy); these tests lay them out as a package, as the styles' generated packages have them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO

from ari_codegen.styles import CLIENT_RUNTIME, CLIENT_STUBS, STYLES

RUNTIME = REPO / "ari_codegen" / "runtime"


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    """tmp/src/pkg/<module>.py (the dataclasses style's client runtime) and
    tmp/stubs/pkg/<module>.pyi (the stubs style's); returns (src, stubs)."""
    src, stubs = tmp_path / "src", tmp_path / "stubs"
    for root, style in ((src, STYLES["dataclasses"]), (stubs, STYLES["stubs"])):
        package = root / "pkg"
        package.mkdir(parents=True)
        (package / f"__init__{style.suffix}").write_text("")
        for name, source in style.client_runtime:
            shutil.copy(RUNTIME / source, package / name)
    return src, stubs


def test_styles_ship_every_runtime_module() -> None:
    assert {n for n, _ in STYLES["dataclasses"].client_runtime} == {
        f"{m}.py" for m in CLIENT_RUNTIME
    }
    assert {n for n, _ in STYLES["stubs"].client_runtime} == {f"{m}.pyi" for m in CLIENT_STUBS}


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    environment.update(env)
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def test_stub_matches_runtime(tmp_path: Path) -> None:
    src, stubs = _layout(tmp_path)
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    modules = [f"pkg.{m}" for m in CLIENT_STUBS]
    result = _run(
        [sys.executable, "-m", "mypy.stubtest", *modules, "--mypy-config-file", "mypy.ini"],
        tmp_path,
        PYTHONPATH=str(src),
        MYPYPATH=str(stubs),
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_mypy_strict(tmp_path: Path, version: str) -> None:
    src, stubs = _layout(tmp_path)
    for target in (src / "pkg", stubs / "pkg"):
        result = _run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--python-version",
                version,
                str(target),
            ],
            tmp_path,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_pyright(tmp_path: Path) -> None:
    if importlib.util.find_spec("pyright") is None:
        pytest.skip("pyright is not installed (it is in the test extra: pip install -e '.[test]')")
    src, _ = _layout(tmp_path)
    for version in ("3.10", "3.13"):
        result = _run(
            [
                sys.executable,
                "-m",
                "pyright",
                "--pythonversion",
                version,
                str(src / "pkg"),
            ],
            tmp_path,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 errors" in result.stdout
