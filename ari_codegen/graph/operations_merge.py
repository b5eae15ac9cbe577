"""Merge the operations of several specs (Asterisk releases, oldest first).

The rules follow :mod:`ari_codegen.merge` (models):

- resources, operations (by nickname) and parameters (by wire name): the union;
- a parameter is required only when every version that has the operation has the
  parameter and requires it;
- allowable values: the union; a RANGE: the widest (a bound that one version lacks
  is no bound); a changed type: the narrowest type that admits both (a union);
- summaries, notes, descriptions, defaults, paths and methods: the newest version's;
  a path, method or parameter location that changed is a warning (the client follows
  the newest version), as is a response that is void in some versions only (void
  when the newest version returns nothing, else the merged type of the others);
- error responses: the union by status (the newest reason); ``since``: the union;
- every resource, operation and parameter records the versions that have it
  (``versions``), labelled as :func:`ari_codegen.merge.merge_declarations` labels them
  (pass its ``Declarations.versions``).

Method and parameter names are decided again on the merged sets (a name taken in one
version may clash with one of another).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from .. import naming
from .operation_types import MapOf, OpType, Shape, describe_type
from .operations import ErrorResponse, Operation, Parameter, Resource, ordered
from .types import ListOf, TypeExpr, UnionOf, merge_types


def merge_resources(
    versions: Sequence[tuple[str, Sequence[Resource]]],
) -> tuple[tuple[Resource, ...], tuple[str, ...]]:
    """``[(label, resources), ...]`` oldest first → (merged resources by name, warnings)."""
    warnings: list[str] = []
    names: dict[str, None] = {}
    for _, resources in reversed(versions):
        names.update(dict.fromkeys(r.name for r in resources))
    merged = []
    for name in names:
        present = [(label, r) for label, resources in versions for r in resources if r.name == name]
        merged.append(_merge_resource(present, warnings))
    return tuple(sorted(merged, key=lambda r: r.name)), tuple(warnings)


def _merge_resource(present: list[tuple[str, Resource]], warnings: list[str]) -> Resource:
    newest = present[-1][1]
    nicknames: dict[str, None] = {}
    for _, resource in reversed(present):
        nicknames.update(dict.fromkeys(o.nickname for o in resource.operations))
    methods = naming.method_names(nicknames)
    operations = []
    for nickname in nicknames:
        having = [
            (label, op) for label, r in present for op in r.operations if op.nickname == nickname
        ]
        op = _merge_operation(f"{newest.name}.{nickname}", having, warnings)
        operations.append(replace(op, py_name=methods[nickname]))
    return replace(
        newest,
        description=newest.description
        or next((r.description for _, r in reversed(present) if r.description), None),
        operations=tuple(operations),
        versions=tuple(label for label, _ in present),
    )


def _merge_operation(
    where: str, having: list[tuple[str, Operation]], warnings: list[str]
) -> Operation:
    newest = having[-1][1]
    for attribute, what in (("http_method", "HTTP method"), ("path", "path")):
        values = {label: getattr(op, attribute) for label, op in having}
        if len(set(values.values())) > 1:
            spelled = ", ".join(f"{v!r} in {label}" for label, v in values.items())
            warnings.append(f"{where}: the {what} changed ({spelled}); the newest is used")
    responses = [op.response for _, op in having if op.response is not None]
    response: OpType | None = None
    if newest.response is not None:  # void in the newest version: void (see below)
        for t in responses:
            response = t if response is None else merge_op_types(response, t)
    if responses and len(responses) != len(having):
        void_in = [label for label, op in having if op.response is None]
        returned = describe_type(merge_all(responses))
        used = "the latter is used" if response is not None else "nothing is decoded"
        warnings.append(
            f"{where}: returns nothing in {', '.join(void_in)} but {returned} in the "
            f"others; as in the newest version, {used}"
        )
    errors: dict[int, ErrorResponse] = {}
    for _, op in having:
        for e in op.errors:
            errors[e.code] = e  # the newest reason wins
    order = [e.code for e in newest.errors] + [
        c for c in errors if c not in {e.code for e in newest.errors}
    ]
    since: dict[str, None] = {}
    for _, op in having:
        since.update(dict.fromkeys(op.since))
    wire: dict[str, None] = {}
    for _, op in reversed(having):
        wire.update(dict.fromkeys(p.wire_name for p in op.parameters))
    # Parameters in the newest version's spec order (its required ones first already);
    # ordered() below puts the merged required ones first again.
    py_names = naming.parameter_names(wire, event_stream=newest.websocket)
    params = [
        replace(
            _merge_parameter(f"{where}({name})", name, having, warnings),
            py_name=py_names[name],
        )
        for name in wire
    ]
    return replace(
        newest,
        response=response,
        binary=any(op.binary for _, op in having),
        parameters=ordered(params),
        errors=tuple(errors[c] for c in order),
        since=tuple(since),
        versions=tuple(label for label, _ in having),
    )


def _merge_parameter(
    where: str, name: str, having: list[tuple[str, Operation]], warnings: list[str]
) -> Parameter:
    found = [(label, p) for label, op in having for p in op.parameters if p.wire_name == name]
    newest = found[-1][1]
    locations = {label: p.location for label, p in found}
    if len(set(locations.values())) > 1:
        spelled = ", ".join(f"{v} in {label}" for label, v in locations.items())
        warnings.append(f"{where}: the parameter moved ({spelled}); the newest place is used")
    type_ = found[0][1].type
    for _, p in found[1:]:
        type_ = merge_op_types(type_, p.type)
    minimums = [p.minimum for _, p in found]
    maximums = [p.maximum for _, p in found]
    return replace(
        newest,
        type=type_,
        # A path parameter is always required (its versions may differ if the path did).
        required=newest.location == "path"
        or (len(found) == len(having) and all(p.required for _, p in found)),
        allow_multiple=any(p.allow_multiple for _, p in found),
        minimum=None if None in minimums else min(m for m in minimums if m is not None),
        maximum=None if None in maximums else max(m for m in maximums if m is not None),
        description=newest.description
        or next((p.description for _, p in reversed(found) if p.description), None),
        versions=tuple(label for label, _ in found),
    )


def merge_all(types: Sequence[OpType]) -> OpType:
    merged = types[0]
    for t in types[1:]:
        merged = merge_op_types(merged, t)
    return merged


def merge_op_types(a: OpType, b: OpType) -> OpType:
    """The narrowest type that admits both (see :func:`ari_codegen.merge.merge_types`)."""
    if a == b:
        return a
    if isinstance(a, MapOf) and isinstance(b, MapOf):
        return MapOf(merge_op_types(a.value, b.value))
    if isinstance(a, Shape) and isinstance(b, Shape) and a.name == b.name:
        return b  # the newest shape (one name, one TypedDict)
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return ListOf(cast(TypeExpr, merge_op_types(a.item, b.item)))
    if _plain(a) and _plain(b):
        return merge_types(cast(TypeExpr, a), cast(TypeExpr, b))
    # A mapping or a shape beside something else: a union of both.
    options: list[OpType] = []
    for t in (a, b):
        for option in t.options if isinstance(t, UnionOf) else (t,):
            if option not in options:
                options.append(option)
    return options[0] if len(options) == 1 else UnionOf(cast(tuple[TypeExpr, ...], tuple(options)))


def _plain(t: OpType) -> bool:
    """Made of the graph's own type classes only (merge_types knows them)."""
    if isinstance(t, (MapOf, Shape)):
        return False
    if isinstance(t, ListOf):
        return _plain(t.item)
    if isinstance(t, UnionOf):
        return all(_plain(o) for o in t.options)
    return True
