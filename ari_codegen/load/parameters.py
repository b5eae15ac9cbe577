"""Load layer for operations: one parameter or error response of an operation, raw, validated.

A parameter's ``paramType``, flags, ``defaultValue`` and ``allowableValues`` (LIST or
RANGE), and ``errorResponses``; the operation-wide checks (path fields, one body) are
:mod:`.apis`'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import Loc, Problems
from .jsondoc import Scalar, json_kind

PARAM_TYPES = ("path", "query", "body")


@dataclass(frozen=True)
class RawAllowable:
    """``allowableValues``: ``LIST`` (``values``) or ``RANGE`` (``minimum``/``maximum``)."""

    kind: str  # "LIST" | "RANGE"
    loc: Loc
    values: tuple[Scalar, ...] = ()
    minimum: int | float | None = None
    maximum: int | float | None = None


@dataclass(frozen=True)
class RawParameter:
    name: str
    param_type: str  # "path" | "query" | "body"
    data_type: str  # as written: "string", "int", "containers", "List[string]", a model id
    required: bool
    allow_multiple: bool
    allowable_values: RawAllowable | None
    default_value: Scalar | None
    description: str | None
    loc: Loc


def read_parameter(value: Any, loc: Loc, problems: Problems) -> RawParameter | None:
    if not isinstance(value, dict):
        problems.add(loc, f"expected a parameter object, found {json_kind(value)}")
        return None
    ok = True
    name = value.get("name")
    if not isinstance(name, str) or not name:
        found = json_kind(name) if "name" in value else "no 'name'"
        problems.add(loc.child("name"), f"expected the parameter's name, found {found}")
        ok = False
    param_type = value.get("paramType")
    if param_type in ("form", "header"):
        problems.add(
            loc.child("paramType"),
            f"paramType {param_type!r} is not supported (ARI operations take path, query "
            "and body parameters only)",
        )
        ok = False
    elif param_type not in PARAM_TYPES:
        found = json_kind(param_type) if "paramType" in value else "no 'paramType'"
        problems.add(
            loc.child("paramType"), f"expected one of {', '.join(PARAM_TYPES)}, found {found}"
        )
        ok = False
    data_type = value.get("dataType")
    if not isinstance(data_type, str) or not data_type.strip():
        found = json_kind(data_type) if "dataType" in value else "no 'dataType'"
        problems.add(loc.child("dataType"), f"expected a type name, found {found}")
        ok = False
    required = _flag(value, "required", loc, problems)
    allow_multiple = _flag(value, "allowMultiple", loc, problems)
    allowable = _allowable(value, loc, problems)
    default = _default(value, loc, problems)
    description = text_member(value, "description", loc, problems)
    if description is None and isinstance(value.get("descriptioni"), str):
        description = value["descriptioni"]
    if not ok:
        return None
    assert isinstance(name, str) and isinstance(param_type, str) and isinstance(data_type, str)
    if param_type == "path" and not required:
        if value.get("required") is False:
            problems.warn(
                loc.child("required"), "a path parameter is always required; read as true"
            )
        required = True
    return RawParameter(
        name=name,
        param_type=param_type,
        data_type=data_type.strip(),
        required=required,
        allow_multiple=allow_multiple,
        allowable_values=allowable,
        default_value=default,
        description=description,
        loc=loc,
    )


def _flag(value: dict[str, Any], key: str, loc: Loc, problems: Problems) -> bool:
    raw = value.get(key, False)
    if raw is None:
        return False
    if not isinstance(raw, bool):
        problems.add(loc.child(key), f"expected true or false, found {json_kind(raw)}")
        return False
    return raw


def _default(value: dict[str, Any], loc: Loc, problems: Problems) -> Scalar | None:
    key = "defaultValue"
    if key not in value and "defalutValue" in value:
        key = "defalutValue"
        problems.warn(loc.child(key), "read as 'defaultValue' (a typo)")
    raw = value.get(key)
    if raw is None or isinstance(raw, (str, int, float)):
        return raw  # bool is an int
    problems.add(loc.child(key), f"expected a string, number or boolean, found {json_kind(raw)}")
    return None


def _allowable(value: dict[str, Any], loc: Loc, problems: Problems) -> RawAllowable | None:
    raw = value.get("allowableValues")
    if raw is None:
        return None
    where = loc.child("allowableValues")
    if not isinstance(raw, dict):
        problems.add(where, f"expected an object, found {json_kind(raw)}")
        return None
    kind = raw.get("valueType")
    kind = kind.upper() if isinstance(kind, str) else kind
    if kind == "LIST":
        values = raw.get("values")
        if not isinstance(values, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values
        ):
            problems.add(where.child("values"), "expected a list of strings or numbers")
            return None
        if not values:
            problems.add(where.child("values"), "a LIST of allowable values lists no value")
            return None
        return RawAllowable("LIST", where, values=tuple(dict.fromkeys(values)))
    if kind == "RANGE":
        minimum = _bound(raw, "min", where, problems)
        maximum = _bound(raw, "max", where, problems)
        if minimum is not None and maximum is not None and minimum > maximum:
            problems.add(where, f"empty RANGE: min {minimum!r} is above max {maximum!r}")
            return None
        return RawAllowable("RANGE", where, minimum=minimum, maximum=maximum)
    found = json_kind(kind) if "valueType" in raw else "no 'valueType'"
    problems.add(where.child("valueType"), f"expected 'LIST' or 'RANGE', found {found}")
    return None


def _bound(raw: dict[str, Any], key: str, loc: Loc, problems: Problems) -> int | float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"):
            return None
        try:
            number: int | float = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                problems.add(loc.child(key), f"expected a number, found {json_kind(value)}")
                return None
        value = number
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.add(loc.child(key), f"expected a number, found {json_kind(value)}")
        return None
    return value


def text_member(value: dict[str, Any], key: str, loc: Loc, problems: Problems) -> str | None:
    raw = value.get(key)
    if raw is None or isinstance(raw, str):
        return raw
    problems.add(loc.child(key), f"expected a string, found {json_kind(raw)}")
    return None


@dataclass(frozen=True)
class RawErrorResponse:
    code: int
    reason: str | None
    loc: Loc


def read_error_responses(
    op: dict[str, Any], loc: Loc, problems: Problems
) -> tuple[RawErrorResponse, ...]:
    raw = op.get("errorResponses", [])
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(loc.child("errorResponses"), f"expected a list, found {json_kind(raw)}")
        return ()
    out: list[RawErrorResponse] = []
    seen: dict[int, RawErrorResponse] = {}
    for i, value in enumerate(raw):
        where = loc.child("errorResponses", i)
        if not isinstance(value, dict):
            problems.add(
                where, f"expected an object with 'code' and 'reason', found {json_kind(value)}"
            )
            continue
        code = value.get("code")
        if isinstance(code, str) and code.strip().isdigit():
            code = int(code.strip())  # Asterisk writes "404" in places
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            found = json_kind(value.get("code")) if "code" in value else "no 'code'"
            problems.add(where.child("code"), f"expected an HTTP status code, found {found}")
            continue
        reason = text_member(value, "reason", where, problems)
        if code in seen:
            problems.warn(
                where.child("code"),
                f"status {code} is listed twice; the first reason is kept",
            )
            continue
        error = RawErrorResponse(code, reason, where)
        seen[code] = error
        out.append(error)
    return tuple(out)
