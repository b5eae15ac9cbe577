"""Spec text is data, never code.

Every piece of text a spec carries reaches the generated modules: descriptions (as
docstrings), model ids (MODELS keys, discriminator tags), property names (wire names),
enum values (``Literal``), ``apiVersion`` and the spec's file or folder name (module
docstrings and the header comment).  Each of them here holds quotes, triple quotes,
backslashes, line breaks of every kind, Jinja delimiters, non-ASCII and control
characters, and code that would leave a trace (a file, some output) if it ever ran.

The generated packages, in every style, must import without that trace, type-check under
``mypy --strict``, and give every text back unchanged where it is data (MODELS keys,
``Literal`` values, wire names) and with its visible characters intact where it is
documentation (docstrings: whitespace and line breaks are normalised).

Identifiers are the other half: model and property names that are keywords, builtins,
typing names, or the names the generated code itself uses (DecodeError, MODELS,
extra_fields, from_dict, self, cls, d, n, obj, ``_ari_*``...) must still give code that
decodes and encodes correctly.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import keyword
import os
import subprocess
import sys
import typing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support.packages import generate_package, import_package
from support.specs import declaration, model, write_files
from support.tools import assert_mypy_clean, run_stubtest

from ari_codegen import naming
from ari_codegen.graph import build_graph
from ari_codegen.load import load_spec
from ari_codegen.styles import STYLE_NAMES as STYLES

# A file that any of the payloads creates if it is ever executed.
MARKER_NAME = "INJECTED-MARKER"


def payloads(marker: Path) -> list[str]:
    """Texts that break out of every quoting context a generator might put them in."""
    run = f"__import__('pathlib').Path({str(marker)!r}).write_text('x'); print('INJECTED')"
    return [
        f'"""\n{run}\n"""',
        f"'''\n{run}\n'''",
        f'"); {run}; ("',
        f"'); {run}; ('",
        f'\\"); {run} #',
        f"\\\n{run}",
        f"\n{run}\n",
        f"\r{run}\r",
        f"\r\n{run}\r\n",
        f"\u2028{run}\u2029",
        f"\x0c\x0b\x1c{run}\x85",
        f"# {run}",
        "{{ pkg.__class__.__init__.__globals__ }}",
        "{% for m in pkg.models %}INJECTED{% endfor %}",
        "{# comment #}{%- raw -%}{{",
        "'",
        '"',
        '"""',
        "'''",
        "\\",
        'ends with a quote"',
        "ends with a backslash\\",
        "\\N{BULLET} \\u0041 \\x41 \\n \\0",
        "NUL\x00and\x01\x1b[31mcontrols\x7f",
        "non-ASCII: é ß 中文 😀 \u202etxet lrt\u202c \u00a0nbsp \ufeffbom",
        "  leading and trailing spaces  ",
        "tab\tseparated",
        "f'{__import__(\"os\").getcwd()}'",
        "%s %(x)s {0} {x}",
    ]


def visible(text: str) -> str:
    """The text without whitespace: what documentation must keep exactly."""
    return "".join(text.split())


# --- the spec -------------------------------------------------------------------------------


def injection_spec(marker: Path) -> dict[str, Any]:
    texts = payloads(marker)
    description = "\n".join(texts)
    props: dict[str, Any] = {}
    for i, text in enumerate(texts):
        props[f"p{i}{text}"] = {
            "type": "string",
            "description": text,
            "required": i % 2 == 0,
            "allowableValues": {"valueType": "LIST", "values": [text, f"{i}{text}"]},
        }
    props["list"] = {"type": "List[string]", "enum": texts, "description": description}
    models: dict[str, Any] = {"Payload": model("Payload", props, description=description)}
    # Model ids: MODELS keys and discriminator tags.
    sub_ids = [f"Evil{i}{text}" for i, text in enumerate(texts)]
    models["Base"] = model(
        "Base",
        {texts[0]: {"type": "string", "required": True, "description": texts[1]}},
        discriminator=texts[0],
        subTypes=sub_ids,
        description=texts[2],
    )
    for i, (sub, text) in enumerate(zip(sub_ids, texts, strict=True)):
        models[sub] = model(
            sub,
            {f"q{i}{text}": {"type": "int", "description": text}, "ref": {"$ref": "Payload"}},
            description=text,
            required=[f"q{i}{text}"] if i % 2 else [],
        )
    return declaration(models, api_version="\n".join(texts[:12]), resource="/injection")


