"""``compare`` and ``ari-codegen diff``: what changed between two specs, for code written
against the old one, each change breaking or compatible with its reason."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support.cli import cli
from support.paths import ari_spec
from support.specs import enum, model, prop, write_spec

from ari_codegen.compare import KINDS, Report, as_json, as_markdown, as_text, compare
from ari_codegen.load import LoadOptions
from ari_codegen.pipeline import load_graph


def _events(subtypes: list[str]) -> dict[str, Any]:
    return {
        "Message": model(
            "Message", {"type": prop("string")}, discriminator="type", subTypes=["Event"]
        ),
        "Event": model(
            "Event", {"application": prop("string")}, extends="Message", subTypes=subtypes
        ),
        **{name: model(name, {}, extends="Event") for name in subtypes},
    }


OLD = {
    **_events(["A", "Gone"]),
    "Thing": model(
        "Thing",
        {
            "id": prop("string"),
            "old_opt": prop("string", False),
            "old_req": prop("string"),
            "n": prop("int"),
            "flag": prop("boolean"),
            "maybe": prop("string", False),
            "state": enum("a", "b", "c"),
            "free": prop("string"),
            "closed": enum("x", "y"),
            "same_enum": enum("x", "y"),
        },
    ),
    "P1": model("P1", {"p": prop("string")}, subTypes=["Child"]),
    "P2": model("P2", {"p": prop("string")}),
    "Child": model("Child", {"c": prop("string")}, extends="P1"),
    "Shape": model(
        "Shape",
        {"kind": prop("string"), "type": prop("string")},
        discriminator="kind",
        subTypes=["Circle"],
    ),
    "Circle": model("Circle", {"r": prop("int")}, extends="Shape"),
    "Removed": model("Removed", {"z": prop("string")}),
}
NEW = {
    **_events(["A", "B"]),
    "Thing": model(
        "Thing",
        {
            "id": prop("string"),
            "new_req": prop("string"),
            "new_opt": prop("string", False),
            "n": prop("string"),
            "flag": prop("boolean", False),
            "maybe": prop("string"),
            "state": enum("b", "c", "d"),
            "free": enum("p", "q"),
            "closed": prop("string"),
            "same_enum": enum("x", "y"),
        },
    ),
    "P1": model("P1", {"p": prop("string")}),
    "P2": model("P2", {"p": prop("string")}, subTypes=["Child"]),
    "Child": model("Child", {"c": prop("string")}, extends="P2"),
    "Shape": model(
        "Shape",
        {"kind": prop("string"), "type": prop("string")},
        discriminator="type",
        subTypes=["Circle"],
    ),
    "Circle": model("Circle", {"r": prop("int")}, extends="Shape"),
    "Added": model("Added", {"w": prop("string")}),
}
# A release that only adds: an optional field and a model.
COMPATIBLE = {
    **OLD,
    "Thing": model("Thing", {**OLD["Thing"]["properties"], "extra": prop("string", False)}),
    "Added": model("Added", {"w": prop("string")}),
}

# (kind, where, breaking, old, new) for OLD → NEW.
EXPECTED = {
    ("model removed", "Gone", True, "Gone", None),
    ("model removed", "Removed", True, "Removed", None),
    ("model added", "B", False, None, "B"),
    ("model added", "Added", False, None, "Added"),
    ("subtypes added", "Event", False, None, "B"),
    ("subtypes removed", "Event", True, "Gone", None),
    ("subtypes added", "P2", False, None, "Child"),
    ("subtypes removed", "P1", True, "Child", None),
    ("field added", "Thing.new_req", True, None, "str"),
    ("field added", "Thing.new_opt", False, None, "str (optional)"),
    ("field removed", "Thing.old_opt", True, "str (optional)", None),
    ("field removed", "Thing.old_req", True, "str", None),
    ("type changed", "Thing.n", True, "int", "str"),
    ("type changed", "Thing.free", True, "str", "str in {'p', 'q'}"),
    ("type changed", "Thing.closed", False, "str in {'x', 'y'}", "str"),
    ("required changed", "Thing.flag", True, "required", "optional"),
    ("required changed", "Thing.maybe", True, "optional", "required"),
    ("enum values added", "Thing.state", False, None, "'d'"),
    ("enum values removed", "Thing.state", True, "'a'", None),
    ("discriminator changed", "Shape", True, "kind", "type"),
    ("base changed", "Child", True, "P1", "P2"),
}


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("compare-specs")
    return {
        "old": write_spec(root / "old", OLD, api_version="1.0.0"),
        "new": write_spec(root / "new", NEW, api_version="2.0.0"),
        "compatible": write_spec(root / "compatible", COMPATIBLE, api_version="1.1.0"),
    }


def _graph(path: Path) -> Any:
    return load_graph((str(path),), LoadOptions())


@pytest.fixture(scope="module")
def report(specs: dict[str, Path]) -> Report:
    return compare(_graph(specs["old"]), _graph(specs["new"]))


def test_report_names_both_specs(specs: dict[str, Path], report: Report) -> None:
    # no release in the folder names: the paths as given
    assert report.old == f"{specs['old']} (ARI 1.0.0)"
    assert report.new == f"{specs['new']} (ARI 2.0.0)"


def test_every_kind_of_change_is_found_and_classified(report: Report) -> None:
    found = {(c.kind, c.where, c.breaking, c.old, c.new) for c in report.changes}
    # A subtype that inherits a changed discriminator may be reported too; nothing else.
    extra = {
        c for c in found - EXPECTED if not (c[0] == "discriminator changed" and c[1] == "Circle")
    }
    assert EXPECTED - found == set(), "missing"
    assert extra == set(), "unexpected"
    assert {c.kind for c in report.changes} == set(KINDS)
    assert len(report.changes) == len(found), "a change reported twice"


def test_what_did_not_change_is_not_reported(report: Report) -> None:
    where = {c.where for c in report.changes}
    for untouched in ("Thing.id", "Thing.same_enum", "A", "Message", "Child.c", "Circle.r"):
        assert untouched not in where


def test_every_change_says_why(report: Report) -> None:
    reasons = {(c.kind, c.where): c.reason for c in report.changes}
    assert all(reasons.values())
    assert "constructors must pass it" in reasons[("field added", "Thing.new_req")]
    assert reasons[("field added", "Thing.new_opt")] == "optional"
    assert "handle None" in reasons[("required changed", "Thing.flag")]
    assert "no longer decode" in reasons[("required changed", "Thing.maybe")]
    assert "closed set" in reasons[("type changed", "Thing.free")]
    assert "any value" in reasons[("type changed", "Thing.closed")]
    assert "exhaustive match" in reasons[("subtypes added", "Event")]
    assert "dispatches" in reasons[("discriminator changed", "Shape")]


def test_breaking_and_counts(report: Report) -> None:
    assert report.breaking == tuple(c for c in report.changes if c.breaking)
    assert report.counts() == dict(Counter(c.kind for c in report.changes))
    assert list(report.counts()) == [k for k in KINDS if k in report.counts()]


def test_identical_graphs_compare_empty(specs: dict[str, Path]) -> None:
    graph = _graph(specs["old"])
    assert compare(graph, _graph(specs["old"])).changes == ()
    assert compare(graph, graph).counts() == {}


def test_only_additions_are_compatible(specs: dict[str, Path]) -> None:
    changes = compare(_graph(specs["old"]), _graph(specs["compatible"])).changes
    assert {(c.kind, c.where) for c in changes} == {
        ("field added", "Thing.extra"),
        ("model added", "Added"),
    }
    assert not any(c.breaking for c in changes)


# --- the command -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("fail_on", ["never", "breaking", "any"])
def test_identical_specs_print_no_changes_and_exit_0(
    specs: dict[str, Path], fmt: str, fail_on: str
) -> None:
    result = cli("diff", specs["old"], specs["old"], "--format", fmt, "--fail-on", fail_on)
    assert result.exit_code == 0, result.output
    if fmt == "text":
        old = f"{specs['old']} (ARI 1.0.0)"
        assert result.stdout == f"{old} → {old}: no changes\n"
    elif fmt == "markdown":
        assert "No changes." in result.stdout
    else:
        data = json.loads(result.stdout)
        assert data["summary"] == {"changes": 0, "breaking": 0, "by_kind": {}}
        assert data["changes"] == []


def test_identical_real_spec_has_no_changes() -> None:
    spec = ari_spec("22.0.0")
    result = cli("diff", spec, spec, "--fail-on", "any")
    assert result.exit_code == 0
    assert result.stdout.endswith(": no changes\n")


@pytest.mark.parametrize(
    ("new", "fail_on", "code"),
    [
        ("new", "never", 0),
        ("new", "breaking", 1),
        ("new", "any", 1),
        ("compatible", "never", 0),
        ("compatible", "breaking", 0),
        ("compatible", "any", 1),
    ],
)
def test_fail_on_thresholds(specs: dict[str, Path], new: str, fail_on: str, code: int) -> None:
    result = cli("diff", specs["old"], specs[new], "--fail-on", fail_on)
    assert result.exit_code == code, result.output
    assert "changes" in result.stdout  # the report is printed whatever the exit code


def test_default_fail_on_is_never(specs: dict[str, Path]) -> None:
    assert cli("diff", specs["old"], specs["new"]).exit_code == 0


def test_text_format(specs: dict[str, Path], report: Report) -> None:
    out = cli("diff", specs["old"], specs["new"]).stdout
    assert out == as_text(report)
    lines = out.splitlines()
    total, breaking = len(report.changes), len(report.breaking)
    assert lines[0] == (
        f"{specs['old']} (ARI 1.0.0) → {specs['new']} (ARI 2.0.0): {total} changes "
        f"({breaking} breaking, {total - breaking} compatible)"
    )
    body = lines[1:]
    assert len(body) == total
    marks = [line.split(" ", 1)[0] for line in body]
    assert marks == ["BREAKING"] * breaking + ["compatible"] * (total - breaking)
    assert "BREAKING  Thing.n: type changed: int → str — " in out
    assert "compatible Thing.state: enum values added: 'd' — " in out
    assert "BREAKING  Thing.state: enum values removed: 'a' — " in out
    assert "BREAKING  Child: base changed: P1 → P2 — " in out
    assert "compatible Added: model added" in out


def _cells(row: str) -> list[str]:
    """A Markdown table row's cells (an escaped ``\\|`` stays inside its cell)."""
    assert row.startswith("|") and row.endswith("|"), row
    return [c.strip() for c in re.split(r"(?<!\\)\|", row[1:-1])]


