"""Loading a declaration's ``apis`` (ari_codegen/apis_load.py): every broken piece is an
error naming the file and the JSON path; the oddities real Asterisk specs ship are not."""

from __future__ import annotations

from typing import Any

import pytest
from support.operations import (
    EXPECTED_COUNTS,
    REAL,
    api,
    declaration,
    messages,
    op,
    param,
    read,
    real_spec_path,
)

from ari_codegen.load import LoadOptions, load_spec
from ari_codegen.load.apis import ODDITIES, RawDeclaration, resource_name
from ari_codegen.load.parameters import RawAllowable


def read_ok(data: Any) -> RawDeclaration:
    decl, problems = read(data)
    assert decl is not None
    assert not problems, messages(problems)
    return decl


def errors_of(data: Any) -> list[str]:
    _, problems = read(data)
    return messages(problems)


def one_param(p: dict[str, Any], path: str = "/things") -> dict[str, Any]:
    return declaration(api(path, op("get", params=[p])))


# --- what is read ------------------------------------------------------------------------


def test_everything_an_operation_says_is_read() -> None:
    data = declaration(
        api(
            "/things/{thingId}",
            op(
                "getThing",
                "get",
                "Thing",
                [
                    param("thingId", "path", required=True, description="The id."),
                    param(
                        "limit",
                        "query",
                        "int",
                        allowableValues={"valueType": "RANGE", "min": 0, "max": "100"},
                    ),
                    param(
                        "kind",
                        "query",
                        allowMultiple=True,
                        defaultValue="a",
                        allowableValues={"valueType": "list", "values": ["a", "b", "a"]},
                    ),
                ],
                notes="Notes.",
                since=["12.0.0", "13.1.0"],
                errorResponses=[{"code": 404, "reason": "Not found"}],
                upgrade="websocket",
                websocketProtocol="ari",
            ),
            description="One thing",
        ),
        resource="things",
    )
    decl = read_ok(data)
    assert decl.name == "things" and decl.resource_path == "/api-docs/things.{format}"
    (a,) = decl.apis
    assert (a.path, a.description) == ("/things/{thingId}", "One thing")
    (o,) = a.operations
    assert (o.http_method, o.nickname, o.response_class) == ("GET", "getThing", "Thing")
    assert (o.summary, o.notes, o.since) == ("getThing summary", "Notes.", ("12.0.0", "13.1.0"))
    assert (o.upgrade, o.websocket_protocol) == ("websocket", "ari")
    assert [(e.code, e.reason) for e in o.error_responses] == [(404, "Not found")]
    thing_id, limit, kind = o.parameters
    assert (thing_id.param_type, thing_id.required, thing_id.description) == (
        "path",
        True,
        "The id.",
    )
    assert limit.allowable_values is not None
    assert (limit.allowable_values.kind, limit.allowable_values.minimum) == ("RANGE", 0)
    assert limit.allowable_values.maximum == 100  # a numeric string
    assert kind.allow_multiple and kind.default_value == "a"
    assert kind.allowable_values is not None
    assert kind.allowable_values.values == ("a", "b")  # repeats dropped
    assert o.loc.path == ("apis", 0, "operations", 0)
    assert str(kind.loc) == "things.json › apis[0] › operations[0] › parameters[2]"


def test_missing_required_and_allow_multiple_are_false() -> None:
    p = param("x", required=None)
    decl = read_ok(one_param(p))
    (x,) = decl.apis[0].operations[0].parameters
    assert (x.required, x.allow_multiple) == (False, False)


def test_a_path_parameter_is_always_required() -> None:
    decl, problems = read(one_param(param("id", "path", required=None), "/things/{id}"))
    assert decl is not None and not problems
    assert decl.apis[0].operations[0].parameters[0].required
    decl, problems = read(one_param(param("id", "path", required=False), "/things/{id}"))
    assert not problems.items and decl is not None
    assert decl.apis[0].operations[0].parameters[0].required
    assert "always required" in str(problems.warnings[0])


