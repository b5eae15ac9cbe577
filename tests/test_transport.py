"""runtime/_transport.py: request building, HTTP transports on a real local server, errors."""

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

from ari_codegen.runtime import _transport as t

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


def send(kind: str, base_url: str, request: t.Request, **options: Any) -> t.Response:
    """Send one request through a fresh transport of ``kind``."""
    if kind == "async-httpx":

        async def run() -> t.Response:
            async with t.AsyncHttpxTransport(base_url, **options) as transport:
                return await transport.send(request)

        return asyncio.run(run())
    cls = t.HttpxTransport if kind == "httpx" else t.UrllibTransport
    with cls(base_url, **options) as transport:
        return transport.send(request)


# --------------------------------------------------------------------------------------------
# Request building (pure functions)


def test_path_segment_encodes_everything_but_unreserved() -> None:
    assert t.path_segment("abc-1.2_3~") == "abc-1.2_3~"
    assert t.path_segment("Local/wait@ctx;2 x") == "Local%2Fwait%40ctx%3B2%20x"
    assert t.path_segment("é") == "%C3%A9"
    assert t.path_segment("a?b#c%d&e=f+g") == "a%3Fb%23c%25d%26e%3Df%2Bg"
    # dot segments could be collapsed by an HTTP library: sent encoded
    assert t.path_segment(".") == "%2E"
    assert t.path_segment("..") == "%2E%2E"
    assert t.path_segment("...") == "..."
    with pytest.raises(ValueError, match="empty"):
        t.path_segment("")


def test_query_value() -> None:
    assert t.query_value("x y") == "x y"
    assert t.query_value("") == ""
    assert t.query_value(True) == "true"
    assert t.query_value(False) == "false"
    assert t.query_value(15) == "15"
    assert t.query_value(-3) == "-3"
    assert t.query_value(1.5) == "1.5"
    assert t.query_value(["sound:a", "sound:b"]) == "sound:a,sound:b"
    assert t.query_value(("a",)) == "a"
    assert t.query_value([]) == ""
    assert t.query_value([1, True, "x"]) == "1,true,x"
    with pytest.raises(ValueError):
        t.query_value(float("nan"))


def test_check_range() -> None:
    t.check_range("volume", 0, 0, 100)
    t.check_range("volume", 100, 0, 100)
    t.check_range("x", 10**9, 0, None)
    t.check_range("x", -(10**9), None, 5)
    with pytest.raises(ValueError, match=r"^volume: 101 is outside 0\.\.100$"):
        t.check_range("volume", 101, 0, 100)
    with pytest.raises(ValueError, match=r"^skipms: -5 is outside 0\.\.$"):
        t.check_range("skipms", -5, 0, None)
    with pytest.raises(ValueError, match=r"outside \.\.1\.5"):
        t.check_range("f", 2.0, None, 1.5)
    with pytest.raises(ValueError):
        t.check_range("f", float("nan"), 0, 1)


def test_request_and_response_are_frozen_with_slots() -> None:
    request = t.Request("GET", "/channels")
    assert request.query == () and request.body is None and request.operation == ""
    with pytest.raises(AttributeError):
        request.path = "/x"  # type: ignore[misc]
    assert not hasattr(request, "__dict__")
    assert not hasattr(t.Response(200, "OK", None, b""), "__dict__")


# --------------------------------------------------------------------------------------------
# JSON


@pytest.fixture(params=["orjson", "json"])
def json_impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        if t._orjson is None:
            pytest.skip("orjson is not installed (it is in the test extra)")
    else:
        monkeypatch.setattr(t, "_orjson", None)
    return str(request.param)


def test_json_round_trip(json_impl: str) -> None:
    value = {"a": [1, 2.5, "é", None, True], "b": {"c": ""}}
    data = t.dumps(value)
    assert isinstance(data, bytes)
    assert data == json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    assert t.loads(data) == value
    assert t.loads(data.decode()) == value


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "{", "", "\xff"])
def test_loads_refuses_non_json(json_impl: str, text: str) -> None:
    with pytest.raises(ValueError):
        t.loads(text.encode("latin-1"))


