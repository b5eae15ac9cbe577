"""Hypothesis strategies: random valid Swagger 1.x specs, JSON that fits them, mutations.

:func:`spec_plans` draws a :class:`SpecPlan`: models (odd ids), inheritance through
``extends`` and/or ``subTypes``, discriminators, properties of every kind (primitives in
all their spellings, enums, ``List[X]`` and ``array``/``items``, references, cycles
included), optional and required (on the property, in the model's list, or both), odd
names and texts, spread over one to three files, with or without a ``resources.json``.

The plan is its own oracle: :meth:`SpecPlan.fields` says which JSON keys a model has and
of which type, so :func:`json_values` can draw JSON objects that a generated dataclass
must decode and encode back unchanged.  :func:`mutated` then breaks a valid spec in
random ways (deleted and renamed keys, values of the wrong JSON kind, dangling or cyclic
references, broken text): ari-codegen must either accept it or report a clean SpecError.
"""

from __future__ import annotations

import copy
import json
import keyword
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from hypothesis import strategies as st

from ari_codegen import naming
from ari_codegen.load.options import MAX_TYPE_DEPTH

# --- names and texts ----------------------------------------------------------------------

KEYWORDS = sorted({*keyword.kwlist, *keyword.softkwlist})
# fmt: off
BUILTINS = ["str", "int", "float", "bool", "list", "dict", "tuple", "frozenset", "object",
            "type", "id", "len", "print", "open", "classmethod", "property", "None", "True"]
TYPING = ["Any", "Literal", "ClassVar", "TypeAlias", "TypeVar", "Union", "Optional", "Self",
          "TypedDict", "List", "Dict"]
HELPERS = ["DecodeError", "MODELS", "extra_fields", "from_dict", "to_dict", "from_json",
           "to_json", "self", "cls", "d", "n", "obj", "exc", "x", "_ari_keys", "_ari_extra",
           "_ari_tag_key", "_Model", "_T", "v_x", "__init__", "__class__", "datetime",
           "dataclass", "field", "annotations", "json", "_json"]
ODD = ['"""', "'''", '"', "'", "\\", "a\nb", "\r", "\r\n", "\u2028", "\u2029", "\x85",
       "\x00", "\x1b[0m", "{{ x }}", "{% if x %}", "{#", "é", "ß", "中文", "😀", "\u202e",
       "", " ", "-", "1abc", "a-b", "a b", "a.b", "max-load", "Ünïcode", "\t", "#", "%s", "{0}",
       # every line break str.splitlines() knows; text ending in a backslash
       "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "a\x0bb\x0cc", "a\x1cb\x85c\u2029d",
       "ends \\", "\\\\", "a\\\r\nb\\", 'x \\"""']
# fmt: on
# Names the generator invents from two spec names: "_" + class + Field is a Literal alias,
# so (NUMBE, r) spells the runtime's _NUMBER and (Foo, required) the TypedDict helper
# _FooRequired.  Model ids and property names that, paired, spell such a name.
_PRIVATE = sorted(n for n in naming.RUNTIME_NAMES if n.startswith("_") and n[1:2].isalpha())
_SPLITS = [(n[1:i], n[i:]) for n in _PRIVATE for i in range(2, len(n)) if n[i].isupper()]
COLLIDING_IDS = sorted({mid for mid, _ in _SPLITS} | {"DAT", "Foo", "Type", "var"})
COLLIDING_FIELDS = sorted(
    {f for _, f in _SPLITS} | {"e", "required", "optional", "Required", "Optional", "Type", "var"}
)
POOL = KEYWORDS + BUILTINS + TYPING + HELPERS + ODD + sorted(naming.RUNTIME_NAMES)

# Spellings of each primitive (any case reads the same).
SPELLINGS: dict[str, list[dict[str, Any]]] = {
    "str": [{"type": "string"}, {"type": "String"}],
    "int": [{"type": "int"}, {"type": "integer"}, {"type": "long"}, {"type": "Long"}],
    "float": [{"type": "double"}, {"type": "float"}, {"type": "number"}],
    "bool": [{"type": "boolean"}, {"type": "bool"}],
    "datetime": [
        {"type": "Date"},
        {"type": "date"},
        {"type": "dateTime"},
        {"type": "date-time"},
        {"type": "string", "format": "date-time"},
    ],
    "object": [{"type": "object"}, {"type": "Object"}],
    "any": [{"type": "any"}],
}
PRIMITIVES = tuple(SPELLINGS)
# Type names a model must not be called (it would win over the type of that name).
# fmt: off
TYPE_NAMES = frozenset(
    {"string", "int", "integer", "long", "double", "float", "number", "boolean", "bool",
     "date", "datetime", "date-time", "object", "any", "array", "list", "set"}
)
# fmt: on

