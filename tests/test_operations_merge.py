"""Merging the operations of several specs, oldest first (ari_codegen/operations_merge.py).

Hand-made releases prove each rule; then every spec in ../shared is merged."""

from __future__ import annotations

from typing import Any

import pytest
from support.operations import api, build_ok, declaration, load_real, op, param

from ari_codegen.graph import Enum, ListOf, ModelRef, Prim, UnionOf, declare, merge_declarations
from ari_codegen.graph.operation_types import STRING_MAP, VARIABLE_VALUE, VARIABLES, MapOf
from ari_codegen.graph.operations import Operation, Parameter, Resource
from ari_codegen.graph.operations_merge import merge_op_types, merge_resources


def values(*vs: str, **extra: Any) -> dict[str, Any]:
    return param("state", allowableValues={"valueType": "LIST", "values": list(vs)}, **extra)


def ranged(minimum: Any = None, maximum: Any = None) -> dict[str, Any]:
    bounds = {k: v for k, v in (("min", minimum), ("max", maximum)) if v is not None}
    return param("n", data_type="int", allowableValues={"valueType": "RANGE", **bounds})


OLD = declaration(
    api(
        "/things/{thingId}",
        op(
            "get",
            response="Thing",
            params=[
                param("thingId", "path", required=True),
                param("both", required=True),  # required in both: required
                param("loosened", required=True),  # required, then optional: optional
                param("gone"),  # only in OLD
                values("a", "b"),  # values: united
                param("mixed"),  # string, then int: a union
                ranged(0, 10),  # 0..10, then 5..: 0..
                param("multi"),  # one value, then allowMultiple
            ],
            errorResponses=[{"code": 404, "reason": "old reason"}, {"code": 400, "reason": "x"}],
            since=["12.0.0"],
            summary="Old summary.",
        ),
        op("oldOnly", "DELETE", params=[param("thingId", "path", required=True)]),
    ),
    resource="things",
)
NEW = declaration(
    api(
        "/things/{thingId}",
        op(
            "get",
            response="Thing",
            params=[
                param("thingId", "path", required=True),
                param("both", required=True),
                param("loosened"),
                param("added", required=True),  # required, but missing in OLD: optional
                values("b", "c"),
                param("mixed", data_type="int"),
                ranged(5),
                param("multi", allowMultiple=True),
            ],
            errorResponses=[{"code": 404, "reason": "new reason"}, {"code": 409, "reason": "y"}],
            since=["13.0.0"],
            summary="New summary.",
        ),
        op("newOnly", "POST", params=[param("thingId", "path", required=True)]),
    ),
    api("/others", op("list", response="List[Thing]")),
    resource="things",
)
NEWER_RESOURCE = declaration(api("/gadgets", op("get")), resource="gadgets")


@pytest.fixture(scope="module")
def merged() -> tuple[tuple[Resource, ...], tuple[str, ...]]:
    old = build_ok(OLD, models=("Thing",))
    new = build_ok(NEW, NEWER_RESOURCE, models=("Thing",))
    return merge_resources([("v1", old), ("v2", new)])


def operation(merged: Any, resource: str, nickname: str) -> Operation:
    resources = {r.name: r for r in merged[0]}
    return next(o for o in resources[resource].operations if o.nickname == nickname)


def params(o: Operation) -> dict[str, Parameter]:
    return {p.wire_name: p for p in o.parameters}


def test_resources_and_operations_are_the_union(merged: Any) -> None:
    resources, warnings = merged
    assert [(r.name, r.versions) for r in resources] == [
        ("gadgets", ("v2",)),
        ("things", ("v1", "v2")),
    ]
    things = resources[1]
    # The newest version's order, then what only older ones have.
    assert [(o.nickname, o.versions) for o in things.operations] == [
        ("get", ("v1", "v2")),
        ("newOnly", ("v2",)),
        ("list", ("v2",)),
        ("oldOnly", ("v1",)),
    ]
    assert [o.py_name for o in things.operations] == ["get", "new_only", "list", "old_only"]
    assert warnings == ()


def test_required_only_where_every_version_requires_it(merged: Any) -> None:
    p = params(operation(merged, "things", "get"))
    assert p["thingId"].required and p["both"].required
    assert not p["loosened"].required
    assert not p["added"].required and p["added"].versions == ("v2",)
    assert not p["gone"].required and p["gone"].versions == ("v1",)
    assert p["both"].versions == ("v1", "v2")
    o = operation(merged, "things", "get")
    assert [x.required for x in o.parameters] == sorted(
        (x.required for x in o.parameters), reverse=True
    )


