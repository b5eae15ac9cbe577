"""Graph layer: the immutable type graph, with every name and type resolved.

Built from a loaded :class:`~ari_codegen.loader.Spec` by :func:`build_graph`.  Pure:
no I/O, no printing.  Everything a renderer, a diff or a merge needs is decided here:
inheritance (``extends`` on the child, ``subTypes`` on the parent, which must agree),
the inherited discriminator and its wire values, each field's Python name, wire name,
type and required-ness, and the discriminated unions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from . import naming
from .errors import Loc, Problems
from .loader import RawModel, RawType, Scalar, Spec, shown

# --- type expressions ----------------------------------------------------------------

PRIMITIVES = ("str", "int", "float", "bool", "datetime", "object", "any")


@dataclass(frozen=True)
class Prim:
    """``str int float bool datetime`` (a JSON string on the wire), ``object`` (a JSON
    object, ``dict[str, Any]``) or ``any`` (any JSON value)."""

    name: str


@dataclass(frozen=True)
class ListOf:
    item: TypeExpr


@dataclass(frozen=True)
class ModelRef:
    id: str


@dataclass(frozen=True)
class Enum:
    """A closed set of values (``allowableValues`` LIST, ``enum``): a ``Literal``."""

    base: Prim
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class UnionOf:
    """A type that differs between merged spec versions."""

    options: tuple[TypeExpr, ...]


TypeExpr = Prim | ListOf | ModelRef | Enum | UnionOf

_PRIMITIVE_TYPES = {
    "string": "str",
    "int": "int",
    "integer": "int",
    "long": "int",
    "double": "float",
    "float": "float",
    "number": "float",
    "boolean": "bool",
    "bool": "bool",
    "date": "datetime",  # Swagger 1.1 "Date" (compared case-insensitively)
    "datetime": "datetime",
    "date-time": "datetime",
    "object": "object",
    "any": "any",
}
# DOTALL: a model id may hold a line break.
_CONTAINER = re.compile(r"^(List|Set|Array)\[(.*)\]$", re.IGNORECASE | re.DOTALL)
_ARRAY_TYPES = {"array", "list", "set"}


# --- the graph ----------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    wire_name: str
    py_name: str
    type: TypeExpr
    required: bool
    description: str | None
    declared_in: str  # model id that declares it (inherited fields keep their origin)
    is_tag: bool = False  # the discriminator field of a concrete subtype: Literal[id]
    versions: tuple[str, ...] = ()  # merged specs only: which versions have it


@dataclass(frozen=True)
class Model:
    id: str
    py_name: str
    description: str | None
    file: str
    base: str | None
    sub_types: tuple[str, ...]
    own_fields: tuple[Field, ...]  # declared here (a redeclared inherited field included)
    fields: tuple[Field, ...]  # all, inherited first
    discriminator: str | None  # wire name of the discriminator field (own or inherited)
    versions: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.sub_types

    @property
    def tag_value(self) -> str | None:
        """The discriminator's wire value for this model (its id), if it has one."""
        return self.id if self.discriminator else None


@dataclass(frozen=True)
class DiscriminatedUnion:
    """Every concrete (leaf) subtype of a discriminated base: ``AnyEvent``."""

    base: str
    py_name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class LiteralAlias:
    """A named closed set of values (``ChannelState``) for one field's enum."""

    py_name: str
    model: str  # the model id that declares the field
    field: str  # the field's wire name
    enum: Enum


@dataclass(frozen=True)
class TypeGraph:
    label: str
    api_version: str | None
    models: tuple[Model, ...]  # bases before subclasses, otherwise by id
    unions: tuple[DiscriminatedUnion, ...]
    warnings: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()  # merged specs: every version, oldest first
    literals: tuple[LiteralAlias, ...] = ()
    by_id: Mapping[str, Model] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", MappingProxyType({m.id: m for m in self.models}))

    def descendants(self, model_id: str) -> tuple[str, ...]:
        out: list[str] = []
        stack = list(reversed(self.by_id[model_id].sub_types))
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.by_id[current].sub_types))
        return tuple(out)

    def ancestors(self, model_id: str) -> tuple[str, ...]:
        out: list[str] = []
        base = self.by_id[model_id].base
        while base is not None:
            out.append(base)
            base = self.by_id[base].base
        return tuple(out)

    def references(self, model_id: str) -> tuple[str, ...]:
        """Models that this model's own fields refer to, in field order."""
        seen: dict[str, None] = {}
        for f in self.by_id[model_id].own_fields:
            for ref in referenced_models(f.type):
                seen.setdefault(ref, None)
        return tuple(seen)


