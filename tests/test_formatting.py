"""The formatter's fast path gives exactly black's bytes (see ari_codegen/render/formatting.py).

The bundled templates print black's own style; pieces whose code lines all fit are not
handed to black.  These tests hold that promise over every real spec, the Swagger 1.x
corpus, a merged spec and hostile text: the output is byte for byte what black makes of
the whole module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.paths import ARI_SPECS, SHARED, ari_spec, require_shared

from ari_codegen.errors import SpecError
from ari_codegen.graph import TypeGraph, build_graph
from ari_codegen.load import LoadOptions, load_spec
from ari_codegen.pipeline import load_graph
from ari_codegen.render import RenderOptions, render
from ari_codegen.render.formatting import LINE_LENGTH, format_python, split
from ari_codegen.styles import STYLE_NAMES as STYLES

LAST = LoadOptions(duplicate_keys="last")
MODELS_ONLY = LoadOptions(duplicate_keys="last", operations=False)


def assert_fast_path_is_black(graph: TypeGraph) -> None:
    for style in STYLES:
        fast = render(graph, RenderOptions(style=style))
        slow = render(graph, RenderOptions(style=style, black_everything=True))
        for name in fast:
            assert fast[name] == slow[name], f"{graph.label} {style} {name}"


@pytest.mark.parametrize("version", ARI_SPECS)
def test_real_specs(version: str) -> None:
    assert_fast_path_is_black(build_graph(load_spec(ari_spec(version), LAST)))


def test_bundled_and_merged_specs() -> None:
    assert_fast_path_is_black(load_graph((), LAST))
    specs = tuple(str(ari_spec(v)) for v in ARI_SPECS)
    assert_fast_path_is_black(load_graph(specs, LAST))


def test_swagger_corpus() -> None:
    corpus = require_shared("swagger12-corpus")
    checked = 0
    for path in sorted(corpus.rglob("*.json")):
        try:  # models only: the corpus's operations are not Asterisk's (see test_corpus.py)
            graph = build_graph(load_spec(path, MODELS_ONLY))
        except SpecError:
            continue  # the corpus's invalid documents: tests/test_corpus.py
        assert_fast_path_is_black(graph)
        checked += 1
    assert checked > 40
    assert SHARED in corpus.parents


HOSTILE = 'x"""; import os #\\ \'\'\' {{ 7*7 }} {% if %} \u2028 \x00 é 🎉 漢字\r\n\tend"'


def test_hostile_text_and_long_names(tmp_path: Path) -> None:
    long = "a_very_long_property_name_that_no_line_of_eighty_eight_columns_can_hold_at_all"
    spec = {
        "swaggerVersion": "1.2",
        "apiVersion": HOSTILE,
        "models": {
            "Message": {
                "id": "Message",
                "description": HOSTILE,
                "discriminator": "type",
                "properties": {"type": {"type": "string", "required": True}},
                "subTypes": [
                    "AnEventWithAVeryLongNameIndeedToMakeTheUnionAliasLong" + str(i)
                    for i in range(4)
                ],
            },
            **{
                f"AnEventWithAVeryLongNameIndeedToMakeTheUnionAliasLong{i}": {
                    "id": f"AnEventWithAVeryLongNameIndeedToMakeTheUnionAliasLong{i}",
                    "description": HOSTILE * (i + 1),
                    "properties": {
                        long: {"type": "string", "enum": [HOSTILE, "b" * 90, "漢字"]},
                        HOSTILE: {"type": "List[Message]", "description": '"quoted"'},
                        "n": {"type": "int", "required": True, "description": "ends with \\"},
                    },
                }
                for i in range(4)
            },
        },
    }
    (tmp_path / "hostile.json").write_text(json.dumps(spec), encoding="utf-8")
    assert_fast_path_is_black(build_graph(load_spec(tmp_path / "hostile.json")))


