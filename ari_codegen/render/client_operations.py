"""Render layer: one operation of the client as the template prints it (signature, body, docs).

Every line is laid out as black lays it out; spec text only as literals or escaped
docstrings (:mod:`ari_codegen.naming`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import naming
from ..graph import Enum, ListOf, ModelRef, Prim, TypeGraph, UnionOf
from ..graph.operation_types import MapOf, OpType, Shape
from ..graph.operations import Operation, Parameter, Resource
from .formatting import LINE_LENGTH

# Builtins that annotations in client.py use; a method so named shadows the builtin
# inside its class, so that class's annotations say ``builtins.<name>``.
ANNOTATION_BUILTINS = frozenset({"list", "str", "int", "float", "bool", "bytes", "dict", "object"})


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
class ClientFlavour:
    """What differs between the styles' clients."""

    decode: bool  # dataclasses: answers decoded to models; typeddict: JSON typed as TypedDicts
    stub: bool  # stubs: signatures and docstrings, no bodies


# The client's exception for each status, as the runtime names them (see runtime/_errors.py).
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
SHAPE_KEY = "\x00shape:"


_PATH_PARAM = re.compile(r"\{([^{}]*)\}")


def error_class(code: int) -> str:
    if code in ERROR_CLASSES:
        return ERROR_CLASSES[code]
    return "ServerError" if 500 <= code <= 599 else "AriError"


def operation_view(
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
        return annotation(t, names, shadowed, used)

    def spell_param(p: Parameter) -> str:
        alias = aliases.get((resource.name, op.nickname, p.wire_name))
        if alias is None:
            return annotation(p.type, names, shadowed, used, accepts=True)
        if isinstance(p.type, ListOf):
            return f"Sequence[{alias}]"
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


def annotation(
    t: OpType,
    names: Mapping[str, str],
    shadowed: frozenset[str],
    used: set[str],
    *,
    accepts: bool = False,
) -> str:
    """The Python type; ``accepts``: of a value the caller passes (a list may be any
    sequence), else of one the client returns (a list)."""

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
        item = annotation(t.item, names, shadowed, used, accepts=accepts)
        return f"Sequence[{item}]" if accepts else f"{builtin('list')}[{item}]"
    if isinstance(t, ModelRef):
        used.add(names[t.id])
        return names[t.id]
    if isinstance(t, MapOf):
        value = annotation(t.value, names, shadowed, used, accepts=accepts)
        return f"Mapping[{builtin('str')}, {value}]"
    if isinstance(t, Shape):
        return names[SHAPE_KEY + t.name]
    if isinstance(t, UnionOf):
        spelled = (annotation(o, names, shadowed, used, accepts=accepts) for o in t.options)
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