def referenced_models(t: TypeExpr) -> Iterable[str]:
    if isinstance(t, ModelRef):
        yield t.id
    elif isinstance(t, ListOf):
        yield from referenced_models(t.item)
    elif isinstance(t, UnionOf):
        for option in t.options:
            yield from referenced_models(option)


# --- building -------------------------------------------------------------------------


@dataclass(frozen=True)
class PropDecl:
    """A property as a model declares it, its type resolved."""

    wire_name: str
    type: TypeExpr
    required: bool
    description: str | None
    loc: Loc
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelDecl:
    """A model as declared (its own properties), before inheritance is applied."""

    id: str
    loc: Loc
    description: str | None
    base: str | None
    props: tuple[PropDecl, ...]
    discriminator: str | None
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Declarations:
    """Every model of a spec (or of several merged specs), validated and resolved."""

    label: str
    api_version: str | None
    models: Mapping[str, ModelDecl]
    warnings: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()


def build_graph(spec: Spec) -> TypeGraph:
    """Resolve a loaded spec; raise :class:`~ari_codegen.errors.SpecError` with every problem."""
    return assemble(declare(spec))


def declare(spec: Spec) -> Declarations:
    """Check inheritance and resolve every property's type."""
    problems = Problems()
    raws = _collect_models(spec, problems)
    parents = _inheritance(raws, problems)
    # Broken inheritance (maybe a cycle) stops nothing but the walk up to the ancestors:
    # every property's type is still checked, so that one run reports every problem.
    walk = not problems
    decls: dict[str, ModelDecl] = {}
    for mid, raw in raws.items():
        inherited: set[str] = set()
        ancestor = parents.get(mid) if walk else None
        while ancestor is not None:
            inherited.update(p.name for p in raws[ancestor].properties)
            ancestor = parents.get(ancestor)
        decls[mid] = _declare_model(raw, parents.get(mid), inherited, raws, problems)
    problems.raise_if_any()
    return Declarations(
        label=spec.label,
        api_version=spec.api_version,
        models=MappingProxyType(decls),
        warnings=spec.warnings + tuple(str(w) for w in problems.warnings),
    )


def _declare_model(
    raw: RawModel,
    base: str | None,
    inherited: set[str],
    raws: Mapping[str, RawModel],
    problems: Problems,
) -> ModelDecl:
    required_list = set(raw.required or ())
    declared = {p.name for p in raw.properties}
    for i, name in enumerate(raw.required or ()):
        if name not in declared and name not in inherited:
            problems.warn(
                raw.loc.child("required", i),
                f"required property {name!r} is not declared; ignored",
            )
    props: list[PropDecl] = []
    for prop in raw.properties:
        type_ = resolve_type(prop.type, raws, problems)
        if type_ is not None:
            props.append(
                PropDecl(
                    wire_name=prop.name,
                    type=type_,
                    required=bool(prop.required) or prop.name in required_list,
                    description=prop.description,
                    loc=prop.loc,
                )
            )
    return ModelDecl(
        id=raw.id,
        loc=raw.loc,
        description=raw.description,
        base=base,
        props=tuple(props),
        discriminator=raw.discriminator,
    )


def assemble(decls: Declarations) -> TypeGraph:
    """Apply inheritance, decide every Python name, tag concrete subtypes, find unions."""
    problems = Problems()
    parents = {mid: d.base for mid, d in decls.models.items() if d.base is not None}
    order = _ordered(decls.models, parents)
    names = _class_names(decls.models, order, problems)  # problems are raised below

    children: dict[str, list[str]] = {mid: [] for mid in decls.models}
    for child, parent_id in parents.items():
        children[parent_id].append(child)

    models: dict[str, Model] = {}
    field_forbidden = frozenset(names.values())
    for mid in order:
        parent = models.get(parents[mid]) if mid in parents else None
        models[mid] = _build_model(
            decls.models[mid],
            parent,
            tuple(sorted(children[mid])),
            names,
            field_forbidden,
            problems,
        )
    problems.raise_if_any()

    unions = _unions(models, names)
    return TypeGraph(
        label=decls.label,
        api_version=decls.api_version,
        models=tuple(models[mid] for mid in order),
        unions=unions,
        warnings=decls.warnings + tuple(str(w) for w in problems.warnings),
        versions=decls.versions,
        literals=_literal_aliases(
            [models[mid] for mid in order], {*names.values(), *(u.py_name for u in unions)}
        ),
    )