# Any text; often one of the characters that break lines, quoting or encodings: line and
# paragraph separators, controls, format characters and lone surrogates (Hypothesis
# leaves those out by default; JSON can carry them as escapes).
_odd_chars = st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Zs"])
texts = st.one_of(st.text(max_size=12), st.text(_odd_chars, min_size=1, max_size=4)).map(
    lambda t: json.loads(json.dumps(t))  # as JSON reads it: a surrogate pair is one character
)
descriptions = st.one_of(
    st.none(),
    st.sampled_from(ODD),
    st.text(max_size=30),
    st.lists(st.one_of(texts, st.sampled_from(ODD)), max_size=4).map("".join),
)
wire_names = st.one_of(
    st.sampled_from(POOL),
    st.sampled_from(COLLIDING_FIELDS),
    st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True),
    texts,
)


def usable_id(model_id: str) -> bool:
    """Can a model be called ``model_id`` in a *valid* spec that the plan's types read as
    intended?"""
    name = naming.class_name(model_id)
    return (
        name is not None
        and model_id.lower() not in TYPE_NAMES
        and "[" not in model_id
        and "]" not in model_id
        and model_id == model_id.strip()
    )


model_ids = st.one_of(
    st.sampled_from(POOL),
    st.sampled_from(COLLIDING_IDS),
    st.from_regex(r"[A-Z][A-Za-z0-9]{0,8}", fullmatch=True),
    st.text(min_size=1, max_size=10),
).filter(usable_id)


# --- types ---------------------------------------------------------------------------------

# A type, as the plan knows it: ("str",) ... ("any",) | ("enum", base, values) |
# ("list", item) | ("ref", model id).
TypeT = tuple[Any, ...]


def type_exprs(ids: list[str], depth: int = 2) -> st.SearchStrategy[TypeT]:
    prims = st.sampled_from(PRIMITIVES).map(lambda p: (p,))
    enums = st.one_of(
        st.lists(texts, min_size=1, max_size=4, unique=True).map(
            lambda v: ("enum", "str", tuple(v))
        ),
        st.lists(st.integers(-5, 10**12), min_size=1, max_size=3, unique=True).map(
            lambda v: ("enum", "int", tuple(v))
        ),
        st.lists(
            st.floats(allow_nan=False, allow_infinity=False, width=32),
            min_size=1,
            max_size=2,
            unique=True,
        ).map(lambda v: ("enum", "float", tuple(v))),
    )
    refs = st.sampled_from(ids).map(lambda i: ("ref", i)) if ids else prims
    kinds = {"prim": prims, "enum": enums, "ref": refs}
    if depth > 0:
        kinds["list"] = type_exprs(ids, depth - 1).map(lambda t: ("list", t))
    # now and then lists of lists as deep as a spec may nest them (MAX_TYPE_DEPTH)
    kinds["deep"] = st.tuples(st.one_of(prims, enums, refs), st.integers(3, MAX_TYPE_DEPTH)).map(
        lambda item_n: _nested(*item_n)
    )
    # weights (one_of would draw each branch alike): mostly primitives, often references
    weights = ["prim"] * 5 + ["enum"] * 2 + ["ref"] * 3 + ["list"] * (3 if depth > 0 else 0)
    weights += ["deep"] if depth == 2 else []
    return st.sampled_from(weights).flatmap(kinds.__getitem__)


def _nested(item: TypeT, n: int) -> TypeT:
    for _ in range(n):
        item = ("list", item)
    return item


def _list_depth(t: TypeT) -> int:
    n = 0
    while t[0] == "list":
        t, n = t[1], n + 1
    return n


