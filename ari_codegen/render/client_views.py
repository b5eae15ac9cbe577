"""Render layer: from the graph's resources and operations to what the client template prints.

Like the model views, everything a template prints comes from here, already safe:
identifiers from the graph (decided by :mod:`naming`), spec text only as string
literals (:func:`naming.py_literal`) or escaped docstrings (:func:`naming.docstring`).
Lines are laid out as black lays them out, so that the formatter has little to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import naming
from ..graph import Enum, ListOf, ModelRef, Prim, TypeGraph, UnionOf
from ..graph.operations import MapOf, Operation, OpType, Parameter, Resource, Shape, shapes
from .formatting import LINE_LENGTH

# The names client.py takes from its own runtime (``_transport``), imported under
# these private aliases, so that no parameter name can shadow them inside a method.
RUNTIME_IMPORTS = (
    ("AsyncEventConnector", "_AsyncEventConnector"),
    ("AsyncEventStream", "_AsyncEventStream"),
    ("AsyncTransport", "_AsyncTransport"),
    ("Backoff", "_Backoff"),
    ("EventConnector", "_EventConnector"),
    ("EventStream", "_EventStream"),
    ("Request", "_Request"),
    ("Transport", "_Transport"),
    ("build_query", "_query"),
    ("check_range", "_check_range"),
    ("decode_list", "_decode_list"),
    ("decode_with", "_decode"),
    ("dumps", "_dumps"),
    ("expect_bytes", "_expect_bytes"),
    ("expect_empty", "_expect_empty"),
    ("expect_json", "_expect_json"),
    ("json_object", "_json_object"),
    ("path_segment", "_seg"),
    ("default_async_connector", "_default_async_connector"),
    ("default_async_transport", "_default_async_transport"),
    ("default_connector", "_default_connector"),
    ("default_transport", "_default_transport"),
)
# What ``client`` re-exports from its runtime for applications: errors, options, transports.
RUNTIME_EXPORTS = (
    "AriClientError",
    "AriConnectionError",
    "AriError",
    "AriResponseError",
    "AriTimeout",
    "AsyncEventConnector",
    "AsyncEventStream",
    "AsyncHttpxTransport",
    "AsyncTransport",
    "AsyncWebsocketsConnector",
    "Backoff",
    "BadRequest",
    "Conflict",
    "EventConnector",
    "EventStream",
    "Forbidden",
    "HttpxTransport",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "NotImplementedByServer",
    "PreconditionFailed",
    "Request",
    "Response",
    "ServerError",
    "Transport",
    "Unauthorized",
    "UnprocessableEntity",
    "UpgradeRequired",
    "UrllibTransport",
    "WebsocketsConnector",
)
# Builtins that annotations in client.py use; a method so named shadows the builtin
# inside its class, so that class's annotations say ``builtins.<name>``.
_ANNOTATION_BUILTINS = frozenset({"list", "str", "int", "float", "bool", "bytes", "dict", "object"})
# Names client.py imports or defines at its top level besides models and runtime exports.
MODULE_NAMES = frozenset(
    {
        "annotations",
        "builtins",
        "Any",
        "Callable",
        "Literal",
        "Mapping",
        "TypeAlias",
        "TypedDict",
        "cast",
    }
)
# The event stream's own keyword arguments, after the spec's parameters.
STREAM_KEYWORDS = ("reconnect", "strict", "on_decode_error", "on_reconnect")


@dataclass(frozen=True)
class ParamView:
    name: str
    declaration: str  # "channel_id: str" or "timeout: int | None = None"


@dataclass(frozen=True)
class OperationView:
    name: str
    kind: str  # how the answer is handled: void, model, list, json, binary, stream
    signature: tuple[str, ...]  # the def line(s), without the trailing docstring
    doc: str | None
    statements: tuple[str, ...]  # body lines before the send (path, query, body, checks)
    send: str  # the line that sends the request (``_r = ...``)
    result: tuple[str, ...]  # the lines that return the answer
    operation: str  # literal: "channels.get"


@dataclass(frozen=True)
class ResourceView:
    name: str  # attribute on the client: channels
    class_name: str  # ChannelsApi
    doc: str | None
    operations: tuple[OperationView, ...]


@dataclass(frozen=True)
class ReasonsView:
    name: str  # _E3
    lines: tuple[str, ...]  # the assignment, laid out


@dataclass(frozen=True)
class ShapeView:
    """A JSON object of known keys that no model describes: a TypedDict."""

    name: str
    doc: str | None
    required: tuple[tuple[str, str], ...]  # (key, annotation)
    optional: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AliasView:
    name: str  # ChannelsHangupReason
    values: tuple[str, ...]  # literals
    doc: str


@dataclass(frozen=True)
class ClientView:
    header: str
    doc: str
    model_imports: tuple[str, ...]
    runtime_imports: tuple[tuple[str, str], ...]
    reexports: tuple[str, ...]
    exports: tuple[str, ...]  # __all__
    reasons: tuple[ReasonsView, ...]
    aliases: tuple[AliasView, ...]
    shapes: tuple[ShapeView, ...]
    resources: tuple[ResourceView, ...]
    async_resources: tuple[ResourceView, ...]
    stub: bool
    top_gap: str  # blank lines before a top-level statement: two in a module, one in a stub
    method_gap: str  # before a method: one in a module, none in a stub


@dataclass(frozen=True)
class ClientFlavour:
    """What differs between the styles' clients."""

    decode: bool  # dataclasses: answers decoded to models; typeddict: JSON typed as TypedDicts
    stub: bool  # stubs: signatures and docstrings, no bodies


