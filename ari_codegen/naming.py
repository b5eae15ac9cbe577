"""Base layer: every naming rule of ari-codegen, in one place.

A spec's ids and property names are untrusted text.  They reach generated code only
through the functions here, which either return a valid, non-clashing Python
identifier or report that none can be made.  Wire names (the JSON keys) are kept
as data and only ever printed as string literals (see :func:`py_literal`).
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
import sys
import unicodedata
from collections.abc import Collection

from . import resources
from .styles import CLASS_HELPERS, LOCAL_NAMES, LOCAL_PATTERN, RESERVED_NAMES, STYLES

# Names every generated module imports or defines at its top level, in any style (see
# styles.STYLES).  A model called like one of these is renamed (``Any`` → ``Any_``), so
# that the generated code never shadows what it uses.  tests/test_naming.py checks the
# lists against the templates.
GENERATED_MODULE_NAMES = RESERVED_NAMES
# Names used inside a generated class body (annotations, ``frozenset(...)`` of the
# dataclasses' ``_ari_keys``, the ``@classmethod`` decorator); a *field* with one of these
# names would shadow it there (mypy then misreads every later annotation; the class body
# fails at import).  tests/test_naming.py checks this list against the templates.
ANNOTATION_NAMES = frozenset(
    {"str", "int", "float", "bool", "list", "dict", "tuple", "frozenset", "None", "Any"}
) | {
    "classmethod",
    "Literal",
    "datetime",
    "ClassVar",
}
# Methods that generated dataclasses define; fields must not replace them.
METHOD_NAMES = frozenset({"from_dict", "from_json", "to_dict", "to_json"})
# A dataclass field called ``self`` makes dataclasses name __init__'s first parameter
# ``__dataclass_self__``: the stubs' ``self`` then no longer matches (stubtest fails).
INIT_PARAMETER_NAMES = frozenset({"self"})


def _top_level_names(source: str) -> frozenset[str]:
    """Every name a module binds at its top level (imports, classes, functions, assignments)."""
    names: set[str] = set()
    todo: list[ast.AST] = list(ast.parse(source).body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif not isinstance(node, (ast.Lambda, ast.comprehension, ast.expr_context)):
            todo.extend(ast.iter_child_nodes(node))
    return frozenset(names)


# Every top-level name of the runtime modules that generated packages carry, read from
# their source: a name the templates import from them is then never taken by a model.
RUNTIME_NAMES = frozenset().union(
    *(
        _top_level_names(resources.runtime_file(src))
        for s in STYLES.values()
        for _, src in s.runtime
    )
)
# What no invented name (class, alias, TypedDict helper) may be: what the generated
# modules and their function bodies bind or read, and Python's own words.
_MODULE_NAMES = (
    frozenset(keyword.kwlist)
    | frozenset(dir(builtins))
    | GENERATED_MODULE_NAMES
    | RUNTIME_NAMES
    | LOCAL_NAMES
)
_LOCAL = re.compile(LOCAL_PATTERN)
_RESERVED_CLASS_NAMES = _MODULE_NAMES
_RESERVED_FIELD_NAMES = ANNOTATION_NAMES | METHOD_NAMES | INIT_PARAMETER_NAMES
_INVALID = re.compile(r"[^0-9A-Za-z_]+")


def _sanitize(text: str) -> str:
    return _INVALID.sub("_", text).strip("_")


def class_name(model_id: str) -> str | None:
    """The Python class name for a model id, or None when the id has nothing usable.

    ``Channel`` → ``Channel``; ``v1beta3.ObjectMeta`` → ``v1beta3_ObjectMeta``;
    ``Entry«string,Pet»`` → ``Entry_string_Pet``; ``object`` → ``object_``.
    """
    name = _sanitize(model_id)
    if not name:
        return None
    if name[0].isdigit():
        name = "Model_" + name
    if name in _RESERVED_CLASS_NAMES:
        name += "_"
    while not helper_names(name).isdisjoint(_MODULE_NAMES):
        name += "_"
    return name


def helper_names(class_py_name: str) -> frozenset[str]:
    """The names some style's templates make of a class name: ``_FooRequired``, ..."""
    return frozenset(h.format(class_py_name) for h in CLASS_HELPERS)


def is_free(name: str, taken: Collection[str] = frozenset()) -> bool:
    """Is ``name`` neither in ``taken`` nor a name the generated modules bind or use?"""
    return name not in taken and name not in _MODULE_NAMES and not _LOCAL.fullmatch(name)