@st.composite
def spelled(draw: st.DrawFn, t: TypeT) -> dict[str, Any]:
    """One of the JSON spellings of a type (the property object without its description)."""
    kind = t[0]
    if kind in SPELLINGS:
        return dict(draw(st.sampled_from(SPELLINGS[kind])))
    if kind == "enum":
        _, base, values = t
        spelling = dict(draw(st.sampled_from(SPELLINGS[base])))
        if base == "str" and draw(st.booleans()):
            spelling["allowableValues"] = {"valueType": "LIST", "values": list(values)}
        else:
            spelling["enum"] = list(values)
        return spelling
    if kind == "ref":
        return draw(st.sampled_from([{"$ref": t[1]}, {"type": t[1]}]))
    assert kind == "list"
    item = t[1]
    short = _short_name(item)
    if short is not None and draw(st.booleans()):
        return {"type": draw(st.sampled_from(["List", "list", "Set", "Array"])) + f"[{short}]"}
    if item[0] == "enum" and item[1] == "str" and draw(st.booleans()):
        # allowableValues on a List[string] constrain its items
        return {
            "type": "List[string]",
            "allowableValues": {"valueType": "LIST", "values": list(item[2])},
        }
    return {"type": draw(st.sampled_from(["array", "Array", "List"])), "items": draw(spelled(item))}


def _short_name(t: TypeT) -> str | None:
    """The name ``List[...]`` can hold for ``t``, if there is one (not for an enum)."""
    if t[0] == "ref":
        return str(t[1])
    if t[0] in SPELLINGS:
        return str(SPELLINGS[t[0]][0]["type"])
    if t[0] == "list":
        inner = _short_name(t[1])
        return f"List[{inner}]" if inner is not None else None
    return None


# --- the plan --------------------------------------------------------------------------------


@dataclass
class Prop:
    wire: str
    type: TypeT
    required: bool
    description: str | None
    spelling: dict[str, Any]
    required_on_property: bool  # else in the model's "required" list (when required)


@dataclass
class ModelPlan:
    id: str
    parent: str | None
    props: list[Prop]
    description: str | None
    discriminator: str | None  # declared here
    write_extends: bool  # the child names its parent
    list_sub_types: bool  # the parent lists its children
    file: int = 0


@dataclass
class Field:
    wire: str
    type: TypeT
    required: bool