def test_json_fallback_is_used_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(t, "_orjson", None)
    monkeypatch.setitem(sys.modules, "orjson", None)
    assert t._find_orjson() is None
    assert t.loads(b'{"x":1}') == {"x": 1}
    assert t.dumps({"x": "é"}) == '{"x":"é"}'.encode()


# --------------------------------------------------------------------------------------------
# Requests on the wire


@pytest.mark.parametrize("kind", KINDS)
def test_request_line_path_and_query(kind: str, server: HttpServer) -> None:
    path = "/deviceStates/" + t.path_segment("Local/wait@ctx;2 é")
    query = (
        ("media", t.query_value(["sound:a", "sound:b"])),
        ("beep", t.query_value(True)),
        ("skipms", t.query_value(3000)),
        ("label", ""),
        ("callerId", '"Alice" <1001>&x=#'),
    )
    response = send(kind, server.base_url, t.Request("GET", path, query, operation="x.get"))
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
    send(kind, server.base_url + "/", t.Request("GET", "/asterisk/info"))
    assert server.seen[0].target == "/ari/asterisk/info"


@pytest.mark.parametrize("kind", KINDS)
def test_json_body_has_content_type(kind: str, server: HttpServer) -> None:
    body = t.dumps({"variables": {"A": "1", "B": {"value": "x", "report_events": True}}})
    send(kind, server.base_url, t.Request("POST", "/channels", (("endpoint", "Local/1"),), body))
    (seen,) = server.seen
    assert seen.method == "POST"
    assert seen.headers["content-type"] == "application/json"
    assert json.loads(seen.body) == {
        "variables": {"A": "1", "B": {"value": "x", "report_events": True}}
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_no_body_no_content_type(kind: str, method: str, server: HttpServer) -> None:
    send(kind, server.base_url, t.Request(method, "/channels/c1/answer"))
    (seen,) = server.seen
    assert seen.method == method
    assert "content-type" not in seen.headers
    assert seen.body == b""


@pytest.mark.parametrize("kind", KINDS)
def test_basic_auth(kind: str, server: HttpServer) -> None:
    send(kind, server.base_url, t.Request("GET", "/x"), username="cap", password="p:ss é")
    (seen,) = server.seen
    import base64

    assert (
        seen.headers["authorization"] == "Basic " + base64.b64encode("cap:p:ss é".encode()).decode()
    )
    assert "api_key" not in seen.target


@pytest.mark.parametrize("kind", KINDS)
def test_credentials_in_base_url_become_basic_auth(kind: str, server: HttpServer) -> None:
    base = server.base_url.replace("http://", "http://cap:s%40cret@")
    send(kind, base, t.Request("GET", "/x"))
    import base64

    assert (
        server.seen[0].headers["authorization"]
        == "Basic " + base64.b64encode(b"cap:s@cret").decode()
    )


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_query_is_encoded(kind: str, server: HttpServer) -> None:
    key = "user:pa&ss=w#rd %é"
    send(kind, server.base_url, t.Request("GET", "/x"), api_key=key)
    send(kind, server.base_url, t.Request("GET", "/x", (("a", "1"),)), api_key=key)
    first, second = server.seen
    assert first.target.startswith("/ari/x?api_key=")
    assert urllib.parse.parse_qsl(first.target.partition("?")[2]) == [("api_key", key)]
    assert urllib.parse.parse_qsl(second.target.partition("?")[2]) == [("a", "1"), ("api_key", key)]
    assert "authorization" not in first.headers


def test_credentials_are_validated() -> None:
    base = "http://127.0.0.1:1/ari"
    with pytest.raises(ValueError, match="together"):
        t.UrllibTransport(base, username="u")
    with pytest.raises(ValueError, match="together"):
        t.UrllibTransport(base, password="p")
    with pytest.raises(ValueError, match="not both"):
        t.UrllibTransport(base, username="u", password="p", api_key="k")
    with pytest.raises(ValueError, match="both in base_url"):
        t.UrllibTransport("http://u:p@127.0.0.1/ari", username="u", password="p")
    with pytest.raises(ValueError):
        t.UrllibTransport("ftp://127.0.0.1/ari")
    with pytest.raises(ValueError, match="spaces"):
        t.UrllibTransport("http://127.0.0.1/my ari")
    with pytest.raises(ValueError, match="query"):
        t.UrllibTransport("http://127.0.0.1/ari?api_key=x")
    with pytest.raises(ValueError):
        t.UrllibTransport(base, timeout=float("inf"))
    with pytest.raises(ValueError):
        t.UrllibTransport(base, timeout=0)
    with pytest.raises(ValueError):
        t.WebsocketsConnector(base, username="u")
    with pytest.raises(ValueError):
        t.default_transport(base, api_key="k", username="u", password="p")


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
    got = send(kind, server.base_url, t.Request("GET", "/channels/c1"))
    assert (got.status, got.reason, got.content_type) == (200, "OK", "application/json")
    assert t.expect_json(got, "channels.get", {}) == {"id": "c1"}
    got = send(kind, server.base_url, t.Request("POST", "/channels/c1/play"))
    assert got.status == 201 and t.expect_json(got, "channels.play", {}) == {"id": "p1"}
    got = send(kind, server.base_url, t.Request("POST", "/channels/c1/answer"))
    assert (got.status, got.content_type, got.content) == (204, None, b"")
    assert t.expect_empty(got, "channels.answer", {}) is None
    got = send(kind, server.base_url, t.Request("GET", "/recordings/stored/r/file"))
    assert t.expect_bytes(got, "recordings.getStoredFile", {}) == b"RIFF\x00\xff"


ERRORS = [
    (400, t.BadRequest),
    (401, t.Unauthorized),
    (403, t.Forbidden),
    (404, t.NotFound),
    (405, t.MethodNotAllowed),
    (406, t.NotAcceptable),
    (409, t.Conflict),
    (412, t.PreconditionFailed),
    (422, t.UnprocessableEntity),
    (426, t.UpgradeRequired),
    (500, t.ServerError),
    (501, t.NotImplementedByServer),
    (503, t.ServerError),
    (599, t.ServerError),
    (418, t.AriError),
    (302, t.AriError),
    (499, t.AriError),
]


@pytest.mark.parametrize(("status", "cls"), ERRORS)
def test_error_for_maps_status(status: int, cls: type[t.AriError]) -> None:
    response = t.Response(
        status, "Some Reason", "application/json", b'{"message":"Channel not found"}'
    )
    error = t.error_for(response, "channels.get", {status: "Channel not found", 999: "x"})
    assert type(error) is cls
    assert isinstance(error, t.AriError) and isinstance(error, t.AriClientError)
    assert error.status == status
    assert error.message == "Channel not found"
    assert error.reason == "Channel not found"
    assert error.operation == "channels.get"
    assert error.server_reason == "Some Reason"
    assert str(error) == f"channels.get: {status} Some Reason: Channel not found"
    for expect in (t.expect_json, t.expect_empty, t.expect_bytes):
        with pytest.raises(cls):
            expect(response, "channels.get", {})
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is cls and str(clone) == str(error)


def test_error_texts() -> None:
    error = t.error_for(
        t.Response(
            500, "Internal Server Error", "application/json", b'{"error":"Allocation failed"}'
        ),
        "channels.originate",
        {},
    )
    assert isinstance(error, t.ServerError)
    assert error.message == "Allocation failed" and error.reason is None
    assert str(error) == "channels.originate: 500 Internal Server Error: Allocation failed"
    error = t.error_for(
        t.Response(
            422, "Unprocessable Entity", "application/json", b'{"message":"Not subscribed"}'
        ),
        "a.unsubscribe",
        {422: "Busy"},
    )
    assert str(error) == "a.unsubscribe: 422 Unprocessable Entity: Not subscribed (spec: Busy)"
    # no body: the reason phrase, else the standard phrase
    assert t.error_for(t.Response(404, "Not found", None, b""), "op", {}).message == "Not found"
    assert t.error_for(t.Response(404, "", None, b""), "op", {}).message == "Not Found"
    assert t.error_for(t.Response(299 + 300, "", None, b""), "op", {}).message == ""
    # JSON without message/error, or a non-object: an excerpt of the body
    assert t.error_for(t.Response(400, "Bad", None, b'{"x": 1}'), "op", {}).message == '{"x": 1}'
    assert t.error_for(t.Response(400, "Bad", None, b"[1]"), "op", {}).message == "[1]"


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
    response = send(kind, server.base_url, t.Request("GET", "/events"))
    with pytest.raises(t.UpgradeRequired) as info:
        t.expect_json(response, "events.eventWebsocket", {})
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
    response = send(kind, server.base_url, t.Request("POST", "/channels"))
    with pytest.raises(t.ServerError, match="Allocation failed") as info:
        t.expect_json(response, "channels.originate", {400: "Invalid parameters"})
    assert info.value.reason is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, t.BadRequest),
        (404, t.NotFound),
        (409, t.Conflict),
        (412, t.PreconditionFailed),
        (422, t.UnprocessableEntity),
        (500, t.ServerError),
        (599, t.ServerError),
        (418, t.AriError),
    ],
)
def test_error_statuses_on_the_wire(
    kind: str, status: int, cls: type[t.AriError], server: HttpServer
) -> None:
    server.json_answer("/ari/x", {"message": "nope"}, status)
    response = send(kind, server.base_url, t.Request("GET", "/x"))
    with pytest.raises(t.AriError) as info:
        t.expect_empty(response, "x.y", {status: "documented"})
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
    response = send(kind, server.base_url, t.Request("GET", "/x"))
    with pytest.raises(t.AriResponseError, match=r"^channels\.get: 200 answer is not JSON") as info:
        t.expect_json(response, "channels.get", {})
    assert isinstance(info.value.__cause__, ValueError)
    assert str(info.value).isprintable() and len(str(info.value)) < 400


