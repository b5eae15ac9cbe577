"""The ``ari-codegen`` command line, run in-process."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from ari_codegen.cli import main_group


def cli(*args: str | Path, cwd: Path | None = None) -> Result:
    """Run ``ari-codegen ARGS`` (in ``cwd``); the click Result (``stdout``/``stderr`` apart)."""
    runner = CliRunner()
    argv = [str(a) for a in args]
    if cwd is None:
        return runner.invoke(main_group, argv, catch_exceptions=False)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main_group, argv, catch_exceptions=False)
    finally:
        os.chdir(old)