def _literal_aliases(models: list[Model], taken: set[str]) -> tuple[LiteralAlias, ...]:
    """Name every field's closed set of two or more values (not the subtypes' tags)."""
    out: list[LiteralAlias] = []
    taken = set(taken)
    for model in models:
        for f in model.own_fields:
            if f.is_tag or f.declared_in != model.id:
                continue
            enum = next(iter(_enums(f.type)), None)
            if enum is None or len(enum.values) < 2 or enum.base.name == "float":
                continue
            name = naming.literal_alias_name(model.py_name, f.py_name, taken)
            taken.add(name)
            out.append(LiteralAlias(name, model.id, f.wire_name, enum))
    return tuple(out)


def _enums(t: TypeExpr) -> Iterable[Enum]:
    if isinstance(t, Enum):
        yield t
    elif isinstance(t, ListOf):
        yield from _enums(t.item)
    elif isinstance(t, UnionOf):
        for option in t.options:
            yield from _enums(option)


def _collect_models(spec: Spec, problems: Problems) -> dict[str, RawModel]:
    raws: dict[str, RawModel] = {}
    for doc in spec.documents:
        for raw in doc.models:
            seen = raws.get(raw.id)
            if seen is None:
                raws[raw.id] = raw
            elif _signature(seen) != _signature(raw):
                problems.add(
                    raw.loc,
                    f"model {raw.id!r} is defined differently in {shown(seen.loc.file)} "
                    f"and {shown(raw.loc.file)}: {_difference(seen, raw)}",
                )
    return raws


def _difference(a: RawModel, b: RawModel) -> str:
    """Where two definitions of one model differ first (their JSON path), for a message."""
    props_a = {p.name: p for p in a.properties}
    props_b = {p.name: p for p in b.properties}
    for name in [*props_a, *(n for n in props_b if n not in props_a)]:
        pa, pb = props_a.get(name), props_b.get(name)
        if pa is None or pb is None:
            return f"property {name!r} is only in {shown((b if pa is None else a).loc.file)}"
        for part in ("required", "description"):
            if getattr(pa, part) != getattr(pb, part):
                return f"properties › {shown(name)} › {part} differs"
        if _type_signature(pa.type) != _type_signature(pb.type):
            return f"the type of properties › {shown(name)} differs"
    for part in ("description", "required", "extends", "sub_types", "discriminator"):
        if getattr(a, part) != getattr(b, part):
            return f"{'subTypes' if part == 'sub_types' else part} differs"
    return "their definitions differ"


def _type_signature(rt: RawType | None) -> object:
    if rt is None:
        return None
    return (rt.type, rt.ref, rt.format, _type_signature(rt.items), rt.enum)


def _signature(raw: RawModel) -> object:
    """A model's definition without source locations (same text in two files is fine)."""
    t = _type_signature
    # JSON object members have no order: two files listing the same properties in
    # another order define the same model (the first one's order is kept).
    props = sorted((p.name, repr(t(p.type)), p.required, p.description) for p in raw.properties)
    return (
        raw.description,
        props,
        sorted(raw.required or ()),
        raw.extends,
        sorted(raw.sub_types or ()),
        raw.discriminator,
    )


def _inheritance(raws: Mapping[str, RawModel], problems: Problems) -> dict[str, str]:
    """child id → parent id, from ``extends`` and ``subTypes`` (which must agree)."""
    parents: dict[str, str] = {}
    declared_by: dict[str, Loc] = {}
    for raw in raws.values():
        for i, sub in enumerate(raw.sub_types or ()):
            loc = raw.loc.child("subTypes", i)
            if sub not in raws:
                problems.add(loc, f"unknown model {sub!r}")
            elif sub == raw.id:
                problems.add(loc, f"model {sub!r} lists itself as its subtype")
            elif sub in parents and parents[sub] != raw.id:
                problems.add(
                    loc,
                    f"model {sub!r} is already a subtype of {parents[sub]!r} "
                    f"({shown(declared_by[sub])}); a model has one base",
                )
            else:
                parents[sub] = raw.id
                declared_by[sub] = loc
    for raw in raws.values():
        if raw.extends is None:
            continue
        loc = raw.loc.child("extends")
        if raw.extends not in raws:
            problems.add(loc, f"unknown model {raw.extends!r}")
            continue
        parent = raws[raw.extends]
        if raw.id in parents and parents[raw.id] != raw.extends:
            problems.add(
                loc,
                f"extends {raw.extends!r}, but {parents[raw.id]!r} lists {raw.id!r} "
                f"in its subTypes ({shown(declared_by[raw.id])})",
            )
        elif parent.sub_types is not None and raw.id not in parent.sub_types:
            problems.add(
                loc,
                f"extends {raw.extends!r}, whose subTypes "
                f"({shown(parent.loc.child('subTypes'))}) do not list {raw.id!r}",
            )
        else:
            parents[raw.id] = raw.extends
            declared_by[raw.id] = loc
    # cycles
    reported: set[str] = set()
    for start in sorted(parents):
        chain = [start]
        current = start
        while current in parents and current not in reported:
            current = parents[current]
            if current in chain:
                cycle = [*chain[chain.index(current) :], current]
                for member in cycle:
                    reported.add(member)
                problems.add(
                    declared_by[current],
                    "inheritance cycle: " + " → ".join(shown(m) for m in cycle),
                )
                break
            chain.append(current)
    return parents


