"""Shared test helpers."""

import os
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
