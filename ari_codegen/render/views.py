"""Render layer: the type graph → what templates print (views: every string already safe).

Templates only loop and test; every string they print comes from here, already
safe: identifiers come from :mod:`naming`, spec text only as literals
(:func:`naming.py_literal`) or escaped docstrings (:func:`naming.docstring`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import naming
from ..graph import Enum, Field, ListOf, Model, ModelRef, Prim, TypeExpr, TypeGraph
from .formatting import LINE_LENGTH
from .kinds import Decode, Encode, decode_kind, encode_kind


@dataclass(frozen=True)
class FieldView:
    name: str  # Python attribute
    # its local variable in generated code (_v0, _v1, ...): short lines, and never the
    # name of a class (class names do not start with "_")
    local: str
    wire: str  # the JSON key, as a Python string literal
    wire_raw: str  # the JSON key itself (for comparisons in the renderer only)
    annotation: str  # dataclasses
    stub_annotation: str  # stubs: the same with closed sets spelled out (stubtest cannot
    # check an alias of a Literal, so the stubs declare none)
    td_annotation: str  # TypedDict: the JSON value as json.loads gives it
    td_annotation_literal: str  # the same as a string (functional TypedDict syntax)
    required: bool
    doc: str | None  # between """ and """ only
    comment: str  # the same text on one line, for after a "#" ("" when none)
    doc_literal: str  # the same text as a Python string literal (wherever a value goes)
    tag: str | None  # Literal value (as a literal) of a concrete subtype's discriminator
    decode: Decode  # how generated code checks / converts the JSON value (kinds.py)
    decode_arg: str  # the class, or the generic type spec, that ``decode`` needs
    encode: Encode
    plain_key: bool  # can be a TypedDict key in class syntax


@dataclass(frozen=True)
class ModelView:
    name: str
    id: str  # literal
    doc: str | None  # between """ and """ only
    comment: str  # the same text on one line, for after a "#" ("" when none)
    doc_literal: str  # the same text as a Python string literal (wherever a value goes)
    base: str | None
    own_fields: tuple[FieldView, ...]
    fields: tuple[FieldView, ...]
    required_fields: tuple[FieldView, ...]
    optional_fields: tuple[FieldView, ...]
    tag_key: str | None  # literal wire name of the discriminator
    tag: str | None  # literal: this model's own tag when it is a concrete subtype
    td_plain: bool  # all TypedDict keys can use class syntax


@dataclass(frozen=True)
class UnionView:
    name: str
    base: str
    members: tuple[str, ...]
    doc: str
    one_line: bool  # fits on one line (else black's parenthesized, one member a line)


@dataclass(frozen=True)
class LiteralView:
    name: str
    values: tuple[str, ...]  # literals
    doc: str


@dataclass(frozen=True)
class PackageView:
    header: str  # a whole "#" comment line
    doc: str  # between """ and """ only
    title_comment: str  # the spec's title on one line, for after a "#"
    title_literal: str  # the spec's title as a Python string literal
    models: tuple[ModelView, ...]
    unions: tuple[UnionView, ...]
    literals: tuple[LiteralView, ...]
    # discriminated roots → (tag literal, class) of the root and every class under it
    hierarchies: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    exports: tuple[str, ...]


# What templates are given: frozen data, every public attribute a value (no methods), so
# that the sandbox (environment.py) may hand their attributes out without checks.
VIEW_TYPES = frozenset({FieldView, ModelView, UnionView, LiteralView, PackageView})


def package_view(graph: TypeGraph, header: str) -> PackageView:
    names = {m.id: m.py_name for m in graph.models}
    # a TypedDict key in class syntax must not shadow a name its class body's annotations use
    forbidden = frozenset(names.values()) | {a.py_name for a in graph.literals}
    dispatching = {m.id for m in graph.models if m.discriminator}
    aliases = {(a.model, a.field): (a.enum, a.py_name) for a in graph.literals}
    models = tuple(
        _model_view(graph, m, names, forbidden, dispatching, aliases) for m in graph.models
    )
    unions = tuple(
        UnionView(
            name=u.py_name,
            base=names[u.base],
            members=tuple(names[m] for m in u.members),
            doc=f"Every concrete subtype of {names[u.base]}: narrow it with match or isinstance.",
            one_line=len(f"{u.py_name}: TypeAlias = " + " | ".join(names[m] for m in u.members))
            <= LINE_LENGTH,
        )
        for u in graph.unions
    )
    literals = tuple(
        LiteralView(
            name=a.py_name,
            values=tuple(naming.py_literal(v) for v in a.enum.values),
            doc=f"The values of {names[a.model]}.{_field_py_name(graph, a.model, a.field)} "
            "that the spec lists (a newer Asterisk may send others: they are kept).",
        )
        for a in graph.literals
    )
    roots = [m for m in graph.models if m.discriminator and m.base is None]
    hierarchies = tuple(
        (
            names[r.id],
            tuple((naming.py_literal(i), names[i]) for i in (r.id, *graph.descendants(r.id))),
        )
        for r in roots
    )
    exports = tuple(
        sorted([*names.values(), *(u.py_name for u in graph.unions), *(a.name for a in literals)])
    )
    doc = naming.docstring(f"ARI models generated from {graph.title}.", indent="") or ""
    return PackageView(
        header,
        doc,
        naming.module_header_text(graph.title),
        naming.py_literal(graph.title),
        models,
        unions,
        literals,
        hierarchies,
        exports,
    )


def _field_py_name(graph: TypeGraph, model_id: str, wire_name: str) -> str:
    return next(f.py_name for f in graph.by_id[model_id].fields if f.wire_name == wire_name)


def _model_view(
    graph: TypeGraph,
    model: Model,
    names: dict[str, str],
    forbidden: frozenset[str],
    dispatching: set[str],
    aliases: dict[tuple[str, str], tuple[Enum, str]],
) -> ModelView:
    fields = tuple(
        _field_view(
            graph,
            f,
            f"_v{i}",
            names,
            forbidden,
            dispatching,
            aliases.get((f.declared_in, f.wire_name)),
        )
        for i, f in enumerate(model.fields)
    )
    by_wire = {f.wire_raw: f for f in fields}
    own = tuple(by_wire[f.wire_name] for f in model.own_fields)
    doc_text = model.description or ""
    if model.versions:
        doc_text += f"\n\nIn: {', '.join(model.versions)}."
    return ModelView(
        name=model.py_name,
        id=naming.py_literal(model.id),
        doc=naming.docstring(doc_text),
        comment=naming.module_header_text(doc_text),
        doc_literal=naming.py_literal(doc_text),
        base=names[model.base] if model.base else None,
        own_fields=own,
        fields=fields,
        required_fields=tuple(f for f in fields if f.required),
        optional_fields=tuple(f for f in fields if not f.required),
        tag_key=naming.py_literal(model.discriminator) if model.discriminator else None,
        tag=naming.py_literal(model.id) if model.discriminator and model.is_leaf else None,
        td_plain=all(f.plain_key for f in fields),
    )


def _field_view(
    graph: TypeGraph,
    f: Field,
    local: str,
    names: dict[str, str],
    forbidden: frozenset[str],
    dispatching: set[str],
    alias: tuple[Enum, str] | None,
) -> FieldView:
    decode, decode_arg = decode_kind(f.type, names, dispatching)
    tag = naming.py_literal(f.type.values[0]) if f.is_tag and isinstance(f.type, Enum) else None
    doc_text = f.description or ""
    if f.versions and f.versions != graph.by_id[f.declared_in].versions:
        doc_text += f"\n\nIn: {', '.join(f.versions)}."
    return FieldView(
        name=f.py_name,
        local=local,
        wire=naming.py_literal(f.wire_name),
        wire_raw=f.wire_name,
        annotation=annotation(f.type, names, wire=False, alias=alias),
        stub_annotation=annotation(f.type, names, wire=False),
        td_annotation=annotation(f.type, names, wire=True, alias=alias),
        td_annotation_literal=naming.py_literal(annotation(f.type, names, wire=True, alias=alias)),
        required=f.required,
        doc=naming.docstring(doc_text),
        comment=naming.module_header_text(doc_text),
        doc_literal=naming.py_literal(doc_text),
        tag=tag,
        decode=Decode.TAG if tag is not None else decode,
        decode_arg=decode_arg,
        encode=encode_kind(f.type),
        plain_key=naming.is_plain_key(f.wire_name, forbidden),
    )


def annotation(
    t: TypeExpr,
    names: dict[str, str],
    *,
    wire: bool,
    alias: tuple[Enum, str] | None = None,
) -> str:
    """The Python type; ``wire`` spells it as JSON carries it (dates are strings).

    ``alias`` names the field's closed set of values (``ChannelState``).
    """
    if isinstance(t, Prim):
        if t.name == "datetime":
            return "str" if wire else "datetime"
        return {"object": "dict[str, Any]", "any": "Any"}.get(t.name, t.name)
    if isinstance(t, ListOf):
        return f"list[{annotation(t.item, names, wire=wire, alias=alias)}]"
    if isinstance(t, ModelRef):
        return names[t.id]
    if isinstance(t, Enum):
        if alias is not None and alias[0] == t:
            return alias[1]
        if t.base.name == "float":  # typing has no float Literals
            return "float"
        return f"Literal[{', '.join(naming.py_literal(v) for v in t.values)}]"
    spelled = (annotation(o, names, wire=wire, alias=alias) for o in t.options)
    return " | ".join(dict.fromkeys(spelled))
