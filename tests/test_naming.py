"""Python names for spec names: keywords, invalid identifiers, stdlib/typing look-alikes.

Wire names stay as written; generated code keeps working (import, mypy --strict,
stubtest) whatever the spec calls its models and properties.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from pathlib import Path
from typing import Any

import pytest
from support.packages import Packages
from support.specs import declaration, model, write_files
from support.tools import assert_mypy_clean, run_stubtest

from ari_codegen import naming
from ari_codegen.errors import SpecError
from ari_codegen.graph import build_graph
from ari_codegen.load import load_spec
from ari_codegen.render import RenderOptions, render
from ari_codegen.styles import STYLE_NAMES as STYLES
from ari_codegen.styles import STYLES as STYLE_TABLE

# Models named like what generated modules (or their users) import.
LOOKALIKE_MODELS = (
    "Any",
    "List",
    "Dict",
    "Optional",
    "Union",
    "Literal",
    "ClassVar",
    "TypeAlias",
    "TypeVar",
    "TypedDict",
    "Self",
    "datetime",
    "date",
    "timedelta",
    "timezone",
    "dataclass",
    "field",
    "object",
    "str",
    "int",
    "type",
    "json",
    "re",
    "cast",
    "typing",
    "dataclasses",
    "annotations",
    "DecodeError",
    "MODELS",
    "extra_fields",
    "_Model",
    "_T",
)
# Property names that are keywords, builtins, not identifiers, or names the generated
# class bodies and methods use.
ODD_PROPERTIES = (
    "from",
    "class",
    "max-load",
    "123abc",
    "__init__",
    "self",
    "cls",
    "d",
    "n",
    "obj",
    "exc",
    "to_dict",
    "from_dict",
    "to_json",
    "from_json",
    "ClassVar",
    "Literal",
    "Any",
    "datetime",
    "tuple",
    "frozenset",
    "List",
    "str",
    "v_from",
    "from_",
    "",
)
# Models called int / object win over the primitives of those names (as Wordnik's "long"
# model does), so these primitives are spelled in other accepted ways.
KINDS: tuple[dict[str, Any], ...] = (
    {"type": "string"},
    {"type": "long"},
    {"type": "double"},
    {"type": "boolean"},
    {"type": "Date"},
    {"type": "Object"},
    {"type": "List[string]"},
    {"type": "List[Date]"},
    {"type": "List"},  # a model called List
    {"type": "string", "allowableValues": {"valueType": "LIST", "values": ["a b", "c-d"]}},
)


def builtin_names() -> list[str]:
    return sorted(n for n in dir(builtins) if not n.startswith("_"))


def lookalike_spec() -> dict[str, Any]:
    models: dict[str, Any] = {}
    for i, mid in enumerate(LOOKALIKE_MODELS):
        models[mid] = model(
            mid,
            {"value": {"type": LOOKALIKE_MODELS[(i + 1) % len(LOOKALIKE_MODELS)]}},
            description=f"A model called {mid}.",
        )
    odd = {name: dict(KINDS[i % len(KINDS)]) for i, name in enumerate(ODD_PROPERTIES)}
    odd["from"] = {"type": "string", "required": True}
    odd["max-load"] = {"type": "long", "required": True}
    odd["123abc"] = {"type": "double"}
    odd["self"] = {"type": "boolean"}
    models["Odd"] = model("Odd", odd)
    # every builtin as a property name, each with a type of its own kind
    models["Builtins"] = model(
        "Builtins",
        {name: dict(KINDS[i % len(KINDS)]) for i, name in enumerate(builtin_names())},
    )
    # a discriminated hierarchy whose discriminator is a keyword
    models["Shape"] = model(
        "Shape",
        {"class": {"type": "string", "required": True}},
        discriminator="class",
        subTypes=["lambda", "True"],
    )
    models["lambda"] = model("lambda", {"lambda": {"type": "long", "required": True}})
    models["True"] = model("True", {"None": {"type": "string"}})
    return declaration(models, resource="/names")


@pytest.fixture(scope="module")
def names_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names")
    return write_files(folder, {"names.json": lookalike_spec()}) / "names.json"


# --- the rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "py"),
    [
        ("from", "from_"),
        ("class", "class_"),
        ("max-load", "max_load"),
        ("123abc", "f_123abc"),
        ("", "field"),
        ("---", "field"),
        ("to_dict", "to_dict_"),
        ("str", "str_"),
        ("self", "self_"),
        ("asterisk_id", "asterisk_id"),
        ("type", "type"),  # ARI's discriminator keeps its name: nothing shadows it
    ],
)
def test_field_names(wire: str, py: str) -> None:
    name = naming.field_name(wire, set())
    assert name == py
    assert name.isidentifier() and not keyword.iskeyword(name)


def test_field_names_never_clash() -> None:
    taken: set[str] = set()
    out = []
    for wire in ("max-load", "max_load", "max load", "from", "from_"):
        out.append(naming.field_name(wire, taken))
        taken.add(out[-1])
    assert out == ["max_load", "max_load_", "max_load__", "from_", "from__"]


@pytest.mark.parametrize(
    ("model_id", "py"),
    [
        ("Channel", "Channel"),
        ("Any", "Any_"),
        ("object", "object_"),
        ("datetime", "datetime_"),
        ("List", "List"),  # generated code never imports List
        ("v1beta3.ObjectMeta", "v1beta3_ObjectMeta"),
        ("Entry«string,Pet»", "Entry_string_Pet"),
        ("2fa", "Model_2fa"),
        ("class", "class_"),
        ("«»", None),
    ],
)
def test_class_names(model_id: str, py: str | None) -> None:
    assert naming.class_name(model_id) == py


def test_ids_that_become_one_python_name_are_an_error(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"x.json": declaration({"Model": model("Model"), "_Model": model("_Model")})}
    )
    with pytest.raises(SpecError) as excinfo:
        build_graph(load_spec(tmp_path / "x.json"))
    (problem,) = excinfo.value.problems
    assert str(problem).endswith(
        "x.json › models › _Model › id: model ids 'Model' and '_Model' both become the Python "
        "name 'Model'"
    )


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _loads(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _class_scope_loads(tree: ast.Module, classes: set[str]) -> set[str]:
    """Names that model class bodies read in class scope, where a field would shadow them:
    annotations and values of class attributes, and methods' decorators and signatures."""
    names: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in classes:
            continue
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in stmt.decorator_list:
                    names |= _loads(decorator)
                names |= _loads(stmt.returns)
                for arg in [*stmt.args.posonlyargs, *stmt.args.args, *stmt.args.kwonlyargs]:
                    names |= _loads(arg.annotation)
            else:
                names |= _loads(stmt)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("style", STYLES)