def test_pieces_are_cut_at_top_level_definitions_only() -> None:
    text = (
        '"""Module.\n\nclass NotAClass:\n"""\n\nimport os\n\n\n'
        "class A:\n"
        '    """Doc.\n\nclass AlsoNot:\n    """\n\n    x: int\n\n\n'
        "@decorator\n"
        "def f() -> None:\n    pass\n"
    )
    pieces = split(text)
    assert [p.code.splitlines()[0] for p in pieces] == ['"""Module.', "class A:", "@decorator"]
    assert all(p.plain for p in pieces)


def test_long_or_wide_code_lines_go_to_black_but_docstrings_do_not() -> None:
    long_code = "x = " + " + ".join(["value"] * 20) + "\n"
    long_doc = '"""' + "word " * 30 + '"""\n'
    assert len(long_code) > LINE_LENGTH and len(long_doc) > LINE_LENGTH
    assert not split(long_code)[0].plain
    assert split(long_doc)[0].plain
    assert not split('x = "漢字"\n')[0].plain  # black measures width, not length
    formatted = format_python(long_code)
    assert all(len(line) <= LINE_LENGTH for line in formatted.splitlines())


def test_more_than_two_blank_lines_collapse_as_black_does() -> None:
    assert format_python("x = 1\n\n\n\n\ny = 2\n") == "x = 1\n\n\ny = 2\n"
    text = 'def f() -> None:\n    """a\n\n\n\n    b\n    """\n'
    assert format_python(text) == text  # blank lines inside a docstring are its text


def test_a_docstring_ending_in_a_backslash_closes() -> None:
    # naming.docstring writes a trailing backslash as \\: the quotes after it still close
    long_code = "x = " + " + ".join(["value"] * 20) + "\n"
    text = 'class A:\n    """ends with \\\\"""\n\n\nclass B:\n    ' + long_code
    pieces = split(text)
    assert [p.code.splitlines()[0] for p in pieces] == ["class A:", "class B:"]
    assert pieces[0].plain and not pieces[1].plain
    # an escaped quote does not close
    assert len(split('class A:\n    """a \\"""\n    """\n\n\nclass B:\n    x = 1\n')) == 2


@pytest.mark.parametrize("description", ["ends with \\", "\\", "a\\\\", "x\r\nends \\"])
def test_descriptions_ending_in_a_backslash_keep_black_for_what_follows(
    tmp_path: Path, description: str
) -> None:
    long = "a_very_long_property_name_that_no_line_of_eighty_eight_columns_can_hold_at_all"
    models = {
        "A": {"id": "A", "description": description, "properties": {"x": {"type": "int"}}},
        "B": {
            "id": "B",
            "properties": {
                "n": {"type": "int", "description": description},
                long: {"type": "string", "enum": ["v" * 40, "w" * 40]},
            },
        },
        "C": {"id": "C", "properties": {long: {"type": "List[B]", "required": True}}},
    }
    spec = {"swaggerVersion": "1.2", "apiVersion": "1", "models": models}
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    assert_fast_path_is_black(build_graph(load_spec(tmp_path / "spec.json")))


# every line break str.splitlines() (and so a docstring's reader) knows
LINE_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]
LINE_BREAKS += ["\u2028", "\u2029"]


@pytest.mark.parametrize("br", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_every_line_break_in_a_docstring_becomes_a_newline(tmp_path: Path, br: str) -> None:
    import ast

    text = f"first{br}second{br}{br}third \\"
    models = {
        "A": {"id": "A", "description": text, "properties": {"x": {"type": "int"}}},
        "B": {"id": "B", "properties": {"y": {"type": "int", "description": text}}},
    }
    spec = {"swaggerVersion": "1.2", "apiVersion": "1", "models": models}
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    graph = build_graph(load_spec(tmp_path / "spec.json"))
    assert_fast_path_is_black(graph)
    for style in STYLES:
        files = render(graph, RenderOptions(style=style))
        module = ast.parse(files[next(n for n in files if n.startswith("models"))])
        docs = [
            ast.get_docstring(node)
            for node in ast.walk(module)
            if isinstance(node, ast.ClassDef) and node.name == "A"
        ]
        assert docs == ["first\nsecond\n\nthird \\"], style