def client_view(
    graph: TypeGraph, header: str, flavour: ClientFlavour, names: Mapping[str, str]
) -> ClientView:
    """``names``: model id → the Python name that ``models`` exports for it."""
    reasons: dict[tuple[tuple[int, str], ...], str] = {}
    used: set[str] = set()

    def reasons_name(op: Operation) -> str:
        key = tuple(sorted({e.code: e.reason for e in op.errors}.items()))
        if key not in reasons:
            reasons[key] = f"_E{len(reasons)}"
        return reasons[key]

    taken = {*names.values(), "Client", "AsyncClient", *RUNTIME_EXPORTS, *MODULE_NAMES}
    taken |= {p + r.class_name for r in graph.resources for p in ("", "Async")}
    aliases: dict[tuple[str, str, str], str] = {}
    alias_views: list[AliasView] = []
    for r in graph.resources:
        for op in r.operations:
            for p in op.parameters:
                enum = p.type.item if isinstance(p.type, ListOf) else p.type
                if isinstance(enum, Enum) and enum.base.name != "float":
                    name = naming.unique(
                        naming.pascal_case(r.name)
                        + naming.pascal_case(op.nickname)
                        + naming.pascal_case(p.wire_name),
                        taken,
                    )
                    taken.add(name)
                    aliases[(r.name, op.nickname, p.wire_name)] = name
                    alias_views.append(
                        AliasView(
                            name,
                            tuple(naming.py_literal(v) for v in enum.values),
                            naming.docstring(
                                f"The values of {r.name}.{op.nickname}'s {p.wire_name} that the "
                                "spec lists.",
                                indent="",
                            )
                            or "",
                        )
                    )

    found: dict[str, Shape] = {}
    for r in graph.resources:
        for op in r.operations:
            for p in op.parameters:
                for shape in shapes(p.type):
                    found.setdefault(shape.name, shape)
    shape_names: dict[str, str] = {}
    for shape_name in sorted(found):
        shape_names[shape_name] = naming.unique(shape_name, taken)
        taken.add(shape_names[shape_name])
    names = {**names, **{_SHAPE + k: v for k, v in shape_names.items()}}
    shape_views = tuple(
        ShapeView(
            name=shape_names[shape.name],
            doc=naming.docstring(shape.description),
            required=tuple(
                (f.wire_name, _annotation(f.type, names, frozenset(), set()))
                for f in shape.fields
                if f.required
            ),
            optional=tuple(
                (f.wire_name, _annotation(f.type, names, frozenset(), set()))
                for f in shape.fields
                if not f.required
            ),
        )
        for shape in (found[k] for k in sorted(found))
    )

    def resources(is_async: bool) -> tuple[ResourceView, ...]:
        return tuple(
            _resource_view(r, graph, flavour, names, is_async, reasons_name, used, aliases)
            for r in graph.resources
        )

    sync, async_ = resources(False), resources(True)
    reason_views = tuple(
        ReasonsView(name, _reasons_lines(name, key)) for key, name in reasons.items()
    )
    label = f"{graph.label} (ARI {graph.api_version})" if graph.api_version else graph.label
    doc = naming.docstring(f"Typed ARI client generated from {label}.", indent="") or ""
    return ClientView(
        header=header,
        doc=doc,
        model_imports=tuple(sorted(used)),
        runtime_imports=RUNTIME_IMPORTS,
        reexports=RUNTIME_EXPORTS,
        exports=tuple(
            sorted(
                {"Client", "AsyncClient", *RUNTIME_EXPORTS}
                | {r.class_name for r in (*sync, *async_)}
                | {a.name for a in alias_views}
                | {v.name for v in shape_views}
            )
        ),
        reasons=reason_views,
        aliases=tuple(alias_views),
        shapes=shape_views,
        resources=sync,
        async_resources=async_,
        stub=flavour.stub,
        top_gap="\n" if flavour.stub else "\n\n",
        method_gap="\n",
    )