def test_decode_with() -> None:
    assert t.decode_with(int, "5", "op") == 5

    def bad(value: Any) -> int:
        raise ValueError("Channel › id: expected str, got int")

    with pytest.raises(t.AriResponseError, match=r"^channels\.get: answer does not match") as info:
        t.decode_with(bad, {}, "channels.get")
    assert isinstance(info.value.__cause__, ValueError)
    with pytest.raises(t.AriResponseError):
        t.decode_with(lambda value: value["x"] + 1, {"x": "a"}, "op")  # TypeError


@pytest.mark.parametrize("kind", KINDS)
def test_redirect_is_not_followed(kind: str, server: HttpServer) -> None:
    target = f"http://127.0.0.2:{server.port}/ari/x"
    server.answers["/ari/x"] = Answer(302, "Found", None, b"", headers={"Location": target})
    response = send(kind, server.base_url, t.Request("GET", "/x"), username="u", password="secret")
    assert response.status == 302
    assert len(server.seen) == 1
    with pytest.raises(t.AriError) as info:
        t.expect_json(response, "op", {})
    assert info.value.status == 302


@pytest.mark.parametrize("close_delimited", [False, True])
def test_urllib_body_cap(server: HttpServer, close_delimited: bool) -> None:
    body = b"[" + b"1," * 100 + b"1]"
    server.answers["/ari/x"] = Answer(
        200, None, "application/json", body, close_delimited=close_delimited
    )
    transport = t.UrllibTransport(server.base_url)
    assert transport.max_body == 64 * 1024 * 1024
    transport.max_body = 100
    with pytest.raises(t.AriResponseError, match="larger than 100 bytes"):
        transport.send(t.Request("GET", "/x", operation="op"))
    transport.max_body = 1000
    assert transport.send(t.Request("GET", "/x")).content == body