@dataclass
class SpecPlan:
    models: dict[str, ModelPlan]  # parents before children
    file_names: list[str]
    listing: bool
    versions: list[Any]
    api_version: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    def children(self, model_id: str) -> list[str]:
        return [m.id for m in self.models.values() if m.parent == model_id]

    def chain(self, model_id: str) -> list[str]:
        """The model's ancestors, root first, and the model."""
        out = [model_id]
        while self.models[out[0]].parent is not None:
            out.insert(0, self.models[out[0]].parent)  # type: ignore[arg-type]
        return out

    def descendants(self, model_id: str) -> list[str]:
        out: list[str] = []
        stack = self.children(model_id)
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children(current))
        return out

    def discriminator(self, model_id: str) -> str | None:
        for mid in reversed(self.chain(model_id)):
            if self.models[mid].discriminator is not None:
                return self.models[mid].discriminator
        return None

    def fields(self, model_id: str) -> list[Field]:
        """Every JSON key of the model (inherited first), its type and required-ness."""
        fields: dict[str, Field] = {}
        for mid in self.chain(model_id):
            for p in self.models[mid].props:
                if p.wire in fields:
                    fields[p.wire].required |= p.required
                else:
                    fields[p.wire] = Field(p.wire, p.type, p.required)
        return list(fields.values())

    def choices(self, model_id: str) -> list[str]:
        """The classes a JSON object for a field of this model type may be."""
        if self.discriminator(model_id) is None:
            return [model_id]
        return [model_id, *self.descendants(model_id)]

    @cached_property
    def min_depth(self) -> dict[str, float]:
        """How deep the smallest JSON object of each model is (inf: none is finite)."""
        depth: dict[str, float] = {mid: float("inf") for mid in self.models}

        def cost(t: TypeT) -> float:
            if t[0] == "ref":
                return min(depth[c] for c in self.choices(t[1]))
            return 0  # primitives, enums; lists may be empty

        changed = True
        while changed:
            changed = False
            for mid in self.models:
                required = [f for f in self.fields(mid) if f.required]
                new = 1 + max((cost(f.type) for f in required), default=0)
                if new < depth[mid]:
                    depth[mid] = new
                    changed = True
        return depth

    def documents(self) -> dict[str, Any]:
        """{relative file name: JSON value} of the spec folder."""
        docs: dict[str, Any] = {}
        per_file: list[dict[str, Any]] = [{} for _ in self.file_names]
        for m in self.models.values():
            per_file[m.file][m.id] = self.model_json(m)
        prefix = "api-docs/" if self.listing else ""
        for i, name in enumerate(self.file_names):
            doc: dict[str, Any] = {"swaggerVersion": self.versions[i], "models": per_file[i]}
            if self.api_version is not None:
                doc["apiVersion"] = self.api_version
            doc.update({"resourcePath": f"/{i}", "apis": []})
            docs[prefix + name] = doc
        if self.listing:
            docs["resources.json"] = {
                "swaggerVersion": "1.1",
                "apiVersion": self.api_version or "1",
                "apis": [{"path": f"/api-docs/{n[:-5]}.{{format}}"} for n in self.file_names],
            }
        docs.update(self.extra)
        return docs

    def model_json(self, m: ModelPlan) -> dict[str, Any]:
        out: dict[str, Any] = {"id": m.id}
        if m.description is not None:
            out["description"] = m.description
        props: dict[str, Any] = {}
        listed: list[str] = []
        for p in m.props:
            prop = dict(p.spelling)
            if p.description is not None:
                prop["description"] = p.description
            if p.required and p.required_on_property:
                prop["required"] = True
            elif p.required:
                listed.append(p.wire)
            elif p.required_on_property:
                prop["required"] = False
            props[p.wire] = prop
        out["properties"] = props
        if listed:
            out["required"] = listed
        if m.parent is not None and m.write_extends:
            out["extends"] = m.parent
        children = self.children(m.id)
        if m.list_sub_types and (children or m.parent is None):
            out["subTypes"] = children
        if m.discriminator is not None:
            out["discriminator"] = m.discriminator
        return out


@st.composite
def spec_plans(draw: st.DrawFn, max_models: int = 7) -> SpecPlan:
    ids: list[str] = draw(
        st.lists(model_ids, min_size=1, max_size=max_models, unique_by=naming.class_name)
    )
    models: dict[str, ModelPlan] = {}
    for i, mid in enumerate(ids):
        parent = draw(st.one_of(st.none(), st.sampled_from(ids[:i]))) if i else None
        # How the parent side is written is the parent's choice: subTypes lists all of its
        # children, or none of them (then every child says extends).
        lists = models[parent].list_sub_types if parent is not None else False
        write_extends = True if parent is not None and not lists else draw(st.booleans())
        models[mid] = ModelPlan(
            id=mid,
            parent=parent,
            props=[],
            description=draw(descriptions),
            discriminator=None,
            write_extends=write_extends,
            list_sub_types=draw(st.booleans()),
        )
    plan = SpecPlan(
        models=models,
        file_names=[],
        listing=draw(st.booleans()),
        versions=[],
        api_version=draw(st.one_of(st.none(), st.sampled_from(["1.0.0", "22.0.0"]), texts)),
    )
    for mid in ids:
        _draw_props(draw, plan, mid, ids)
    for mid in ids:
        _draw_discriminator(draw, plan, mid)
    files = draw(
        st.lists(
            st.sampled_from(["events", "channels", "x y", "é'\"", "{{ x }}", "a%b", "A"]),
            min_size=1,
            max_size=3,
            unique_by=str.lower,
        )
    )
    plan.file_names = [f"{f}.json" for f in files]
    plan.versions = [draw(st.sampled_from(["1.1", "1.2", "1.3", 1.2])) for _ in files]
    for m in models.values():
        m.file = draw(st.integers(0, len(files) - 1))
    return plan


