"""The cassette harness itself (tests/support/cassette.py), proven without a generated client.

* plan_calls on hand-written rows against a small spec (no ../shared needed), and on
  hand-picked real rows;
* every expressible row's recorded request, rebuilt from the row and sent with plain
  httpx (sync and async), is matched by CassetteServer and answered as recorded;
* compare_request notices what a wrong client would do;
* events.jsonl streams over EventServer to a plain websockets client, with the drop.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import pytest
from support import cassette as cs
from support.cassette import Call, Skip
from support.specs import write_files

AUTH = "Basic " + base64.b64encode(b"cap:secret").decode()


# --------------------------------------------------------------------------- naming


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("deviceStates", "device_states"),
        ("originateWithId", "originate_with_id"),
        ("sendDTMF", "send_dtmf"),
        ("channelId", "channel_id"),
        ("absorbDTMF", "absorb_dtmf"),
        ("external_host", "external_host"),
        ("transfer_progress", "transfer_progress"),
        ("getHTTPServer2Info", "get_http_server2_info"),
        ("from", "from_"),
    ],
)
def test_py_name(name: str, expected: str) -> None:
    assert cs.py_name(name) == expected


# --------------------------------------------------------------------------- plan_calls (synthetic)


def _param(name: str, where: str, data_type: str = "string", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "paramType": where,
        "dataType": data_type,
        "required": False,
        "allowMultiple": False,
        **extra,
    }


SPEC = {
    "things.json": {
        "apiVersion": "1.0.0",
        "swaggerVersion": "1.2",
        "basePath": "http://localhost:8088/ari",
        "resourcePath": "/api-docs/things.{format}",
        "apis": [
            {
                "path": "/things/{thingId}",
                "operations": [
                    {
                        "httpMethod": "POST",
                        "nickname": "sendDTMF",
                        "responseClass": "Thing",
                        "parameters": [
                            _param("thingId", "path", required=True),
                            _param("dtmf", "query", required=True),
                            _param(
                                "count",
                                "query",
                                "int",
                                allowableValues={"valueType": "RANGE", "min": 0, "max": 9},
                            ),
                            _param("loud", "query", "boolean"),
                            _param("from", "query"),
                            _param(
                                "mode",
                                "query",
                                allowableValues={"valueType": "LIST", "values": ["a", "b"]},
                            ),
                            _param(
                                "tags",
                                "query",
                                allowMultiple=True,
                                allowableValues={"valueType": "LIST", "values": ["x", "y"]},
                            ),
                            _param(
                                "variables",
                                "body",
                                "containers",
                                description="values may be objects with report_events",
                            ),
                        ],
                    },
                    {
                        "httpMethod": "GET",
                        "nickname": "get",
                        "responseClass": "Thing",
                        "parameters": [_param("thingId", "path", required=True)],
                    },
                ],
            },
            {
                "path": "/things/{thingId}/plain",
                "operations": [
                    {
                        "httpMethod": "PUT",
                        "nickname": "plain",
                        "responseClass": "void",
                        "parameters": [
                            _param("thingId", "path", required=True),
                            _param("variables", "body", "containers"),
                        ],
                    },
                ],
            },
            {
                "path": "/events",
                "operations": [
                    {
                        "httpMethod": "GET",
                        "nickname": "eventWebsocket",
                        "upgrade": "websocket",
                        "responseClass": "Message",
                        "parameters": [_param("app", "query", required=True, allowMultiple=True)],
                    },
                ],
            },
        ],
        "models": {},
    },
    "bridges.json": {
        "apiVersion": "1.0.0",
        "swaggerVersion": "1.2",
        "basePath": "http://localhost:8088/ari",
        "resourcePath": "/api-docs/bridges.{format}",
        "apis": [
            {
                "path": "/bridges",
                "operations": [
                    {
                        "httpMethod": "POST",
                        "nickname": "create",
                        "responseClass": "Bridge",
                        "parameters": [
                            _param("name", "query"),
                            _param("variables", "body", "containers", description="report_events"),
                        ],
                    }
                ],
            },
        ],
        "models": {},
    },
}


def _row(
    method: str,
    path: str,
    query: list[list[str]] | None = None,
    body: Any = None,
    *,
    resource: str = "things",
    nickname: str | None = "sendDTMF",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "seq": 1,
        "resource": resource,
        "nickname": nickname,
        "method": method,
        "path": path,
        "query": query or [],
        "body": body,
        "request_content_type": None if body is None else "application/json",
        "auth": "basic",
        "note": None,
        **extra,
    }


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("spec"), SPEC)


def _plan(spec_dir: Path, row: dict[str, Any]) -> Call | Skip:
    (planned,) = cs.plan_calls(spec_dir, [row])
    return planned


def test_plan_full_call(spec_dir: Path) -> None:
    row = _row(
        "POST",
        "/things/a%40b%2Fc",
        [
            ["dtmf", "12#"],
            ["count", "3"],
            ["loud", "true"],
            ["from", ""],
            ["mode", "b"],
            ["tags", "x,y"],
        ],
        {"variables": {"A": "1", "B": {"value": "2", "report_events": True}}},
    )
    call = _plan(spec_dir, row)
    assert isinstance(call, Call), call
    assert (call.resource_attr, call.method_name, call.operation) == (
        "things",
        "send_dtmf",
        "things.sendDTMF",
    )
    assert call.kwargs == {
        "thing_id": "a@b/c",
        "dtmf": "12#",
        "count": 3,
        "loud": True,
        "from_": "",
        "mode": "b",
        "tags": ["x", "y"],
        "variables": {"A": "1", "B": {"value": "2", "report_events": True}},
    }
    assert call.response_class == "Thing"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_row("POST", "/things/t", [["dtmf", "1"], ["dtmf", "2"]]), cs.REPEATED_QUERY),
        (_row("POST", "/things/t", [["dtmf", "1"], ["mode", "c"]]), cs.OUTSIDE_LIST),
        (_row("POST", "/things/t", [["dtmf", "1"], ["tags", "x,z"]]), cs.OUTSIDE_LIST),
        (_row("POST", "/things/t", [["dtmf", "1"], ["count", "10"]]), cs.OUTSIDE_RANGE),
        (_row("POST", "/things/t", [["dtmf", "1"], ["count", "-1"]]), cs.OUTSIDE_RANGE),
        (_row("POST", "/things/t", [["dtmf", "1"], ["count", "many"]]), cs.BAD_TYPE),
        (_row("POST", "/things/t", [["dtmf", "1"], ["count", "03"]]), cs.BAD_TYPE),
        (_row("POST", "/things/t", [["dtmf", "1"], ["loud", "yes"]]), cs.BAD_TYPE),
        (_row("POST", "/things/t", [["dtmf", "1"], ["loud", "True"]]), cs.BAD_TYPE),
        (_row("POST", "/things/t", [["dtmf", "1"], ["colour", "red"]]), cs.UNKNOWN_PARAMETER),
        (_row("POST", "/things/t", [["dtmf", "1"], ["api_key", "k"]]), cs.CREDENTIAL_PARAM),
        (_row("POST", "/things/t", [["count", "1"]]), cs.MISSING_REQUIRED),
        (_row("POST", "/things/t", [], {"dtmf": "1"}), cs.QUERY_IN_BODY),
        (_row("POST", "/things/t", [["dtmf", "1"]], {"A": "1"}), cs.UNWRAPPED_BUT_WRAPPED),
        (_row("POST", "/things/t", [["dtmf", "1"]], {}), cs.UNWRAPPED_BUT_WRAPPED),
        (_row("POST", "/things/t", [["dtmf", "1"]], {"variables": {"A": 1}}), cs.BAD_BODY_VALUE),
        (
            _row("POST", "/things/t", [["dtmf", "1"]], {"variables": {}, "x": 1}),
            cs.UNKNOWN_PARAMETER,
        ),
        (
            _row(
                "PUT", "/things/t/plain", [], {"variables": {"A": {"value": "v"}}}, nickname="plain"
            ),
            cs.BAD_BODY_VALUE,
        ),
        (
            _row(
                "POST",
                "/bridges",
                [],
                {"variables": {"A": "1"}},
                resource="bridges",
                nickname="create",
            ),
            cs.WRAPPED_BUT_UNWRAPPED,
        ),
        (_row("GET", "/things/t", [], {"x": 1}, nickname="get"), cs.BODY_NOT_ACCEPTED),
        (_row("GET", "/things/t/", nickname="get"), cs.PATH_MISMATCH),
        (_row("GET", "/events", [["app", "a"]], nickname="eventWebsocket"), cs.WEBSOCKET),
        (_row("DELETE", "/things/t", nickname=None), cs.NO_OPERATION_METHOD),
        (_row("OPTIONS", "/things/t", nickname=None), cs.NO_OPERATION_METHOD),
        (_row("GET", "/no/such", nickname=None, resource=None), cs.NO_OPERATION_PATH),
        (
            _row(
                "GET",
                "/things/t/vars",
                nickname=None,
                note="things.getVars is not in this server's spec",
            ),
            cs.NOT_IN_SPEC,
        ),
        (_row("GET", "/things/t/vars", nickname="getVars"), cs.NOT_IN_SPEC),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_plan_skips(spec_dir: Path, row: dict[str, Any], reason: str) -> None:
    planned = _plan(spec_dir, row)
    assert isinstance(planned, Skip), planned
    assert planned.reason == reason, planned


def test_plan_unwrapped_quirk(spec_dir: Path) -> None:
    body = {"A": "1", "B": {"value": "2", "report_events": True}}
    call = _plan(
        spec_dir,
        _row("POST", "/bridges", [["name", "x"]], body, resource="bridges", nickname="create"),
    )
    assert isinstance(call, Call) and call.kwargs == {"name": "x", "variables": body}


def test_summary(spec_dir: Path) -> None:
    rows = [
        _row("GET", "/things/t", nickname="get"),
        _row("GET", "/things/t/", nickname="get"),
        _row("DELETE", "/things/t", nickname=None),
    ]
    summary = cs.summarize(cs.plan_calls(spec_dir, rows))
    assert (summary.total, summary.calls) == (3, 1)
    text = str(summary)
    assert text.startswith("1 of 3 replayed, and why the rest cannot be expressed:")
    assert cs.PATH_MISMATCH in text and cs.NO_OPERATION_METHOD in text


# --------------------------------------------------------------------------- real rows


@pytest.fixture(scope="module", params=cs.cassette_names())
def cassette(request: pytest.FixtureRequest) -> cs.Cassette:
    return cs.load_cassette(request.param)


def _by_seq(cassette: cs.Cassette) -> dict[int, Call | Skip]:
    return {p.seq: p for p in cs.plan_calls(cassette.spec_dir, cassette.rows)}


def test_plan_real_rows(cassette: cs.Cassette) -> None:
    """Hand-picked rows, found by content (seq numbers differ between cassettes)."""
    planned = cs.plan_calls(cassette.spec_dir, cassette.rows)

    def find(pred: Any) -> Call | Skip:
        hits = [p for p in planned if pred(p.row)]
        assert hits, "row not found"
        return hits[0]

    comma = find(lambda r: r["nickname"] == "getInfo" and r["query"] == [["only", "build,system"]])
    assert isinstance(comma, Call) and comma.kwargs == {"only": ["build", "system"]}
    assert (comma.resource_attr, comma.method_name) == ("asterisk", "get_info")
    repeated = find(lambda r: r["raw_query"] == "only=config&only=status")
    assert isinstance(repeated, Skip) and repeated.reason == cs.REPEATED_QUERY
    many = find(lambda r: "oldMessages=many" in r["raw_query"])
    assert isinstance(many, Skip) and many.reason == cs.BAD_TYPE
    noauth = find(lambda r: r["auth"] == "none")
    assert isinstance(noauth, Call) and noauth.row["status"] == 401
    slash = find(lambda r: r["nickname"] == "update" and "%2F" in r["path"])
    assert isinstance(slash, Call) and "/" in slash.kwargs["device_name"]
    options = find(lambda r: r["method"] == "OPTIONS")
    assert isinstance(options, Skip) and options.reason == cs.NO_OPERATION_METHOD
    ws = [p for p in planned if p.row["nickname"] == "eventWebsocket"]
    assert ws and all(isinstance(p, Skip) and p.reason == cs.WEBSOCKET for p in ws)
    binary = find(lambda r: "response_b64" in r)
    assert isinstance(binary, Call) and binary.response_class == "binary"
    created = find(
        lambda r: (
            r["nickname"] == "create"
            and r["resource"] == "bridges"
            and isinstance(r["body"], dict)
            and "variables" not in r["body"]
        )
    )
    has_variables = "variables" in json.dumps(
        json.loads((cassette.spec_dir / "api-docs" / "bridges.json").read_text())["apis"][0]
    )
    if has_variables:
        assert isinstance(created, Call) and created.kwargs["variables"] == created.row["body"]
    else:  # 18: bridges.create has no variables parameter
        assert isinstance(created, Skip) and created.reason == cs.BODY_NOT_ACCEPTED
    summary = cs.summarize(planned)
    assert summary.calls >= cs.replay_floor(summary.total, cassette.name), "\n".join(
        summary.lines()
    )


# --------------------------------------------------------------------------- CassetteServer


def _httpx_request(base_url: str, row: dict[str, Any]) -> dict[str, Any]:
    """The recorded request, rebuilt from the row, as httpx.request keyword arguments."""
    url = base_url + row["path"] + ("?" + row["raw_query"] if row["raw_query"] else "")
    kwargs: dict[str, Any] = {"method": row["method"], "url": url, "headers": {}}
    if row["auth"] != "none":
        kwargs["headers"]["Authorization"] = AUTH
    if row["body"] is not None:
        kwargs["content"] = json.dumps(row["body"]).encode()
        kwargs["headers"]["Content-Type"] = "application/json"
    return kwargs


def _check_answer(row: dict[str, Any], response: Any) -> list[str]:
    diffs = []
    if response.status_code != row["status"]:
        diffs.append(f"status {response.status_code} != {row['status']}")
    if response.reason_phrase != row["reason"]:
        diffs.append(f"reason {response.reason_phrase!r} != {row['reason']!r}")
    if response.headers.get("content-type") != row["content_type"]:
        diffs.append(f"content-type {response.headers.get('content-type')!r}")
    body = cs.response_bytes(row)
    if response.content != body:
        diffs.append("body differs")
    if len(body) != row["response_len"]:
        diffs.append(f"recorded body is {len(body)} bytes, response_len {row['response_len']}")
    return diffs


def test_server_replays_every_call_sync(cassette: cs.Cassette) -> None:
    httpx = pytest.importorskip("httpx", reason="httpx is not installed")
    calls = [p for p in cs.plan_calls(cassette.spec_dir, cassette.rows) if isinstance(p, Call)]
    problems: list[str] = []
    with cs.CassetteServer() as server, httpx.Client() as client:
        for call in calls:
            server.expect(call.row)
            response = client.request(**_httpx_request(server.base_url, call.row))
            diffs = cs.compare_request(call.row, server.take()) + _check_answer(call.row, response)
            if len(server.requests) != 1:
                diffs.append(f"{len(server.requests)} requests")
            problems += [f"{call.seq} {call.operation}: {d}" for d in diffs]
    assert not problems, "\n".join(problems)


def test_server_replays_every_call_async(cassette: cs.Cassette) -> None:
    httpx = pytest.importorskip("httpx", reason="httpx is not installed")
    calls = [p for p in cs.plan_calls(cassette.spec_dir, cassette.rows) if isinstance(p, Call)]

    async def replay(server: cs.CassetteServer) -> list[str]:
        problems: list[str] = []
        async with httpx.AsyncClient() as client:
            for call in calls:
                server.expect(call.row)
                response = await client.request(**_httpx_request(server.base_url, call.row))
                diffs = cs.compare_request(call.row, server.take())
                diffs += _check_answer(call.row, response)
                problems += [f"{call.seq} {call.operation}: {d}" for d in diffs]
        return problems

    with cs.CassetteServer() as server:
        problems = asyncio.run(replay(server))
    assert not problems, "\n".join(problems)


def test_compare_request_catches_a_wrong_client(cassette: cs.Cassette) -> None:
    httpx = pytest.importorskip("httpx", reason="httpx is not installed")
    rows = {
        p.seq: p.row for p in cs.plan_calls(cassette.spec_dir, cassette.rows) if isinstance(p, Call)
    }
    with_query = next(
        r for r in rows.values() if r["query"] and "," in r["raw_query"] and r["body"] is None
    )
    with_body = next(r for r in rows.values() if r["body"] is not None)
    with_at = next(r for r in rows.values() if "@" in r["path"] and r["body"] is None)
    bodiless_post = next(r for r in rows.values() if r["method"] == "POST" and r["body"] is None)
    noauth = next(r for r in rows.values() if r["auth"] == "none")

    def send(row: dict[str, Any], **change: Any) -> list[str]:
        kwargs = _httpx_request(server.base_url, row)
        kwargs.update(change)
        server.expect(row)
        client.request(**kwargs)
        return cs.compare_request(row, server.take())

    with cs.CassetteServer() as server, httpx.Client() as client:
        # Right: `@` percent-encoded, query reordered.
        url = server.base_url + with_at["path"].replace("@", "%40")
        if with_at["raw_query"]:
            url += "?" + "&".join(reversed(with_at["raw_query"].split("&")))
        assert send(with_at, url=url) == []
        # Wrong: a list sent as a repeated parameter.
        name, value = next((k, v) for k, v in with_query["query"] if "," in v)
        others = [f"{k}={v}" for k, v in with_query["query"] if k != name]
        split = "&".join(others + [f"{name}={v}" for v in value.split(",")])
        diffs = send(with_query, url=server.base_url + with_query["path"] + "?" + split)
        assert any("ONE comma-joined" in d for d in diffs), diffs
        # Wrong: /ari twice, wrong method.
        assert send(
            with_body,
            url=server.base_url
            + "/ari"
            + with_body["path"]
            + ("?" + with_body["raw_query"] if with_body["raw_query"] else ""),
        )
        assert any("method" in d for d in send(with_body, method="PATCH"))
        # Wrong: no body / other body / body without JSON content type / body as null.
        assert any("no body" in d for d in send(with_body, content=b""))
        assert any("body" in d for d in send(with_body, content=b'{"other": 1}'))
        assert any(
            "Content-Type" in d
            for d in send(with_body, headers={"Authorization": AUTH, "Content-Type": "text/plain"})
        )
        assert any(
            "body" in d
            for d in send(
                bodiless_post,
                content=b"null",
                headers={"Authorization": AUTH, "Content-Type": "application/json"},
            )
        )
        assert any(
            "Content-Type" in d
            for d in send(
                bodiless_post, headers={"Authorization": AUTH, "Content-Type": "application/json"}
            )
        )
        # Wrong: auth.
        assert any("Authorization" in d for d in send(with_at, headers={}))
        assert any("Authorization" in d for d in send(noauth, headers={"Authorization": AUTH}))
        # Nothing expected: answered 599 and recorded.
        response = client.get(server.base_url + "/asterisk/ping")
        assert response.status_code == 599 and server.requests[-1].expected_seq is None


def test_strict_equal() -> None:
    assert cs.strict_equal({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert not cs.strict_equal({"a": True}, {"a": 1})
    assert not cs.strict_equal(1, 1.0)
    assert not cs.strict_equal({"a": 1}, {"a": 1, "b": 2})


def test_expected_errors() -> None:
    assert cs.error_class_name(404) == "NotFound"
    assert cs.error_class_name(501) == "NotImplementedByServer"
    assert cs.error_class_name(503) == "ServerError"
    assert cs.error_class_name(418) == "AriError"
    assert cs.error_message({"response": '{"message": "Channel not found"}'}) == "Channel not found"
    assert cs.error_message({"response": '{"error": "Allocation failed"}'}) == "Allocation failed"
    assert cs.error_message({"response": "<html>426</html>"}) is None


# --------------------------------------------------------------------------- EventServer


def _ws_query() -> str:
    return "?app=cap,cap2&subscribeAll=true"


def test_event_server_sync_drop_and_resume(cassette: cs.Cassette) -> None:
    pytest.importorskip("websockets", reason="websockets is not installed")
    from websockets.exceptions import ConnectionClosed, ConnectionClosedError
    from websockets.sync.client import connect

    frames = list(cassette.frames)
    assert frames, f"{cassette.name}: events.jsonl is empty"
    k = len(frames) // 3
    got: list[str] = []
    with cs.EventServer(frames, drop_after=k) as server:
        headers = {"Authorization": AUTH}
        with connect(server.ws_url + _ws_query(), additional_headers=headers) as ws:
            with pytest.raises(ConnectionClosed) as info:
                while True:
                    got.append(ws.recv(timeout=5))
            # Dropped: no close frame was received (abnormal closure).
            assert isinstance(info.value, ConnectionClosedError) and info.value.rcvd is None
        assert got == frames[:k]
        with connect(server.ws_url + _ws_query(), additional_headers=headers) as ws:
            while len(got) < len(frames):
                got.append(ws.recv(timeout=5))
        assert got == frames
        assert [c.sent for c in server.connections] == [k, len(frames) - k]
        assert [c.dropped for c in server.connections] == [True, False]
        for log in server.connections:
            assert log.path == "/ari/events"
            assert log.query == [("app", "cap,cap2"), ("subscribeAll", "true")]
            assert log.authorization == AUTH


def test_event_server_async_drop_and_resume(cassette: cs.Cassette) -> None:
    pytest.importorskip("websockets", reason="websockets is not installed")
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosedError

    frames = list(cassette.frames)
    k = 7

    async def read(url: str) -> list[str]:
        got: list[str] = []
        async with connect(url) as ws:
            try:
                while True:
                    got.append(await asyncio.wait_for(ws.recv(), 5))
            except ConnectionClosedError as exc:
                assert exc.rcvd is None
        return got

    async def run(server: cs.EventServer) -> list[str]:
        first = await read(server.ws_url + _ws_query())
        assert first == frames[:k]
        got = list(first)
        async with connect(server.ws_url + _ws_query()) as ws:
            while len(got) < len(frames):
                got.append(await asyncio.wait_for(ws.recv(), 5))
        return got

    with cs.EventServer(frames, drop_after=k) as server:
        assert asyncio.run(run(server)) == frames
        assert server.connections[1].authorization is None


def test_event_server_without_drop_holds_the_connection() -> None:
    pytest.importorskip("websockets", reason="websockets is not installed")
    from websockets.sync.client import connect

    frames = ['{"type":"A"}', '{"type":"B"}']
    with cs.EventServer(frames) as server, connect(server.ws_url) as ws:
        assert [ws.recv(timeout=5), ws.recv(timeout=5)] == frames
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.2)  # still open, nothing more