def test_asterisk_oddities_are_accepted() -> None:
    """descriptioni, __note, defalutValue, "404" codes, a `since` string."""
    data = declaration(
        api(
            "/things",
            op(
                "move",
                "POST",
                params=[
                    param("variables", "body", "containers", descriptioni="Typo'd text."),
                    param("format", __note="A developer note."),
                    param("reason", defalutValue="normal"),
                ],
                errorResponses=[{"code": "404", "reason": "Nope"}, {"code": 409, "reason": "x"}],
                since="13.0.0",
            ),
        )
    )
    decl, problems = read(data)
    assert decl is not None and not problems, messages(problems)
    o = decl.apis[0].operations[0]
    variables, fmt, reason = o.parameters
    assert variables.description == "Typo'd text."
    assert fmt.description is None
    assert reason.default_value == "normal"
    assert [w.loc.path[-1] for w in problems.warnings] == ["defalutValue"]
    assert [e.code for e in o.error_responses] == [404, 409]
    assert o.since == ("13.0.0",)
    assert set(ODDITIES) >= {"descriptioni", "__note", "defalutValue"}


@pytest.mark.parametrize(
    ("bound", "expected"),
    [(5, 5), ("5", 5), ("2.5", 2.5), (1.5, 1.5), ("Infinity", None), ("-infinity", None)],
)
def test_range_bounds(bound: Any, expected: Any) -> None:
    p = param("n", data_type="int", allowableValues={"valueType": "RANGE", "max": bound})
    allowable = read_ok(one_param(p)).apis[0].operations[0].parameters[0].allowable_values
    assert isinstance(allowable, RawAllowable)
    assert (allowable.kind, allowable.minimum, allowable.maximum) == ("RANGE", None, expected)


def test_resource_name_from_resource_path_else_file() -> None:
    assert resource_name("/api-docs/deviceStates.{format}", "x.json") == "deviceStates"
    assert resource_name("/api-docs/deviceStates.json", "x.json") == "deviceStates"
    assert resource_name(None, "specs/api-docs/channels.json") == "channels"
    assert resource_name("/", "a/b/sounds.json") == "sounds"


# --- every broken piece, with file and JSON path ------------------------------------------

OP = "things.json › apis[0] › operations[0]"
P0 = f"{OP} › parameters[0]"

