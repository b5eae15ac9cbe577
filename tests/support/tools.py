"""mypy --strict and mypy.stubtest on generated code, in a clean environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

MYPY_VERSIONS = ("3.10", "3.13")


def _tool_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # never leave __pycache__ in generated/
    env.pop("MYPYPATH", None)
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def run_mypy(
    cwd: Path,
    targets: Iterable[str | Path],
    python_version: str,
    *,
    mypy_path: Iterable[Path] = (),
    scratch: Path,
) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` on ``targets`` (relative to ``cwd``), with no project config.

    ``scratch`` receives mypy's cache and an empty config, so nothing is written
    beside the checked code.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    config = scratch / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(config),
        "--cache-dir",
        str(scratch / f"cache-{python_version}"),
        "--strict",
        "--python-version",
        python_version,
        "--no-error-summary",
        "--show-error-codes",
        *(str(t) for t in targets),
    ]
    extra = {"MYPYPATH": os.pathsep.join(str(p) for p in mypy_path)} if mypy_path else {}
    return subprocess.run(
        command, cwd=cwd, env=_tool_env(**extra), capture_output=True, text=True, check=False
    )


def assert_mypy_clean(
    cwd: Path,
    targets: Iterable[str | Path],
    *,
    scratch: Path,
    mypy_path: Iterable[Path] = (),
    versions: Iterable[str] = MYPY_VERSIONS,
) -> None:
    targets = list(targets)
    assert targets, "nothing to type-check"
    for version in versions:
        result = run_mypy(cwd, targets, version, mypy_path=mypy_path, scratch=scratch)
        assert result.returncode == 0, (
            f"mypy --strict --python-version {version} failed in {cwd}:\n"
            f"{result.stdout}{result.stderr}"
        )


# A named closed set of values: ``ChannelState: TypeAlias = Literal[...]``.
_LITERAL_ALIAS = re.compile(r"^(\w+): TypeAlias = Literal\[", re.MULTILINE)


def literal_aliases(stubs: Path) -> list[str]:
    """The names of the Literal aliases a stubs package's models.pyi declares."""
    return _LITERAL_ALIAS.findall((stubs / "models.pyi").read_text(encoding="utf-8"))


def run_stubtest(
    runtime_root: Path, stubs_root: Path, modules: Iterable[str], *, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """``python -m mypy.stubtest`` of the stubs in ``stubs_root`` against ``runtime_root``.

    stubtest cannot compare a ``Literal`` type alias with its runtime value (a Union to
    mypy, a ``typing.Literal`` at runtime: "is not a Union"), so every Literal alias of the
    stubs (models' value sets, the client's parameter values) is allowlisted, wherever the
    package re-exports it; tests/test_public_literals.py checks their values instead.
    """
    allowed = sorted(
        {
            rf"{re.escape(stub.relative_to(stubs_root).parts[0])}(\.\w+)?\.{name}"
            for stub in stubs_root.rglob("*.pyi")
            for name in _LITERAL_ALIAS.findall(stub.read_text(encoding="utf-8"))
        }
    )
    allowlist = cwd / "stubtest-allowlist.txt"
    allowlist.write_text("".join(f"{entry}\n" for entry in allowed), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy.stubtest",
            "--allowlist",
            str(allowlist),
            "--ignore-unused-allowlist",
            *modules,
        ],
        cwd=cwd,
        env=_tool_env(PYTHONPATH=str(runtime_root), MYPYPATH=str(stubs_root)),
        capture_output=True,
        text=True,
        check=False,
    )
