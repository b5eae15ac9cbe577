"""Resources, operations and parameters in the graph (ari_codegen/operations.py), their
names (ari_codegen/naming.py) and the server-quirk table."""

from __future__ import annotations

import keyword
from pathlib import Path
from typing import Any

import pytest
from support.operations import (
    EXPECTED_COUNTS,
    REAL,
    api,
    build,
    build_ok,
    declaration,
    load_real,
    messages,
    op,
    param,
    write_spec_folder,
)

from ari_codegen import naming
from ari_codegen.errors import SpecError
from ari_codegen.graph import Enum, ListOf, ModelRef, Prim, build_graph
from ari_codegen.graph.operation_types import (
    EVENT_FILTER,
    STRING_MAP,
    VARIABLE_VALUE,
    VARIABLES,
    MapOf,
    describe_type,
    shapes,
)
from ari_codegen.graph.operations import Operation, Parameter, resources_from_spec
from ari_codegen.graph.quirks import UNWRAPPED_BODIES, body_wrapped
from ari_codegen.load import load_spec


def one_op(*params: dict[str, Any], path: str = "/things", **extra: Any) -> Operation:
    models = extra.pop("models", ())
    resource = extra.pop("resource", "things")
    (r,) = build_ok(
        declaration(api(path, op("doIt", params=list(params), **extra)), resource=resource),
        models=models,
    )
    (o,) = r.operations
    return o


def one_param(p: dict[str, Any], **extra: Any) -> Parameter:
    (built,) = one_op(p, **extra).parameters
    return built


def errors_of(*declarations: dict[str, Any], models: tuple[str, ...] = ()) -> list[str]:
    _, problems = build(*declarations, models=models)
    return messages(problems)


# --- types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_type", "expected"),
    [
        ("string", Prim("str")),
        ("int", Prim("int")),
        ("long", Prim("int")),
        ("integer", Prim("int")),
        ("double", Prim("float")),
        ("boolean", Prim("bool")),
    ],
)
def test_primitive_parameter_types(data_type: str, expected: Prim) -> None:
    assert one_param(param("x", data_type=data_type)).type == expected


def test_list_of_allowable_values_is_an_enum() -> None:
    p = one_param(param("x", allowableValues={"valueType": "LIST", "values": ["a", "b"]}))
    assert p.type == Enum(Prim("str"), ("a", "b"))


def test_range_becomes_the_parameters_bounds() -> None:
    p = one_param(
        param("n", data_type="int", allowableValues={"valueType": "RANGE", "min": 0, "max": 9})
    )
    assert (p.type, p.minimum, p.maximum) == (Prim("int"), 0, 9)
    open_ended = one_param(
        param("n", data_type="int", allowableValues={"valueType": "RANGE", "min": 0})
    )
    assert (open_ended.minimum, open_ended.maximum) == (0, None)


def test_allow_multiple_is_a_list() -> None:
    p = one_param(param("media", allowMultiple=True, required=True))
    assert (p.type, p.allow_multiple, p.required) == (ListOf(Prim("str")), True, True)
    values = {"valueType": "LIST", "values": ["build", "system"]}
    p = one_param(param("only", allowMultiple=True, allowableValues=values))
    assert p.type == ListOf(Enum(Prim("str"), ("build", "system")))


def test_variables_containers() -> None:
    with_events = param(
        "variables",
        "body",
        "containers",
        description='Each value a string or an object of "value" and "report_events".',
    )
    assert one_param(with_events, method="POST").type == VARIABLES
    assert isinstance(VARIABLES, MapOf)
    assert describe_type(VARIABLES) == "Map[str, str | VariableValue]"
    assert [f.wire_name for f in VARIABLE_VALUE.fields] == ["value", "report_events"]
    assert [f.required for f in VARIABLE_VALUE.fields] == [True, False]
    plain = param("variables", "body", "containers", description="key/value pairs")
    assert one_param(plain).type == STRING_MAP


def test_containers_naming_a_model_list_is_a_list_of_it() -> None:
    fields = param(
        "fields",
        "body",
        "containers",
        description="The body object should have a value that is a list of ConfigTuples.",
    )
    p = one_param(fields, models=("ConfigTuple", "Config"))
    assert p.type == ListOf(ModelRef("ConfigTuple"))
    assert one_param(fields).type == STRING_MAP  # no such model: a plain mapping


def test_event_filter_object() -> None:
    notes = 'One or both keys: "allowed" / "disallowed", lists of {"type": ...}.'
    p = one_param(
        param("filter", "body", "object", description="Which event types to allow/disallow"),
        notes=notes,
    )
    assert p.type == EVENT_FILTER
    assert [s.name for s in shapes(p.type)] == ["EventFilter", "EventTypeFilter", "EventTypeFilter"]
    assert one_param(param("blob", "body", "object")).type == Prim("object")