def _reasons_lines(name: str, items: tuple[tuple[int, str], ...]) -> tuple[str, ...]:
    if not items:
        return (f"{name}: dict[int, str] = {{}}",)
    body = tuple(f"    {code}: {naming.py_literal(reason)}," for code, reason in items)
    return (f"{name}: dict[int, str] = {{", *body, "}")


def _resource_view(
    resource: Resource,
    graph: TypeGraph,
    flavour: ClientFlavour,
    names: Mapping[str, str],
    is_async: bool,
    reasons_name: Callable[[Operation], str],
    used: set[str],
    aliases: Mapping[tuple[str, str, str], str],
) -> ResourceView:
    shadowed = frozenset(op.py_name for op in resource.operations) & _ANNOTATION_BUILTINS
    ops = tuple(
        _operation_view(
            resource, op, graph, flavour, names, is_async, reasons_name, used, shadowed, aliases
        )
        for op in resource.operations
    )
    return ResourceView(
        name=resource.py_name,
        class_name=("Async" if is_async else "") + resource.class_name,
        doc=naming.docstring(resource.description or f"The {resource.name} resource."),
        operations=ops,
    )


# The client's exception for each status, as the runtime names them (see _transport.py).
ERROR_CLASSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    412: "PreconditionFailed",
    422: "UnprocessableEntity",
    426: "UpgradeRequired",
    501: "NotImplementedByServer",
}
# Shapes share the names mapping with models under this prefix (no model id has it).
_SHAPE = "\x00shape:"
_PATH_PARAM = re.compile(r"\{([^{}]*)\}")


def error_class(code: int) -> str:
    if code in ERROR_CLASSES:
        return ERROR_CLASSES[code]
    return "ServerError" if 500 <= code <= 599 else "AriError"