# The spec folder and file names themselves carry payloads ("/" and NUL cannot).
FOLDER_NAME = 'spec \'""" {{ x }} {% if %}\\ \n\r\u2028 é 😀 \x01'
FILE_NAME = 'in\'je"""ct\\ {{ x }}\n\r\u2028é.json'


class Generated:
    def __init__(self, root: Path, spec_folder: Path, marker: Path) -> None:
        self.root = root
        self.spec_folder = spec_folder
        self.marker = marker
        self.texts = payloads(marker)
        self.spec = injection_spec(marker)

    def folder(self, style: str) -> Path:
        return self.root / style

    def name(self, style: str) -> str:
        return "ari_injected_td" if style == "typeddict" else "ari_injected"

    def package(self, style: str) -> Path:
        return self.folder(style) / self.name(style)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    base = tmp_path_factory.mktemp("injection")
    marker = base / MARKER_NAME
    spec_folder = base / FOLDER_NAME
    write_files(spec_folder, {FILE_NAME: injection_spec(marker)})
    gen = Generated(base / "out", spec_folder, marker)
    for style in STYLES:
        generate_package(spec_folder, style, gen.folder(style), gen.name(style))
    assert not marker.exists(), "generating ran spec text"
    return gen


def test_every_id_makes_a_distinct_class_name(generated: Generated) -> None:
    ids = list(generated.spec["models"])
    names = [naming.class_name(i) for i in ids]
    assert None not in names and len(set(names)) == len(ids)


