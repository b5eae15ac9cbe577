"""Graph layer: declarations → the TypeGraph (inheritance applied, every Python name decided).

Pure: no I/O, no printing.  Fields are inherited and may be redeclared with the same
type; the inherited discriminator tags each concrete subtype with a ``Literal`` of its
id; discriminated bases get a union of their concrete subtypes; a field's closed set of
values gets a named alias.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .. import naming
from ..errors import Problems, shown
from ..load import Spec
from ..load.options import MAX_FIELD_ENTRIES
from .declare import declare
from .model import (
    Declarations,
    DiscriminatedUnion,
    Field,
    LiteralAlias,
    Model,
    ModelDecl,
    TypeGraph,
)
from .types import Enum, Prim, TypeExpr, describe, enums


def build_graph(spec: Spec) -> TypeGraph:
    """Resolve a loaded spec; raise :class:`~ari_codegen.errors.SpecError` with every problem."""
    return assemble(declare(spec))


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
    entries = 0  # what the generated code's size follows: every class lists all its fields
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
        entries += len(models[mid].fields)
        if entries > MAX_FIELD_ENTRIES:
            problems.add(
                decls.models[mid].loc,
                f"too many fields: the classes up to {shown(mid)} hold more than "
                f"{MAX_FIELD_ENTRIES:,} (inherited fields counted in each class)",
            )
            break
    problems.raise_if_any()

    unions = _unions(models, names)
    return TypeGraph(
        label=decls.label,
        api_version=decls.api_version,
        models=tuple(models[mid] for mid in order),
        unions=unions,
        warnings=decls.warnings + tuple(str(w) for w in problems.warnings),
        versions=decls.versions,
        resources=decls.resources,
        literals=_literal_aliases(
            [models[mid] for mid in order], {*names.values(), *(u.py_name for u in unions)}
        ),
    )


def _literal_aliases(models: list[Model], taken: set[str]) -> tuple[LiteralAlias, ...]:
    """Name every field's closed set of two or more values (not the subtypes' tags)."""
    out: list[LiteralAlias] = []
    taken = set(taken).union(*(naming.helper_names(m.py_name) for m in models))
    taken |= {f.py_name for m in models for f in m.fields}
    for model in models:
        for f in model.own_fields:
            if f.is_tag or f.declared_in != model.id:
                continue
            enum = next(enums(f.type), None)
            if enum is None or len(enum.values) < 2 or enum.base.name == "float":
                continue
            name = naming.literal_alias_name(model.py_name, f.py_name, taken)
            taken.add(name)
            out.append(LiteralAlias(name, model.id, f.wire_name, enum))
    return tuple(out)


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
    raws: Mapping[str, ModelDecl], order: list[str], problems: Problems
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
    position = {f.wire_name: i for i, f in enumerate(fields)}
    own: list[Field] = []
    for prop in decl.props:
        type_ = prop.type
        required = prop.required
        existing = position.get(prop.wire_name)
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
            position.setdefault(f.wire_name, len(fields))
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
