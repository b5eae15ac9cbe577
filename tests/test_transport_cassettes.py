"""The client runtime (runtime/_wire, _http, _stream...) against real Asterisk traffic.

Every recorded REST answer goes through expect_json / expect_empty / expect_bytes / error_for;
every recorded query string is what query encoding gives, byte for byte; every recorded event
frame goes through an EventStream on a local WebSocket server and decodes.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from typing import Any

import pytest
from support.packages import import_package
from support.paths import REPO, require_shared

from ari_codegen.runtime import _endpoint, _errors, _responses, _stream, _websocket, _wire

VERSIONS = ["master", "22.11.0-rc1", "20.20.1", "18.26.4"]


def rows(version: str) -> list[dict[str, Any]]:
    folder = require_shared("ari-cassettes", version)
    with (folder / "rest.jsonl").open() as lines:
        return [json.loads(line) for line in lines]


def response_of(row: dict[str, Any]) -> _wire.Response:
    if row.get("response_b64") is not None:
        content = base64.b64decode(row["response_b64"])
    else:
        content = (row["response"] or "").encode()
    return _wire.Response(row["status"], row["reason"], row["content_type"], content)


@pytest.mark.parametrize("version", VERSIONS)
def test_recorded_answers(version: str) -> None:
    checked = 0
    for row in rows(version):
        response = response_of(row)
        operation = f"{row['resource']}.{row['nickname']}"
        status = row["status"]
        if 200 <= status <= 299:
            if status == 204:
                assert response.content == b"" and response.content_type is None
                assert _responses.expect_empty(response, operation, {}) is None
            elif response.content_type == "application/json":
                assert _responses.expect_json(response, operation, {}) == json.loads(
                    row["response"]
                )
            else:
                assert _responses.expect_bytes(response, operation, {}) == response.content
        else:
            error = _errors.error_for(response, operation, {status: "from the spec"})
            assert error.status == status and error.reason == "from the spec"
            assert error.server_reason == row["reason"]
            if response.content_type == "application/json":
                body = json.loads(row["response"])
                assert error.message == body.get("message", body.get("error"))
            else:  # the 426 HTML page
                assert isinstance(error, _errors.UpgradeRequired)
                assert error.message.startswith("<!DOCTYPE HTML")
            assert str(error).isprintable() and len(str(error)) < 600
            with pytest.raises(type(error)):
                _responses.expect_json(response, operation, {})
        checked += 1
    assert checked > 300


@pytest.mark.parametrize("version", VERSIONS)
def test_recorded_requests_encode_the_same(version: str) -> None:
    """Our query string is byte for byte what reached Asterisk; path parameters round-trip."""
    endpoint = _endpoint._Endpoint("http://127.0.0.1:8088/ari", None, None, None, 30.0)
    for row in rows(version):
        query = tuple((name, value) for name, value in row["query"])
        url = endpoint.url(_wire.Request(row["method"], row["path"], query))
        assert url.partition("?")[2] == row["raw_query"], row["seq"]
        path = row["path_template"]
        if row["nickname"] is None or path is None or row["path"].endswith("/"):
            continue  # probes of unknown paths, trailing slashes
        for name, value in row["path_params"].items():
            path = path.replace("{" + name + "}", _wire.path_segment(value))
        segments = [urllib.parse.unquote(s) for s in path.split("/")]
        recorded = [urllib.parse.unquote(s) for s in row["path"].split("/")]
        assert segments == recorded, row["seq"]


def test_recorded_events_through_a_stream() -> None:
    """All 925 frames of master through a stream that drops once; the ones the (seed) models
    refuse are skipped and handed to on_decode_error, the stream goes on."""
    pytest.importorskip("websockets", reason="websockets is not installed (test extra)")
    from test_transport_events import Session, running_ws_server

    folder = require_shared("ari-cassettes", "master")
    frames = (folder / "events.jsonl").read_text().splitlines()
    models = import_package(REPO / "generated" / "dataclasses" / "ari_models").models
    refused = []
    for frame in frames:
        try:
            models.Message.from_dict(json.loads(frame))
        except ValueError:
            refused.append(frame)
    expected = [json.loads(f)["type"] for f in frames if f not in refused]
    errors: list[tuple[str, Exception]] = []

    with running_ws_server() as server:
        # A drop loses the frames not yet read from the socket (as with a real server), so the
        # first session stays below the client's receive queue (16 frames) before dropping.
        server.sessions.append(Session(list(frames[:10]), "drop"))
        server.sessions.append(Session(list(frames[10:]), "close"))
        stream = _stream.EventStream(
            _websocket.WebsocketsConnector(server.base_url, username="cap", password="pw"),
            "/events",
            (("app", "cap,cap2"), ("subscribeAll", "true")),
            models.Message.from_dict,
            reconnect=_stream.Backoff(max_attempts=1),
            on_decode_error=lambda raw, exc: errors.append((raw, exc)),
            sleep=lambda seconds: None,
        )
        got = []
        with stream, pytest.raises(_errors.AriConnectionError, match="gave up after 1"):
            for event in stream:  # ends when the server closes and refuses the reconnect
                got.append(event)
                if len(got) == len(expected):
                    server.refuse = 503
    assert stream.reconnects == 1
    assert [raw for raw, _ in errors] == refused
    assert [event.type for event in got] == expected