def _operation_view(
    resource: Resource,
    op: Operation,
    graph: TypeGraph,
    flavour: ClientFlavour,
    names: Mapping[str, str],
    is_async: bool,
    reasons_name: Callable[[Operation], str],
    used: set[str],
    shadowed: frozenset[str],
    aliases: Mapping[tuple[str, str, str], str],
) -> OperationView:
    def spell(t: OpType) -> str:
        return _annotation(t, names, shadowed, used)

    def spell_param(p: Parameter) -> str:
        alias = aliases.get((resource.name, op.nickname, p.wire_name))
        if alias is None:
            return spell(p.type)
        if isinstance(p.type, ListOf):
            return f"{'builtins.list' if 'list' in shadowed else 'list'}[{alias}]"
        return alias

    params = [
        f"{p.py_name}: {spell_param(p)}" + ("" if p.required else " | None = None")
        for p in op.parameters
    ]
    op_name = f"{resource.name}.{op.nickname}"
    returns: str
    if op.websocket:
        item = _stream_item(op, graph, flavour, names, used)
        stream = "_AsyncEventStream" if is_async else "_EventStream"
        returns = f"{stream}[{item}]"
        params += [
            "reconnect: _Backoff | None = _Backoff()",
            "strict: bool = False",
            "on_decode_error: Callable[[str, Exception], object] | None = None",
            "on_reconnect: Callable[[int], object] | None = None",
        ]
        kind = "stream"
    elif op.binary:
        returns, kind = "bytes" if "bytes" not in shadowed else "builtins.bytes", "binary"
    elif op.response is None:
        returns, kind = "None", "void"
    else:
        returns = spell(op.response)
        kind = (
            ("list" if isinstance(op.response, ListOf) else "model") if flavour.decode else "json"
        )
    prefix = "async def" if is_async and kind != "stream" else "def"
    if params:
        signature = (
            f"    {prefix} {op.py_name}(",
            "        self,",
            "        *,",
            *(f"        {p}," for p in params),
            f"    ) -> {returns}:",
        )
    else:
        signature = (f"    {prefix} {op.py_name}(self) -> {returns}:",)
    statements = [f"_op = {naming.py_literal(op_name)}", *_path_lines(op)]
    query = [p for p in op.parameters if p.location == "query"]
    if query:
        statements.append("_q = _query(")
        statements += [f"    ({naming.py_literal(p.wire_name)}, {p.py_name})," for p in query]
        statements.append(")")
    for p in op.parameters:
        if p.minimum is not None or p.maximum is not None:
            bounds = f"{_number(p.minimum)}, {_number(p.maximum)}"
            check = f"_check_range({naming.py_literal(p.py_name)}, {p.py_name}, {bounds})"
            if p.required:
                statements.append(check)
            else:
                statements += [f"if {p.py_name} is not None:", f"    {check}"]
    body = next((p for p in op.parameters if p.location == "body"), None)
    if body is not None:
        value = _encoded(body, flavour)
        if body.body_wrapped:
            value = f"{{{naming.py_literal(body.wire_name)}: {value}}}"
        if body.required:
            statements.append(f"_b = _dumps({value})")
        else:
            statements += [
                "_b: bytes | None = None",
                f"if {body.py_name} is not None:",
                f"    _b = _dumps({value})",
            ]
    q, b = ("_q" if query else "()"), ("_b" if body is not None else "None")
    method = naming.py_literal(op.http_method.upper())
    await_ = "await " if is_async else ""
    send = f"_r = {await_}self._t.send(_Request({method}, _path, {q}, {b}, _op))"
    reasons = reasons_name(op)
    result: tuple[str, ...]
    if kind == "stream":
        stream = "_AsyncEventStream" if is_async else "_EventStream"
        decoder = _stream_decoder(op, flavour, names)
        result = (
            f"return {stream}(",
            "    self._e,",
            "    _path,",
            f"    {q},",
            f"    {decoder},",
            "    reconnect=reconnect,",
            "    strict=strict,",
            "    on_decode_error=on_decode_error,",
            "    on_reconnect=on_reconnect,",
            ")",
        )
        send = ""
    elif kind == "void":
        result = (f"_expect_empty(_r, _op, {reasons})",)
    elif kind == "binary":
        result = (f"return _expect_bytes(_r, _op, {reasons})",)
    elif kind == "json":
        result = (f"return cast({naming.py_literal(returns)}, _expect_json(_r, _op, {reasons}))",)
    else:
        target = op.response.item if isinstance(op.response, ListOf) else op.response
        assert isinstance(target, ModelRef)
        decode = "_decode_list" if kind == "list" else "_decode"
        result = (
            f"return {decode}({names[target.id]}.from_dict, _expect_json(_r, _op, {reasons}), _op)",
        )
    return OperationView(
        name=op.py_name,
        kind=kind,
        signature=signature,
        doc=naming.docstring(_operation_doc(resource, op), indent="        "),
        statements=tuple(statements),
        send=send,
        result=result,
        operation=naming.py_literal(op_name),
    )


def _number(value: int | float | None) -> str:
    return "None" if value is None else repr(value)


def _path_lines(op: Operation) -> list[str]:
    """``_path = ...``, on one line, or split at the ``+`` as black splits it."""
    parts = _path_parts(op)
    line = "_path = " + " + ".join(parts)
    if len(line) + 8 <= LINE_LENGTH:
        return [line]
    return ["_path = (", f"    {parts[0]}", *(f"    + {p}" for p in parts[1:]), ")"]