def test_markdown_format_is_a_table(specs: dict[str, Path], report: Report) -> None:
    out = cli("diff", specs["old"], specs["new"], "--format", "markdown").stdout
    assert out == as_markdown(report)
    lines = out.splitlines()
    assert lines[0] == f"### ARI models: {report.old} → {report.new}"
    header = lines.index("| | Where | Change | Detail | Why |")
    assert lines[header + 1] == "|---|---|---|---|---|"
    rows = [line for line in lines[header + 2 :] if line]
    assert len(rows) == len(report.changes)
    for row in rows:
        assert len(_cells(row)) == 5, row
    cells = {_cells(r)[1]: _cells(r) for r in rows if "type changed" in r}
    assert cells["`Thing.n`"][0] == "💥 breaking"
    assert cells["`Thing.closed`"][0] == "compatible"
    assert f"**{len(report.breaking)} breaking**" in out


def test_markdown_escapes_table_syntax(tmp_path: Path) -> None:
    old = write_spec(tmp_path / "old", {"M": model("M", {"e": enum("a|b", "<x>")})})
    new = write_spec(tmp_path / "new", {"M": model("M", {"e": enum("c")})})
    out = cli("diff", old, new, "--format", "markdown").stdout
    rows = [line for line in out.splitlines() if "enum values" in line]
    assert len(rows) == 2
    for row in rows:
        assert len(_cells(row)) == 5, row
    removed = next(r for r in rows if "removed" in r)
    assert "a\\|b" in removed and "&lt;x>" in removed


