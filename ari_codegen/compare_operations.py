"""Report layer (`diff`): two specs' operations, as code written against OLD's client sees it.

Changes are :class:`ari_codegen.changes.Change` values: ``model`` holds the operation
(``channels.originate``, or the resource), ``field`` the parameter's wire name.  A
change is *breaking* when a call that type-checked and worked with OLD's client may not
with NEW's: something it calls or passes is gone or renamed, it must now pass more, a
value it passes is no longer accepted, what it gets back changed, or the client calls
another URL.  Everything else (new operations, new optional parameters, values or
ranges widened) is *compatible*.  A parameter's values are what the *caller sends*:
widening them is compatible, narrowing them breaking (a model enum's reverse).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .changes import Change
from .graph import Enum, ListOf, Prim, UnionOf
from .graph.operation_types import MapOf, OpType, Shape, describe_type
from .graph.operations import Operation, Parameter, Resource

OPERATION_KINDS = (
    "resource added",
    "resource removed",
    "operation added",
    "operation removed",
    "method renamed",
    "http method changed",
    "path changed",
    "response changed",
    "parameter added",
    "parameter removed",
    "parameter renamed",
    "parameter required changed",
    "parameter type changed",
    "parameter values added",
    "parameter values removed",
    "parameter range changed",
    "parameter location changed",
)

_PATH_FIELD = re.compile(r"\{[^{}]*\}")


def compare_resources(old: Sequence[Resource], new: Sequence[Resource]) -> tuple[Change, ...]:
    out: list[Change] = []
    old_by = {r.name: r for r in old}
    new_by = {r.name: r for r in new}
    for r in old:
        if r.name not in new_by:
            out.append(
                Change(
                    "resource removed",
                    r.name,
                    None,
                    r.py_name,
                    None,
                    True,
                    f"code calling client.{r.py_name} no longer finds it",
                )
            )
    for r in new:
        before = old_by.get(r.name)
        if before is None:
            out.append(
                Change("resource added", r.name, None, None, r.py_name, False, "new resource")
            )
        else:
            out.extend(_resource_changes(before, r))
    return tuple(out)


def _resource_changes(old: Resource, new: Resource) -> list[Change]:
    out: list[Change] = []
    new_ops = {o.nickname: o for o in new.operations}
    old_ops = {o.nickname: o for o in old.operations}
    # An operation whose nickname changed but whose request did not (13 → 16:
    # bridges.create_or_update_with_id → createWithId) is a rename, not a removal.
    gone = {_route(o): o for o in old.operations if o.nickname not in new_ops}
    renamed = {
        o.nickname: gone.pop(_route(o))
        for o in new.operations
        if o.nickname not in old_ops and _route(o) in gone
    }
    for op in gone.values():
        out.append(
            Change(
                "operation removed",
                f"{old.name}.{op.nickname}",
                None,
                _signature(op),
                None,
                True,
                f"code calling {old.py_name}.{op.py_name}() no longer finds it",
            )
        )
    for op in new.operations:
        where = f"{new.name}.{op.nickname}"
        before = old_ops.get(op.nickname) or renamed.get(op.nickname)
        if before is None:
            out.append(
                Change("operation added", where, None, None, _signature(op), False, "new operation")
            )
        else:
            out.extend(_operation_changes(where, before, op))
    return out


def _route(op: Operation) -> tuple[str, str]:
    return (op.http_method, _PATH_FIELD.sub("{}", op.path))


def _signature(op: Operation) -> str:
    return f"{op.http_method} {op.path}"


def _returns(op: Operation) -> str:
    if op.websocket:
        return f"a stream of {describe_type(op.response) if op.response else 'events'}"
    if op.binary:
        return "bytes"
    return "None" if op.response is None else describe_type(op.response)


def _operation_changes(where: str, old: Operation, new: Operation) -> list[Change]:
    out: list[Change] = []
    if old.py_name != new.py_name:
        out.append(
            Change(
                "method renamed",
                where,
                None,
                f"{old.nickname} ({old.py_name})",
                f"{new.nickname} ({new.py_name})",
                True,
                f"calls of {old.py_name}() no longer find it",
            )
        )
    if old.http_method != new.http_method:
        out.append(
            Change(
                "http method changed",
                where,
                None,
                old.http_method,
                new.http_method,
                True,
                "the client sends another request: an OLD server answers it otherwise",
            )
        )
    if _PATH_FIELD.sub("{}", old.path) != _PATH_FIELD.sub("{}", new.path):
        out.append(
            Change(
                "path changed",
                where,
                None,
                old.path,
                new.path,
                True,
                "the client calls another URL: an OLD server does not serve it",
            )
        )
    if _returns(old) != _returns(new):
        out.append(
            Change(
                "response changed",
                where,
                None,
                _returns(old),
                _returns(new),
                True,
                "code using the result gets another type",
            )
        )
    old_params = {p.wire_name: p for p in old.parameters}
    new_params = {p.wire_name: p for p in new.parameters}
    for p in old.parameters:
        if p.wire_name not in new_params:
            out.append(
                Change(
                    "parameter removed",
                    where,
                    p.wire_name,
                    _spell(p),
                    None,
                    True,
                    f"calls passing {p.py_name}= no longer type-check",
                )
            )
    for p in new.parameters:
        before = old_params.get(p.wire_name)
        if before is None:
            out.append(
                Change(
                    "parameter added",
                    where,
                    p.wire_name,
                    None,
                    _spell(p),
                    p.required,
                    f"required: calls without {p.py_name}= no longer type-check"
                    if p.required
                    else "optional",
                )
            )
        else:
            out.extend(_parameter_changes(where, before, p))
    return out


def _spell(p: Parameter) -> str:
    text = f"{p.location} {describe_type(p.type)}"
    return text if p.required else text + " (optional)"


def _parameter_changes(where: str, old: Parameter, new: Parameter) -> list[Change]:
    out: list[Change] = []
    name = new.wire_name
    if old.py_name != new.py_name:
        out.append(
            Change(
                "parameter renamed",
                where,
                name,
                old.py_name,
                new.py_name,
                True,
                f"calls passing {old.py_name}= no longer type-check",
            )
        )
    if old.required != new.required:
        out.append(
            Change(
                "parameter required changed",
                where,
                name,
                "required" if old.required else "optional",
                "required" if new.required else "optional",
                new.required,
                f"calls without {new.py_name}= no longer type-check"
                if new.required
                else "calls may now leave it out",
            )
        )
    if old.location != new.location:
        out.append(
            Change(
                "parameter location changed",
                where,
                name,
                old.location,
                new.location,
                False,
                "calls are unchanged; the client sends it where NEW's server expects it",
            )
        )
    out.extend(_type_changes(where, name, old.type, new.type))
    out.extend(_range_changes(where, old, new))
    return out


def _type_changes(where: str, name: str, old: OpType, new: OpType) -> list[Change]:
    if old == new:
        return []
    a, b = old, new
    while isinstance(a, ListOf) and isinstance(b, ListOf):  # List[enum]: its values
        a, b = a.item, b.item
    if isinstance(a, Enum) and isinstance(b, Enum) and a.base == b.base:
        out = []
        added = [v for v in b.values if v not in a.values]
        removed = [v for v in a.values if v not in b.values]
        if added:
            out.append(
                Change(
                    "parameter values added",
                    where,
                    name,
                    None,
                    _values(added),
                    False,
                    "calls may pass more values",
                )
            )
        if removed:
            out.append(
                Change(
                    "parameter values removed",
                    where,
                    name,
                    _values(removed),
                    None,
                    True,
                    "calls passing a removed value no longer type-check",
                )
            )
        return out
    widened = accepts(new, old)
    return [
        Change(
            "parameter type changed",
            where,
            name,
            describe_type(old),
            describe_type(new),
            not widened,
            "every value OLD's client accepted is still accepted"
            if widened
            else "calls passing a value of the old type may no longer type-check",
        )
    ]


def accepts(wide: OpType, narrow: OpType) -> bool:
    """Does every value of ``narrow`` also fit ``wide`` (for a value the caller sends)?"""
    if wide == narrow:
        return True
    if isinstance(narrow, UnionOf):
        return all(accepts(wide, o) for o in narrow.options)
    if isinstance(wide, UnionOf):
        return any(accepts(o, narrow) for o in wide.options)
    if isinstance(narrow, Enum):
        if isinstance(wide, Enum):
            return wide.base == narrow.base and set(narrow.values) <= set(wide.values)
        return accepts(wide, narrow.base)
    if isinstance(wide, Prim) and isinstance(narrow, Prim):
        return wide.name == "float" and narrow.name == "int"
    if isinstance(wide, ListOf) and isinstance(narrow, ListOf):
        return accepts(wide.item, narrow.item)
    if isinstance(wide, MapOf) and isinstance(narrow, MapOf):
        return accepts(wide.value, narrow.value)
    if isinstance(wide, Shape) and isinstance(narrow, Shape):
        old_fields = {f.wire_name: f for f in narrow.fields}
        new_fields = {f.wire_name: f for f in wide.fields}
        return all(
            n in new_fields and accepts(new_fields[n].type, f.type) for n, f in old_fields.items()
        ) and all(not f.required or f.wire_name in old_fields for f in wide.fields)
    return False


def _range_changes(where: str, old: Parameter, new: Parameter) -> list[Change]:
    if (old.minimum, old.maximum) == (new.minimum, new.maximum):
        return []
    narrowed = (new.minimum is not None and (old.minimum is None or new.minimum > old.minimum)) or (
        new.maximum is not None and (old.maximum is None or new.maximum < old.maximum)
    )
    return [
        Change(
            "parameter range changed",
            where,
            new.wire_name,
            _range(old),
            _range(new),
            narrowed,
            "values OLD's client accepted may now be refused before sending"
            if narrowed
            else "more values are accepted",
        )
    ]


def _range(p: Parameter) -> str:
    low = "" if p.minimum is None else repr(p.minimum)
    high = "" if p.maximum is None else repr(p.maximum)
    return f"{low}..{high}"


def _values(values: Sequence[object]) -> str:
    return ", ".join(repr(v) for v in values)
