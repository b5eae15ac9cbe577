"""``ari-codegen graph``: the type graph as a Mermaid classDiagram or Graphviz DOT."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.cli import cli
from support.paths import ari_spec
from support.specs import model, write_spec

from ari_codegen.graph import TypeGraph
from ari_codegen.load import LoadOptions
from ari_codegen.pipeline import load_graph

# --- Mermaid ---------------------------------------------------------------------------

CLASS_OPEN = re.compile(r"^    class (\w+) \{$")
MEMBER = re.compile(r"^        \+(\S.*?)(\?)? (\w+)$")
INHERITS = re.compile(r"^    (\w+) <\|-- (\w+)$")
REFERS = re.compile(r"^    (\w+) --> (\w+) : (\w+)$")


def parse_mermaid(text: str) -> dict[str, Any]:
    """Every line must be one of the few statements the generator writes."""
    lines = text.splitlines()
    assert lines[0] == "classDiagram"
    assert text.endswith("\n")
    classes: dict[str, list[tuple[str, bool, str]]] = {}
    inherits: list[tuple[str, str]] = []
    refers: list[tuple[str, str, str]] = []
    current: str | None = None
    for line in lines[1:]:
        if current is not None:
            if line == "    }":
                current = None
            else:
                member = MEMBER.match(line)
                assert member, f"not a member line: {line!r}"
                spelled, optional, name = member.groups()
                classes[current].append((spelled, optional is None, name))
        elif match := CLASS_OPEN.match(line):
            current = match.group(1)
            assert current not in classes, f"class {current} declared twice"
            classes[current] = []
        elif match := INHERITS.match(line):
            inherits.append((match.group(1), match.group(2)))
        elif match := REFERS.match(line):
            refers.append((match.group(1), match.group(2), match.group(3)))
        else:
            raise AssertionError(f"unexpected Mermaid line: {line!r}")
    assert current is None, "a class block is not closed"
    for a, b in inherits:
        assert a in classes and b in classes, (a, b)
    for a, b, _ in refers:
        assert a in classes and b in classes, (a, b)
    return {"classes": classes, "inherits": inherits, "refers": refers}


@pytest.fixture(scope="module")
def bundled() -> TypeGraph:
    return load_graph((), LoadOptions())


@pytest.fixture(scope="module")
def bundled_mermaid() -> str:
    result = cli("graph")
    assert result.exit_code == 0, result.stderr
    out: str = result.stdout
    return out


def test_mermaid_is_a_class_diagram(bundled_mermaid: str) -> None:
    assert bundled_mermaid.startswith("classDiagram\n")
    lines = bundled_mermaid.splitlines()
    assert "    Message <|-- Event" in lines
    assert "    Event <|-- StasisStart" in lines
    assert "    StasisStart --> Channel : channel" in lines
    assert cli("graph", "--format", "mermaid").stdout == bundled_mermaid


def test_mermaid_has_every_model_base_and_reference(
    bundled_mermaid: str, bundled: TypeGraph
) -> None:
    parsed = parse_mermaid(bundled_mermaid)
    assert set(parsed["classes"]) == {m.py_name for m in bundled.models}
    assert set(parsed["inherits"]) == {
        (bundled.by_id[m.base].py_name, m.py_name) for m in bundled.models if m.base
    }
    expected_refs = {
        (m.py_name, bundled.by_id[ref].py_name)
        for m in bundled.models
        for ref in bundled.references(m.id)
    }
    assert {(a, b) for a, b, _ in parsed["refers"]} == expected_refs
    for m in bundled.models:
        members = parsed["classes"][m.py_name]
        assert [name for _, _, name in members] == [f.py_name for f in m.own_fields]
        assert [req for _, req, _ in members] == [f.required for f in m.own_fields]


def test_mermaid_members_spell_types(bundled_mermaid: str) -> None:
    classes = parse_mermaid(bundled_mermaid)["classes"]
    stasis_start = {name: (spelled, req) for spelled, req, name in classes["StasisStart"]}
    assert stasis_start["args"] == ("list~str~", True)
    assert stasis_start["channel"] == ("Channel", True)
    event = {name: (spelled, req) for spelled, req, name in classes["Event"]}
    assert event["timestamp"] == ("datetime", False)


# --- DOT -------------------------------------------------------------------------------

DOT_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}
NODE = re.compile(r'^    "(\w+)" \[label="(.*)"\];$')
EDGE = re.compile(r'^    "(\w+)" -> "(\w+)" \[(.*)\];$')
DOT_HEADER = [
    "digraph ari_models {",
    "    rankdir=LR;",
    '    node [shape=record, fontname="Helvetica", fontsize=10];',
]


def _balanced(text: str, pairs: str = "{}") -> bool:
    depth = 0
    for char in text:
        depth += (char == pairs[0]) - (char == pairs[1])
        if depth < 0:
            return False
    return depth == 0


def _outside_quotes(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def check_dot(text: str) -> dict[str, Any]:
    """Structure of a valid DOT digraph, as far as the generator's statements go."""
    if shutil.which("dot"):
        run = subprocess.run(
            ["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=60, check=False
        )
        assert run.returncode == 0, run.stderr
    assert text.count('"') % 2 == 0, "unbalanced quotes"
    assert _balanced(_outside_quotes(text)), "unbalanced braces"
    lines = text.splitlines()
    assert lines[: len(DOT_HEADER)] == DOT_HEADER
    assert lines[-1] == "}"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in lines[len(DOT_HEADER) : -1]:
        if match := NODE.match(line):
            name, label = match.groups()
            assert name not in nodes, f"node {name} declared twice"
            nodes[name] = label
        elif match := EDGE.match(line):
            edges.append(match.groups())
        else:
            raise AssertionError(f"unexpected DOT line: {line!r}")
    for name, label in nodes.items():
        # IDs are quoted (NODE/EDGE only match quoted ones), so a model named like a
        # DOT keyword (case-independent: Node, Edge, Graph) is still a plain node.
        # A record label: {Name|field\l...}; no stray record syntax inside.
        assert label.startswith("{" + name + "|") and label.endswith("}"), label
        inner = label[len(name) + 2 : -1]
        assert not re.search(r'[{}|<>"]', inner.replace("\\l", "")), label
    for a, b, _ in edges:
        assert a in nodes and b in nodes, f"edge {a} -> {b} between undeclared nodes"
    return {"nodes": nodes, "edges": edges}


@pytest.fixture(scope="module")
def bundled_dot() -> str:
    result = cli("graph", "--format", "dot")
    assert result.exit_code == 0, result.stderr
    out: str = result.stdout
    return out


def test_dot_is_a_valid_digraph(bundled_dot: str, bundled: TypeGraph) -> None:
    parsed = check_dot(bundled_dot)
    assert set(parsed["nodes"]) == {m.py_name for m in bundled.models}
    edges = {(a, b, attrs) for a, b, attrs in parsed["edges"]}
    assert ("Event", "Message", "arrowhead=empty") in edges
    assert ("StasisStart", "Event", "arrowhead=empty") in edges
    assert ("StasisStart", "Channel", 'label="channel", style=dashed') in edges
    inheritance = {(a, b) for a, b, attrs in edges if attrs == "arrowhead=empty"}
    assert inheritance == {
        (m.py_name, bundled.by_id[m.base].py_name) for m in bundled.models if m.base
    }


def test_dot_record_lists_fields(bundled_dot: str) -> None:
    nodes = check_dot(bundled_dot)["nodes"]
    assert nodes["Event"] == "{Event|application: str\\ltimestamp?: datetime\\l}"
    assert "args: list[str]\\l" in nodes["StasisStart"]


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_real_specs(fmt: str) -> None:
    out = cli("graph", ari_spec("22.0.0"), "--format", fmt).stdout
    if fmt == "dot":
        nodes = check_dot(out)["nodes"]
        assert "ChannelToneDetected" in nodes
    else:
        parsed = parse_mermaid(out)
        assert ("Event", "ChannelToneDetected") in parsed["inherits"]


@pytest.fixture(scope="module")
def merged_outputs() -> dict[str, str]:
    specs = (ari_spec("16.0.0"), ari_spec("20.0.0"))
    return {fmt: cli("graph", *specs, "--format", fmt).stdout for fmt in ("mermaid", "dot")}


def test_merged_specs_draw_the_union(merged_outputs: dict[str, str]) -> None:
    parsed = parse_mermaid(merged_outputs["mermaid"])
    text_message = {name: spelled for spelled, _, name in parsed["classes"]["TextMessage"]}
    assert text_message["variables"] == "list~TextMessageVariable~ or dict"
    assert ("TextMessage", "TextMessageVariable", "variables") in parsed["refers"]
    nodes = check_dot(merged_outputs["dot"])["nodes"]
    assert "variables?: list[TextMessageVariable] or dict\\l" in nodes["TextMessage"]


def test_bad_spec_exits_2(tmp_path: Path) -> None:
    result = cli("graph", tmp_path / "missing")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr
    assert result.stdout == ""


def test_dot_model_named_like_a_keyword(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path / "kw",
        {
            "Node": model("Node", {"next": {"$ref": "Edge"}}),
            "Edge": model("Edge", {"to": {"$ref": "Graph"}}),
            "Graph": model("Graph", {"name": {"type": "string"}}),
        },
    )
    result = cli("graph", spec, "--format", "dot")
    assert result.exit_code == 0, result.stderr
    parsed = check_dot(result.stdout)
    assert {n.lower() for n in parsed["nodes"]} <= DOT_KEYWORDS  # all three are keywords
    assert ("Node", "Edge") in {(a, b) for a, b, _ in parsed["edges"]}