def _draw_props(draw: st.DrawFn, plan: SpecPlan, mid: str, ids: list[str]) -> None:
    m = plan.models[mid]
    inherited = {f.wire: f for f in plan.fields(m.parent)} if m.parent else {}
    taken = set(inherited)
    for _ in range(draw(st.integers(0, 5))):
        if inherited and draw(st.integers(0, 4)) == 0:
            # redeclare an inherited property with the same type (spelled any way)
            wire = draw(st.sampled_from(sorted(inherited)))
            if any(p.wire == wire for p in m.props):
                continue
            t = inherited[wire].type
        else:
            wire = draw(wire_names)
            if wire in taken:
                continue
            t = draw(type_exprs(ids))
        taken.add(wire)
        m.props.append(
            Prop(
                wire=wire,
                type=t,
                required=draw(st.booleans()),
                description=draw(descriptions),
                spelling=draw(spelled(t)),
                required_on_property=draw(st.booleans()),
            )
        )


def _draw_discriminator(draw: st.DrawFn, plan: SpecPlan, mid: str) -> None:
    """Maybe a discriminator on ``mid``: never below another one."""
    if any(plan.models[a].discriminator for a in plan.chain(mid)):
        return
    if any(plan.models[d].discriminator for d in plan.descendants(mid)):
        return
    if draw(st.integers(0, 2)) != 0:
        return
    below = {f.wire: f for d in plan.descendants(mid) for f in plan.fields(d)}
    strings = [f.wire for f in plan.fields(mid) if f.type == ("str",)]
    strings = [w for w in strings if w and (w not in below or below[w].type == ("str",))]
    m = plan.models[mid]
    if strings and draw(st.booleans()):
        m.discriminator = draw(st.sampled_from(strings))
        return
    wire = draw(wire_names)
    if not wire or wire in below or any(f.wire == wire for f in plan.fields(mid)):
        return  # an empty discriminator is refused (test_errors)
    m.props.append(
        Prop(wire, ("str",), draw(st.booleans()), draw(descriptions), {"type": "string"}, True)
    )
    m.discriminator = wire


# --- JSON that fits a plan ----------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
json_any = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=6,
)


@st.composite
def asterisk_dates(draw: st.DrawFn) -> str:
    """A date exactly as Asterisk writes it (what the generated code writes back)."""
    year = draw(st.integers(1, 9999))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    h, mi, s = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    ms = draw(st.integers(0, 999))
    offset = draw(st.integers(-(23 * 60 + 59), 23 * 60 + 59))
    sign = "-" if offset < 0 else "+"
    oh, om = divmod(abs(offset), 60)
    return (
        f"{year:04d}-{month:02d}-{day:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}{sign}{oh:02d}{om:02d}"
    )


def json_values(plan: SpecPlan, model_id: str, extra_budget: int = 2) -> st.SearchStrategy[Any]:
    """JSON objects for ``model_id`` (None if the model has no finite instance)."""
    need = plan.min_depth[model_id]
    if need == float("inf"):
        return st.none()
    return _object(plan, model_id, int(need) + extra_budget)


@st.composite
def _object(draw: st.DrawFn, plan: SpecPlan, model_id: str, budget: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tag = plan.discriminator(model_id)
    for f in plan.fields(model_id):
        if f.wire == tag:
            out[f.wire] = model_id
            continue
        if f.required:
            out[f.wire] = draw(_value(plan, f.type, budget - 1))
        else:
            choice = draw(st.integers(0, 3))
            if choice == 0:
                out[f.wire] = None  # kept, and written back, as null
            elif choice >= 2 and _fits(plan, f.type, budget - 1):
                out[f.wire] = draw(_value(plan, f.type, budget - 1))
    if draw(st.integers(0, 4)) == 0:  # a key the spec does not know: kept as it came
        key = draw(wire_names)
        if key not in out and all(key != f.wire for f in plan.fields(model_id)):
            out[key] = draw(json_any)
    return out


def _fits(plan: SpecPlan, t: TypeT, budget: int) -> bool:
    if t[0] == "ref":
        return any(plan.min_depth[c] <= budget for c in plan.choices(t[1]))
    return True


def _value(plan: SpecPlan, t: TypeT, budget: int) -> st.SearchStrategy[Any]:
    kind = t[0]
    if kind == "str":
        return texts
    if kind == "int":
        return st.integers(-(10**20), 10**20)
    if kind == "float":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers())
    if kind == "bool":
        return st.booleans()
    if kind == "datetime":
        return asterisk_dates()
    if kind == "object":
        return st.dictionaries(texts, json_any, max_size=3)
    if kind == "any":
        return json_any.filter(lambda v: v is not None)
    if kind == "enum":
        _, base, values = t
        other = (
            texts
            if base == "str"
            else st.integers()
            if base == "int"
            else st.floats(allow_nan=False, allow_infinity=False)
        )
        # A value outside the set (a newer Asterisk's) is kept as it came.
        return st.one_of(st.sampled_from(values), st.sampled_from(values), other)
    if kind == "list":
        if not _fits(plan, t[1], budget):
            return st.just([])
        # deep lists of lists: one item a level, or the value grows as 3 ** depth
        return st.lists(_value(plan, t[1], budget), max_size=3 if _list_depth(t) < 4 else 1)
    assert kind == "ref"
    fitting = [c for c in plan.choices(t[1]) if plan.min_depth[c] <= budget]
    assert fitting, (t, budget)
    return st.sampled_from(fitting).flatmap(lambda c: _object(plan, c, budget))