def test_json_format(specs: dict[str, Path], report: Report) -> None:
    out = cli("diff", specs["old"], specs["new"], "--format", "json").stdout
    assert out == as_json(report)
    data = json.loads(out)
    assert data["old"] == report.old and data["new"] == report.new
    assert data["summary"]["changes"] == len(data["changes"]) == len(report.changes)
    assert data["summary"]["breaking"] == sum(c["breaking"] for c in data["changes"])
    assert data["summary"]["by_kind"] == dict(Counter(c["kind"] for c in data["changes"]))
    assert set(data["summary"]["by_kind"]) == set(KINDS)
    for change in data["changes"]:
        assert set(change) == {"kind", "model", "field", "old", "new", "breaking", "reason"}
    n = next(c for c in data["changes"] if c["model"] == "Thing" and c["field"] == "n")
    assert n == {
        "kind": "type changed",
        "model": "Thing",
        "field": "n",
        "old": "int",
        "new": "str",
        "breaking": True,
        "reason": n["reason"],
    }


def test_bad_spec_exits_2(specs: dict[str, Path], tmp_path: Path) -> None:
    result = cli("diff", specs["old"], tmp_path / "missing")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr
    assert result.stdout == ""


def test_duplicate_keys_option_reaches_both_specs() -> None:
    old, new = ari_spec("12.0.0"), ari_spec("13.0.0")
    refused = cli("diff", old, new)
    assert refused.exit_code == 2
    assert "12.0.0" in refused.stderr
    assert cli("diff", old, new, "--duplicate-keys", "last").exit_code == 0


