"""Graph layer for operations: resources, operations and parameters, types resolved.

Built from the raw declarations of :mod:`ari_codegen.apis_load` and the spec's model
ids by :func:`build_resources` (or :func:`resources_from_spec`).  Pure: no I/O (except
:func:`resources_from_spec`, which reads the declarations again, see
:func:`~ari_codegen.apis_load.spec_declarations`).  Every name is decided here, by
:mod:`ari_codegen.naming_ops`.

Parameter types (``dataType``):

- ``string`` → ``Prim("str")``, ``int`` / ``integer`` / ``long`` → ``Prim("int")``,
  ``double`` / ``float`` / ``number`` → ``Prim("float")``, ``boolean`` → ``Prim("bool")``;
  ``allowableValues`` LIST → ``Enum``; RANGE → the parameter's ``minimum``/``maximum``;
  ``allowMultiple`` → ``ListOf(item)`` (sent as one comma-joined value);
- ``containers`` (a JSON object of name → value), read from the description:
  mentions ``report_events`` → ``MapOf(str | VariableValue)``; names a model with
  "list" (``asterisk.updateObject`` ``fields``: "a list of ConfigTuples") →
  ``ListOf(ModelRef)``; else ``MapOf(str)``;
- ``object``: the event filter of ``applications.filter`` (its notes describe
  ``"allowed"`` / ``"disallowed"`` lists of ``{"type": ...}``) → :data:`EVENT_FILTER`;
  any other → ``Prim("object")``;
- a model id (a body parameter) → ``ModelRef``; ``List[X]`` → ``ListOf(X)``.

``responseClass``: ``void`` → None; ``binary`` → None with ``binary=True``; a model →
``ModelRef``; ``List[X]`` → ``ListOf(X)``; a primitive → ``Prim``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from .. import naming
from ..errors import Loc, Problems, shown
from ..load import Scalar, Spec
from ..load.apis import RawDeclaration, RawOperation
from ..load.parameters import RawParameter
from .operation_types import (
    OpType,
    describe_type,
    fits,
    is_scalar,
    named_type,
    parameter_type,
)
from .quirks import body_wrapped
from .types import Enum, ListOf, Prim

# --- the graph structures (ari-codegen's client contract) ---------------------------


@dataclass(frozen=True)
class ErrorResponse:
    code: int
    reason: str


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    py_name: str
    location: str  # "path" | "query" | "body"
    type: OpType
    required: bool
    allow_multiple: bool
    minimum: int | float | None
    maximum: int | float | None
    default: Scalar | None
    description: str | None
    body_wrapped: bool  # body: True = sent as {"wire_name": value}; False = the value IS the body
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    nickname: str
    py_name: str
    http_method: str
    path: str  # the spec's template: "/channels/{channelId}"
    summary: str | None
    notes: str | None
    response: OpType | None  # None: void (or binary)
    binary: bool
    parameters: tuple[Parameter, ...]  # required first, spec order within each group
    errors: tuple[ErrorResponse, ...]
    websocket: bool  # upgrade == "websocket"
    since: tuple[str, ...]
    versions: tuple[str, ...] = ()

    @property
    def reasons(self) -> dict[int, str]:
        return {e.code: e.reason for e in self.errors}


@dataclass(frozen=True)
class Resource:
    name: str  # "deviceStates"
    py_name: str  # "device_states"
    class_name: str  # "DeviceStatesApi"
    description: str | None
    file: str
    operations: tuple[Operation, ...]  # spec order
    versions: tuple[str, ...] = ()


# --- building --------------------------------------------------------------------------


def resources_from_spec(spec: Spec, model_ids: Collection[str]) -> tuple[Resource, ...]:
    """Every resource of a loaded spec; raise SpecError with every problem.

    ``model_ids``: the spec's models (``graph.by_id``), which types may name.
    """
    declarations = tuple(d.declaration for d in spec.documents if d.declaration is not None)
    problems = Problems()
    resources = build_resources(declarations, model_ids, problems)
    problems.raise_if_any()
    return resources


def build_resources(
    declarations: Sequence[RawDeclaration], model_ids: Collection[str], problems: Problems
) -> tuple[Resource, ...]:
    """Resolve and name every operation; problems collected in ``problems``.

    Resources come sorted by name; a declaration without operations makes none.
    """
    models = frozenset(model_ids)
    owners: dict[str, RawDeclaration] = {}
    for decl in declarations:
        if not any(api.operations for api in decl.apis):
            continue
        first = owners.setdefault(decl.name, decl)
        if first is not decl:
            problems.add(
                Loc(decl.file, ("resourcePath",)),
                f"resource {shown(decl.name)} is already declared by {shown(first.file)}",
            )
    model_classes = [n for n in (naming.class_name(m) for m in models) if n]
    names = naming.resource_names(owners, model_classes)
    resources = [
        _build_resource(decl, names[name], models, problems) for name, decl in owners.items()
    ]
    return tuple(sorted(resources, key=lambda r: r.name))


def _build_resource(
    decl: RawDeclaration,
    names: tuple[str, str],
    models: frozenset[str],
    problems: Problems,
) -> Resource:
    raw_ops = [(api.path, op) for api in decl.apis for op in api.operations]
    methods = naming.method_names(op.nickname for _, op in raw_ops)
    operations = []
    for path, op in raw_ops:
        built = _build_operation(decl.name, path, op, methods[op.nickname], models, problems)
        if built is not None:
            operations.append(built)
    return Resource(
        name=decl.name,
        py_name=names[0],
        class_name=names[1],
        description=None,  # the resource listing's, which Document does not keep yet
        file=decl.file,
        operations=tuple(operations),
    )


def _build_operation(
    resource: str,
    path: str,
    op: RawOperation,
    py_name: str,
    models: frozenset[str],
    problems: Problems,
) -> Operation | None:
    websocket = (op.upgrade or "").lower() == "websocket"
    if op.upgrade is not None and not websocket:
        problems.add(op.loc.child("upgrade"), f"unsupported upgrade {shown(op.upgrade)}")
    py_names = naming.parameter_names((p.name for p in op.parameters), event_stream=websocket)
    params: list[Parameter] = []
    ok = True
    for raw in op.parameters:
        p = _build_parameter(
            resource, op.nickname, op.notes, raw, py_names[raw.name], models, problems
        )
        if p is None:
            ok = False
        else:
            params.append(p)
    response, binary, response_ok = _response(op, models, problems)
    if not ok or not response_ok:
        return None
    return Operation(
        nickname=op.nickname,
        py_name=py_name,
        http_method=op.http_method,
        path=path,
        summary=op.summary,
        notes=op.notes,
        response=response,
        binary=binary,
        parameters=ordered(params),
        errors=tuple(ErrorResponse(e.code, e.reason or "") for e in op.error_responses),
        websocket=websocket,
        since=op.since,
    )


def ordered(params: Iterable[Parameter]) -> tuple[Parameter, ...]:
    """Required parameters first, the spec's order kept within each group."""
    params = list(params)
    return tuple([p for p in params if p.required] + [p for p in params if not p.required])


