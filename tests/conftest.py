"""Shared test helpers."""

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
# Read-only corpora that sit beside the project checkout (see ../shared/README.md).
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def require_shared(*parts: str) -> Path:
    """Return ``../shared/<parts>``; skip the test if it is absent (fail in CI)."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    message = (
        f"../shared/{'/'.join(parts)} not found: this test needs the read-only corpora "
        "beside the project (present in CI)"
    )
    if os.environ.get("ARI_CODEGEN_REQUIRE_SHARED") == "1":
        pytest.fail(message)
    pytest.skip(message)


ARI_SPECS = ("seed-era", "12.0.0", "13.0.0", "16.0.0", "20.0.0", "22.0.0")


def ari_spec(version: str) -> Path:
    """``../shared/ari-specs/<version>`` (skips, or fails in CI, when absent)."""
    return require_shared("ari-specs", version)


def generate_package(
    spec: str | Path | tuple[str | Path, ...] | None,
    style: str,
    out: Path,
    package: str,
    *,
    duplicate_keys: str = "error",
) -> Path:
    """Generate one package in-process (load → graph → render → write); return its folder.

    ``spec``: one spec, several (a tuple, oldest first: merged), or None (the bundled one).
    """
    from ari_codegen.load import LoadOptions
    from ari_codegen.pipeline import Job, Target, run
    from ari_codegen.write import apply, plan

    specs = spec if isinstance(spec, tuple) else (spec,) if spec is not None else ()
    target = Target(style, out / package)
    job = Job(
        specs=tuple(str(s) for s in specs),
        targets=(target,),
        load=LoadOptions(duplicate_keys=duplicate_keys),
    )
    _, outputs = run(job)
    apply(plan(outputs))
    return target.directory


def import_package(folder: Path) -> Any:
    """Import a generated package from its folder under its own (unique) name."""
    import importlib
    import sys

    parent = str(folder.parent)
    sys.path.insert(0, parent)
    try:
        return importlib.import_module(folder.name)
    finally:
        sys.path.remove(parent)


# --- Helpers for the generator tests (test_loader/graph/naming/writer/cli/generated/
# corpus/styles).  Each (spec, style) is generated once per session: black is slow. ---

STYLES = ("dataclasses", "typeddict", "stubs")
MYPY_VERSIONS = ("3.10", "3.13")


def declaration(
    models: dict[str, Any],
    *,
    swagger_version: Any = "1.2",
    api_version: str = "1.0.0",
    resource: str = "/things",
) -> dict[str, Any]:
    """A Swagger 1.x API declaration holding ``models`` (and no operations)."""
    return {
        "apiVersion": api_version,
        "swaggerVersion": swagger_version,
        "basePath": "http://localhost:8088/ari",
        "resourcePath": resource,
        "apis": [],
        "models": models,
    }


def model(model_id: str, properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """One model object: ``{"id": model_id, "properties": ..., **extra}``."""
    return {"id": model_id, "properties": properties or {}, **extra}


def write_files(folder: Path, files: dict[str, Any]) -> Path:
    """Write ``{relative path: JSON value or raw text}`` under ``folder``; return ``folder``."""
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
    return folder


class Packages:
    """Generated packages of one session, each (spec, style) rendered once.

    Layout: ``root/<style>/<name>``.  A dataclasses package and its stubs share one name
    (stubtest pairs them); the TypedDict package gets ``_td`` so that both runtime
    packages can be imported into one interpreter.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[tuple[str, str], tuple[str, str]] = {}

    @staticmethod
    def name(base: str, style: str) -> str:
        return f"{base}_td" if style == "typeddict" else base

    def folder(self, style: str) -> Path:
        return self.root / style

    def get(
        self, spec: str | Path | None, style: str, base: str, *, duplicate_keys: str = "error"
    ) -> Path:
        key = (base, style)
        wanted = (str(spec), duplicate_keys)
        if key in self._made:
            assert self._made[key] == wanted, f"package {base!r} reused for another spec"
            return self.folder(style) / self.name(base, style)
        folder = generate_package(
            spec, style, self.folder(style), self.name(base, style), duplicate_keys=duplicate_keys
        )
        self._made[key] = wanted
        return folder

    def module(
        self, spec: str | Path | None, style: str, base: str, *, duplicate_keys: str = "error"
    ) -> Any:
        assert style != "stubs", "stubs are not importable"
        folder = self.get(spec, style, base, duplicate_keys=duplicate_keys)
        return import_package(folder)


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    return Packages(tmp_path_factory.mktemp("packages"))


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


def run_stubtest(
    runtime_root: Path, stubs_root: Path, modules: Iterable[str], *, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """``python -m mypy.stubtest`` of the stubs in ``stubs_root`` against ``runtime_root``."""
    return subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", *modules],
        cwd=cwd,
        env=_tool_env(PYTHONPATH=str(runtime_root), MYPYPATH=str(stubs_root)),
        capture_output=True,
        text=True,
        check=False,
    )


# --- Helpers for the merge / diff / remote / diagram tests. ---


def generate_merged(
    specs: Iterable[str | Path],
    style: str,
    out: Path,
    package: str,
    *,
    duplicate_keys: str = "last",
) -> Path:
    """Generate one package from several specs (oldest first) merged; return its folder."""
    return generate_package(tuple(specs), style, out, package, duplicate_keys=duplicate_keys)


def write_spec(folder: Path, models: dict[str, Any], *, api_version: str = "1.0.0") -> Path:
    """A spec folder (label: the folder's name) with one declaration holding ``models``."""
    return write_files(folder, {"models.json": declaration(models, api_version=api_version)})


def cli(*args: str | Path) -> Any:
    """Run ``ari-codegen ARGS`` in-process; the click Result (``stdout``/``stderr`` apart)."""
    from click.testing import CliRunner

    from ari_codegen.cli import main_group

    return CliRunner().invoke(main_group, [str(a) for a in args], catch_exceptions=False)