def test_reserved_name_lists_cover_what_templates_use(names_spec: Path, style: str) -> None:
    """naming's lists must name everything a generated module defines or a class body reads."""
    graph = build_graph(load_spec(names_spec))
    files = render(graph, RenderOptions(style=style))
    reserved = STYLE_TABLE[style].reserved_names
    assert reserved <= naming.GENERATED_MODULE_NAMES  # every style's names are kept free
    tree = ast.parse(files[f"models{STYLE_TABLE[style].suffix}"])
    own = {m.py_name for m in graph.models} | {u.py_name for u in graph.unions}
    own |= {a.py_name for a in graph.literals}  # public value sets (ChannelState)
    module_names = {n for n in _top_level_names(tree) - own if not n.startswith("_")}
    assert module_names <= reserved, module_names - reserved
    body_names = _class_scope_loads(tree, own) - own
    assert body_names <= naming.ANNOTATION_NAMES, body_names - naming.ANNOTATION_NAMES


# --- generated code with those names ---------------------------------------------------


@pytest.fixture(scope="module")
def lookalike_packages(packages: Packages, names_spec: Path) -> Packages:
    for style in STYLES:
        packages.get(names_spec, style, "lookalikes")
    return packages


def test_lookalike_names_import_and_keep_wire_names(
    lookalike_packages: Packages, names_spec: Path
) -> None:
    dc = lookalike_packages.module(names_spec, "dataclasses", "lookalikes")
    td = lookalike_packages.module(names_spec, "typeddict", "lookalikes")
    graph = build_graph(load_spec(names_spec))
    for m in graph.models:
        assert dc.MODELS[m.id] is getattr(dc, m.py_name)
        assert td.MODELS[m.id] is getattr(td, m.py_name)
        assert m.py_name.isidentifier() and not keyword.iskeyword(m.py_name)
    odd = graph.by_id["Odd"]
    py = {f.wire_name: f.py_name for f in odd.fields}
    assert py["from"] == "from_" and py["max-load"] == "max_load" and py["class"] == "class_"
    assert len(set(py.values())) == len(py)
    # dataclasses: Python names as attributes, wire names on the wire
    obj = dc.Odd.from_dict({"from": "x", "max-load": 3, "123abc": 1.5, "self": True})
    assert (obj.from_, obj.max_load, obj.f_123abc, obj.self_) == ("x", 3, 1.5, True)
    assert obj.to_dict() == {"from": "x", "max-load": 3, "123abc": 1.5, "self": True}
    assert dc.Odd(from_="y", max_load=1).to_dict() == {"from": "y", "max-load": 1}
    # TypedDicts: the wire names themselves are the keys
    assert td.Odd.__required_keys__ == frozenset({"from", "max-load"})
    assert td.Odd.__optional_keys__ == frozenset(set(ODD_PROPERTIES) - {"from", "max-load"})
    assert td.Builtins.__optional_keys__ == frozenset(builtin_names())
    # the keyword discriminator: class_ attribute, "class" on the wire, dispatch by it
    shape = dc.Shape.from_dict({"class": "lambda", "lambda": 2})
    lam = {f.wire_name: f.py_name for f in graph.by_id["lambda"].fields}
    assert lam == {"class": "class_", "lambda": "lambda__"}  # lambda_ is the class
    assert type(shape) is dc.lambda_ and shape.lambda__ == 2 and shape.class_ == "lambda"
    assert shape.to_dict() == {"class": "lambda", "lambda": 2}
    assert td.lambda_.__required_keys__ == frozenset({"class", "lambda"})


def test_lookalike_names_type_check_in_every_style(
    lookalike_packages: Packages, tmp_path: Path
) -> None:
    for style in STYLES:
        assert_mypy_clean(
            lookalike_packages.folder(style),
            [Packages.name("lookalikes", style)],
            scratch=tmp_path / style,
        )


def test_lookalike_stubs_match_runtime(lookalike_packages: Packages, tmp_path: Path) -> None:
    result = run_stubtest(
        lookalike_packages.folder("dataclasses"),
        lookalike_packages.folder("stubs"),
        ["lookalikes"],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