def _ordered(raws: Mapping[str, object], parents: Mapping[str, str]) -> list[str]:
    """Model ids sorted by id, each base moved before its subclasses."""
    order: list[str] = []
    placed: set[str] = set()
    for mid in sorted(raws):
        chain = [mid]
        while chain[-1] in parents and parents[chain[-1]] not in placed:
            chain.append(parents[chain[-1]])
        for m in reversed(chain):
            if m not in placed:
                placed.add(m)
                order.append(m)
    return order


def _class_names(
    raws: Mapping[str, RawModel | ModelDecl], order: list[str], problems: Problems
) -> dict[str, str]:
    names: dict[str, str] = {}
    owner: dict[str, str] = {}
    for mid in order:
        name = naming.class_name(mid)
        loc = raws[mid].loc.child("id")
        if name is None:
            problems.add(loc, f"model id {mid!r} cannot be made into a Python class name")
            continue
        if name in owner:
            problems.add(
                loc,
                f"model ids {owner[name]!r} and {mid!r} both become the Python name {name!r}",
            )
            continue
        owner[name] = mid
        names[mid] = name
    return names


def _build_model(
    decl: ModelDecl,
    parent: Model | None,
    sub_types: tuple[str, ...],
    names: Mapping[str, str],
    forbidden: frozenset[str],
    problems: Problems,
) -> Model:
    inherited_fields = list(parent.fields) if parent else []
    taken = {f.py_name for f in inherited_fields}
    fields = list(inherited_fields)
    own: list[Field] = []
    for prop in decl.props:
        type_ = prop.type
        required = prop.required
        existing = next((i for i, f in enumerate(fields) if f.wire_name == prop.wire_name), None)
        if existing is not None:
            base_field = fields[existing]
            if base_field.type != type_:
                problems.add(
                    prop.loc.child("type"),
                    f"redeclares {prop.wire_name!r} inherited from {base_field.declared_in!r} "
                    f"with another type ({shown(describe(type_))} instead of "
                    f"{shown(describe(base_field.type))})",
                )
                continue
            f = replace(
                base_field,
                required=required or base_field.required,
                description=prop.description or base_field.description,
            )
            fields[existing] = f
        else:
            f = Field(
                wire_name=prop.wire_name,
                py_name=naming.field_name(prop.wire_name, taken, forbidden),
                type=type_,
                required=required,
                description=prop.description,
                declared_in=decl.id,
                versions=prop.versions,
            )
            taken.add(f.py_name)
            fields.append(f)
        own.append(f)

    discriminator = decl.discriminator or (parent.discriminator if parent else None)
    if decl.discriminator and parent and parent.discriminator:
        problems.add(
            decl.loc.child("discriminator"),
            f"a discriminator is already inherited from {decl.base!r}",
        )
    if discriminator is not None:
        index = next((i for i, f in enumerate(fields) if f.wire_name == discriminator), None)
        if index is None:
            if decl.discriminator:
                problems.add(
                    decl.loc.child("discriminator"),
                    f"discriminator {discriminator!r} names no property of {decl.id!r}",
                )
        elif not _is_string(fields[index].type):
            if decl.discriminator:  # reported where it is declared, not on every subtype
                problems.add(
                    decl.loc.child("discriminator"),
                    f"discriminator {discriminator!r} must be a string property",
                )
        elif not sub_types:
            # A concrete subtype: its tag is a Literal of its own id.
            tag = replace(
                fields[index],
                type=Enum(Prim("str"), (decl.id,)),
                required=True,
                is_tag=True,
            )
            fields[index] = tag
            own = [tag if f.wire_name == discriminator else f for f in own]
            if all(f.wire_name != discriminator for f in own):
                own.append(tag)
    return Model(
        id=decl.id,
        py_name=names.get(decl.id, ""),  # "": no name (reported), the graph is not built
        description=decl.description,
        file=decl.loc.file,
        base=parent.id if parent else None,
        sub_types=sub_types,
        own_fields=tuple(own),
        fields=tuple(fields),
        discriminator=discriminator,
        versions=decl.versions,
    )