# --- real releases -----------------------------------------------------------------------


def test_real_16_to_20() -> None:
    result = cli(
        "diff", ari_spec("16.0.0"), ari_spec("20.0.0"), "--format", "json", "--fail-on", "breaking"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    changes = {(c["kind"], c["model"], c["field"]): c for c in data["changes"]}

    variables = changes[("type changed", "TextMessage", "variables")]
    assert (variables["old"], variables["new"]) == ("List[TextMessageVariable]", "object")
    assert variables["breaking"] is True

    protocol_id = changes[("field added", "Channel", "protocol_id")]
    assert protocol_id["new"] == "str" and protocol_id["breaking"] is True

    timestamp = changes[("required changed", "Event", "timestamp")]
    assert (timestamp["old"], timestamp["new"]) == ("optional", "required")
    assert timestamp["breaking"] is True

    removed = changes[("model removed", "TextMessageVariable", None)]
    assert removed["breaking"] is True
    assert data["summary"]["breaking"] == sum(c["breaking"] for c in data["changes"]) > 0


def test_real_20_to_22_is_compatible() -> None:
    old, new = ari_spec("20.0.0"), ari_spec("22.0.0")
    assert cli("diff", old, new, "--fail-on", "breaking").exit_code == 0
    assert cli("diff", old, new, "--fail-on", "any").exit_code == 1


# --- known gaps ------------------------------------------------------------------------


def test_enum_values_added_inside_a_list_are_compatible(tmp_path: Path) -> None:
    def listed(*values: str) -> Any:
        return {
            "type": "List[string]",
            "required": True,
            "allowableValues": {"valueType": "LIST", "values": list(values)},
        }

    old = write_spec(tmp_path / "old", {"M": model("M", {"l": listed("a", "b")})})
    new = write_spec(tmp_path / "new", {"M": model("M", {"l": listed("a", "b", "c")})})
    changes = compare(_graph(old), _graph(new)).changes
    assert [(c.kind, c.where, c.breaking) for c in changes] == [("enum values added", "M.l", False)]


def test_type_change_of_a_field_moved_to_the_base_is_reported(tmp_path: Path) -> None:
    old = write_spec(
        tmp_path / "old",
        {
            "B": model("B", {}, subTypes=["C"]),
            "C": model("C", {"x": prop("int")}, extends="B"),
        },
    )
    new = write_spec(
        tmp_path / "new",
        {
            "B": model("B", {"x": prop("string")}, subTypes=["C"]),
            "C": model("C", {}, extends="B"),
        },
    )
    changes = compare(_graph(old), _graph(new)).changes
    assert ("type changed", "C.x", "int", "str") in {
        (c.kind, c.where, c.old, c.new) for c in changes
    }