# --------------------------------------------------------------------------------------------
# No answer


@pytest.mark.parametrize("kind", KINDS)
def test_connection_refused(kind: str) -> None:
    base = f"http://127.0.0.1:{free_port()}/ari"
    with pytest.raises(t.AriConnectionError) as info:
        send(kind, base, t.Request("GET", "/x", operation="asterisk.ping"), api_key="u:KEY123")
    assert not isinstance(info.value, t.AriTimeout)
    text = str(info.value)
    assert text.startswith(f"asterisk.ping: cannot reach {base}: ")
    assert "KEY123" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_timeout(kind: str, server: HttpServer) -> None:
    server.answers["/ari/slow"] = Answer(delay=1.0)
    with pytest.raises(t.AriTimeout, match=r"^op: no answer from"):
        send(kind, server.base_url, t.Request("GET", "/slow", operation="op"), timeout=0.2)


def test_default_timeout_is_finite() -> None:
    import inspect

    for factory in (
        t.HttpxTransport,
        t.AsyncHttpxTransport,
        t.UrllibTransport,
        t.WebsocketsConnector,
        t.AsyncWebsocketsConnector,
        t.default_transport,
        t.default_async_transport,
        t.default_connector,
        t.default_async_connector,
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
        ("ConnectError", t.AriConnectionError),
        ("ReadTimeout", t.AriTimeout),
        ("DecodingError", t.AriResponseError),
    ],
)
def test_httpx_exception_text_is_scrubbed(library_error: str, error: type[Exception]) -> None:
    import httpx

    key = "asterisk:Se&cr=et#1"

    def fail(request: httpx.Request) -> httpx.Response:
        raise getattr(httpx, library_error)(
            f"failed for {request.url} (key {key})", request=request
        )

    transport = t.HttpxTransport("http://127.0.0.1:9/ari", api_key=key)
    transport._client = httpx.Client(transport=httpx.MockTransport(fail))
    with pytest.raises(error) as info:
        transport.send(t.Request("GET", "/channels", (("a", "1"),), operation="channels.list"))
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
    transport = t.UrllibTransport("http://127.0.0.1:9/ari", api_key=key)

    def fail(request: urllib.request.Request, timeout: float) -> Any:
        raise urllib.error.URLError(f"cannot open {request.full_url}")

    import urllib.request

    monkeypatch.setattr(transport._opener, "open", fail)
    with pytest.raises(t.AriConnectionError) as info:
        transport.send(t.Request("GET", "/channels", operation="channels.list"))
    text = _all_text(info.value)
    assert "Se%26cr" not in text and "Se&cr" not in text
    assert "api_key=***" in text