def test_model_body_parameter() -> None:
    p = one_param(param("thing", "body", "Thing"), models=("Thing",))
    assert (p.type, p.body_wrapped) == (ModelRef("Thing"), True)


@pytest.mark.parametrize(
    ("response", "expected", "binary"),
    [
        ("void", None, False),
        ("binary", None, True),
        ("Thing", ModelRef("Thing"), False),
        ("List[Thing]", ListOf(ModelRef("Thing")), False),
        ("List[string]", ListOf(Prim("str")), False),
        ("string", Prim("str"), False),
    ],
)
def test_responses(response: str, expected: Any, binary: bool) -> None:
    o = one_op(response=response, models=("Thing",))
    assert (o.response, o.binary) == (expected, binary)


def test_operation_fields_and_parameter_order() -> None:
    o = one_op(
        param("opt1"),
        param("thingId", "path", required=True),
        param("opt2", "query", "int", defaultValue=3),
        param("req", required=True),
        path="/things/{thingId}",
        errorResponses=[{"code": 404, "reason": "Gone"}, {"code": "409"}],
        since=["13.0.0"],
        notes="N",
        upgrade="websocket",
        websocketProtocol="ari",
    )
    assert [p.wire_name for p in o.parameters] == ["thingId", "req", "opt1", "opt2"]
    assert (o.nickname, o.py_name, o.http_method, o.path) == (
        "doIt",
        "do_it",
        "GET",
        "/things/{thingId}",
    )
    assert [(e.code, e.reason) for e in o.errors] == [(404, "Gone"), (409, "")]
    assert o.reasons == {404: "Gone", 409: ""}
    assert (o.websocket, o.since, o.notes, o.summary) == (True, ("13.0.0",), "N", "doIt summary")
    assert o.parameters[3].default == 3 and o.parameters[0].location == "path"


def test_resources_sorted_by_name_operations_in_spec_order() -> None:
    resources = build_ok(
        declaration(api("/z", op("zeta"), op("alpha", "POST")), resource="zebras"),
        declaration(api("/d", op("get")), resource="deviceStates"),
        declaration(resource="empty"),  # no operations: no resource
    )
    assert [(r.name, r.py_name, r.class_name) for r in resources] == [
        ("deviceStates", "device_states", "DeviceStatesApi"),
        ("zebras", "zebras", "ZebrasApi"),
    ]
    assert [o.nickname for o in resources[1].operations] == ["zeta", "alpha"]
    assert resources[1].file == "zebras.json"


# --- quirks ------------------------------------------------------------------------------


def test_unwrapped_bodies_follow_the_server() -> None:
    variables = param("variables", "body", "containers")
    (bridges,) = build_ok(
        declaration(
            api("/bridges", op("create", "POST", "void", [variables])),
            api(
                "/bridges/{bridgeId}/variables",
                op(
                    "setBridgeVars",
                    "POST",
                    "void",
                    [param("bridgeId", "path", required=True), variables],
                ),
            ),
            resource="bridges",
        )
    )
    create, set_vars = bridges.operations
    assert not create.parameters[0].body_wrapped
    assert set_vars.parameters[1].body_wrapped
    assert {(q.resource, q.nickname, q.parameter) for q in UNWRAPPED_BODIES} == {
        ("bridges", "create", "variables"),
        ("bridges", "createWithId", "variables"),
        ("applications", "filter", "filter"),
    }
    assert all(q.evidence for q in UNWRAPPED_BODIES)
    assert body_wrapped("channels", "originate", "variables")


# --- errors of the graph step ------------------------------------------------------------