def test_generated_modules_import_without_side_effects(generated: Generated) -> None:
    """A fresh interpreter imports every runtime package: no output, no marker file."""
    code = (
        "import sys\n"
        f"sys.path[:0] = [{str(generated.folder('dataclasses'))!r}, "
        f"{str(generated.folder('typeddict'))!r}]\n"
        "import ari_injected, ari_injected.models, ari_injected_td, ari_injected_td.models\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=generated.root.parent,
        env=env,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout == b"" and result.stderr == b""
    assert not generated.marker.exists()


def test_generated_source_has_no_payload_as_code(generated: Generated) -> None:
    """No payload survives as code: the names the payloads call (__import__, print,
    getcwd) appear nowhere in the modules' code, only inside strings."""
    for style in STYLES:
        for path in generated.package(style).iterdir():
            if path.suffix not in (".py", ".pyi"):
                continue
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
            for node in ast.walk(tree):
                if isinstance(node, ast.Name):
                    assert node.id not in ("__import__", "print", "getcwd"), (path, node.lineno)
            # The header comment stays one line (a \r would end it in Python's eyes).
            first = text.split("\n", 1)[0]
            assert "\r" not in first and first.startswith("# Code generated by ari-codegen")


def test_generated_packages_type_check(generated: Generated, tmp_path: Path) -> None:
    for style in STYLES:
        assert_mypy_clean(
            generated.folder(style), [generated.name(style)], scratch=tmp_path / style
        )


# --- texts come back ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dc(generated: Generated) -> Any:
    return import_package(generated.package("dataclasses"))


@pytest.fixture(scope="module")
def td(generated: Generated) -> Any:
    return import_package(generated.package("typeddict"))


def test_model_ids_are_models_keys(generated: Generated, dc: Any, td: Any) -> None:
    ids = set(generated.spec["models"])
    assert set(dc.MODELS) == ids
    assert set(td.MODELS) == ids
    assert not generated.marker.exists()


def test_descriptions_are_docstrings(generated: Generated, dc: Any, td: Any) -> None:
    models = generated.spec["models"]
    for model_id, spec_model in models.items():
        expected = visible(spec_model["description"])
        for module in (dc, td):
            doc = module.MODELS[model_id].__doc__
            assert visible(doc) == expected, (model_id, doc)


def attribute_docs(path: Path) -> dict[tuple[str, str], str]:
    """(class, attribute or wire name) → the docstring written below it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs: dict[tuple[str, str], str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[(node.name, stmt.target.id)] = after.value.value
    return docs


def test_property_descriptions_are_attribute_docstrings(generated: Generated, dc: Any) -> None:
    by_wire = attributes(generated.spec_folder, "Payload")
    for style, file in (("dataclasses", "models.py"), ("stubs", "models.pyi")):
        docs = attribute_docs(generated.package(style) / file)
        for wire, prop in generated.spec["models"]["Payload"]["properties"].items():
            assert visible(docs[("Payload", by_wire[wire])]) == visible(prop["description"])
    # TypedDicts in class syntax document their keys too; the functional syntax cannot.
    docs = attribute_docs(generated.package("typeddict") / "models.py")
    for (cls, key), doc in docs.items():
        if cls == "Payload":
            prop = generated.spec["models"]["Payload"]["properties"][key]
            assert visible(doc) == visible(prop["description"])


def _fields(cls: type) -> tuple[Any, ...]:
    return dataclasses.fields(cls)  # type: ignore[arg-type]


def literal_values(annotation: Any) -> set[Any]:
    """Every value of the Literals in ``annotation`` (through ``| None`` and ``list[...]``)."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    found: set[Any] = set()
    for arg in typing.get_args(annotation):
        found |= literal_values(arg)
    return found


def test_enum_values_are_literal_values(generated: Generated, dc: Any, td: Any) -> None:
    props = generated.spec["models"]["Payload"]["properties"]
    enums = {
        wire: set(p.get("enum") or p["allowableValues"]["values"]) for wire, p in props.items()
    }
    td_hints = typing.get_type_hints(td.MODELS["Payload"])
    assert {w: literal_values(td_hints[w]) for w in enums} == enums
    dc_hints = typing.get_type_hints(dc.MODELS["Payload"])
    by_wire = attributes(generated.spec_folder, "Payload")
    assert {w: literal_values(dc_hints[by_wire[w]]) for w in enums} == enums


def attributes(spec: Path, model_id: str) -> dict[str, str]:
    """Wire name → Python attribute of one model, as ari-codegen's graph decided them."""
    graph = build_graph(load_spec(spec))
    return {f.wire_name: f.py_name for f in graph.by_id[model_id].fields}


def payload_json(texts: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {f"p{i}{t}": t if i % 3 else f"{i}{t}" for i, t in enumerate(texts)}
    data["list"] = list(reversed(texts))
    return data


def test_wire_names_and_values_round_trip(generated: Generated, dc: Any, td: Any) -> None:
    texts = generated.texts
    data = payload_json(texts)
    obj = dc.MODELS["Payload"].from_dict(data)
    assert obj.to_dict() == data
    assert dc.MODELS["Payload"].from_json(obj.to_json()).to_dict() == data
    keys = td.MODELS["Payload"].__required_keys__ | td.MODELS["Payload"].__optional_keys__
    assert keys == set(generated.spec["models"]["Payload"]["properties"])


def test_discriminator_tags_dispatch_on_payload_ids(generated: Generated, dc: Any) -> None:
    texts = generated.texts
    base = dc.MODELS["Base"]
    for i, text in enumerate(texts):
        sub_id = f"Evil{i}{text}"
        data = {texts[0]: sub_id, f"q{i}{text}": i, "ref": payload_json(texts)}
        obj = base.from_dict(data)
        assert type(obj) is dc.MODELS[sub_id]
        assert obj.to_dict() == data
    assert not generated.marker.exists()


def test_module_docstrings_keep_label_and_api_version(generated: Generated, dc: Any) -> None:
    label = visible(generated.spec_folder.name)
    version = visible(generated.spec["apiVersion"])
    for module in (dc, dc.models):
        assert label in visible(module.__doc__)
        assert version in visible(module.__doc__)


def test_single_file_spec_label(generated: Generated, tmp_path: Path) -> None:
    """A spec named by its file: the (hostile) file name is the label."""
    spec = generated.spec_folder / FILE_NAME
    folder = generate_package(spec, "dataclasses", tmp_path, "ari_injected_file")
    module = import_package(folder)
    assert visible(FILE_NAME) in visible(module.__doc__)
    first = (folder / "models.py").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# Code generated by ari-codegen") and "\r" not in first
    assert not generated.marker.exists()


@pytest.mark.parametrize("style", ["dataclasses", "typeddict"])
def test_lone_surrogate_in_a_description(tmp_path: Path, style: str) -> None:
    text = '{"swaggerVersion": "1.2", "models": {"A": {"id": "A", "description": "x\\ud800y"}}}'
    write_files(tmp_path / "spec", {"s.json": text})
    name = f"ari_surrogate_{style}"
    folder = generate_package(tmp_path / "spec" / "s.json", style, tmp_path / "out", name)
    module = import_package(folder)
    assert "x" in module.A.__doc__


def test_lone_surrogates_elsewhere_are_data(tmp_path: Path) -> None:
    """In ids, wire names and enum values a lone surrogate is a string literal's escape."""
    text = (
        '{"swaggerVersion": "1.2", "models": {"A\\udfff": {"id": "A\\udfff", "properties": '
        '{"k\\ud800": {"type": "string", "enum": ["v\\udc00"]}}}}}'
    )
    write_files(tmp_path / "spec", {"s.json": text})
    folder = generate_package(tmp_path / "spec" / "s.json", "dataclasses", tmp_path, "ari_sur")
    module = import_package(folder)
    cls = module.MODELS["A\udfff"]
    assert cls.from_dict({"k\ud800": "v\udc00"}).to_dict() == {"k\ud800": "v\udc00"}


# --- identifiers ------------------------------------------------------------------------------

TYPING_NAMES = [
    "Any",
    "Literal",
    "ClassVar",
    "TypeAlias",
    "TypeVar",
    "Union",
    "Optional",
    "List",
    "Dict",
    "Self",
    "TypedDict",
    "NotRequired",
    "cast",
    "overload",
]
HELPER_NAMES = [
    "DecodeError",
    "MODELS",
    "extra_fields",
    "from_dict",
    "to_dict",
    "from_json",
    "to_json",
    "self",
    "cls",
    "d",
    "n",
    "obj",
    "exc",
    "x",
    "data",
    "text",
    "key",
    "value",
    "target",
    "tag",
    "known",
    "annotations",
    "dataclass",
    "field",
    "datetime",
    "timedelta",
    "timezone",
    "json",
    "re",
    "sys",
    "_ari_keys",
    "_ari_required",
    "_ari_tag_key",
    "_ari_leaf",
    "_ari_tags",
    "_ari_dispatch",
    "_ari_extra",
    "_ari_decode",
    "_ari_from",
    "_ari_target",
    "_ari_nearest",
    "_Model",
    "_T",
    "_new",
    "_link",
    "_date",
    "_json",
    "_re",
    "_sys",
    "_EXPECTED",
    "_generic",
    "_encode",
    "_models",
    "_kind",
    "_wrong",
    "_missing",
    "_as_dict",
    "_check_items",
    "_keep_extra",
    "_merge_extra",
    "_format_date",
    "_zone",
    "_ZONES",
    "_DATE",
    "v_self",
    "v_d",
    "v_n",
    "__init__",
    "__class__",
    "__dict__",
    "__slots__",
    "__doc__",
    "__module__",
    "__annotations__",
    "__dataclass_fields__",
    "__match_args__",
    "__post_init__",
]
BUILTIN_NAMES = [
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "tuple",
    "set",
    "frozenset",
    "object",
    "type",
    "None",
    "True",
    "False",
    "id",
    "len",
    "isinstance",
    "classmethod",
    "staticmethod",
    "property",
    "super",
    "print",
    "open",
    "ValueError",
    "KeyError",
    "Exception",
    "NotImplementedError",
    "iter",
    "next",
    "enumerate",
    "getattr",
    "setattr",
    "hash",
    "repr",
    "format",
    "vars",
]
IDENTIFIERS = list(
    dict.fromkeys(
        [*keyword.kwlist, *keyword.softkwlist, *TYPING_NAMES, *HELPER_NAMES, *BUILTIN_NAMES]
    )
)
assert set(BUILTIN_NAMES) <= set(dir(builtins))

# The parameters and locals of the generated dataclasses' _ari_decode (and v_<field>).
DECODER_LOCALS = ("cls", "d", "n", "obj", "exc")


# Property kinds cycled over the names; all of them decode to themselves (dates in
# Asterisk's own form).
KINDS: list[tuple[dict[str, Any], Any]] = [
    ({"type": "string"}, "text"),
    ({"type": "int"}, 7),
    ({"type": "double"}, 2.5),
    ({"type": "boolean"}, False),
    ({"type": "Date"}, "2026-11-26T05:48:34.307+0000"),
    ({"type": "object"}, {"nested": [1, "two", None]}),
    ({"type": "List[string]"}, ["a", "b"]),
    ({"type": "string", "enum": ["x", "y"]}, "y"),
]


def identifiers_spec() -> tuple[dict[str, Any], dict[str, Any]]:
    """A spec whose models and properties are all called like the names above, and a JSON
    value for its model ``Everything``."""
    props: dict[str, Any] = {}
    value: dict[str, Any] = {}
    for i, name in enumerate(IDENTIFIERS):
        kind, sample = KINDS[i % len(KINDS)]
        props[name] = {**kind, "required": i % 3 == 0}
        value[name] = sample
    models: dict[str, Any] = {}
    # Model ids that are those names too (referring to each other), where usable: one id
    # per Python name ("_Model" and "Model", "__class__" and "class" sanitise alike).
    hierarchy = ("Shape", "class", "MODELS", "from_dict", "Everything")
    seen: dict[str, str] = {}
    for mid in [*hierarchy, *IDENTIFIERS]:
        py = naming.class_name(mid)
        if py is not None and py not in seen:
            seen[py] = mid
    # Models called like the type names the properties use would win over those types.
    ids = [mid for mid in seen.values() if mid not in {*hierarchy, "int", "object"}]
    for i, mid in enumerate(ids):
        target = ids[(i + 1) % len(ids)]
        models[mid] = model(mid, {"next": {"$ref": target}, mid: {"type": "string"}})
    props["ref"] = {"$ref": ids[0]}
    props["refs"] = {"type": "List[DecodeError]", "required": True}
    value["ref"] = {ids[0]: "x", "next": {ids[1]: "y"}}
    value["refs"] = [{"DecodeError": "e"}, {}]
    models["Everything"] = model("Everything", props)
    # A discriminated hierarchy with a helper-named discriminator and keyword-named leaves.
    models["Shape"] = model(
        "Shape",
        {"cls": {"type": "string", "required": True}, "self": {"type": "int"}},
        discriminator="cls",
        subTypes=["class", "MODELS", "from_dict"],
    )
    models["class"] = model("class", {"d": {"type": "int", "required": True}})
    models["MODELS"] = model("MODELS", {"n": {"type": "List[Shape]"}})
    models["from_dict"] = model("from_dict", {"obj": {"$ref": "Shape"}})
    return declaration(models, resource="/identifiers"), value


@pytest.fixture(scope="module")
def identifiers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    base = tmp_path_factory.mktemp("identifiers")
    spec, value = identifiers_spec()
    write_files(base / "spec", {"identifiers.json": spec})
    for style in STYLES:
        name = "ari_identifiers_td" if style == "typeddict" else "ari_identifiers"
        generate_package(base / "spec", style, base / style, name)
    return base, value


def test_identifier_names_round_trip(identifiers: tuple[Path, dict[str, Any]]) -> None:
    base, value = identifiers
    dc = import_package(base / "dataclasses" / "ari_identifiers")
    everything = dc.MODELS["Everything"]
    obj = everything.from_dict(value)
    assert obj.to_dict() == value
    assert everything.from_json(obj.to_json()).to_dict() == value
    assert dc.extra_fields(obj) == {}
    assert issubclass(dc.DecodeError, ValueError)
    with pytest.raises(dc.DecodeError):
        everything.from_dict({**value, IDENTIFIERS[0]: 3})  # a string property
    # every Python attribute is an identifier that is no keyword; wire names are intact
    for f in _fields(everything):
        assert f.name.isidentifier() and not keyword.iskeyword(f.name)
    # dates were decoded, not kept as text
    date_name = next(n for i, n in enumerate(IDENTIFIERS) if i % len(KINDS) == 4)
    by_wire = attributes(base / "spec", "Everything")
    assert getattr(obj, by_wire[date_name]) == datetime(
        2026, 11, 26, 5, 48, 34, 307000, timezone(timedelta(0))
    )
    # the discriminated hierarchy
    shape = dc.MODELS["Shape"]
    data = {
        "cls": "MODELS",
        "self": 1,
        "n": [{"cls": "class", "d": 2}, {"cls": "from_dict", "obj": {"cls": "class", "d": 3}}],
    }
    decoded = shape.from_dict(data)
    assert type(decoded) is dc.MODELS["MODELS"]
    items = getattr(decoded, attributes(base / "spec", "MODELS")["n"])  # n_: a model is n
    assert [type(x) for x in items] == [dc.MODELS["class"], dc.MODELS["from_dict"]]
    assert decoded.to_dict() == data


def test_identifier_names_typeddict_keys(identifiers: tuple[Path, dict[str, Any]]) -> None:
    base, value = identifiers
    td = import_package(base / "typeddict" / "ari_identifiers_td")
    everything = td.MODELS["Everything"]
    assert everything.__required_keys__ | everything.__optional_keys__ == set(value)
    assert not (everything.__required_keys__ & everything.__optional_keys__)


def test_identifier_names_type_check(
    identifiers: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    base, _ = identifiers
    for style in STYLES:
        name = "ari_identifiers_td" if style == "typeddict" else "ari_identifiers"
        assert_mypy_clean(base / style, [name], scratch=tmp_path / style)


def test_identifier_names_stubs_match_runtime(
    identifiers: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    base, _ = identifiers
    result = run_stubtest(base / "dataclasses", base / "stubs", ["ari_identifiers"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", [*DECODER_LOCALS, "v0", "v1"])
def test_models_named_like_decoder_locals(tmp_path: Path, name: str) -> None:
    models = {
        name: model(name, {"a": {"type": "string"}}),
        "Holder": model(
            "Holder",
            {"ref": {"$ref": name, "required": True}, "refs": {"type": f"List[{name}]"}},
        ),
    }
    write_files(tmp_path / "spec", {"s.json": declaration(models)})
    package = f"ari_locals_{name}"
    folder = generate_package(tmp_path / "spec", "dataclasses", tmp_path / "out", package)
    module = import_package(folder)
    data = {"ref": {"a": "x"}, "refs": [{"a": "y"}, {}]}
    decoded = module.MODELS["Holder"].from_dict(data)
    assert type(decoded.ref) is module.MODELS[name]
    assert decoded.to_dict() == data


def test_ids_with_line_breaks_in_list_types(tmp_path: Path) -> None:
    """``List[...]`` holds any model id, a line break included (a regex without DOTALL
    reported it as a malformed type)."""
    odd = "a\nb\r\u2028c"
    models = {
        odd: model(odd, {"v": {"type": "int"}}),
        "Holder": model(
            "Holder", {"many": {"type": f"List[{odd}]"}, "set": {"type": f"Set[{odd}]"}}
        ),
    }
    write_files(tmp_path / "spec", {"s.json": declaration(models)})
    folder = generate_package(tmp_path / "spec", "dataclasses", tmp_path / "out", "ari_breaks")
    module = import_package(folder)
    data = {"many": [{"v": 1}, {}], "set": []}
    decoded = module.MODELS["Holder"].from_dict(data)
    assert [type(x) for x in decoded.many] == [module.MODELS[odd]] * 2
    assert decoded.to_dict() == data