def _path_parts(op: Operation) -> list[str]:
    """``"/channels/" + _seg(channel_id) + "/play"``: each path parameter percent-encoded."""
    by_wire = {p.wire_name: p.py_name for p in op.parameters if p.location == "path"}
    parts: list[str] = []
    position = 0
    for match in _PATH_PARAM.finditer(op.path):
        if match.start() > position:
            parts.append(naming.py_literal(op.path[position : match.start()]))
        parts.append(f"_seg({by_wire[match.group(1)]})")
        position = match.end()
    if position < len(op.path) or not parts:
        parts.append(naming.py_literal(op.path[position:]))
    return parts


def _encoded(p: Parameter, flavour: ClientFlavour) -> str:
    """The body value as JSON-ready data: models (dataclasses) encode themselves."""
    if flavour.decode and isinstance(p.type, ModelRef):
        return f"{p.py_name}.to_dict()"
    if flavour.decode and isinstance(p.type, ListOf) and isinstance(p.type.item, ModelRef):
        return f"[_i.to_dict() for _i in {p.py_name}]"
    return p.py_name


def _stream_item(
    op: Operation,
    graph: TypeGraph,
    flavour: ClientFlavour,
    names: Mapping[str, str],
    used: set[str],
) -> str:
    """What the event stream yields: the model (dataclasses dispatch on ``type``), or for
    TypedDicts the union of its concrete subtypes, which ``msg["type"] == ...`` narrows."""
    target = op.response
    if not isinstance(target, ModelRef):
        return "Any"
    if not flavour.decode:
        union = next((u.py_name for u in graph.unions if u.base == target.id), None)
        if union is not None:
            used.add(union)
            return union
    used.add(names[target.id])
    return names[target.id]


def _stream_decoder(op: Operation, flavour: ClientFlavour, names: Mapping[str, str]) -> str:
    if flavour.decode and isinstance(op.response, ModelRef):
        return f"{names[op.response.id]}.from_dict"
    return "_json_object"


def _annotation(
    t: OpType, names: Mapping[str, str], shadowed: frozenset[str], used: set[str]
) -> str:
    def builtin(name: str) -> str:
        return f"builtins.{name}" if name in shadowed else name

    if isinstance(t, Prim):
        if t.name in ("object", "any"):
            return "Any" if t.name == "any" else f"Mapping[{builtin('str')}, Any]"
        return builtin("str" if t.name == "datetime" else t.name)
    if isinstance(t, Enum):
        if t.base.name == "float":
            return builtin("float")
        return f"Literal[{', '.join(naming.py_literal(v) for v in t.values)}]"
    if isinstance(t, ListOf):
        return f"{builtin('list')}[{_annotation(t.item, names, shadowed, used)}]"
    if isinstance(t, ModelRef):
        used.add(names[t.id])
        return names[t.id]
    if isinstance(t, MapOf):
        return f"Mapping[{builtin('str')}, {_annotation(t.value, names, shadowed, used)}]"
    if isinstance(t, Shape):
        return names[_SHAPE + t.name]
    if isinstance(t, UnionOf):
        spelled = (_annotation(o, names, shadowed, used) for o in t.options)
        return " | ".join(dict.fromkeys(spelled))
    return "Any"


def _operation_doc(resource: Resource, op: Operation) -> str:
    parts = [op.summary or f"{resource.name}.{op.nickname}"]
    if op.notes:
        parts.append(op.notes)
    args = []
    for p in op.parameters:
        text = (p.description or "").strip()
        extras = []
        if p.default is not None:
            extras.append(
                f"Server default: {p.default!r}."
                if isinstance(p.default, str)
                else f"Server default: {p.default}."
            )
        if p.minimum is not None or p.maximum is not None:
            extras.append(f"Range: {_number(p.minimum)}..{_number(p.maximum)}.")
        if p.versions and p.versions != op.versions:
            extras.append(f"In: {', '.join(p.versions)}.")
        line = " ".join(x for x in (text, *extras) if x)
        args.append(f"    {p.py_name}: {line}" if line else f"    {p.py_name}")
    if args:
        parts.append("Args:\n" + "\n".join(args))
    if op.errors:
        raises = [f"    {error_class(e.code)}: {e.code} {e.reason}" for e in op.errors]
        parts.append("Raises:\n" + "\n".join(raises))
    since = f"Since: {', '.join(op.since)}." if op.since else ""
    versions = f"In: {', '.join(op.versions)}." if op.versions else ""
    tail = " ".join(x for x in (since, versions) if x)
    if tail:
        parts.append(tail)
    return "\n\n".join(parts)
