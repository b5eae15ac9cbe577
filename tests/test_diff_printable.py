"""`diff` output with hostile spec text: one line per change, printable, valid JSON.

Run as a real process whose stdout is strict UTF-8 (PYTHONIOENCODING=utf-8:strict), as
a terminal or a pipe would take it: a lone surrogate in a model id must not crash it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.specs import enum, model, prop, write_spec

SURROGATE = "Bad\ud800"
FORGED = "Evil\nBREAKING Forged.line: type changed — trust me"
ESCAPE = "f\x1b[2J\x1b]0;pwned\x07"


def _diff(tmp_path: Path, fmt: str) -> str:
    old = write_spec(tmp_path / "old", {"Keep": model("Keep", {"e": enum("a", "b")})})
    new = write_spec(
        tmp_path / "new",
        {
            "Keep": model("Keep", {"e": enum("a", "b\nc", "d\ud801"), ESCAPE: prop("string")}),
            SURROGATE: model(SURROGATE),
            FORGED: model(FORGED),
            "Tick`s|<b>": model("Tick`s|<b>"),
        },
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict")
    result = subprocess.run(
        [sys.executable, "-m", "ari_codegen", "diff", str(old), str(new), "--format", fmt],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8")  # strict: the output is valid UTF-8


def _clean(out: str) -> None:
    assert out.isprintable() or all(line.isprintable() for line in out.splitlines())
    assert "\ud800" not in out and "\x1b" not in out and "\x07" not in out


def test_text_output_is_printable_with_one_line_per_change(tmp_path: Path) -> None:
    out = _diff(tmp_path, "text")
    _clean(out)
    lines = out.splitlines()
    assert len(lines) == 1 + 6  # the summary, then one line per change
    assert not any(line.startswith("BREAKING Forged") for line in lines)
    assert "compatible Bad\\ud800: model added" in out
    assert "compatible Evil\\nBREAKING Forged.line: type changed — trust me: model added" in out
    assert "Keep.f\\x1b[2J\\x1b]0;pwned\\x07: field added" in out
    assert "'b\\nc'" in out and "'d\\ud801'" in out


def test_markdown_output_is_printable_with_one_row_per_change(tmp_path: Path) -> None:
    out = _diff(tmp_path, "markdown")
    _clean(out)
    rows = [line for line in out.splitlines() if line.startswith("| ") and "Where" not in line]
    assert len(rows) == 6
    assert "| `Evil\\nBREAKING Forged.line: type changed — trust me` |" in out
    assert "| `` Tick`s\\|&lt;b> `` |" in out


def test_json_output_is_valid_json_with_surrogates_escaped(tmp_path: Path) -> None:
    out = _diff(tmp_path, "json")
    assert "\\ud800" in out
    data = json.loads(out)
    models = {c["model"] for c in data["changes"]}
    assert {SURROGATE, FORGED, "Tick`s|<b>", "Keep"} <= models
    fields = {c["field"] for c in data["changes"]}
    assert ESCAPE in fields


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_format_survives_a_strict_utf8_stdout(tmp_path: Path, fmt: str) -> None:
    assert _diff(tmp_path, fmt)