CASES: list[tuple[str, Any, str]] = [
    (
        "apis not a list",
        {**declaration(), "apis": {"path": "/x"}},
        "things.json › apis: expected a list of APIs, found an object",
    ),
    ("api not an object", declaration("nope"), "things.json › apis[0]: expected an API object"),  # type: ignore[arg-type]
    (
        "path without slash",
        declaration(api("things", op("get"))),
        "things.json › apis[0] › path: expected a path starting with '/', "
        "found the string 'things'",
    ),
    (
        "operations missing",
        declaration({"path": "/things"}),
        "things.json › apis[0] › operations: expected a list of operations, found no 'operations'",
    ),
    (
        "unbalanced path",
        declaration(api("/things/{id", op("get"))),
        "things.json › apis[0] › path: unbalanced braces in path /things/{id",
    ),
    (
        "operation not an object",
        declaration(api("/things", 3)),  # type: ignore[arg-type]
        f"{OP}: expected an operation object, found the number 3",
    ),
    (
        "unknown httpMethod",
        declaration(api("/things", op("get", "FETCH"))),
        f"{OP} › httpMethod: expected one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, "
        "found the string 'FETCH'",
    ),
    (
        "missing nickname",
        declaration(api("/things", {"httpMethod": "GET", "responseClass": "void"})),
        f"{OP} › nickname: expected the operation's nickname, found no 'nickname'",
    ),
    (
        "empty nickname",
        declaration(api("/things", op(" "))),
        f"{OP} › nickname: expected the operation's nickname, found the string ' '",
    ),
    (
        "responseClass not a string",
        declaration(api("/things", op("get", response=["Thing"]))),  # type: ignore[arg-type]
        f"{OP} › responseClass: expected a type name or 'void', found a list",
    ),
    (
        "parameters not a list",
        declaration(api("/things", op("get", parameters={"a": 1}))),
        f"{OP} › parameters: expected a list of parameters, found an object",
    ),
    (
        "parameter not an object",
        declaration(api("/things", op("get", params=["x"]))),  # type: ignore[list-item]
        f"{P0}: expected a parameter object, found the string 'x'",
    ),
    (
        "parameter without name",
        one_param({"paramType": "query", "dataType": "string"}),
        f"{P0} › name: expected the parameter's name, found no 'name'",
    ),
    (
        "unknown paramType",
        one_param(param("x", "cookie")),
        f"{P0} › paramType: expected one of path, query, body, found the string 'cookie'",
    ),
    (
        "form paramType",
        one_param(param("x", "form")),
        f"{P0} › paramType: paramType 'form' is not supported (ARI operations take path, "
        "query and body parameters only)",
    ),
    (
        "header paramType",
        one_param(param("x", "header")),
        f"{P0} › paramType: paramType 'header' is not supported",
    ),
    (
        "dataType not a string",
        one_param(param("x", data_type=7)),  # type: ignore[arg-type]
        f"{P0} › dataType: expected a type name, found the number 7",
    ),
    (
        "required not a boolean",
        one_param(param("x", required="yes")),  # type: ignore[arg-type]
        f"{P0} › required: expected true or false, found the string 'yes'",
    ),
    (
        "allowMultiple not a boolean",
        one_param(param("x", allowMultiple=1)),
        f"{P0} › allowMultiple: expected true or false, found the number 1",
    ),
    (
        "allowableValues not an object",
        one_param(param("x", allowableValues=["a"])),
        f"{P0} › allowableValues: expected an object, found a list",
    ),
    (
        "unknown valueType",
        one_param(param("x", allowableValues={"valueType": "SET", "values": ["a"]})),
        f"{P0} › allowableValues › valueType: expected 'LIST' or 'RANGE', found the string 'SET'",
    ),
    (
        "LIST values not a list of scalars",
        one_param(param("x", allowableValues={"valueType": "LIST", "values": [["a"]]})),
        f"{P0} › allowableValues › values: expected a list of strings or numbers",
    ),
    (
        "empty LIST",
        one_param(param("x", allowableValues={"valueType": "LIST", "values": []})),
        f"{P0} › allowableValues › values: a LIST of allowable values lists no value",
    ),
    (
        "RANGE bound not a number",
        one_param(param("x", "query", "int", allowableValues={"valueType": "RANGE", "min": "a"})),
        f"{P0} › allowableValues › min: expected a number, found the string 'a'",
    ),
    (
        "empty RANGE",
        one_param(
            param("x", "query", "int", allowableValues={"valueType": "RANGE", "min": 5, "max": 1})
        ),
        f"{P0} › allowableValues: empty RANGE: min 5 is above max 1",
    ),
    (
        "defaultValue an object",
        one_param(param("x", defaultValue={"a": 1})),
        f"{P0} › defaultValue: expected a string, number or boolean, found an object",
    ),
    (
        "description not a string",
        one_param(param("x", description=3)),
        f"{P0} › description: expected a string, found the number 3",
    ),
    (
        "path parameter missing from the path",
        one_param(param("id", "path", required=True)),
        f"{P0} › name: path parameter id does not appear in the path",
    ),
    (
        "path field without parameter",
        declaration(api("/things/{thingId}", op("get", params=[]))),
        f"{OP} › parameters: the path's {{thingId}} has no path parameter",
    ),
    (
        "path field declared as query parameter",
        one_param(param("thingId"), "/things/{thingId}"),
        f"{OP} › parameters: the path's {{thingId}} has no path parameter "
        "(it is declared as a query parameter)",
    ),
    (
        "two body parameters",
        declaration(
            api(
                "/things",
                op(
                    "put",
                    "PUT",
                    params=[param("a", "body", "object"), param("b", "body", "object")],
                ),
            )
        ),
        f"{OP} › parameters[1] › paramType: a second body parameter (b; the first is a): "
        "an operation has one body",
    ),
    (
        "parameter twice",
        declaration(api("/things", op("get", params=[param("a"), param("a", data_type="int")]))),
        f"{OP} › parameters[1] › name: parameter a is already declared "
        "(apis[0] › operations[0] › parameters[0])",
    ),
    (
        "duplicate nickname in one resource",
        declaration(
            api("/things", op("get")),
            api("/things/{id}", op("get", params=[param("id", "path", required=True)])),
        ),
        "things.json › apis[1] › operations[0] › nickname: nickname get is already used in this "
        "resource (apis[0] › operations[0])",
    ),
    (
        "same method and path twice",
        declaration(api("/things", op("list")), api("/things", op("all"))),
        "things.json › apis[1] › operations[0] › httpMethod: GET /things is already declared "
        "(apis[0] › operations[0])",
    ),
    (
        "errorResponses not a list",
        declaration(api("/things", op("get", errorResponses={"404": "x"}))),
        f"{OP} › errorResponses: expected a list, found an object",
    ),
    (
        "error code not a status",
        declaration(api("/things", op("get", errorResponses=[{"code": "Not found"}]))),
        f"{OP} › errorResponses[0] › code: expected an HTTP status code, found the string "
        "'Not found'",
    ),
    (
        "error code out of range",
        declaration(api("/things", op("get", errorResponses=[{"code": 42, "reason": "x"}]))),
        f"{OP} › errorResponses[0] › code: expected an HTTP status code, found the number 42",
    ),
    (
        "since not a list of strings",
        declaration(api("/things", op("get", since=[12]))),
        f"{OP} › since: expected a list of version strings",
    ),
    (
        "summary not a string",
        declaration(api("/things", op("get", summary=["a"]))),
        f"{OP} › summary: expected a string, found a list",
    ),
    ("top not an object", ["x"], "things.json: expected a JSON object at the top, found a list"),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_input_is_an_error_with_file_and_path(data: Any, expected: str) -> None:
    found = errors_of(data)
    assert any(m.startswith(expected) for m in found), found


def test_every_problem_of_a_declaration_is_reported_at_once() -> None:
    data = declaration(
        api("/a", op("one", "FETCH"), op("two", params=[param("x", "form")])),
        api("/b/{id}", op("three", params=[])),
    )
    found = errors_of(data)
    assert len(found) == 3, found


def test_a_parameter_that_failed_does_not_also_fail_the_path_check() -> None:
    found = errors_of(one_param(param("id", "form", required=True), "/things/{id}"))
    assert len(found) == 1 and "paramType" in found[0]


def test_a_status_listed_twice_is_a_warning() -> None:
    errors = [{"code": 404, "reason": "a"}, {"code": 404, "reason": "b"}]
    decl, problems = read(declaration(api("/things", op("get", errorResponses=errors))))
    assert decl is not None and not problems
    assert [e.reason for e in decl.apis[0].operations[0].error_responses] == ["a"]
    assert "listed twice" in str(problems.warnings[0])


# --- every real spec -------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL)
def test_every_real_spec_loads_without_a_problem(name: str) -> None:
    spec = load_spec(real_spec_path(name), LoadOptions(duplicate_keys="last"))
    declarations = [d.declaration for d in spec.documents if d.declaration is not None]
    operations = sum(len(a.operations) for d in declarations for a in d.apis)
    resources = sum(1 for d in declarations if any(a.operations for a in d.apis))
    assert (operations, resources) == EXPECTED_COUNTS[name]