OP = "things.json › apis[0] › operations[0]"


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        (
            op("get", response="Thingy"),
            f"{OP} › responseClass: responseClass Thingy names no model of this spec",
        ),
        (
            op("get", response="List[Thingy]"),
            f"{OP} › responseClass: responseClass List[Thingy] names no model",
        ),
        (
            op("get", params=[param("x", data_type="Date")]),
            f"{OP} › parameters[0] › dataType: unknown dataType Date: neither a Swagger type "
            "nor a model of this spec",
        ),
        (
            op("get", params=[param("x", data_type="containers")]),
            f"{OP} › parameters[0] › dataType: a query parameter cannot be a JSON object",
        ),
        (
            op("get", params=[param("x", data_type="Thing")]),
            f"{OP} › parameters[0] › dataType: a query parameter cannot be a Thing",
        ),
        (
            op("get", params=[param("x", "body", allowMultiple=True)]),
            f"{OP} › parameters[0] › allowMultiple: allowMultiple is supported on query "
            "parameters only, not on a body parameter",
        ),
        (
            op(
                "get",
                params=[
                    param(
                        "x",
                        data_type="boolean",
                        allowableValues={"valueType": "LIST", "values": ["a"]},
                    )
                ],
            ),
            f"{OP} › parameters[0] › allowableValues: allowable values on a bool parameter",
        ),
        (
            op(
                "get",
                params=[
                    param(
                        "x", data_type="int", allowableValues={"valueType": "LIST", "values": ["a"]}
                    )
                ],
            ),
            f"{OP} › parameters[0] › allowableValues › values: allowable value 'a' is not a int",
        ),
        (
            op("get", params=[param("x", allowableValues={"valueType": "RANGE", "min": 1})]),
            f"{OP} › parameters[0] › allowableValues: a RANGE needs an int or double parameter",
        ),
        (
            op("get", upgrade="h2c"),
            f"{OP} › upgrade: unsupported upgrade h2c",
        ),
    ],
)
def test_graph_errors_name_file_and_path(operation: dict[str, Any], expected: str) -> None:
    found = errors_of(declaration(api("/things", operation)), models=("Thing",))
    assert any(m.startswith(expected) for m in found), found


def test_one_resource_declared_twice_is_an_error() -> None:
    a = declaration(api("/a", op("get")), resource="things")
    found = errors_of(a, a)
    assert found == [
        "things.json › resourcePath: resource things is already declared by things.json"
    ]