def literal_alias_name(class_py_name: str, field_py_name: str, taken: Collection[str]) -> str:
    """The alias for a field's closed set of values: ``Channel.state`` → ``_ChannelState``.

    Private: an alias of a ``Literal`` is something stubtest cannot check against the
    runtime.  It can spell a runtime helper (``NUMBE.r`` → ``_NUMBER``) or a TypedDict
    helper (``Foo.required`` → ``_FooRequired``): ``taken`` holds every class's helper
    names, and :func:`unique` every name of the generated modules.
    """
    words = "".join(w[:1].upper() + w[1:] for w in field_py_name.split("_") if w)
    return unique("_" + class_py_name.rstrip("_") + words, taken)


def union_alias_name(class_py_name: str, taken: set[str]) -> str:
    """The alias for every concrete subtype of a discriminated base: ``AnyEvent``."""
    return unique("Any" + class_py_name.rstrip("_"), taken)


def field_name(wire_name: str, taken: set[str], class_names: Collection[str] = frozenset()) -> str:
    """A Python attribute for a JSON key: ``from`` → ``from_``, ``max-load`` → ``max_load``.

    Not one of ``taken`` (the model's other fields) nor a class name (a field so named
    would shadow the class in the annotations of the class body).
    """
    name = _sanitize(wire_name) or "field"
    if name[0].isdigit():
        name = "f_" + name
    if keyword.iskeyword(name) or name in _RESERVED_FIELD_NAMES:
        name += "_"
    while name in taken or name in class_names or keyword.iskeyword(name):
        name += "_"
    return name


# A package so named would shadow a module of the standard library for everything beside
# it (the generated code imports json, typing, dataclasses, ...), or import itself.
_STDLIB_MODULES = frozenset(sys.stdlib_module_names) | frozenset(sys.builtin_module_names)


def package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the generated package's name (``import name``), or None."""
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        return "is not a valid Python package name"
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        return (
            f"is not the name Python imports: it reads it as {normal!r} (NFKC); spell it that way"
        )
    if name in _STDLIB_MODULES:
        return "is a module of Python's standard library: the package would shadow it"
    return None


def unique(name: str, taken: Collection[str]) -> str:
    """``name``, or it with ``_`` appended until :func:`is_free`."""
    while not is_free(name, taken):
        name += "_"
    return name


def is_plain_key(wire_name: str, forbidden: frozenset[str] | set[str]) -> bool:
    """Can a TypedDict declare this key with class syntax (``key: T``)?"""
    return (
        wire_name.isidentifier()
        and wire_name.isascii()
        and not keyword.iskeyword(wire_name)
        and not wire_name.startswith("__")
        and wire_name not in ANNOTATION_NAMES
        and wire_name not in forbidden
    )


def py_literal(value: str | int | float) -> str:
    """A Python literal for a value taken from the spec: data, never code."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"not a literal value: {value!r}")
    if isinstance(value, str):
        # repr() always gives a valid, single-line literal; force double quotes so that
        # black has nothing to rewrite and output stays stable.
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text
    return repr(value)


def docstring(text: str | None, indent: str = "    ") -> str | None:
    """A docstring body that cannot end the string early nor escape anything.

    Laid out the way black lays out docstrings (so black has nothing to change):
    lines after the first dedented and then indented by ``indent``, a multi-line
    docstring's closing quotes on a line of their own, padding where the text starts
    or ends with a quote.  Backslashes, triple quotes and control characters are
    escaped, so the text reads back exactly as written.
    """
    if not text or not text.strip():
        return None
    lines = text.strip().splitlines()
    rest = [line.rstrip() for line in lines[1:]]
    margin = min((len(line) - len(line.lstrip()) for line in rest if line.strip()), default=0)
    body = [_escape_text(lines[0].strip())]
    body.extend(indent + _escape_text(line[margin:]) if line.strip() else "" for line in rest)
    out = "\n".join(body)
    if out.startswith('"'):
        out = " " + out
    if len(body) > 1:
        out += "\n" + indent
    elif out.endswith('"'):
        out += " "
    return out


def _escape_text(line: str) -> str:
    line = line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return "".join(c if c.isprintable() else _escape(c) for c in line)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        # A lone surrogate (JSON allows "\\ud800") cannot live in a class's __doc__: keep
        # it as the text of its escape.
        return f"\\\\u{code:04x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def module_header_text(text: str) -> str:
    """Single-line text safe inside a ``#`` comment."""
    return "".join(c if c.isprintable() else _escape(c) for c in " ".join(text.split()))
