"""pyright (standard mode) and ``pyright --verifytypes`` on generated packages.

Many users see generated code through pyright (VS Code's Pylance), not mypy.  For every
style, the packages of the oldest and newest release specs in ``../shared/ari-specs``
and of a live master server's spec are checked by ONE pyright run (a generated
``pyrightconfig.json``), and each package's public surface must be 100% type-complete.

pyright comes from PyPI (pinned in the ``test`` extra); its wheel carries pyright itself
and runs it with the system's Node.js, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.packages import generate_package
from support.paths import require_shared

from ari_codegen.styles import STYLE_NAMES

# package name → spec folder under ../shared: oldest and newest release, a live master
SPECS = {
    "ari_seed_era": ("ari-specs", "seed-era"),
    "ari_22_0_0": ("ari-specs", "22.0.0"),
    "ari_master": ("ari-cassettes", "master", "spec"),
}
PYRIGHT = (sys.executable, "-m", "pyright")
PYTHON_VERSION = "3.10"  # the oldest Python the generated code supports


def _pyright_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYRIGHT_PYTHON_IGNORE_WARNINGS"] = "1"  # no look-up of a newer version online
    env.update(extra)
    return env


def _pyright(args: list[str], cwd: Path, **env: str) -> dict[str, Any]:
    """Run pyright with ``--outputjson``; its report as JSON."""
    result = subprocess.run(
        [*PYRIGHT, "--outputjson", *args],
        cwd=cwd,
        env=_pyright_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright gave no report (exit {result.returncode}):\n{result.stderr}")
    return report


@pytest.fixture(scope="module")
def pyright_ready() -> None:
    pytest.importorskip("pyright", reason="pyright is in the test extra: pip install -e '.[test]'")
    if shutil.which("node") is None:
        message = "pyright needs Node.js (node) on PATH"
        if os.environ.get("ARI_CODEGEN_REQUIRE_SHARED") == "1":  # CI: a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def style_roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``root/<style>/<package>`` for every style and spec of :data:`SPECS`."""
    folders = {name: require_shared(*parts) for name, parts in SPECS.items()}
    root = tmp_path_factory.mktemp("pyright")
    roots = {}
    for style in STYLE_NAMES:
        roots[style] = root / style
        for name, folder in folders.items():
            generate_package(folder, style, root / style, name, duplicate_keys="last")
    return roots


def _describe(diagnostics: list[dict[str, Any]], root: Path) -> str:
    lines = []
    for d in diagnostics[:40]:
        where = Path(d.get("file", "?"))
        line = d.get("range", {}).get("start", {}).get("line", -1) + 1
        rel = where.relative_to(root) if where.is_relative_to(root) else where
        lines.append(f"{rel}:{line}: {d['severity']}: {d['message']} ({d.get('rule', '')})")
    return "\n".join(lines)


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_pyright_standard_mode_clean(
    pyright_ready: None, style_roots: dict[str, Path], style: str
) -> None:
    root = style_roots[style]
    config = {
        "include": sorted(SPECS),
        "typeCheckingMode": "standard",
        "pythonVersion": PYTHON_VERSION,
        "extraPaths": ["."],
    }
    (root / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    report = _pyright(["--project", str(root / "pyrightconfig.json")], cwd=root)
    summary = report["summary"]
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert summary["filesAnalyzed"] >= 2 * len(SPECS)  # __init__ and models at least
    assert summary["errorCount"] == 0, (
        f"pyright (standard) on the {style} packages: {summary['errorCount']} errors\n"
        + _describe(errors, root)
    )


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_pyright_verifytypes_complete(
    pyright_ready: None, style_roots: dict[str, Path], style: str
) -> None:
    """``pyright --verifytypes`` of each package: 100% of the public surface typed."""
    root = style_roots[style]
    # one process a package, side by side (verifytypes takes a single package)
    processes = {
        name: subprocess.Popen(
            [*PYRIGHT, "--outputjson", "--ignoreexternal", "--verifytypes", name],
            cwd=root,
            env=_pyright_env(PYTHONPATH=str(root)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in SPECS
    }
    failures = []
    for name, process in processes.items():
        out, err = process.communicate()
        try:
            completeness = json.loads(out)["typeCompleteness"]
        except (json.JSONDecodeError, KeyError):
            failures.append(f"{name}: no report (exit {process.returncode}): {err}")
            continue
        if not completeness.get("pyTypedPath"):
            failures.append(f"{name}: pyright found no py.typed")
        exported = completeness["exportedSymbolCounts"]
        if completeness["completenessScore"] != 1 or not exported["withKnownType"]:
            unknown = [
                s["name"]
                for s in completeness["symbols"]
                if not s["isTypeKnown"] and s["isExported"]
            ]
            failures.append(
                f"{name}: type completeness {completeness['completenessScore']:.1%} "
                f"{exported}; unknown: {unknown[:20]}"
            )
    assert not failures, f"pyright --verifytypes, {style}:\n" + "\n".join(failures)
