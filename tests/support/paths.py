"""Where the project and the read-only corpora (../shared) are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Read-only corpora that sit beside the project checkout (see ../shared/README.md).
SHARED = REPO.parent / "shared"

ARI_SPECS = ("seed-era", "12.0.0", "13.0.0", "16.0.0", "20.0.0", "22.0.0")


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


def ari_spec(version: str) -> Path:
    """``../shared/ari-specs/<version>`` (skips, or fails in CI, when absent)."""
    return require_shared("ari-specs", version)
