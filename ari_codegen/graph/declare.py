"""Graph layer: raw Swagger models → declarations (types resolved, inheritance checked).

The Swagger type vocabulary, the check that a model defined in several files is defined
alike, and the inheritance rules (``extends`` on the child, ``subTypes`` on the parent,
which must agree; no cycles) live here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath
from types import MappingProxyType

from ..errors import Loc, Problems, shown
from ..load import RawModel, RawType, Spec
from ..load.jsondoc import Scalar
from ..load.options import MAX_INHERITANCE_DEPTH, MAX_TYPE_DEPTH
from .model import Declarations, ModelDecl, PropDecl
from .operations import build_resources
from .types import Enum, ListOf, ModelRef, Prim, TypeExpr, describe

_UNKNOWN_TYPE = "unknown type "
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
    declarations = [d.declaration for d in spec.documents if d.declaration is not None]
    resources = build_resources(declarations, raws, problems)
    if spec.listing is not None:
        _needs_its_spec(spec, problems)
    problems.raise_if_any()
    return Declarations(
        label=spec.label,
        api_version=spec.api_version,
        models=MappingProxyType(decls),
        warnings=spec.warnings + tuple(str(w) for w in problems.warnings),
        resources=resources,
    )


def _needs_its_spec(spec: Spec, problems: Problems) -> None:
    """One API declaration of a spec, given alone, refers to the models of the others
    (Asterisk's events.json: Channel, Bridge...): say that once, not once a reference."""
    unknown = [p for p in problems.items if p.message.startswith(_UNKNOWN_TYPE)]
    if not unknown:
        return
    names = list(
        dict.fromkeys(p.message[len(_UNKNOWN_TYPE) :].split(": neither")[0] for p in unknown)
    )
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    folder = str(PurePath(spec.listing or "").parent)
    problems.items = [p for p in problems.items if p not in unknown]
    problems.add(
        Loc(spec.documents[0].file),
        f"refers to {len(names)} model(s) declared in the other files of its spec ({listed}): "
        f"give the spec's folder, {folder} (or its {PurePath(spec.listing or '').name}), "
        "instead of one of its files",
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
    # cycles, and the depth of each chain (memoized: a long chain is walked once)
    reported: set[str] = set()
    depth: dict[str, int] = {}  # models whose chain reaches a root: their number of bases
    for start in sorted(parents):
        if start in depth or start in reported:
            continue
        chain = [start]
        seen = {start}
        current = start
        cyclic = False
        while current in parents and current not in reported:
            current = parents[current]
            if current in seen:
                cycle = [*chain[chain.index(current) :], current]
                reported.update(cycle)
                problems.add(
                    declared_by[current],
                    "inheritance cycle: " + " → ".join(shown(m) for m in cycle),
                )
                cyclic = True
                break
            if current in depth:
                break
            chain.append(current)
            seen.add(current)
        if cyclic or current in reported:
            continue
        if current in depth:
            bases = depth[current]
        else:  # the chain ends at a root (a model of no base): its last member
            chain.pop()
            bases = 0
        for member in reversed(chain):
            bases += 1
            depth[member] = bases
            if bases == MAX_INHERITANCE_DEPTH + 1:
                problems.add(
                    declared_by[member],
                    f"inheritance deeper than {MAX_INHERITANCE_DEPTH} levels "
                    f"({shown(member)} has {MAX_INHERITANCE_DEPTH + 1} bases above it)",
                )
    return parents


def resolve_type(
    raw: RawType, raws: Mapping[str, RawModel], problems: Problems, depth: int = 0
) -> TypeExpr | None:
    """The type ``raw`` spells; ``depth``: the lists it is inside of (at most MAX_TYPE_DEPTH)."""
    loc = raw.loc
    if raw.ref is not None:
        base: TypeExpr | None = _model_ref(raw.ref, raws, loc.child("$ref"), problems)
    else:
        assert raw.type is not None
        base = _named_type(raw.type, raw, raws, loc.child("type"), problems, depth)
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
    name: str,
    raw: RawType,
    raws: Mapping[str, RawModel],
    loc: Loc,
    problems: Problems,
    depth: int = 0,
) -> TypeExpr | None:
    prim = _PRIMITIVE_TYPES.get(name.lower()) if name not in raws else None
    if prim is not None:
        if prim == "str" and raw.format in ("date-time",):
            prim = "datetime"
        if prim == "any" and raw.items is not None:
            return _items(raw, raws, loc, problems, depth)
        return Prim(prim)
    if name.lower() in _ARRAY_TYPES and name not in raws:
        return _items(raw, raws, loc, problems, depth)
    match = _CONTAINER.match(name)
    if match and depth >= MAX_TYPE_DEPTH:
        problems.add(loc, f"type nested deeper than {MAX_TYPE_DEPTH} levels (List of List of ...)")
        return None
    if match:
        inner = match.group(2).strip()
        if not inner:
            problems.add(loc, f"malformed container type {name!r}: no item type")
            return None
        item = _named_type(inner, RawType(loc=raw.loc), raws, loc, problems, depth + 1)
        return ListOf(item) if item is not None else None
    if "[" in name or "]" in name:
        problems.add(loc, f"malformed type {name!r} (expected List[X])")
        return None
    if name in raws:
        return ModelRef(name)
    problems.add(loc, f"{_UNKNOWN_TYPE}{name!r}: neither a Swagger type nor a model of this spec")
    return None


def _items(
    raw: RawType, raws: Mapping[str, RawModel], loc: Loc, problems: Problems, depth: int
) -> TypeExpr | None:
    if raw.items is None:
        problems.add(loc, "array type without 'items'")
        return None
    if depth >= MAX_TYPE_DEPTH:
        problems.add(loc, f"type nested deeper than {MAX_TYPE_DEPTH} levels (List of List of ...)")
        return None
    item = resolve_type(raw.items, raws, problems, depth + 1)
    return ListOf(item) if item is not None else None


def _model_ref(
    ref: str, raws: Mapping[str, RawModel], loc: Loc, problems: Problems
) -> TypeExpr | None:
    if ref in raws:
        return ModelRef(ref)
    problems.add(loc, f"unknown model {ref!r}")
    return None
