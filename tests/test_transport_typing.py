"""runtime/_transport.py is typed: mypy --strict (3.10 and 3.13), pyright, and its .pyi matches it.

The hand-written stub is _transport_stub.pyi (a .pyi beside the .py would hide the .py from
mypy); these tests lay both out as a package, as a generated one has them.
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

RUNTIME = REPO / "ari_codegen" / "runtime"


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    """tmp/src/pkg/_transport.py and tmp/stubs/pkg/_transport.pyi; returns (src, stubs)."""
    src, stubs = tmp_path / "src", tmp_path / "stubs"
    for root, suffix in ((src, ".py"), (stubs, ".pyi")):
        package = root / "pkg"
        package.mkdir(parents=True)
        (package / f"__init__{suffix}").write_text("")
        source = "_transport.py" if suffix == ".py" else "_transport_stub.pyi"
        shutil.copy(RUNTIME / source, package / f"_transport{suffix}")
    return src, stubs


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    environment.update(env)
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def test_stub_matches_runtime(tmp_path: Path) -> None:
    src, stubs = _layout(tmp_path)
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    result = _run(
        [sys.executable, "-m", "mypy.stubtest", "pkg._transport", "--mypy-config-file", "mypy.ini"],
        tmp_path,
        PYTHONPATH=str(src),
        MYPYPATH=str(stubs),
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_mypy_strict(tmp_path: Path, version: str) -> None:
    src, stubs = _layout(tmp_path)
    for target in (src / "pkg" / "_transport.py", stubs / "pkg" / "_transport.pyi"):
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
                str(src / "pkg" / "_transport.py"),
            ],
            tmp_path,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 errors" in result.stdout
