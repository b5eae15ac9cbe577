"""Names the generator invents never collide with what a generated module defines or imports.

A Literal alias ``_`` + class + Field can spell any private helper (``_NUMBER``,
``_DATE``), a TypedDict helper (``_FooRequired``) or a key of the same TypedDict: each
style's modules must bind every top-level name once, and keep the runtime's helpers.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from support.packages import Packages, import_package
from support.specs import declaration, enum, model, prop, write_files
from support.tools import assert_mypy_clean

from ari_codegen import naming, resources
from ari_codegen.styles import STYLE_NAMES as STYLES
from ari_codegen.styles import STYLES as STYLE_TABLE


def _top_level_names(source: str) -> list[str]:
    """Every top-level binding of a module, once per binding (duplicates kept)."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.extend((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def _runtime_names() -> set[str]:
    return set(_top_level_names(resources.runtime_file("_runtime.py")))


def hostile_spec() -> dict[str, Any]:
    """Models whose invented names would spell the generated modules' own names."""
    models: dict[str, Any] = {}

    def add(mid: str, props: dict[str, Any], **extra: Any) -> None:
        models.setdefault(mid, model(mid, {}, **extra))["properties"].update(props)

    targets = _runtime_names() | naming.GENERATED_MODULE_NAMES | {"_DATE", "_NUMBER", "_EXPECTED"}
    for target in sorted(targets):
        # "_" + class + Field: every split where the field word starts with a capital
        for i in range(2, len(target)):
            if target[i].isupper() and target[1].isalpha():
                add(target[1:i], {target[i:]: enum("a", "b")})
    add("DAT", {"e": enum("x", "y"), "when": prop("Date"), "size": prop("double")})
    # TypedDict helpers: _FooRequired / _FooOptional, class and functional syntax
    add(
        "Foo",
        {
            "a": prop("string"),
            "required": enum("a", "b"),
            "optional": enum("c", "d", required=False),
        },
    )
    add(
        "Baz",
        {
            "max-load": prop("long"),
            "required": enum("a", "b"),
            "optional": enum("c", "d", required=False),
        },
    )
    # a TypedDict key spelled like the alias its own class body uses
    add("Bar", {"_BarState": prop("string"), "state": enum("x", "y")})
    # names of every kind that templates use
    for name in ("Type", "var", "self", "cls", "d", "n", "obj", "exc", "x", "v0", "AnyEvent"):
        add(name, {"Type": prop("string", required=False), "var": enum("p", "q", required=False)})
    add("Event", {"type": prop("string")}, discriminator="type", subTypes=["Ping"])
    add("Ping", {"at": prop("Date")})
    return declaration(models, resource="/hostile")


@pytest.fixture(scope="module")
def hostile(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    spec = write_files(folder, {"hostile.json": hostile_spec()}) / "hostile.json"
    for style in STYLES:
        packages.get(spec, style, "hostile_names")
    return spec


@pytest.mark.parametrize("style", STYLES)
def test_every_top_level_name_is_bound_once(packages: Packages, hostile: Path, style: str) -> None:
    folder = packages.get(hostile, style, "hostile_names")
    for file in STYLE_TABLE[style].files:
        if file.endswith((".py", ".pyi")) and not file.startswith("_runtime"):
            names = _top_level_names((folder / file).read_text(encoding="utf-8"))
            twice = sorted({n for n in names if names.count(n) > 1})
            assert not twice, f"{style}/{file} binds {twice} more than once"


def test_runtime_helpers_stay_the_runtimes(packages: Packages, hostile: Path) -> None:
    folder = packages.get(hostile, "dataclasses", "hostile_names")
    models = import_package(folder).models
    runtime = importlib.import_module(f"{folder.name}._runtime")
    for name in _runtime_names() & set(vars(models)):
        assert getattr(models, name) is getattr(runtime, name), name
    obj = models.DAT.from_dict(
        {"E": "a", "e": "x", "when": "2026-01-02T03:04:05.000+0000", "size": 1.5}
    )
    assert obj.size == 1.5 and obj.when.year == 2026


def test_hostile_names_type_check_in_every_style(
    packages: Packages, hostile: Path, tmp_path: Path
) -> None:
    for style in STYLES:
        assert_mypy_clean(
            packages.folder(style),
            [Packages.name("hostile_names", style)],
            scratch=tmp_path / style,
        )


@pytest.mark.parametrize("style", STYLES)
def test_naming_knows_every_name_the_templates_bind(
    packages: Packages, hostile: Path, style: str
) -> None:
    """Top-level names besides the invented ones, and every local of a function body, are
    names naming keeps free (so the tables above cannot fall behind the templates)."""
    from ari_codegen.graph import build_graph
    from ari_codegen.load import load_spec

    graph = build_graph(load_spec(hostile))
    invented = {m.py_name for m in graph.models} | {u.py_name for u in graph.unions}
    invented |= {a.py_name for a in graph.literals}
    invented |= set().union(*(naming.helper_names(m.py_name) for m in graph.models))
    folder = packages.get(hostile, style, "hostile_names")
    source = (folder / f"models{STYLE_TABLE[style].suffix}").read_text(encoding="utf-8")
    unknown = {n for n in set(_top_level_names(source)) - invented if naming.is_free(n)}
    assert not unknown
    locals_: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            locals_.update(a.arg for a in node.args.args)
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    locals_.add(inner.id)
                elif isinstance(inner, ast.ExceptHandler) and inner.name:
                    locals_.add(inner.name)
    assert not {n for n in locals_ if naming.is_free(n)}
