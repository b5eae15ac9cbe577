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
from collections.abc import Collection, Iterable

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
    """The alias for a field's closed set of values: ``Channel.state`` → ``ChannelState``.

    Public (exported, for users to annotate their own code with), so never a keyword, a
    builtin, a name the generated modules bind or use (a runtime helper such as
    ``_NUMBER``: :func:`is_free`), nor one of ``taken`` (classes, unions, every class's
    helper names such as ``_FooRequired``, and fields: a field so named would shadow the
    alias in its class body).
    """
    words = "".join(w[:1].upper() + w[1:] for w in field_py_name.split("_") if w)
    return unique(class_py_name.rstrip("_") + words, {*taken, *_RESERVED_CLASS_NAMES})


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


# --- the typed client: resources, methods, parameters ---------------------------

# Attributes of the generated ``Client`` / ``AsyncClient``: a resource may not take them.
CLIENT_ATTRIBUTE_NAMES = frozenset(
    {"close", "aclose", "base_url", "timeout", "transport", "connector", "closed"}
)
# Public attributes of a generated resource class (``ChannelsApi``): methods may not take them.
RESOURCE_ATTRIBUTE_NAMES = frozenset({"close", "aclose", "client", "transport", "connector"})
# Names a generated method body refers to (builtins, the method's own ``self``): a
# parameter so named would shadow them.
METHOD_BODY_NAMES = frozenset(
    {"self", "str", "int", "float", "bool", "bytes", "list", "dict", "tuple", "isinstance", "len"}
)
# The extra keyword arguments of the event-stream (WebSocket) method.
EVENT_STREAM_KEYWORDS = frozenset({"reconnect", "strict", "on_decode_error", "on_reconnect"})

_BOUNDARY_AFTER_LOWER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_BOUNDARY_IN_CAPS = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_UNDERSCORES = re.compile(r"__+")


def snake_case(name: str) -> str:
    """``deviceStates`` → ``device_states``, ``sendDTMF`` → ``send_dtmf``: ``_`` before a capital
    after a lowercase letter or digit, and before the last capital of a run followed by a
    lowercase letter; then lowercase (``getIDs`` → ``get_i_ds``).  ASCII letters only."""
    text = _BOUNDARY_AFTER_LOWER.sub("_", name)
    text = _BOUNDARY_IN_CAPS.sub("_", text)
    return text.lower()


def identifier(name: str, fallback: str) -> str:
    """``snake_case(name)`` as a public ASCII identifier (no leading ``_``): other characters
    become ``_``; a leading digit gets ``fallback_``, nothing usable ``fallback``; a
    keyword a trailing ``_``."""
    text = _INVALID.sub("_", snake_case(name))
    text = _UNDERSCORES.sub("_", text).strip("_")
    if not text:
        text = fallback
    elif text[0].isdigit():
        text = f"{fallback}_{text}"
    if keyword.iskeyword(text):  # soft keywords (`type`, `match`) are valid names
        text += "_"
    return text


def _free(name: str, taken: Iterable[str] | set[str], reserved: frozenset[str]) -> str:
    taken = taken if isinstance(taken, set) else set(taken)
    while name in taken or name in reserved or keyword.iskeyword(name):
        name += "_"
    return name


def resource_py_name(name: str) -> str:
    """The client attribute for a resource: ``deviceStates`` → ``device_states``."""
    return _free(identifier(name, "resource"), (), CLIENT_ATTRIBUTE_NAMES)


def resource_class_name(name: str) -> str:
    """The class for a resource: ``deviceStates`` → ``DeviceStatesApi``."""
    return pascal_case(identifier(name, "resource").rstrip("_")) + "Api"


def resource_names(
    names: Iterable[str], taken_classes: Iterable[str] = ()
) -> dict[str, tuple[str, str]]:
    """Each resource name → (attribute, class name), unique across the client.

    ``taken_classes``: names the client module already uses (the model classes it
    imports), which a resource class may not take.
    """
    out: dict[str, tuple[str, str]] = {}
    attributes: set[str] = set()
    classes: set[str] = set(taken_classes)
    for name in sorted(set(names)):
        attribute = _free(resource_py_name(name), attributes, CLIENT_ATTRIBUTE_NAMES)
        cls = _free(resource_class_name(name), classes, frozenset())
        attributes.add(attribute)
        classes.add(cls)
        out[name] = (attribute, cls)
    return out


def method_names(nicknames: Iterable[str]) -> dict[str, str]:
    """Each operation nickname of one resource → its method name, unique in the class.

    ``originateWithId`` → ``originate_with_id``; ``close`` → ``close_`` (the class's
    own attribute); ``sendDTMF`` and ``send_dtmf`` in one resource: the one already
    spelled so keeps it, the other becomes ``send_dtmf_``.
    """
    return _assign(nicknames, "operation", RESOURCE_ATTRIBUTE_NAMES)


def parameter_names(wire_names: Iterable[str], *, event_stream: bool = False) -> dict[str, str]:
    """Each parameter → its keyword argument, unique in the method (``from`` → ``from_``);
    names a method body uses and the event stream's own keywords get a trailing ``_``."""
    reserved = METHOD_BODY_NAMES | (EVENT_STREAM_KEYWORDS if event_stream else frozenset())
    return _assign(wire_names, "param", reserved)


def _assign(names: Iterable[str], fallback: str, reserved: frozenset[str]) -> dict[str, str]:
    wanted = {name: identifier(name, fallback) for name in dict.fromkeys(names)}
    # A name already spelled as its identifier goes first, then by the spec name: the
    # outcome does not depend on the spec's order.
    order = sorted(wanted, key=lambda n: (wanted[n] != n, n))
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in order:
        chosen = _free(wanted[name], taken, reserved)
        taken.add(chosen)
        out[name] = chosen
    return {name: out[name] for name in wanted}


def pascal_case(name: str) -> str:
    """``deviceStates`` → ``DeviceStates``, ``channel_id`` → ``ChannelId``."""
    return "".join(part[:1].upper() + part[1:] for part in _INVALID.sub("_", name).split("_"))