def _is_string(t: TypeExpr) -> bool:
    return t == Prim("str") or (isinstance(t, Enum) and t.base == Prim("str"))


def _unions(
    models: Mapping[str, Model], names: Mapping[str, str]
) -> tuple[DiscriminatedUnion, ...]:
    taken = set(names.values())
    unions: list[DiscriminatedUnion] = []
    for model in sorted(models.values(), key=lambda m: m.id):
        if not model.discriminator or model.is_leaf:
            continue
        leaves: list[str] = []
        stack = list(model.sub_types)
        while stack:
            current = stack.pop()
            if models[current].is_leaf:
                leaves.append(current)
            else:
                stack.extend(models[current].sub_types)
        alias = naming.union_alias_name(model.py_name, taken)
        taken.add(alias)
        unions.append(DiscriminatedUnion(model.id, alias, tuple(sorted(leaves))))
    return tuple(unions)


# --- types ------------------------------------------------------------------------------


def resolve_type(raw: RawType, raws: Mapping[str, RawModel], problems: Problems) -> TypeExpr | None:
    loc = raw.loc
    if raw.ref is not None:
        base: TypeExpr | None = _model_ref(raw.ref, raws, loc.child("$ref"), problems)
    else:
        assert raw.type is not None
        base = _named_type(raw.type, raw, raws, loc.child("type"), problems)
    if base is None or raw.enum is None:
        return base
    if not raw.enum:
        problems.warn(loc, "enum lists no values; the enum is ignored")
        return base
    if isinstance(base, Prim) and base.name in ("str", "int", "float"):
        values = raw.enum
        wrong = [v for v in values if not _enum_value_fits(v, base.name)]
        if wrong:
            problems.warn(loc, f"enum value {wrong[0]!r} is not a {base.name}; the enum is ignored")
            return base
        return Enum(base, values)
    if isinstance(base, ListOf) and isinstance(base.item, Prim):
        # ``List[string]`` with allowableValues: the values constrain the items.
        return ListOf(Enum(base.item, raw.enum))
    problems.add(loc, f"enum values on a {shown(describe(base))} property are not supported")
    return None


def _enum_value_fits(value: Scalar, base: str) -> bool:
    if base == "str":
        return isinstance(value, str)
    if base == "int":
        return isinstance(value, int)
    return isinstance(value, (int, float))


def _named_type(
    name: str, raw: RawType, raws: Mapping[str, RawModel], loc: Loc, problems: Problems
) -> TypeExpr | None:
    prim = _PRIMITIVE_TYPES.get(name.lower()) if name not in raws else None
    if prim is not None:
        if prim == "str" and raw.format in ("date-time",):
            prim = "datetime"
        if prim == "any" and raw.items is not None:
            return _items(raw, raws, loc, problems)
        return Prim(prim)
    if name.lower() in _ARRAY_TYPES and name not in raws:
        return _items(raw, raws, loc, problems)
    match = _CONTAINER.match(name)
    if match:
        inner = match.group(2).strip()
        if not inner:
            problems.add(loc, f"malformed container type {name!r}: no item type")
            return None
        item = _named_type(inner, RawType(loc=raw.loc), raws, loc, problems)
        return ListOf(item) if item is not None else None
    if "[" in name or "]" in name:
        problems.add(loc, f"malformed type {name!r} (expected List[X])")
        return None
    if name in raws:
        return ModelRef(name)
    problems.add(loc, f"unknown type {name!r}: neither a Swagger type nor a model of this spec")
    return None


def _items(
    raw: RawType, raws: Mapping[str, RawModel], loc: Loc, problems: Problems
) -> TypeExpr | None:
    if raw.items is None:
        problems.add(loc, "array type without 'items'")
        return None
    item = resolve_type(raw.items, raws, problems)
    return ListOf(item) if item is not None else None


def _model_ref(
    ref: str, raws: Mapping[str, RawModel], loc: Loc, problems: Problems
) -> TypeExpr | None:
    if ref in raws:
        return ModelRef(ref)
    problems.add(loc, f"unknown model {ref!r}")
    return None


def describe(t: TypeExpr) -> str:
    """A short, spec-like spelling of a type for messages and diffs."""
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, ListOf):
        return f"List[{describe(t.item)}]"
    if isinstance(t, ModelRef):
        return t.id
    if isinstance(t, Enum):
        return f"{t.base.name} in {{{', '.join(repr(v) for v in t.values)}}}"
    return " | ".join(describe(o) for o in t.options)
