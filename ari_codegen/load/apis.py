"""Load layer for operations: a declaration's ``apis``, validated, raw (unresolved).

Asterisk writes its declarations in the Swagger 1.1 spelling (``httpMethod``,
``responseClass``, ``errorResponses[].reason``, ``dataType``) whatever
``swaggerVersion`` says; that is what is read here.  Types are not resolved (that
needs the model ids: :mod:`ari_codegen.operations` does it), but everything that one
declaration can tell is checked, every problem with its file and JSON path:

- JSON kinds of every piece; ``httpMethod`` one of the HTTP methods;
- ``paramType`` ``path`` / ``query`` / ``body``.  Swagger's ``form`` and ``header`` are
  refused: Asterisk never uses them and the client could not send them as the server
  expects (it reads form fields and headers of its own);
- every ``{name}`` of the path has a ``path`` parameter and every ``path`` parameter
  appears in the path; at most one ``body`` parameter; no parameter twice;
- no nickname twice in one declaration (one resource), no path + method twice.

Harmless oddities that real Asterisk specs ship are accepted (:data:`ODDITIES`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Loc, Problems, SpecError, shown
from .jsondoc import json_kind
from .parameters import (
    RawErrorResponse,
    RawParameter,
    read_error_responses,
    read_parameter,
    text_member,
)

HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")

# Oddities of real Asterisk specs (ari-specs 12.0.0 ... master, the cassettes' specs),
# and what is made of them.  Each is accepted without a warning unless said otherwise.
ODDITIES = {
    "descriptioni": "parameter key typo (13.x ... master, endpoints.sendMessage `variables`): "
    "read as `description` when that is absent",
    "__note": "parameter key (sounds.list `format`): a developer note, ignored (as is every "
    "key starting with `_`)",
    "defalutValue": "parameter key typo (12.x-16.x, channels.hangup `reason`): read as "
    "`defaultValue` when that is absent, with a warning (it only reaches docstrings)",
    "string codes": 'errorResponses codes written as strings ("404", channels.move since '
    "20): read as the number",
    "missing required / allowMultiple": "(56 / 76 parameters) read as false; a path "
    "parameter is always required",
    "RANGE bounds": "min/max may be numbers or numeric strings; a missing bound, or "
    '"infinity" / "-infinity" (any case), means unbounded',
}
# Also accepted, though no Asterisk spec has it: ``since`` as one string (a list of one).

_PATH_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class RawOperation:
    http_method: str  # upper case
    nickname: str
    summary: str | None
    notes: str | None
    response_class: str
    parameters: tuple[RawParameter, ...]
    error_responses: tuple[RawErrorResponse, ...]
    upgrade: str | None
    websocket_protocol: str | None
    since: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True)
class RawApi:
    path: str
    description: str | None
    operations: tuple[RawOperation, ...]
    loc: Loc


@dataclass(frozen=True)
class RawDeclaration:
    """The operations half of one API declaration (one resource)."""

    file: str
    resource_path: str | None
    name: str  # "deviceStates": the resourcePath's last part (else the file's stem)
    apis: tuple[RawApi, ...]


# --- a declaration --------------------------------------------------------------------


def read_declaration(data: Any, file: str, problems: Problems) -> RawDeclaration:
    """The ``apis`` of one parsed declaration (its models are the loader's business)."""
    loc = Loc(file)
    if not isinstance(data, dict):
        raise SpecError.at(loc, f"expected a JSON object at the top, found {json_kind(data)}")
    resource_path = data.get("resourcePath")
    if resource_path is not None and not isinstance(resource_path, str):
        problems.add(
            loc.child("resourcePath"), f"expected a string, found {json_kind(resource_path)}"
        )
        resource_path = None
    return RawDeclaration(
        file=file,
        resource_path=resource_path,
        name=resource_name(resource_path, file),
        apis=read_apis(data, loc, problems),
    )


def resource_name(resource_path: str | None, file: str) -> str:
    """``/api-docs/deviceStates.{format}`` → ``deviceStates``; else the file's stem."""
    if resource_path:
        last = resource_path.rstrip("/").rsplit("/", 1)[-1]
        for suffix in (".{format}", ".json"):
            last = last.removesuffix(suffix)
        if last:
            return last
    stem = file.rstrip("/").rsplit("/", 1)[-1]
    return stem.removesuffix(".json") or stem


def read_apis(data: dict[str, Any], loc: Loc, problems: Problems) -> tuple[RawApi, ...]:
    """Every ``apis[i]`` of a declaration, validated; problems collected, never raised."""
    raw = data.get("apis", [])
    if not isinstance(raw, list):
        problems.add(loc.child("apis"), f"expected a list of APIs, found {json_kind(raw)}")
        return ()
    apis: list[RawApi] = []
    nicknames: dict[str, Loc] = {}
    routes: dict[tuple[str, str], Loc] = {}
    for i, value in enumerate(raw):
        api = _read_api(value, loc.child("apis", i), problems)
        if api is None:
            continue
        apis.append(api)
        for op in api.operations:
            first = nicknames.setdefault(op.nickname, op.loc)
            if first is not op.loc:
                problems.add(
                    op.loc.child("nickname"),
                    f"nickname {shown(op.nickname)} is already used in this resource "
                    f"({_where(first)})",
                )
            route = (_route(api.path), op.http_method)
            seen = routes.setdefault(route, op.loc)
            if seen is not op.loc:
                problems.add(
                    op.loc.child("httpMethod"),
                    f"{op.http_method} {shown(api.path)} is already declared ({_where(seen)})",
                )
    return tuple(apis)


def _where(loc: Loc) -> str:
    """A location inside the same file, for a message: ``apis[0] > operations[1]``."""
    return str(Loc("", loc.path)).lstrip(" ›")


def _route(path: str) -> str:
    """A path with its parameter names blanked: ``/a/{x}`` and ``/a/{y}`` are one route."""
    return _PATH_FIELD.sub("{}", path)


def _read_api(value: Any, loc: Loc, problems: Problems) -> RawApi | None:
    if not isinstance(value, dict):
        problems.add(loc, f"expected an API object, found {json_kind(value)}")
        return None
    path = value.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        found = json_kind(path) if "path" in value else "no 'path'"
        problems.add(loc.child("path"), f"expected a path starting with '/', found {found}")
        return None
    fields = _path_fields(path, loc.child("path"), problems)
    ops_raw = value.get("operations")
    if not isinstance(ops_raw, list):
        found = json_kind(ops_raw) if "operations" in value else "no 'operations'"
        problems.add(loc.child("operations"), f"expected a list of operations, found {found}")
        return None
    operations: list[RawOperation] = []
    for j, op in enumerate(ops_raw):
        read = _read_operation(op, fields, loc.child("operations", j), problems)
        if read is not None:
            operations.append(read)
    return RawApi(
        path=path,
        description=text_member(value, "description", loc, problems),
        operations=tuple(operations),
        loc=loc,
    )


def _path_fields(path: str, loc: Loc, problems: Problems) -> tuple[str, ...] | None:
    """The ``{name}`` fields of a path; None when the path is malformed (reported)."""
    fields = _PATH_FIELD.findall(path)
    rest = _PATH_FIELD.sub("", path)
    if "{" in rest or "}" in rest:
        problems.add(loc, f"unbalanced braces in path {shown(path)}")
        return None
    for name in fields:
        if not name:
            problems.add(loc, f"empty parameter name '{{}}' in path {shown(path)}")
            return None
    repeated = sorted({n for n in fields if fields.count(n) > 1})
    if repeated:
        problems.add(loc, f"path parameter {shown(repeated[0])} appears twice in {shown(path)}")
    return tuple(dict.fromkeys(fields))


def _read_operation(
    value: Any, fields: tuple[str, ...] | None, loc: Loc, problems: Problems
) -> RawOperation | None:
    if not isinstance(value, dict):
        problems.add(loc, f"expected an operation object, found {json_kind(value)}")
        return None
    ok = True
    method = value.get("httpMethod")
    if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
        found = json_kind(method) if "httpMethod" in value else "no 'httpMethod'"
        problems.add(
            loc.child("httpMethod"), f"expected one of {', '.join(HTTP_METHODS)}, found {found}"
        )
        ok = False
    nickname = value.get("nickname")
    if not isinstance(nickname, str) or not nickname.strip():
        found = json_kind(nickname) if "nickname" in value else "no 'nickname'"
        problems.add(loc.child("nickname"), f"expected the operation's nickname, found {found}")
        ok = False
    response_class = value.get("responseClass")
    if not isinstance(response_class, str) or not response_class.strip():
        found = json_kind(response_class) if "responseClass" in value else "no 'responseClass'"
        problems.add(loc.child("responseClass"), f"expected a type name or 'void', found {found}")
        ok = False
    parameters = _read_parameters(value, fields, loc, problems)
    errors = read_error_responses(value, loc, problems)
    upgrade = text_member(value, "upgrade", loc, problems)
    protocol = text_member(value, "websocketProtocol", loc, problems)
    since = _since(value, loc, problems)
    summary = text_member(value, "summary", loc, problems)
    notes = text_member(value, "notes", loc, problems)
    if not ok or parameters is None:
        return None
    assert isinstance(method, str) and isinstance(nickname, str)
    assert isinstance(response_class, str)
    return RawOperation(
        http_method=method.upper(),
        nickname=nickname,
        summary=summary,
        notes=notes,
        response_class=response_class.strip(),
        parameters=parameters,
        error_responses=errors,
        upgrade=upgrade,
        websocket_protocol=protocol,
        since=since,
        loc=loc,
    )


def _read_parameters(
    op: dict[str, Any], fields: tuple[str, ...] | None, loc: Loc, problems: Problems
) -> tuple[RawParameter, ...] | None:
    raw = op.get("parameters", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        problems.add(
            loc.child("parameters"), f"expected a list of parameters, found {json_kind(raw)}"
        )
        return None
    params: list[RawParameter] = []
    names: dict[str, Loc] = {}
    body: RawParameter | None = None
    complete = True
    for k, value in enumerate(raw):
        p = read_parameter(value, loc.child("parameters", k), problems)
        if p is None:
            complete = False  # the path check below would only repeat the problem
            continue
        if p.name in names:
            problems.add(
                p.loc.child("name"),
                f"parameter {shown(p.name)} is already declared ({_where(names[p.name])})",
            )
            continue
        names[p.name] = p.loc
        if p.param_type == "body":
            if body is not None:
                problems.add(
                    p.loc.child("paramType"),
                    f"a second body parameter ({shown(p.name)}; the first is "
                    f"{shown(body.name)}): an operation has one body",
                )
                continue
            body = p
        params.append(p)
    if fields is not None and complete:
        declared = {p.name for p in params if p.param_type == "path"}
        for p in params:
            if p.param_type == "path" and p.name not in fields:
                problems.add(
                    p.loc.child("name"),
                    f"path parameter {shown(p.name)} does not appear in the path",
                )
        for name in fields:
            if name not in declared:
                other = next((p for p in params if p.name == name), None)
                hint = f" (it is declared as a {other.param_type} parameter)" if other else ""
                problems.add(
                    loc.child("parameters"),
                    f"the path's {{{shown(name)}}} has no path parameter{hint}",
                )
    return tuple(params)


def _since(op: dict[str, Any], loc: Loc, problems: Problems) -> tuple[str, ...]:
    raw = op.get("since")
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return tuple(raw)
    problems.add(loc.child("since"), "expected a list of version strings")
    return ()


# --- a whole spec ---------------------------------------------------------------------


def read_declarations(
    documents: Sequence[tuple[str, Any]], problems: Problems
) -> tuple[RawDeclaration, ...]:
    """Parsed declarations ``(file, JSON)`` → their operations."""
    out: list[RawDeclaration] = []
    for file, data in documents:
        try:
            out.append(read_declaration(data, file, problems))
        except SpecError as exc:
            problems.extend(exc)
    return tuple(out)