def test_resources_from_spec_reads_the_spec_files(tmp_path: Path) -> None:
    models = {"Thing": {"id": "Thing", "properties": {"id": {"type": "string"}}}}
    folder = write_spec_folder(
        tmp_path / "spec",
        declaration(api("/things", op("list", response="List[Thing]")), models=models),
    )
    spec = load_spec(folder)
    (r,) = resources_from_spec(spec, build_graph(spec).by_id)
    assert r.operations[0].response == ListOf(ModelRef("Thing"))
    folder = write_spec_folder(
        tmp_path / "broken", declaration(api("/things", op("list", response="Thingy")))
    )
    with pytest.raises(
        SpecError,
        match=r"things\.json › apis\[0\] › operations\[0\] › "
        r"responseClass: responseClass Thingy",
    ):
        build_graph(load_spec(folder))


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("deviceStates", "device_states"),
        ("originateWithId", "originate_with_id"),
        ("sendDTMF", "send_dtmf"),
        ("channelId", "channel_id"),
        ("absorbDTMF", "absorb_dtmf"),
        ("ID", "id"),
        ("getIDs", "get_i_ds"),  # the rule, literally: "ID" is a run before "s"
        ("RTPstat", "rt_pstat"),
        ("already_snake", "already_snake"),
        ("rtpstatistics", "rtpstatistics"),
        ("a1B", "a1_b"),
        ("ab12cd", "ab12cd"),
        ("play2Go", "play2_go"),
        ("HTTPServer", "http_server"),
        ("reason_code", "reason_code"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert naming.snake_case(name) == expected


@pytest.mark.parametrize(
    ("nickname", "expected"),
    [
        ("from", "from_"),
        ("class", "class_"),
        ("", "operation"),
        ("1st", "operation_1st"),
        ("über", "ber"),
        ("ünïcode", "n_code"),
        ("日本", "operation"),
        ("get-it now", "get_it_now"),
        ("__init__", "init"),
        ("close", "close_"),
        ("aclose", "aclose_"),
        ("type", "type"),  # a soft keyword is a valid name
    ],
)
def test_method_names_are_identifiers_even_for_hostile_nicknames(
    nickname: str, expected: str
) -> None:
    name = naming.method_names([nickname])[nickname]
    assert name == expected
    assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def test_method_name_collisions_are_resolved_whatever_the_order() -> None:
    for order in (["sendDTMF", "send_dtmf", "sendDtmf"], ["sendDtmf", "send_dtmf", "sendDTMF"]):
        names = naming.method_names(order)
        assert names == {
            "send_dtmf": "send_dtmf",
            "sendDTMF": "send_dtmf_",
            "sendDtmf": "send_dtmf__",
        }


def test_parameter_names() -> None:
    names = naming.parameter_names(["channelId", "from", "self", "str", "channel_id"])
    assert names == {
        "channelId": "channel_id_",
        "from": "from_",
        "self": "self_",
        "str": "str_",
        "channel_id": "channel_id",
    }
    plain = naming.parameter_names(["reconnect", "strict", "app"])
    assert plain == {"reconnect": "reconnect", "strict": "strict", "app": "app"}
    stream = naming.parameter_names(
        ["reconnect", "strict", "on_decode_error", "onReconnect", "app"], event_stream=True
    )
    assert stream == {
        "reconnect": "reconnect_",
        "strict": "strict_",
        "on_decode_error": "on_decode_error_",
        "onReconnect": "on_reconnect_",
        "app": "app",
    }


def test_resource_names() -> None:
    names = naming.resource_names(["deviceStates", "close", "1x", "channels"], ["ChannelsApi"])
    assert names == {
        "1x": ("resource_1x", "Resource1xApi"),
        "channels": ("channels", "ChannelsApi_"),
        "close": ("close_", "CloseApi"),
        "deviceStates": ("device_states", "DeviceStatesApi"),
    }


def test_websocket_operation_parameters_avoid_the_stream_keywords() -> None:
    o = one_op(param("strict", data_type="boolean"), upgrade="websocket")
    assert o.parameters[0].py_name == "strict_"


# --- every real spec ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL)
def test_every_real_spec_builds_with_valid_unique_names(name: str) -> None:
    _, resources = load_real(name)
    operations = sum(len(r.operations) for r in resources)
    assert (operations, len(resources)) == EXPECTED_COUNTS[name]
    attributes = [r.py_name for r in resources]
    assert len(set(attributes)) == len(attributes)
    assert not set(attributes) & naming.CLIENT_ATTRIBUTE_NAMES
    for r in resources:
        methods = [o.py_name for o in r.operations]
        assert len(set(methods)) == len(methods), r.name
        for o in r.operations:
            assert o.py_name.isidentifier() and not keyword.iskeyword(o.py_name)
            assert o.py_name not in naming.RESOURCE_ATTRIBUTE_NAMES
            params = [p.py_name for p in o.parameters]
            assert len(set(params)) == len(params), (r.name, o.nickname)
            for p in o.parameters:
                assert p.py_name.isidentifier() and not keyword.iskeyword(p.py_name)
            assert [p.required for p in o.parameters] == sorted(
                (p.required for p in o.parameters), reverse=True
            )


def test_master_cassette_in_detail() -> None:
    _, resources = load_real("cassette master")
    by = {r.name: r for r in resources}
    assert sorted(by) == [
        "applications",
        "asterisk",
        "bridges",
        "channels",
        "deviceStates",
        "endpoints",
        "events",
        "mailboxes",
        "playbacks",
        "recordings",
        "sounds",
    ]
    ops = {(r.name, o.nickname): o for r in resources for o in r.operations}
    assert len(ops) == 109
    assert ops["channels", "sendDTMF"].py_name == "send_dtmf"
    assert ops["channels", "originateWithId"].py_name == "originate_with_id"
    bridge_create = {p.wire_name: p for p in ops["bridges", "create"].parameters}
    assert bridge_create["variables"].type == VARIABLES
    assert not bridge_create["variables"].body_wrapped
    filt = ops["applications", "filter"].parameters[-1]
    assert (filt.type, filt.body_wrapped) == (EVENT_FILTER, False)
    fields = ops["asterisk", "updateObject"].parameters[-1]
    assert (fields.type, fields.body_wrapped) == (ListOf(ModelRef("ConfigTuple")), True)
    user_event = {p.wire_name: p for p in ops["events", "userEvent"].parameters}
    assert user_event["variables"].type == STRING_MAP
    ws = ops["events", "eventWebsocket"]
    assert (ws.websocket, ws.response) == (True, ModelRef("Message"))
    assert [(p.py_name, p.type) for p in ws.parameters] == [
        ("app", ListOf(Prim("str"))),
        ("subscribe_all", Prim("bool")),
    ]
    assert ops["recordings", "getStoredFile"].binary
    record = {p.wire_name: p for p in ops["channels", "record"].parameters}
    assert (record["maxDurationSeconds"].minimum, record["maxDurationSeconds"].maximum) == (0, None)
    assert {p.py_name for p in ops["endpoints", "sendMessage"].parameters} >= {"from_", "to"}
    assert ops["channels", "move"].reasons[404]  # the "404" string code


def test_18_has_no_report_events_and_no_bridge_variables() -> None:
    _, resources = load_real("cassette 18.26.4")
    ops = {(r.name, o.nickname): o for r in resources for o in r.operations}
    assert len(ops) == 100
    originate = {p.wire_name: p for p in ops["channels", "originate"].parameters}
    assert originate["variables"].type == STRING_MAP
    assert "variables" not in {p.wire_name for p in ops["bridges", "create"].parameters}
