"""The client runtime (runtime/_wire, _errors, _responses, _endpoint, _http): request building,
HTTP transports on a real local server, errors."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import pickle
import sys
import traceback
import urllib.error
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from support.transport_servers import Answer, HttpServer, free_port, http_server

from ari_codegen.runtime import _errors, _http, _responses, _websocket, _wire
from ari_codegen.styles import CLIENT_RUNTIME

HAVE_HTTPX = importlib.util.find_spec("httpx") is not None
needs_httpx = pytest.mark.skipif(
    not HAVE_HTTPX,
    reason="httpx is not installed (it is in the test extra: pip install -e '.[test]')",
)

KINDS = [
    pytest.param("httpx", marks=needs_httpx),
    pytest.param("async-httpx", marks=needs_httpx),
    "urllib",
]


@pytest.fixture(scope="module")
def shared_server() -> Iterator[HttpServer]:
    yield from http_server()


@pytest.fixture
def server(shared_server: HttpServer) -> HttpServer:
    shared_server.seen.clear()
    shared_server.answers.clear()
    return shared_server


def send(kind: str, base_url: str, request: _wire.Request, **options: Any) -> _wire.Response:
    """Send one request through a fresh transport of ``kind``."""
    if kind == "async-httpx":

        async def run() -> _wire.Response:
            async with _http.AsyncHttpxTransport(base_url, **options) as transport:
                return await transport.send(request)

        return asyncio.run(run())
    cls = _http.HttpxTransport if kind == "httpx" else _http.UrllibTransport
    with cls(base_url, **options) as transport:
        return transport.send(request)


# --------------------------------------------------------------------------------------------
# Request building (pure functions)


def test_path_segment_encodes_everything_but_unreserved() -> None:
    assert _wire.path_segment("abc-1.2_3~") == "abc-1.2_3~"
    assert _wire.path_segment("Local/wait@ctx;2 x") == "Local%2Fwait%40ctx%3B2%20x"
    assert _wire.path_segment("é") == "%C3%A9"
    assert _wire.path_segment("a?b#c%d&e=f+g") == "a%3Fb%23c%25d%26e%3Df%2Bg"
    # dot segments could be collapsed by an HTTP library: sent encoded
    assert _wire.path_segment(".") == "%2E"
    assert _wire.path_segment("..") == "%2E%2E"
    assert _wire.path_segment("...") == "..."
    with pytest.raises(ValueError, match="empty"):
        _wire.path_segment("")


def test_query_value() -> None:
    assert _wire.query_value("x y") == "x y"
    assert _wire.query_value("") == ""
    assert _wire.query_value(True) == "true"
    assert _wire.query_value(False) == "false"
    assert _wire.query_value(15) == "15"
    assert _wire.query_value(-3) == "-3"
    assert _wire.query_value(1.5) == "1.5"
    assert _wire.query_value(["sound:a", "sound:b"]) == "sound:a,sound:b"
    assert _wire.query_value(("a",)) == "a"
    assert _wire.query_value([]) == ""
    assert _wire.query_value([1, True, "x"]) == "1,true,x"
    with pytest.raises(ValueError):
        _wire.query_value(float("nan"))


def test_check_range() -> None:
    _wire.check_range("volume", 0, 0, 100)
    _wire.check_range("volume", 100, 0, 100)
    _wire.check_range("x", 10**9, 0, None)
    _wire.check_range("x", -(10**9), None, 5)
    with pytest.raises(ValueError, match=r"^volume: 101 is outside 0\.\.100$"):
        _wire.check_range("volume", 101, 0, 100)
    with pytest.raises(ValueError, match=r"^skipms: -5 is outside 0\.\.$"):
        _wire.check_range("skipms", -5, 0, None)
    with pytest.raises(ValueError, match=r"outside \.\.1\.5"):
        _wire.check_range("f", 2.0, None, 1.5)
    with pytest.raises(ValueError):
        _wire.check_range("f", float("nan"), 0, 1)


def test_request_and_response_are_frozen_with_slots() -> None:
    request = _wire.Request("GET", "/channels")
    assert request.query == () and request.body is None and request.operation == ""
    with pytest.raises(AttributeError):
        request.path = "/x"  # type: ignore[misc]
    assert not hasattr(request, "__dict__")
    assert not hasattr(_wire.Response(200, "OK", None, b""), "__dict__")


# --------------------------------------------------------------------------------------------
# JSON


@pytest.fixture(params=["orjson", "json"])
def json_impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        if _wire._orjson is None:
            pytest.skip("orjson is not installed (it is in the test extra)")
    else:
        monkeypatch.setattr(_wire, "_orjson", None)
    return str(request.param)


def test_json_round_trip(json_impl: str) -> None:
    value = {"a": [1, 2.5, "é", None, True], "b": {"c": ""}}
    data = _wire.dumps(value)
    assert isinstance(data, bytes)
    assert data == json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    assert _wire.loads(data) == value
    assert _wire.loads(data.decode()) == value


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "{", "", "\xff"])
def test_loads_refuses_non_json(json_impl: str, text: str) -> None:
    with pytest.raises(ValueError):
        _wire.loads(text.encode("latin-1"))


def test_json_fallback_is_used_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_wire, "_orjson", None)
    monkeypatch.setitem(sys.modules, "orjson", None)
    assert _wire._find_orjson() is None
    assert _wire.loads(b'{"x":1}') == {"x": 1}
    assert _wire.dumps({"x": "é"}) == '{"x":"é"}'.encode()


# --------------------------------------------------------------------------------------------
# Requests on the wire


@pytest.mark.parametrize("kind", KINDS)
def test_request_line_path_and_query(kind: str, server: HttpServer) -> None:
    path = "/deviceStates/" + _wire.path_segment("Local/wait@ctx;2 é")
    query = (
        ("media", _wire.query_value(["sound:a", "sound:b"])),
        ("beep", _wire.query_value(True)),
        ("skipms", _wire.query_value(3000)),
        ("label", ""),
        ("callerId", '"Alice" <1001>&x=#'),
    )
    response = send(kind, server.base_url, _wire.Request("GET", path, query, operation="x.get"))
    assert response.status == 200
    (seen,) = server.seen
    assert seen.method == "GET"
    raw_path, _, raw_query = seen.target.partition("?")
    assert raw_path == "/ari/deviceStates/Local%2Fwait%40ctx%3B2%20%C3%A9"
    assert raw_query == (
        "media=sound:a,sound:b&beep=true&skipms=3000&label="
        "&callerId=%22Alice%22%20%3C1001%3E%26x%3D%23"
    )
    assert urllib.parse.parse_qsl(raw_query, keep_blank_values=True) == list(query)
    assert "authorization" not in seen.headers
    assert "content-type" not in seen.headers


@pytest.mark.parametrize("kind", KINDS)
def test_base_url_trailing_slash_and_no_query(kind: str, server: HttpServer) -> None:
    send(kind, server.base_url + "/", _wire.Request("GET", "/asterisk/info"))
    assert server.seen[0].target == "/ari/asterisk/info"


@pytest.mark.parametrize("kind", KINDS)
def test_json_body_has_content_type(kind: str, server: HttpServer) -> None:
    body = _wire.dumps({"variables": {"A": "1", "B": {"value": "x", "report_events": True}}})
    send(
        kind, server.base_url, _wire.Request("POST", "/channels", (("endpoint", "Local/1"),), body)
    )
    (seen,) = server.seen
    assert seen.method == "POST"
    assert seen.headers["content-type"] == "application/json"
    assert json.loads(seen.body) == {
        "variables": {"A": "1", "B": {"value": "x", "report_events": True}}
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_no_body_no_content_type(kind: str, method: str, server: HttpServer) -> None:
    send(kind, server.base_url, _wire.Request(method, "/channels/c1/answer"))
    (seen,) = server.seen
    assert seen.method == method
    assert "content-type" not in seen.headers
    assert seen.body == b""


@pytest.mark.parametrize("kind", KINDS)
def test_basic_auth(kind: str, server: HttpServer) -> None:
    send(kind, server.base_url, _wire.Request("GET", "/x"), username="cap", password="p:ss é")
    (seen,) = server.seen
    import base64

    assert (
        seen.headers["authorization"] == "Basic " + base64.b64encode("cap:p:ss é".encode()).decode()
    )
    assert "api_key" not in seen.target


@pytest.mark.parametrize("kind", KINDS)
def test_credentials_in_base_url_become_basic_auth(kind: str, server: HttpServer) -> None:
    base = server.base_url.replace("http://", "http://cap:s%40cret@")
    send(kind, base, _wire.Request("GET", "/x"))
    import base64

    assert (
        server.seen[0].headers["authorization"]
        == "Basic " + base64.b64encode(b"cap:s@cret").decode()
    )


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_query_is_encoded(kind: str, server: HttpServer) -> None:
    key = "user:pa&ss=w#rd %é"
    send(kind, server.base_url, _wire.Request("GET", "/x"), api_key=key)
    send(kind, server.base_url, _wire.Request("GET", "/x", (("a", "1"),)), api_key=key)
    first, second = server.seen
    assert first.target.startswith("/ari/x?api_key=")
    assert urllib.parse.parse_qsl(first.target.partition("?")[2]) == [("api_key", key)]
    assert urllib.parse.parse_qsl(second.target.partition("?")[2]) == [("a", "1"), ("api_key", key)]
    assert "authorization" not in first.headers


def test_credentials_are_validated() -> None:
    base = "http://127.0.0.1:1/ari"
    with pytest.raises(ValueError, match="together"):
        _http.UrllibTransport(base, username="u")
    with pytest.raises(ValueError, match="together"):
        _http.UrllibTransport(base, password="p")
    with pytest.raises(ValueError, match="not both"):
        _http.UrllibTransport(base, username="u", password="p", api_key="k")
    with pytest.raises(ValueError, match="both in base_url"):
        _http.UrllibTransport("http://u:p@127.0.0.1/ari", username="u", password="p")
    with pytest.raises(ValueError):
        _http.UrllibTransport("ftp://127.0.0.1/ari")
    with pytest.raises(ValueError, match="spaces"):
        _http.UrllibTransport("http://127.0.0.1/my ari")
    with pytest.raises(ValueError, match="query"):
        _http.UrllibTransport("http://127.0.0.1/ari?api_key=x")
    with pytest.raises(ValueError):
        _http.UrllibTransport(base, timeout=float("inf"))
    with pytest.raises(ValueError):
        _http.UrllibTransport(base, timeout=0)
    with pytest.raises(ValueError):
        _websocket.WebsocketsConnector(base, username="u")
    with pytest.raises(ValueError):
        _http.default_transport(base, api_key="k", username="u", password="p")


# --------------------------------------------------------------------------------------------
# Answers


@pytest.mark.parametrize("kind", KINDS)
def test_success_answers(kind: str, server: HttpServer) -> None:
    server.json_answer("/ari/channels/c1", {"id": "c1"})
    server.json_answer("/ari/channels/c1/play", {"id": "p1"}, status=201, reason="Created")
    server.answers["/ari/channels/c1/answer"] = Answer(204, None, None, b"")
    server.answers["/ari/recordings/stored/r/file"] = Answer(
        200, None, "audio/wav", b"RIFF\x00\xff"
    )
    got = send(kind, server.base_url, _wire.Request("GET", "/channels/c1"))
    assert (got.status, got.reason, got.content_type) == (200, "OK", "application/json")
    assert _responses.expect_json(got, "channels.get", {}) == {"id": "c1"}
    got = send(kind, server.base_url, _wire.Request("POST", "/channels/c1/play"))
    assert got.status == 201 and _responses.expect_json(got, "channels.play", {}) == {"id": "p1"}
    got = send(kind, server.base_url, _wire.Request("POST", "/channels/c1/answer"))
    assert (got.status, got.content_type, got.content) == (204, None, b"")
    assert _responses.expect_empty(got, "channels.answer", {}) is None
    got = send(kind, server.base_url, _wire.Request("GET", "/recordings/stored/r/file"))
    assert _responses.expect_bytes(got, "recordings.getStoredFile", {}) == b"RIFF\x00\xff"


ERRORS = [
    (400, _errors.BadRequest),
    (401, _errors.Unauthorized),
    (403, _errors.Forbidden),
    (404, _errors.NotFound),
    (405, _errors.MethodNotAllowed),
    (406, _errors.NotAcceptable),
    (409, _errors.Conflict),
    (412, _errors.PreconditionFailed),
    (422, _errors.UnprocessableEntity),
    (426, _errors.UpgradeRequired),
    (500, _errors.ServerError),
    (501, _errors.NotImplementedByServer),
    (503, _errors.ServerError),
    (599, _errors.ServerError),
    (418, _errors.AriError),
    (302, _errors.AriError),
    (499, _errors.AriError),
]


@pytest.mark.parametrize(("status", "cls"), ERRORS)
def test_error_for_maps_status(status: int, cls: type[_errors.AriError]) -> None:
    response = _wire.Response(
        status, "Some Reason", "application/json", b'{"message":"Channel not found"}'
    )
    error = _errors.error_for(response, "channels.get", {status: "Channel not found", 999: "x"})
    assert type(error) is cls
    assert isinstance(error, _errors.AriError) and isinstance(error, _errors.AriClientError)
    assert error.status == status
    assert error.message == "Channel not found"
    assert error.reason == "Channel not found"
    assert error.operation == "channels.get"
    assert error.server_reason == "Some Reason"
    assert str(error) == f"channels.get: {status} Some Reason: Channel not found"
    for expect in (_responses.expect_json, _responses.expect_empty, _responses.expect_bytes):
        with pytest.raises(cls):
            expect(response, "channels.get", {})
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is cls and str(clone) == str(error)


def test_error_texts() -> None:
    error = _errors.error_for(
        _wire.Response(
            500, "Internal Server Error", "application/json", b'{"error":"Allocation failed"}'
        ),
        "channels.originate",
        {},
    )
    assert isinstance(error, _errors.ServerError)
    assert error.message == "Allocation failed" and error.reason is None
    assert str(error) == "channels.originate: 500 Internal Server Error: Allocation failed"
    error = _errors.error_for(
        _wire.Response(
            422, "Unprocessable Entity", "application/json", b'{"message":"Not subscribed"}'
        ),
        "a.unsubscribe",
        {422: "Busy"},
    )
    assert str(error) == "a.unsubscribe: 422 Unprocessable Entity: Not subscribed (spec: Busy)"
    # no body: the reason phrase, else the standard phrase
    assert (
        _errors.error_for(_wire.Response(404, "Not found", None, b""), "op", {}).message
        == "Not found"
    )
    assert _errors.error_for(_wire.Response(404, "", None, b""), "op", {}).message == "Not Found"
    assert _errors.error_for(_wire.Response(299 + 300, "", None, b""), "op", {}).message == ""
    # JSON without message/error, or a non-object: an excerpt of the body
    assert (
        _errors.error_for(_wire.Response(400, "Bad", None, b'{"x": 1}'), "op", {}).message
        == '{"x": 1}'
    )
    assert _errors.error_for(_wire.Response(400, "Bad", None, b"[1]"), "op", {}).message == "[1]"


HTML = (
    b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n'
    b"<title>426 Upgrade Required</title>\r\n</head><body>\r\n<h1>Upgrade Required</h1>\r\n"
    + b"<p>\x1b[31m\x00\x07 "
    + b"x" * 5000
    + b"</p></body></html>\r\n"
)


@pytest.mark.parametrize("kind", KINDS)
def test_html_error_body_is_a_short_printable_excerpt(kind: str, server: HttpServer) -> None:
    server.answers["/ari/events"] = Answer(426, "Upgrade Required", "text/html", HTML)
    response = send(kind, server.base_url, _wire.Request("GET", "/events"))
    with pytest.raises(_errors.UpgradeRequired) as info:
        _responses.expect_json(response, "events.eventWebsocket", {})
    error = info.value
    assert error.status == 426
    assert error.message.startswith(
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"> <html><head>'
    )
    for text in (error.message, str(error)):
        assert text.isprintable()
        assert len(text) < 400
    assert "\x1b" not in str(error) and "\x00" not in str(error)


@pytest.mark.parametrize("kind", KINDS)
def test_server_error_json_error_key(kind: str, server: HttpServer) -> None:
    server.json_answer(
        "/ari/channels", {"error": "Allocation failed"}, 500, "Internal Server Error"
    )
    response = send(kind, server.base_url, _wire.Request("POST", "/channels"))
    with pytest.raises(_errors.ServerError, match="Allocation failed") as info:
        _responses.expect_json(response, "channels.originate", {400: "Invalid parameters"})
    assert info.value.reason is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, _errors.BadRequest),
        (404, _errors.NotFound),
        (409, _errors.Conflict),
        (412, _errors.PreconditionFailed),
        (422, _errors.UnprocessableEntity),
        (500, _errors.ServerError),
        (599, _errors.ServerError),
        (418, _errors.AriError),
    ],
)
def test_error_statuses_on_the_wire(
    kind: str, status: int, cls: type[_errors.AriError], server: HttpServer
) -> None:
    server.json_answer("/ari/x", {"message": "nope"}, status)
    response = send(kind, server.base_url, _wire.Request("GET", "/x"))
    with pytest.raises(_errors.AriError) as info:
        _responses.expect_empty(response, "x.y", {status: "documented"})
    assert type(info.value) is cls
    assert (info.value.status, info.value.message, info.value.reason) == (
        status,
        "nope",
        "documented",
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", HTML),
        ("application/json", b"{not json"),
        (None, b""),
        ("application/json", b"NaN"),
    ],
)
def test_2xx_that_is_not_json(
    kind: str, content_type: str | None, body: bytes, server: HttpServer
) -> None:
    server.answers["/ari/x"] = Answer(200, None, content_type, body)
    response = send(kind, server.base_url, _wire.Request("GET", "/x"))
    with pytest.raises(
        _errors.AriResponseError, match=r"^channels\.get: 200 answer is not JSON"
    ) as info:
        _responses.expect_json(response, "channels.get", {})
    assert isinstance(info.value.__cause__, ValueError)
    assert str(info.value).isprintable() and len(str(info.value)) < 400


def test_decode_with() -> None:
    assert _responses.decode_with(int, "5", "op") == 5

    def bad(value: Any) -> int:
        raise ValueError("Channel › id: expected str, got int")

    with pytest.raises(
        _errors.AriResponseError, match=r"^channels\.get: answer does not match"
    ) as info:
        _responses.decode_with(bad, {}, "channels.get")
    assert isinstance(info.value.__cause__, ValueError)
    with pytest.raises(_errors.AriResponseError):
        _responses.decode_with(lambda value: value["x"] + 1, {"x": "a"}, "op")  # TypeError


@pytest.mark.parametrize("kind", KINDS)
def test_redirect_is_not_followed(kind: str, server: HttpServer) -> None:
    target = f"http://127.0.0.2:{server.port}/ari/x"
    server.answers["/ari/x"] = Answer(302, "Found", None, b"", headers={"Location": target})
    response = send(
        kind, server.base_url, _wire.Request("GET", "/x"), username="u", password="secret"
    )
    assert response.status == 302
    assert len(server.seen) == 1
    with pytest.raises(_errors.AriError) as info:
        _responses.expect_json(response, "op", {})
    assert info.value.status == 302


@pytest.mark.parametrize("close_delimited", [False, True])
def test_urllib_body_cap(server: HttpServer, close_delimited: bool) -> None:
    body = b"[" + b"1," * 100 + b"1]"
    server.answers["/ari/x"] = Answer(
        200, None, "application/json", body, close_delimited=close_delimited
    )
    transport = _http.UrllibTransport(server.base_url)
    assert transport.max_body == 64 * 1024 * 1024
    transport.max_body = 100
    with pytest.raises(_errors.AriResponseError, match="larger than 100 bytes"):
        transport.send(_wire.Request("GET", "/x", operation="op"))
    transport.max_body = 1000
    assert transport.send(_wire.Request("GET", "/x")).content == body


# --------------------------------------------------------------------------------------------
# No answer


@pytest.mark.parametrize("kind", KINDS)
def test_connection_refused(kind: str) -> None:
    base = f"http://127.0.0.1:{free_port()}/ari"
    with pytest.raises(_errors.AriConnectionError) as info:
        send(kind, base, _wire.Request("GET", "/x", operation="asterisk.ping"), api_key="u:KEY123")
    assert not isinstance(info.value, _errors.AriTimeout)
    text = str(info.value)
    assert text.startswith(f"asterisk.ping: cannot reach {base}: ")
    assert "KEY123" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_timeout(kind: str, server: HttpServer) -> None:
    server.answers["/ari/slow"] = Answer(delay=1.0)
    with pytest.raises(_errors.AriTimeout, match=r"^op: no answer from"):
        send(kind, server.base_url, _wire.Request("GET", "/slow", operation="op"), timeout=0.2)


def test_default_timeout_is_finite() -> None:
    import inspect

    for factory in (
        _http.HttpxTransport,
        _http.AsyncHttpxTransport,
        _http.UrllibTransport,
        _websocket.WebsocketsConnector,
        _websocket.AsyncWebsocketsConnector,
        _http.default_transport,
        _http.default_async_transport,
        _websocket.default_connector,
        _websocket.default_async_connector,
    ):
        assert inspect.signature(factory).parameters["timeout"].default == 30.0


# --------------------------------------------------------------------------------------------
# Secrets never reach a message


def _all_text(error: BaseException) -> str:
    return str(error) + "".join(traceback.format_exception(type(error), error, error.__traceback__))


@needs_httpx
@pytest.mark.parametrize(
    ("library_error", "error"),
    [
        ("ConnectError", _errors.AriConnectionError),
        ("ReadTimeout", _errors.AriTimeout),
        ("DecodingError", _errors.AriResponseError),
    ],
)
def test_httpx_exception_text_is_scrubbed(library_error: str, error: type[Exception]) -> None:
    import httpx

    key = "asterisk:Se&cr=et#1"

    def fail(request: httpx.Request) -> httpx.Response:
        raise getattr(httpx, library_error)(
            f"failed for {request.url} (key {key})", request=request
        )

    transport = _http.HttpxTransport("http://127.0.0.1:9/ari", api_key=key)
    transport._client = httpx.Client(transport=httpx.MockTransport(fail))
    with pytest.raises(error) as info:
        transport.send(_wire.Request("GET", "/channels", (("a", "1"),), operation="channels.list"))
    assert type(info.value) is error
    text = _all_text(info.value)
    assert (
        "Se&cr" not in text
        and "Se%26cr" not in text
        and "et#1" not in text
        and "et%231" not in text
    )
    assert "***" in text
    assert info.value.__cause__ is None


def test_urllib_exception_text_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "asterisk:Se&cr=et#1"
    transport = _http.UrllibTransport("http://127.0.0.1:9/ari", api_key=key)

    def fail(request: urllib.request.Request, timeout: float) -> Any:
        raise urllib.error.URLError(f"cannot open {request.full_url}")

    import urllib.request

    monkeypatch.setattr(transport._opener, "open", fail)
    with pytest.raises(_errors.AriConnectionError) as info:
        transport.send(_wire.Request("GET", "/channels", operation="channels.list"))
    text = _all_text(info.value)
    assert "Se%26cr" not in text and "Se&cr" not in text
    assert "api_key=***" in text


@pytest.mark.parametrize("kind", KINDS)
def test_password_never_in_messages(kind: str) -> None:
    base = f"http://cap:hunter2@127.0.0.1:{free_port()}/ari"
    with pytest.raises(_errors.AriConnectionError) as info:
        send(kind, base, _wire.Request("GET", "/x"))
    assert "hunter2" not in _all_text(info.value)
    assert "cap:" not in str(info.value)


# --------------------------------------------------------------------------------------------
# Defaults and optional dependencies


def test_without_optional_dependencies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("httpx", "websockets", "websockets.sync.client", "websockets.asyncio.client"):
        monkeypatch.setitem(sys.modules, name, None)
    transport = _http.default_transport("http://127.0.0.1:1/ari")
    assert isinstance(transport, _http.UrllibTransport)
    with pytest.raises(ImportError, match="pip install httpx"):
        _http.default_async_transport("http://127.0.0.1:1/ari")
    with pytest.raises(ImportError, match="pip install httpx"):
        _http.HttpxTransport("http://127.0.0.1:1/ari")
    connector = _websocket.default_connector(
        "http://127.0.0.1:1/ari"
    )  # lazy: fine until it connects
    with pytest.raises(ImportError, match="pip install websockets"):
        connector.connect("/events", ())
    async_connector = _websocket.default_async_connector("http://127.0.0.1:1/ari")
    with pytest.raises(ImportError, match="pip install websockets"):
        asyncio.run(async_connector.connect("/events", ()))


@needs_httpx
def test_default_transport_prefers_httpx() -> None:
    transport = _http.default_transport("http://127.0.0.1:1/ari")
    assert isinstance(transport, _http.HttpxTransport)
    transport.close()


def test_module_imports_only_the_standard_library() -> None:
    import subprocess

    code = (
        "import sys\n"
        "for name in ('httpx', 'websockets', 'orjson'): sys.modules[name] = None\n"
        "import importlib\n"
        f"for m in {CLIENT_RUNTIME!r}: importlib.import_module('ari_codegen.runtime.' + m)\n"
        "assert sys.modules['ari_codegen.runtime._wire']._orjson is None\n"
        "print(sorted(m for m in ('httpx', 'websockets', 'orjson') if sys.modules.get(m)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_client_imports_each_runtime_name_from_its_module() -> None:
    """client.py imports every runtime name from the module that defines it (RUNTIME_MODULES)."""
    import importlib

    from ari_codegen.render.client_views import RUNTIME_EXPORTS, RUNTIME_IMPORTS, RUNTIME_MODULES

    assert set(RUNTIME_MODULES) <= set(CLIENT_RUNTIME)
    homes = {n: m for m, names in RUNTIME_MODULES.items() for n in names.split()}
    assert {n for n, _ in RUNTIME_IMPORTS} | set(RUNTIME_EXPORTS) == set(homes)
    for name, module in homes.items():
        runtime = importlib.import_module(f"ari_codegen.runtime.{module}")
        assert name in runtime.__all__, (name, module)
