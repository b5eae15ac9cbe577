"""The dataclass runtime (ari_codegen/runtime/_runtime.py) as a module of its own.

Generated packages receive it byte for byte; here it is unit-tested directly, and its
hand-written stub is checked against it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support.paths import REPO
from support.tools import run_stubtest

from ari_codegen import resources
from ari_codegen.graph import TypeGraph
from ari_codegen.render import RenderOptions, render
from ari_codegen.render.formatting import format_python
from ari_codegen.runtime import _runtime as rt
from ari_codegen.styles import HEADER_PREFIX, STYLES

RUNTIME_FILES = sorted({(n, s) for style in STYLES.values() for n, s in style.runtime})


@pytest.mark.parametrize("style", [s for s in STYLES.values() if s.runtime], ids=lambda s: s.name)
def test_runtime_files_are_copied_verbatim(style: Any) -> None:
    files = render(TypeGraph("x", None, (), ()), RenderOptions(style=style.name))
    for name, source in style.runtime:
        assert files[name] == resources.runtime_file(source)
        committed = REPO / "generated" / style.name / "ari_models" / name
        assert committed.read_text(encoding="utf-8") == files[name]


@pytest.mark.parametrize(("name", "source"), RUNTIME_FILES)
def test_runtime_files_are_marked_generated_and_black_formatted(name: str, source: str) -> None:
    """The header lets the writer replace the copy; black's style like every generated file."""
    text = resources.runtime_file(source)
    assert text.startswith(HEADER_PREFIX)
    assert format_python(text, pyi=name.endswith(".pyi"), black_everything=True) == text


def test_runtime_stub_matches_the_runtime(tmp_path: Path) -> None:
    """The stubs' _runtime.pyi against the dataclasses' _runtime.py (committed packages)."""
    generated = REPO / "generated"
    result = run_stubtest(
        generated / "dataclasses", generated / "stubs", ["ari_models._runtime"], cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_decode_error_path_reads_like_an_attribute_path() -> None:
    error = rt.DecodeError("missing required field", ["number"]).at("caller").at("channel")
    expected = "StasisStart.channel.caller.number: missing required field"
    assert str(error.at("StasisStart")) == expected
    assert str(rt.DecodeError("x", ["[2]"]).at("args")) == "args[2]: x"
    assert str(rt.DecodeError("bare")) == "bare"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2026-11-26T05:48:34.307+0000", timedelta(0)),
        ("2026-11-26T05:48:34.307-0530", -timedelta(hours=5, minutes=30)),
        ("2026-11-26T05:48:34Z", timedelta(0)),
        ("2026-11-26 05:48+02:00", timedelta(hours=2)),
    ],
)
def test_dates_are_aware_with_the_offset_as_written(text: str, offset: timedelta) -> None:
    value = rt._date(text, "timestamp")
    assert value.utcoffset() == offset


@pytest.mark.parametrize("text", ["2026-11-26T05:48:34", "2026-02-30T00:00:00Z", "tomorrow", 5])
def test_dates_without_offset_or_invalid_are_refused(text: object) -> None:
    with pytest.raises(rt.DecodeError) as info:
        rt._date(text, "timestamp")
    assert info.value.path == ["timestamp"]


def test_dates_are_written_in_asterisks_form() -> None:
    value = datetime(2026, 11, 26, 5, 48, 34, 307999, timezone(timedelta(hours=-3)))
    assert rt._format_date(value) == "2026-11-26T05:48:34.307-0300"
    assert rt._format_date(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000+0000"


def test_generic_decoding_walks_lists_and_unions() -> None:
    spec = ("list", ("union", ("int",), ("datetime",)))
    out = rt._generic(spec, [1, "2026-11-26T05:48:34.307+0000"], "values")
    assert out[0] == 1 and isinstance(out[1], datetime)
    with pytest.raises(rt.DecodeError, match=r"^values\[1\]: matches none of the types"):
        rt._generic(spec, [1, True], "values")
    assert rt._encode(out) == [1, "2026-11-26T05:48:34.307+0000"]


def test_kinds_are_named_as_json_names_them() -> None:
    assert [rt._kind(v) for v in (None, True, 1, 1.5, "", [], {})] == [
        "null",
        "a boolean",
        "an integer",
        "a number",
        "a string",
        "a list",
        "an object",
    ]
