"""Shared test helpers."""

import os
from typing import Any
from pathlib import Path

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
    spec: str | Path | None,
    style: str,
    out: Path,
    package: str,
    *,
    duplicate_keys: str = "error",
) -> Path:
    """Generate one package in-process (load → graph → render → write); return its folder."""
    from ari_codegen.loader import LoadOptions
    from ari_codegen.pipeline import Job, Target, run
    from ari_codegen.writer import apply, plan

    target = Target(style, out / package)
    job = Job(
        specs=(str(spec),) if spec is not None else (),
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