def _response(
    op: RawOperation, models: frozenset[str], problems: Problems
) -> tuple[OpType | None, bool, bool]:
    """(type, binary, ok) of an operation's responseClass."""
    name = op.response_class
    if name.lower() == "void":
        return None, False, True
    if name.lower() == "binary":
        return None, True, True
    t = named_type(name, models)
    if t is None:
        problems.add(
            op.loc.child("responseClass"),
            f"responseClass {shown(name)} names no model of this spec (nor a Swagger type)",
        )
        return None, False, False
    return t, False, True


def _build_parameter(
    resource: str,
    nickname: str,
    notes: str | None,
    raw: RawParameter,
    py_name: str,
    models: frozenset[str],
    problems: Problems,
) -> Parameter | None:
    loc = raw.loc
    base = parameter_type(raw, notes, models, problems)
    if base is None:
        return None
    minimum = maximum = None
    allowable = raw.allowable_values
    if allowable is not None:
        if allowable.kind == "LIST":
            if not (isinstance(base, Prim) and base.name in ("str", "int", "float")):
                problems.add(
                    allowable.loc,
                    f"allowable values on a {shown(describe_type(base))} parameter are not "
                    "supported",
                )
                return None
            wrong = [v for v in allowable.values if not fits(v, base.name)]
            if wrong:
                problems.add(
                    allowable.loc.child("values"),
                    f"allowable value {wrong[0]!r} is not a {base.name}",
                )
                return None
            base = Enum(base, allowable.values)
        elif not (isinstance(base, Prim) and base.name in ("int", "float")):
            problems.add(
                allowable.loc,
                f"a RANGE needs an int or double parameter, not {shown(describe_type(base))}",
            )
            return None
        else:
            minimum, maximum = allowable.minimum, allowable.maximum
    type_: OpType = base
    if raw.allow_multiple:
        if raw.param_type != "query":
            problems.add(
                loc.child("allowMultiple"),
                f"allowMultiple is supported on query parameters only, not on a "
                f"{raw.param_type} parameter",
            )
            return None
        if not (isinstance(base, (Prim, Enum)) and is_scalar(base)):
            problems.add(
                loc.child("allowMultiple"),
                f"allowMultiple on a {shown(describe_type(base))} parameter cannot be sent "
                "as one comma-joined value",
            )
            return None
        type_ = ListOf(base)
    wrapped = raw.param_type != "body" or body_wrapped(resource, nickname, raw.name)
    return Parameter(
        wire_name=raw.name,
        py_name=py_name,
        location=raw.param_type,
        type=type_,
        required=raw.required,
        allow_multiple=raw.allow_multiple,
        minimum=minimum,
        maximum=maximum,
        default=raw.default_value,
        description=raw.description,
        body_wrapped=wrapped,
    )