def test_types_values_and_ranges(merged: Any) -> None:
    p = params(operation(merged, "things", "get"))
    assert p["state"].type == Enum(Prim("str"), ("a", "b", "c"))
    assert p["mixed"].type == UnionOf((Prim("str"), Prim("int")))
    assert (p["n"].minimum, p["n"].maximum) == (0, None)
    assert p["multi"].type == UnionOf((Prim("str"), ListOf(Prim("str"))))
    assert p["multi"].allow_multiple


def test_texts_errors_and_since(merged: Any) -> None:
    o = operation(merged, "things", "get")
    assert o.summary == "New summary."
    assert [(e.code, e.reason) for e in o.errors] == [
        (404, "new reason"),
        (409, "y"),
        (400, "x"),
    ]
    assert o.since == ("12.0.0", "13.0.0")
    assert o.response == ModelRef("Thing")


def test_changed_path_method_location_and_void_are_warnings() -> None:
    old = build_ok(
        declaration(
            api("/a", op("move", "POST", params=[param("to")])),
            api("/c", op("dial", response="Thing")),
        ),
        models=("Thing",),
    )
    new = build_ok(
        declaration(
            api("/b", op("move", "PUT", params=[param("to", "body", "object")])),
            api("/c", op("dial")),
        ),
        models=("Thing",),
    )
    resources, warnings = merge_resources([("v1", old), ("v2", new)])
    move, dial = resources[0].operations
    assert (move.http_method, move.path) == ("PUT", "/b")
    assert move.parameters[0].location == "body"
    assert dial.response is None
    assert warnings == (
        "things.move: the HTTP method changed ('POST' in v1, 'PUT' in v2); the newest is used",
        "things.move: the path changed ('/a' in v1, '/b' in v2); the newest is used",
        "things.move(to): the parameter moved (query in v1, body in v2); the newest place is used",
        "things.dial: returns nothing in v2 but Thing in the others; as in the newest version, "
        "nothing is decoded",
    )


def test_names_are_decided_again_on_the_merged_set() -> None:
    old = build_ok(declaration(api("/a", op("sendDTMF", params=[param("channelId")]))))
    new = build_ok(declaration(api("/a", op("send_dtmf", params=[param("channel_id")]))))
    resources, _ = merge_resources([("v1", old), ("v2", new)])
    names = {o.nickname: o.py_name for o in resources[0].operations}
    assert names == {"send_dtmf": "send_dtmf", "sendDTMF": "send_dtmf_"}


def test_merge_op_types() -> None:
    assert merge_op_types(STRING_MAP, VARIABLES) == VARIABLES
    assert merge_op_types(VARIABLES, STRING_MAP) == MapOf(UnionOf((Prim("str"), VARIABLE_VALUE)))
    assert merge_op_types(STRING_MAP, Prim("str")) == UnionOf((STRING_MAP, Prim("str")))
    assert merge_op_types(Prim("int"), Prim("float")) == Prim("float")
    assert merge_op_types(ListOf(Prim("str")), ListOf(Prim("str"))) == ListOf(Prim("str"))


# --- every shared spec ---------------------------------------------------------------------

ALL = (
    "seed-era",
    "12.0.0",
    "13.0.0",
    "16.0.0",
    "cassette 18.26.4",
    "20.0.0",
    "cassette 20.20.1",
    "22.0.0",
    "cassette 22.11.0-rc1",
    "cassette master",
)


def test_merge_of_every_shared_spec() -> None:
    loaded = [load_real(name) for name in ALL]
    labels = merge_declarations([declare(spec) for spec, _ in loaded]).versions
    resources, warnings = merge_resources(list(zip(labels, [r for _, r in loaded], strict=True)))
    operations = {(r.name, o.nickname): o for r in resources for o in r.operations}
    assert (len(resources), len(operations)) == (12, 152)
    assert len(warnings) == 2  # channels.originate (void in seed-era), channels.dial
    master = labels[-1]
    every = {(r.name, o.nickname) for r in loaded[-1][1] for o in r.operations}
    for key, o in operations.items():
        assert o.versions, key
        assert (master in o.versions) == (key in every), key
        for p in o.parameters:
            assert set(p.versions) <= set(o.versions), (key, p.wire_name)
        methods = [x.py_name for x in next(r for r in resources if r.name == key[0]).operations]
        assert len(set(methods)) == len(methods)
    create = {p.wire_name: p for p in operations["bridges", "create"].parameters}
    assert create["variables"].type == VARIABLES
    assert not create["variables"].body_wrapped and not create["variables"].required
    originate = {p.wire_name: p for p in operations["channels", "originate"].parameters}
    assert originate["endpoint"].required
    assert originate["variables"].type == VARIABLES  # string-only in 13 ... 18, objects later
    assert originate["variables"].versions[0] == labels[ALL.index("13.0.0")]
    play = {p.wire_name: p for p in operations["channels", "play"].parameters}
    assert play["media"].type == UnionOf((Prim("str"), ListOf(Prim("str"))))
    assert operations["channels", "dial"].response is None