# --- breaking a valid spec ----------------------------------------------------------------------

# fmt: off
_WRONG = [None, True, False, 0, -1, 1.5, "", "x", [], {}, ["x"], {"x": 1}, [None], "List[",
          "List[]", "List[List[", "]", "Nope", "array", "object", "1.2", "2.0", "true"]
# fmt: on
# (copied: a mutation may change a drawn list or object in place later)
WRONG_VALUES = st.one_of(st.sampled_from(_WRONG).map(copy.deepcopy), json_any)


@st.composite
def mutated(draw: st.DrawFn, plan: SpecPlan) -> dict[str, Any]:
    """The plan's files, each as JSON text (maybe broken), after a few random mutations."""
    docs = json.loads(json.dumps(plan.documents()))
    ids = list(plan.models)
    for _ in range(draw(st.integers(1, 4))):
        _mutate(draw, docs, ids)
    out = {
        name: json.dumps(doc, indent=draw(st.sampled_from([None, 1]))) for name, doc in docs.items()
    }
    if draw(st.integers(0, 7)) == 0:
        name = draw(st.sampled_from(sorted(out)))
        out[name] = _break_text(draw, out[name])
    return out


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(value, (dict, list)) else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _containers(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _containers(v, (*path, i))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _targets(doc: Any, where: str) -> list[tuple[Any, ...]]:
    """Paths of the containers of one kind: a model, a property, a type, or any."""
    paths = _containers(doc)
    if where == "model":
        return [p for p in paths if len(p) == 2 and p[0] == "models"]
    if where == "property":
        return [p for p in paths if len(p) == 4 and p[0] == "models" and p[2] == "properties"]
    if where == "type":  # a property, or its items
        return [p for p in paths if len(p) >= 4 and p[0] == "models" and p[2] == "properties"]
    return paths


# fmt: off
BAD_TYPES = ["List[", "List[]", "List[Nope]", "Nope", "List[List[string]", "string]", "array",
             "Set[int]", "", " ", "List[ string ]", "List[List[]]", "date-time", "DATE", "Any"]
BAD_PATHS = ["/../x.json", "/api-docs/../../y", "/nope.{format}", "/api-docs", "", "/\x00",
             "//abs", "/api-docs/" + "x" * 300]
RENAMES = ["extend", "subtypes", "SubTypes", "$REF", "Type", "item", "model", "Required",
           "ID", "Properties", "allowablevalues", "discriminator", "required", "items"]
OPS = {
    # where: the operations that make sense there
    "model": ["extends", "subTypes", "discriminator", "required", "delete", "rename", "wrong",
              "copy-model", "id"],
    "property": ["type", "ref", "required", "delete", "rename", "wrong", "enum"],
    "type": ["type", "ref", "items", "delete", "wrong"],
    "any": ["delete", "rename", "wrong"],
}
# fmt: on


def _mutate(draw: st.DrawFn, docs: dict[str, Any], ids: list[str]) -> None:
    name = draw(st.sampled_from(sorted(docs)))
    doc = docs[name]
    if name == "resources.json" and isinstance(doc, dict) and draw(st.booleans()):
        apis = doc.setdefault("apis", [])
        if isinstance(apis, list):
            apis.append({"path": draw(st.sampled_from(BAD_PATHS))})
            return
    if not isinstance(doc, (dict, list)) or draw(st.sampled_from([False] * 30 + [True])):
        docs[name] = draw(st.one_of(WRONG_VALUES, st.just({"swaggerVersion": "1.2"})))
        return
    where = draw(st.sampled_from(["model", "model", "property", "property", "type", "any"]))
    paths = _targets(doc, where) or _targets(doc, "any")
    path = draw(st.sampled_from(paths))
    node = _at(doc, path)
    some_id = st.one_of(st.sampled_from(ids), wire_names)
    if isinstance(node, list):
        if not node:
            node.append(draw(st.one_of(WRONG_VALUES, some_id)))
        elif draw(st.booleans()):
            del node[draw(st.integers(0, len(node) - 1))]
        else:
            node[draw(st.integers(0, len(node) - 1))] = draw(st.one_of(WRONG_VALUES, some_id))
        return
    keys = list(node)
    op = draw(st.sampled_from(OPS.get(where, OPS["any"]) if paths else OPS["any"]))
    if op in ("delete", "rename", "wrong") and not keys:
        node[draw(wire_names)] = draw(WRONG_VALUES)
    elif op == "delete":
        del node[draw(st.sampled_from(keys))]
    elif op == "rename":
        key = draw(st.sampled_from(keys))
        node[draw(st.one_of(wire_names, st.sampled_from(RENAMES)))] = node.pop(key)
    elif op == "wrong":
        node[draw(st.sampled_from(keys))] = draw(WRONG_VALUES)
    elif op == "type":
        node.pop("$ref", None)
        node["type"] = draw(
            st.one_of(
                st.sampled_from(BAD_TYPES),
                st.sampled_from(ids),
                st.sampled_from(ids).map(lambda i: f"List[{i}]"),
            )
        )
    elif op == "ref":
        node["$ref"] = draw(some_id)
    elif op == "items":
        node["items"] = draw(st.one_of(WRONG_VALUES, st.fixed_dictionaries({"$ref": some_id})))
    elif op == "enum":
        node["enum"] = draw(st.one_of(WRONG_VALUES, st.lists(json_scalars, max_size=3)))
    elif op == "extends":
        node["extends"] = draw(some_id)  # maybe a cycle, maybe disagreeing with subTypes
    elif op == "subTypes":
        node["subTypes"] = draw(st.lists(some_id, max_size=3))
    elif op == "discriminator":
        props = node.get("properties")
        names = sorted(props) if isinstance(props, dict) and props else ["x"]
        node["discriminator"] = draw(st.one_of(st.sampled_from(names), wire_names, WRONG_VALUES))
    elif op == "required":
        node["required"] = draw(st.one_of(WRONG_VALUES, st.lists(wire_names, max_size=2)))
    elif op == "id":
        node["id"] = draw(st.one_of(some_id, WRONG_VALUES))
    elif op == "copy-model":
        models = doc.get("models") if isinstance(doc, dict) else None
        if isinstance(models, dict) and models:
            source = draw(st.sampled_from(sorted(models)))
            copy = json.loads(json.dumps(models[source]))
            key = draw(some_id)
            if draw(st.booleans()) and isinstance(copy, dict):
                copy["id"] = key  # a new, consistent model (its class name may clash)
            models[key] = copy


def _break_text(draw: st.DrawFn, text: str) -> str:
    how = draw(st.sampled_from(["truncate", "insert", "duplicate-key", "constant", "empty"]))
    pos = len(text) - draw(st.integers(0, len(text)))  # (small draws: near the end)
    if how == "truncate":
        return text[:pos]
    if how == "insert":
        return (
            text[:pos] + draw(st.sampled_from([*list(',:{}[]"\\'), "\x00", "é", "\n"])) + text[pos:]
        )
    if how == "empty":
        return draw(st.sampled_from(["", " \n", "\ufeff"]))
    brace = text.rfind("{", 0, max(pos, 1))
    if brace < 0:
        return text
    if how == "constant":
        return text[: brace + 1] + ' "zz": NaN,' + text[brace + 1 :]
    # repeat the object's first key with another value
    end = text.find(":", brace)
    key = text[brace + 1 : end].strip()
    if not key.startswith('"'):
        return text
    return text[: brace + 1] + f" {key}: 12345," + text[brace + 1 :]