@pytest.mark.parametrize("kind", KINDS)
def test_password_never_in_messages(kind: str) -> None:
    base = f"http://cap:hunter2@127.0.0.1:{free_port()}/ari"
    with pytest.raises(t.AriConnectionError) as info:
        send(kind, base, t.Request("GET", "/x"))
    assert "hunter2" not in _all_text(info.value)
    assert "cap:" not in str(info.value)


# --------------------------------------------------------------------------------------------
# Defaults and optional dependencies


def test_without_optional_dependencies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("httpx", "websockets", "websockets.sync.client", "websockets.asyncio.client"):
        monkeypatch.setitem(sys.modules, name, None)
    transport = t.default_transport("http://127.0.0.1:1/ari")
    assert isinstance(transport, t.UrllibTransport)
    with pytest.raises(ImportError, match="pip install httpx"):
        t.default_async_transport("http://127.0.0.1:1/ari")
    with pytest.raises(ImportError, match="pip install httpx"):
        t.HttpxTransport("http://127.0.0.1:1/ari")
    connector = t.default_connector("http://127.0.0.1:1/ari")  # lazy: fine until it connects
    with pytest.raises(ImportError, match="pip install websockets"):
        connector.connect("/events", ())
    async_connector = t.default_async_connector("http://127.0.0.1:1/ari")
    with pytest.raises(ImportError, match="pip install websockets"):
        asyncio.run(async_connector.connect("/events", ()))


@needs_httpx
def test_default_transport_prefers_httpx() -> None:
    transport = t.default_transport("http://127.0.0.1:1/ari")
    assert isinstance(transport, t.HttpxTransport)
    transport.close()


def test_module_imports_only_the_standard_library() -> None:
    import subprocess

    code = (
        "import sys\n"
        "for name in ('httpx', 'websockets', 'orjson'): sys.modules[name] = None\n"
        "import ari_codegen.runtime._transport as t\n"
        "assert t._orjson is None\n"
        "print(sorted(m for m in ('httpx', 'websockets', 'orjson') if sys.modules.get(m)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
