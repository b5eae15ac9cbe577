"""Render layer: from the graph's resources and operations to what the client template prints.

Like the model views, everything a template prints comes from here, already safe:
identifiers from the graph (decided by :mod:`naming`), spec text only as string
literals (:func:`naming.py_literal`) or escaped docstrings (:func:`naming.docstring`).
Lines are laid out as black lays them out, so that the formatter has little to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .. import naming
from ..graph import Enum, ListOf, TypeGraph
from ..graph.operation_types import Shape, shapes
from ..graph.operations import Operation, Resource
from .client_operations import (
    ANNOTATION_BUILTINS,
    SHAPE_KEY,
    ClientFlavour,
    OperationView,
    annotation,
    operation_view,
)

# Where each runtime name that client.py takes is defined: the client's runtime modules
# (styles.CLIENT_RUNTIME, copied beside client.py), in the order client.py imports them.
RUNTIME_MODULES = {
    "_wire": "AsyncTransport Request Response Transport build_query check_range dumps path_segment",
    "_errors": "AriClientError AriConnectionError AriError AriResponseError AriTimeout"
    " BadRequest Conflict Forbidden MethodNotAllowed NotAcceptable NotFound"
    " NotImplementedByServer PreconditionFailed ServerError Unauthorized"
    " UnprocessableEntity UpgradeRequired",
    "_responses": "decode_list decode_with expect_bytes expect_empty expect_json json_object",
    "_http": "AsyncHttpxTransport HttpxTransport UrllibTransport default_async_transport"
    " default_transport",
    "_websocket": "AsyncEventConnector AsyncWebsocketsConnector EventConnector"
    " WebsocketsConnector default_async_connector default_connector",
    "_stream": "AsyncEventStream Backoff EventStream",
}
_HOME = {name: module for module, names in RUNTIME_MODULES.items() for name in names.split()}
# The names client.py uses in its methods, imported under these private aliases, so that
# no parameter name can shadow them inside a method.
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
# Names client.py imports or defines at its top level besides models and runtime exports.
MODULE_NAMES = frozenset(
    {
        "annotations",
        "builtins",
        "Any",
        "Callable",
        "Literal",
        "Mapping",
        "Sequence",
        "TypeAlias",
        "TypedDict",
        "cast",
    }
)
# The event stream's own keyword arguments, after the spec's parameters.
STREAM_KEYWORDS = ("reconnect", "strict", "on_decode_error", "on_reconnect")


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
    # (runtime module, its (name, private alias) pairs), then (module, its re-exported names)
    runtime_imports: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    reexports: tuple[tuple[str, tuple[str, ...]], ...]
    exports: tuple[str, ...]  # __all__
    reasons: tuple[ReasonsView, ...]
    aliases: tuple[AliasView, ...]
    shapes: tuple[ShapeView, ...]
    resources: tuple[ResourceView, ...]
    async_resources: tuple[ResourceView, ...]
    stub: bool
    top_gap: str  # blank lines before a top-level statement: two in a module, one in a stub
    method_gap: str  # before a method: one in a module, none in a stub


def _by_module(
    pairs: Iterable[tuple[str, str]],
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``(name, alias)`` pairs grouped by the runtime module that defines the name (modules
    in RUNTIME_MODULES' order, pairs in the given order)."""
    groups: dict[str, list[tuple[str, str]]] = {module: [] for module in RUNTIME_MODULES}
    for name, alias in pairs:
        groups[_HOME[name]].append((name, alias))
    return tuple((module, tuple(group)) for module, group in groups.items() if group)


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
    names = {**names, **{SHAPE_KEY + k: v for k, v in shape_names.items()}}
    shape_views = tuple(
        ShapeView(
            name=shape_names[shape.name],
            doc=naming.docstring(shape.description),
            required=tuple(
                (f.wire_name, annotation(f.type, names, frozenset(), set(), accepts=True))
                for f in shape.fields
                if f.required
            ),
            optional=tuple(
                (f.wire_name, annotation(f.type, names, frozenset(), set(), accepts=True))
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
        runtime_imports=_by_module(RUNTIME_IMPORTS),
        reexports=tuple(
            (module, tuple(name for name, _ in pairs))
            for module, pairs in _by_module([(n, n) for n in RUNTIME_EXPORTS])
        ),
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
    shadowed = frozenset(op.py_name for op in resource.operations) & ANNOTATION_BUILTINS
    ops = tuple(
        operation_view(
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


# The client's views (plain data): the template sandbox reads their attributes directly.
CLIENT_VIEW_TYPES = frozenset(
    {ClientView, ResourceView, ReasonsView, ShapeView, AliasView, OperationView}
)
