"""Replay harness for the recorded ARI cassettes (``../shared/ari-cassettes/<version>/``).

What is here, and what each piece is for:

* :func:`cassette_names` / :func:`load_cassette`: discover and load a cassette folder
  (``rest.jsonl`` rows, ``events.jsonl`` frames verbatim, ``spec/``).  A missing
  ``../shared`` skips the test (or fails it under ``ARI_CODEGEN_REQUIRE_SHARED=1``):
  the mechanism is support.paths' :func:`require_shared`, reused as is.
* :func:`plan_calls`: the independent test oracle.  It reads the raw spec JSON (not
  ari_codegen's loader) and turns every REST row into either a :class:`Call` that the
  generated client's typed, keyword-only arguments can express, or a :class:`Skip`
  with a reason category.  :func:`summarize` counts them.
* :class:`CassetteServer`: a real HTTP server on 127.0.0.1 that answers the row a test
  says it expects next with the recorded answer, and records the request it got;
  :func:`compare_request` lists what differs from the recorded request.
* :func:`expected_error` / :func:`error_class_name`: the AriError a non-2xx row must raise.
* :class:`EventServer`: a ``websockets`` server streaming ``events.jsonl`` frames
  verbatim, that can drop the TCP connection (no close frame) after frame K of the first
  connection.  **On reconnect it resumes with frame K+1** (the first frame not yet sent):
  so a client that survives the drop yields every frame exactly once, in order, and a
  test can compare the whole stream with the file.  (A real Asterisk does not replay
  what was missed; the resume only keeps the comparison simple.)

Only the standard library is imported at module level; ``websockets`` is imported by
:class:`EventServer` when it starts (tests ``importorskip`` it first).
"""

from __future__ import annotations

import base64
import contextlib
import json
import keyword
import re
import socket
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

try:
    from support.paths import SHARED, require_shared
except ImportError:  # run as a script: python tests/support/cassette.py
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from support.paths import SHARED, require_shared

CASSETTES = ("ari-cassettes",)
USERNAME = "cap"
PASSWORD = "secret"
BASE_PATH = "/ari"

# Server quirks (CLIENT_CONTRACT.md, and each cassette's README): these body parameters
# are the body itself, not wrapped in {"<name>": value}.
UNWRAPPED_BODIES = frozenset(
    {
        ("bridges", "create", "variables"),
        ("bridges", "createWithId", "variables"),
        ("applications", "filter", "filter"),
    }
)

# --- categories of Skip (stable strings: tests and the summary use them) ---
NO_OPERATION_PATH = "no operation: path matches no spec path (probe or operation this spec lacks)"
NO_OPERATION_METHOD = "no operation: method not served on this path (405/OPTIONS probe)"
NOT_IN_SPEC = "operation this spec does not have (recorded with nickname null)"
WEBSOCKET = "WebSocket operation (recorded as a plain GET: 426)"
REPEATED_QUERY = "repeated query parameter (the client sends one comma-joined value)"
OUTSIDE_LIST = "value outside the parameter's allowableValues LIST"
OUTSIDE_RANGE = "value outside the parameter's allowableValues RANGE"
BAD_TYPE = "value does not parse as the declared type"
QUERY_IN_BODY = "query parameter sent in the JSON body"
WRAPPED_BUT_UNWRAPPED = "wrapped body where the server takes the value itself"
UNWRAPPED_BUT_WRAPPED = "body not wrapped in {name: value} where the server wants it wrapped"
BODY_NOT_ACCEPTED = "JSON body for an operation with no body parameter"
BAD_BODY_VALUE = "body value the typed parameter cannot hold"
UNKNOWN_PARAMETER = "unknown parameter"
MISSING_REQUIRED = "missing required parameter"
CREDENTIAL_PARAM = "api_key in the query (the client's credentials, not an argument)"
OTHER_CONTENT_TYPE = "request body that is not JSON"
PATH_MISMATCH = "path the client cannot produce (trailing slash, or off the operation's template)"


@dataclass(frozen=True)
class Call:
    """One row the typed client can express: ``client.<resource_attr>.<method_name>(**kwargs)``."""

    resource_attr: str
    method_name: str
    kwargs: dict[str, Any]
    row: dict[str, Any]
    operation: str = ""  # "channels.get" (spec resource stem + nickname)
    response_class: str = "void"  # the spec's responseClass: "Channel", "List[Bridge]", "binary"

    @property
    def seq(self) -> int:
        return int(self.row["seq"])


@dataclass(frozen=True)
class Skip:
    """One row the typed client cannot express, and why (``reason`` is a category)."""

    row: dict[str, Any]
    reason: str
    detail: str = ""

    @property
    def seq(self) -> int:
        return int(self.row["seq"])


@dataclass(frozen=True)
class Cassette:
    name: str
    folder: Path
    rows: tuple[dict[str, Any], ...]
    frames: tuple[str, ...]  # events.jsonl lines, verbatim (no newline)

    @property
    def spec_dir(self) -> Path:
        return self.folder / "spec"


# --------------------------------------------------------------------------- loading


def cassettes_root() -> Path:
    """``../shared/ari-cassettes`` (skips, or fails under ARI_CODEGEN_REQUIRE_SHARED=1)."""
    return require_shared(*CASSETTES)


def cassette_names() -> list[str]:
    """Cassette folders (those with a rest.jsonl), for parametrize; collection never skips.

    When ../shared is absent this returns ``["(absent)"]``: the test then calls
    :func:`load_cassette`, which skips with the reason.
    """
    root = SHARED.joinpath(*CASSETTES)
    if not root.is_dir():
        return ["(absent)"]
    names = sorted(p.name for p in root.iterdir() if (p / "rest.jsonl").is_file())
    return names or ["(absent)"]


def load_cassette(name: str) -> Cassette:
    root = cassettes_root()
    folder = root / name
    if not (folder / "rest.jsonl").is_file():
        import pytest

        pytest.fail(f"{folder} has no rest.jsonl")
    rows = tuple(
        json.loads(line)
        for line in (folder / "rest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    events = folder / "events.jsonl"
    frames = (
        tuple(line for line in events.read_text(encoding="utf-8").splitlines() if line.strip())
        if events.is_file()
        else ()
    )
    return Cassette(name, folder, rows, frames)


# --------------------------------------------------------------------------- naming


def snake_case(name: str) -> str:
    """The contract's rule: `_` before an uppercase letter that follows a lowercase letter
    or digit, and before the last capital of a run followed by a lowercase letter."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    name = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return name.lower()


def py_name(name: str) -> str:
    """snake_case, then a trailing `_` for a Python keyword (`from` -> `from_`)."""
    snake = snake_case(name)
    return snake + "_" if keyword.iskeyword(snake) else snake


# --------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class SpecOperation:
    resource: str  # api-docs file stem ("deviceStates")
    path: str  # "/channels/{channelId}"
    op: dict[str, Any]

    @property
    def nickname(self) -> str:
        return str(self.op["nickname"])

    @property
    def method(self) -> str:
        return str(self.op["httpMethod"]).upper()

    def params(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.op.get("parameters") or () if p.get("paramType") == where]


def load_spec_operations(spec_dir: Path) -> list[SpecOperation]:
    """Every operation of the raw spec (api-docs/*.json, or *.json beside resources.json)."""
    folder = spec_dir / "api-docs" if (spec_dir / "api-docs").is_dir() else spec_dir
    out: list[SpecOperation] = []
    for file in sorted(folder.glob("*.json")):
        if file.name == "resources.json":
            continue
        declaration = json.loads(file.read_text(encoding="utf-8"))
        resource = file.stem
        for api in declaration.get("apis") or ():
            for op in api.get("operations") or ():
                out.append(SpecOperation(resource, api["path"], op))
    return out


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.split("/")]


def match_template(template: str, path: str) -> dict[str, str] | None:
    """Path parameters of ``path`` (percent-encoded, as sent) if it matches ``template``."""
    t_parts, p_parts = template.split("/"), path.split("/")
    if len(t_parts) != len(p_parts):
        return None
    params: dict[str, str] = {}
    for t, p in zip(t_parts, p_parts, strict=True):
        value = unquote(p)
        if t.startswith("{") and t.endswith("}"):
            if value == "":
                return None
            params[t[1:-1]] = value
        elif t != value:
            return None
    return params


# --------------------------------------------------------------------------- planning


class _NotExpressible(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _convert_scalar(param: Mapping[str, Any], text: str) -> Any:
    """``text`` (decoded query value) as the parameter's Python type; raise if the typed
    client cannot send exactly this text."""
    name = param["name"]
    data_type = str(param.get("dataType", "string"))
    if data_type in ("int", "long"):
        if not re.fullmatch(r"-?[0-9]+", text) or str(int(text)) != text:
            raise _NotExpressible(BAD_TYPE, f"{name}={text!r} is not a {data_type}")
        value: Any = int(text)
    elif data_type in ("double", "float"):
        try:
            value = float(text)
        except ValueError:
            raise _NotExpressible(BAD_TYPE, f"{name}={text!r} is not a {data_type}") from None
        if str(value) != text and repr(value) != text:
            raise _NotExpressible(BAD_TYPE, f"{name}={text!r} does not round-trip as a float")
    elif data_type == "boolean":
        if text not in ("true", "false"):
            raise _NotExpressible(BAD_TYPE, f"{name}={text!r} is not 'true'/'false'")
        value = text == "true"
    else:
        value = text
    _check_allowable(param, value)
    return value


def _check_allowable(param: Mapping[str, Any], value: Any) -> None:
    allowable = param.get("allowableValues")
    if not isinstance(allowable, Mapping):
        return
    kind = str(allowable.get("valueType", "")).upper()
    name = param["name"]
    if kind == "LIST":
        values = list(allowable.get("values") or ())
        if value not in values:
            raise _NotExpressible(OUTSIDE_LIST, f"{name}={value!r} not in {values}")
    elif kind == "RANGE":
        low, high = allowable.get("min"), allowable.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise _NotExpressible(OUTSIDE_RANGE, f"{name}={value!r} outside {low}..{high}")


def _convert_query(param: Mapping[str, Any], text: str) -> Any:
    if param.get("allowMultiple"):
        return [_convert_scalar(param, item) for item in text.split(",")]
    return _convert_scalar(param, text)


def _variables_value_ok(param: Mapping[str, Any], body_value: Any) -> str | None:
    """None when a ``variables`` mapping fits the contract's type, else why not."""
    if not isinstance(body_value, dict):
        return f"variables is a {type(body_value).__name__}, not an object"
    objects = "report_events" in str(param.get("description") or "")
    for key, value in body_value.items():
        if isinstance(value, str):
            continue
        if (
            objects
            and isinstance(value, dict)
            and isinstance(value.get("value"), str)
            and set(value) <= {"value", "report_events"}
            and isinstance(value.get("report_events", False), bool)
        ):
            continue
        accepts = "str | {value, report_events}" if objects else "str"
        return f"variables[{key!r}] = {value!r} (this spec's variables take {accepts})"
    return None


def _body_value_ok(
    resource: str, nickname: str, param: Mapping[str, Any], value: Any
) -> str | None:
    if param["name"] == "variables":
        return _variables_value_ok(param, value)
    if (resource, nickname, param["name"]) == ("applications", "filter", "filter"):
        # {"allowed": [...], "disallowed": [...]}: lists of {"type": ...} objects.
        if not isinstance(value, dict):
            return "filter is not an object"
        for key, items in value.items():
            if key not in ("allowed", "disallowed"):
                return f"filter has an unknown key {key!r}"
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                return f"filter[{key!r}] = {items!r} is not a list of objects"
    return None


def _plan_row(row: Mapping[str, Any], ops: Sequence[SpecOperation]) -> Call:
    method = str(row["method"]).upper()
    raw_path = str(row["path"]).split("?", 1)[0]
    nickname = row.get("nickname")
    candidates = [(o, match_template(o.path, raw_path)) for o in ops]
    on_path = [(o, m) for o, m in candidates if m is not None]
    if nickname is None:
        note = str(row.get("note") or "")
        if "not in this server's spec" in note:
            raise _NotExpressible(NOT_IN_SPEC, note.split(" is not", 1)[0])
        if not on_path:
            raise _NotExpressible(NO_OPERATION_PATH, f"{method} {raw_path}")
        if not any(o.method == method for o, _ in on_path):
            raise _NotExpressible(NO_OPERATION_METHOD, f"{method} {raw_path}")
        raise _NotExpressible(
            NO_OPERATION_PATH, f"{method} {raw_path}: nickname null yet the spec serves it"
        )
    found = [
        (o, m)
        for o, m in on_path
        if o.nickname == nickname and o.method == method and o.resource == row.get("resource")
    ]
    if not found:
        same = [o for o in ops if o.nickname == nickname and o.resource == row.get("resource")]
        if same:
            raise _NotExpressible(PATH_MISMATCH, f"{method} {raw_path} vs {same[0].path}")
        raise _NotExpressible(NOT_IN_SPEC, f"{row.get('resource')}.{nickname}")
    spec_op, path_values = found[0]
    op = spec_op.op
    if op.get("upgrade"):
        raise _NotExpressible(WEBSOCKET, f"{spec_op.resource}.{spec_op.nickname}")

    kwargs: dict[str, Any] = {}
    # Path parameters: taken from the path as sent (an independent check of path_params).
    for param in spec_op.params("path"):
        kwargs[py_name(param["name"])] = path_values[param["name"]]

    # Query.
    query = [(str(k), str(v)) for k, v in row.get("query") or ()]
    counts = Counter(k for k, _ in query)
    repeated = sorted(k for k, n in counts.items() if n > 1)
    if repeated:
        raise _NotExpressible(REPEATED_QUERY, ", ".join(repeated))
    by_name = {p["name"]: p for p in spec_op.params("query")}
    for name, text in query:
        if name == "api_key":
            raise _NotExpressible(CREDENTIAL_PARAM)
        if name not in by_name:
            raise _NotExpressible(UNKNOWN_PARAMETER, f"query {name}={text!r}")
        kwargs[py_name(name)] = _convert_query(by_name[name], text)

    # Body.
    body = row.get("body")
    body_params = spec_op.params("body")
    content_type = row.get("request_content_type")
    if body is not None:
        if content_type is not None and content_type.split(";")[0].strip() != "application/json":
            raise _NotExpressible(OTHER_CONTENT_TYPE, str(content_type))
        if not body_params:
            if isinstance(body, dict) and body and set(body) <= set(by_name):
                raise _NotExpressible(QUERY_IN_BODY, ", ".join(sorted(body)))
            raise _NotExpressible(BODY_NOT_ACCEPTED, json.dumps(body)[:80])
        param = body_params[0]
        name = param["name"]
        unwrapped = (spec_op.resource, spec_op.nickname, name) in UNWRAPPED_BODIES
        if unwrapped:
            if isinstance(body, dict) and list(body) == [name] and isinstance(body[name], dict):
                raise _NotExpressible(WRAPPED_BUT_UNWRAPPED, f"{{{name!r}: ...}}")
            value = body
        else:
            if not isinstance(body, dict):
                raise _NotExpressible(UNWRAPPED_BUT_WRAPPED, json.dumps(body)[:80])
            others = sorted(k for k in body if k != name)
            in_query = [k for k in others if k in by_name]
            if in_query:
                raise _NotExpressible(QUERY_IN_BODY, ", ".join(in_query))
            if others:
                if name not in body:
                    raise _NotExpressible(UNWRAPPED_BUT_WRAPPED, json.dumps(body)[:80])
                raise _NotExpressible(UNKNOWN_PARAMETER, "body " + ", ".join(others))
            if name not in body:
                # {} for a wrapped body: the client cannot send an empty object.
                raise _NotExpressible(UNWRAPPED_BUT_WRAPPED, json.dumps(body)[:80])
            value = body[name]
        problem = _body_value_ok(spec_op.resource, spec_op.nickname, param, value)
        if problem:
            raise _NotExpressible(BAD_BODY_VALUE, problem)
        kwargs[py_name(name)] = value

    # Required parameters (path ones are always there once the template matched).
    for param in spec_op.params("query") + body_params:
        if param.get("required") and py_name(param["name"]) not in kwargs:
            raise _NotExpressible(MISSING_REQUIRED, f"{param['paramType']} {param['name']}")

    return Call(
        resource_attr=py_name(spec_op.resource),
        method_name=py_name(spec_op.nickname),
        kwargs=kwargs,
        row=dict(row),
        operation=f"{spec_op.resource}.{spec_op.nickname}",
        response_class=str(op.get("responseClass") or "void"),
    )


def plan_calls(spec_dir: Path, rows: Iterable[Mapping[str, Any]]) -> list[Call | Skip]:
    """One :class:`Call` or :class:`Skip` per row, in row order."""
    ops = load_spec_operations(Path(spec_dir))
    planned: list[Call | Skip] = []
    for row in rows:
        try:
            planned.append(_plan_row(row, ops))
        except _NotExpressible as exc:
            planned.append(Skip(dict(row), exc.reason, exc.detail))
    return planned


@dataclass(frozen=True)
class Summary:
    total: int
    calls: int
    skipped: Counter[str] = field(default_factory=Counter)

    def lines(self, name: str = "") -> list[str]:
        head = f"{name + ': ' if name else ''}{self.calls} of {self.total} replayed"
        body = [f"  {count:4d}  {reason}" for reason, count in self.skipped.most_common()]
        return [head + (", and why the rest cannot be expressed:" if body else ""), *body]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def summarize(planned: Sequence[Call | Skip]) -> Summary:
    calls = sum(1 for p in planned if isinstance(p, Call))
    skipped = Counter(p.reason for p in planned if isinstance(p, Skip))
    return Summary(len(planned), calls, skipped)


# Calls the planner expresses in the cassettes seen so far (363 rows each): a drop is a
# regression of the planner (or of a cassette).  18.26.4's spec lacks 9 operations the
# scenario called (24 rows), hence fewer.
KNOWN_FLOORS = {"master": 305, "22.11.0-rc1": 305, "20.20.1": 305, "18.26.4": 282}


def replay_floor(total_rows: int, name: str | None = None) -> int:
    """The fewest calls a cassette must replay: its measured count when known (above),
    else 75% of its rows (363 -> 272) for cassettes not seen yet."""
    if name is not None and name in KNOWN_FLOORS:
        return KNOWN_FLOORS[name]
    return (total_rows * 3) // 4


# --------------------------------------------------------------------------- expectations

ERROR_CLASSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    412: "PreconditionFailed",
    422: "UnprocessableEntity",
    426: "UpgradeRequired",
    501: "NotImplementedByServer",
}


def error_class_name(status: int) -> str:
    if status in ERROR_CLASSES:
        return ERROR_CLASSES[status]
    if 500 <= status < 600:
        return "ServerError"
    return "AriError"


def response_bytes(row: Mapping[str, Any]) -> bytes:
    if row.get("response_b64") is not None:
        return base64.b64decode(row["response_b64"])
    return str(row.get("response") or "").encode("utf-8")


def error_message(row: Mapping[str, Any]) -> str | None:
    """The text AriError.message must carry: the body's "message" or "error", else None
    (the contract leaves the fallback text to the transport)."""
    try:
        body = json.loads(response_bytes(row))
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("message", "error"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return None


def strict_equal(a: Any, b: Any) -> bool:
    """JSON equality where True != 1 and 1 != 1.0 (Python's == mixes them)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    return type(a) is type(b) and a == b


# --------------------------------------------------------------------------- HTTP server


@dataclass(frozen=True)
class Recorded:
    """One request as the CassetteServer received it."""

    method: str
    raw_path: str  # as sent, with the base path ("/ari/channels/a%40b"), no query
    raw_query: str
    body: bytes
    content_type: str | None
    authorization: str | None
    expected_seq: int | None  # the row the test announced, None if none

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self.raw_query, keep_blank_values=True)


def compare_request(row: Mapping[str, Any], got: Recorded | None) -> list[str]:
    """What differs between the recorded request of ``row`` and ``got`` (empty: equal)."""
    if got is None:
        return ["no request reached the server"]
    diffs: list[str] = []
    if got.method != str(row["method"]).upper():
        diffs.append(f"method {got.method} != {row['method']}")
    if not (got.raw_path == BASE_PATH or got.raw_path.startswith(BASE_PATH + "/")):
        diffs.append(f"path {got.raw_path!r} is not under {BASE_PATH}")
    else:
        path = got.raw_path[len(BASE_PATH) :]
        want = str(row["path"]).split("?", 1)[0]
        if _segments(path) != _segments(want):
            diffs.append(f"path {path!r} != {want!r} (segments compared decoded)")
    got_query = got.query
    names = Counter(k for k, _ in got_query)
    for name, n in names.items():
        if n > 1:
            diffs.append(f"query {name!r} sent {n} times (a list must be ONE comma-joined value)")
    want_query = sorted((str(k), str(v)) for k, v in row.get("query") or ())
    if sorted(got_query) != want_query:
        diffs.append(f"query {sorted(got_query)} != {want_query}")
    want_body = row.get("body")
    media = (got.content_type or "").split(";")[0].strip().lower() or None
    if want_body is None:
        if got.body:
            diffs.append(f"body {got.body[:80]!r} sent, recorded none")
        if got.content_type is not None:
            diffs.append(f"Content-Type {got.content_type!r} without a body")
    else:
        if not got.body:
            diffs.append(f"no body sent, recorded {json.dumps(want_body)[:80]}")
        else:
            try:
                sent = json.loads(got.body)
            except ValueError:
                diffs.append(f"body is not JSON: {got.body[:80]!r}")
            else:
                if not strict_equal(sent, want_body):
                    diffs.append(f"body {json.dumps(sent)[:120]} != {json.dumps(want_body)[:120]}")
        if media != "application/json":
            diffs.append(f"Content-Type {got.content_type!r} (want application/json)")
    if row.get("auth") == "none":
        if got.authorization is not None:
            diffs.append("Authorization header sent, recorded none (auth none)")
    else:
        wanted = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        if got.authorization is None:
            diffs.append("no Authorization header (recorded HTTP Basic)")
        elif got.authorization != wanted:
            diffs.append("Authorization is not HTTP Basic for cap:secret")
    return diffs


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed ACK)
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        parts = urlsplit(self.path)
        owner = self.server.owner
        with owner._lock:
            row = owner._expected
            owner._expected = None
            owner.requests.append(
                Recorded(
                    method=self.command,
                    raw_path=parts.path,
                    raw_query=parts.query,
                    body=body,
                    content_type=self.headers.get("Content-Type"),
                    authorization=self.headers.get("Authorization"),
                    expected_seq=None if row is None else int(row["seq"]),
                )
            )
        if row is None:
            status, reason, ctype = 599, "Unexpected request", "application/json"
            content = b'{"message":"CassetteServer: no row expected"}'
        else:
            status, reason, ctype = int(row["status"]), str(row["reason"]), row["content_type"]
            content = response_bytes(row)
        self.send_response(status, reason)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(content)))
        if self.command != "HEAD" and content:
            # One write for the head and the body.
            self._headers_buffer.extend([b"\r\n", content])
            self.flush_headers()
        else:
            self.end_headers()
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: CassetteServer


class CassetteServer:
    """Answers recorded rows over real HTTP on 127.0.0.1 (any client: sync or async).

    ``with CassetteServer() as server: server.expect(row); <client call>; got = server.take()``
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._expected: dict[str, Any] | None = None
        self.requests: list[Recorded] = []
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE_PATH}"

    def start(self) -> CassetteServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> CassetteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def expect(self, row: Mapping[str, Any]) -> None:
        """The next request is answered with ``row``'s recorded response."""
        with self._lock:
            self._expected = dict(row)
            self.requests.clear()

    def take(self) -> Recorded | None:
        """The request received since :meth:`expect` (None if none); extra ones are kept
        in :attr:`requests` (a test can assert there was exactly one)."""
        with self._lock:
            return self.requests[0] if self.requests else None


# --------------------------------------------------------------------------- WebSocket server


@dataclass
class EventConnectionLog:
    path: str
    query: list[tuple[str, str]]
    authorization: str | None
    sent: int = 0
    dropped: bool = False


class EventServer:
    """Streams ``frames`` (text, verbatim) to each WebSocket client on 127.0.0.1.

    ``drop_after=K``: the FIRST connection gets frames 1..K, then its TCP connection is
    shut down without a close frame; the next connection resumes with frame K+1.  Every
    connection after the last frame is held open until the client closes it (so an
    iterator that stops after ``len(frames)`` items is never told the stream ended).
    ``connections`` logs each upgrade (path, query pairs, Authorization).
    """

    def __init__(self, frames: Sequence[str], *, drop_after: int | None = None) -> None:
        self.frames = list(frames)
        self.drop_after = drop_after
        self.connections: list[EventConnectionLog] = []
        self._next = 0
        self._lock = threading.Lock()
        self._live: set[Any] = set()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE_PATH}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{BASE_PATH}/events"

    def _handler(self, connection: Any) -> None:
        request = connection.request
        parts = urlsplit(request.path)
        log = EventConnectionLog(
            path=parts.path,
            query=parse_qsl(parts.query, keep_blank_values=True),
            authorization=request.headers.get("Authorization"),
        )
        with self._lock:
            first = not self.connections
            self.connections.append(log)
            self._live.add(connection)
            start = self._next
        stop = len(self.frames)
        if first and self.drop_after is not None:
            stop = min(stop, start + self.drop_after)
        try:
            for index in range(start, stop):
                connection.send(self.frames[index])
                log.sent += 1
                with self._lock:
                    self._next = index + 1
            if first and self.drop_after is not None and stop < len(self.frames):
                log.dropped = True
                sock = connection.socket
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                return
            for _ in connection:  # hold open until the client goes away
                pass
        except Exception:  # client closed (or dropped) mid-stream: nothing to do
            return
        finally:
            with self._lock:
                self._live.discard(connection)

    def start(self) -> EventServer:
        from websockets.sync.server import serve

        self._server = serve(self._handler, "127.0.0.1", 0, compression=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop; connections still open are cut (TCP shut down), so that a client stuck in
        a close handshake or a recv is released at once."""
        with self._lock:
            live = list(self._live)
        for connection in live:
            with contextlib.suppress(OSError):
                connection.socket.shutdown(socket.SHUT_RDWR)
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> EventServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- generated client


@dataclass(frozen=True)
class GeneratedClient:
    """A client package generated from a cassette's spec and imported."""

    package: str
    style: str
    client: Any  # <package>.client (it re-exports the runtime's errors, Backoff...)
    models: Any  # <package>.models


def package_name(cassette: str, style: str) -> str:
    """A unique, importable package name per (cassette, style): ari_cas_22_11_0_rc1_td."""
    base = re.sub(r"[^a-z0-9]+", "_", cassette.lower()).strip("_")
    return f"ari_cas_{base}_{'td' if style == 'typeddict' else 'dc'}"


def generate_client(spec_dir: Path, out: Path, package: str, style: str) -> Path:
    """``python -m ari_codegen generate SPEC --out OUT --package PKG --style STYLE`` in a
    subprocess (the CLI as users run it); fails the test with the CLI's output."""
    import os
    import subprocess
    import sys

    import pytest

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    command = [sys.executable, "-m", "ari_codegen", "generate", str(spec_dir), "--out", str(out)]
    command += ["--package", package, "--style", style]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return out / package


_GENERATED: dict[tuple[str, str], Path] = {}


@dataclass(frozen=True)
class GeneratedFolder:
    """A generated package not imported yet (fixtures generate; tests import, so that a
    package without a client FAILS the test rather than erroring its setup)."""

    folder: Path
    style: str

    def load(self) -> GeneratedClient:
        return import_client(self.folder, self.style)


def generated_folder(cassette: Cassette, style: str, tmp_root: Any) -> GeneratedFolder:
    """Generate once per (cassette, style) per session; ``tmp_root`` is pytest's
    tmp_path_factory.  The caller forgets the package from sys.modules when done."""
    key = (str(cassette.folder), style)
    if key not in _GENERATED:
        package = package_name(cassette.name, style)
        _GENERATED[key] = generate_client(
            cassette.spec_dir, tmp_root.mktemp("client"), package, style
        )
    return GeneratedFolder(_GENERATED[key], style)


def import_client(folder: Path, style: str) -> GeneratedClient:
    """Import ``<package>.client`` (and models) from ``folder``; fails (not
    skips) when the package has no client: that is what these tests are waiting for."""
    import importlib
    import sys

    import pytest

    package = folder.name
    # client.py and its runtime (_wire.py stands for the runtime modules)
    missing = [n for n in ("client.py", "_wire.py") if not (folder / n).is_file()]
    if missing:
        pytest.fail(
            f"the generated package {folder} has no {' / '.join(missing)}: the client "
            "generator (issue 10) is not integrated yet"
        )
    sys.path.insert(0, str(folder.parent))
    try:
        client = importlib.import_module(f"{package}.client")
        models = importlib.import_module(f"{package}.models")
    finally:
        sys.path.remove(str(folder.parent))
    return GeneratedClient(package, style, client, models)


def forget_package(package: str) -> None:
    import sys

    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def expected_result(call: Call, generated: GeneratedClient) -> Any:
    """What a 2xx row's call must return: None (void), bytes (binary), the parsed JSON
    (typeddict), ``Model.from_dict(json)`` / a list of them (dataclasses)."""
    row = call.row
    if call.response_class == "void":
        return None
    if call.response_class == "binary":
        return response_bytes(row)
    data = json.loads(response_bytes(row))
    if generated.style == "typeddict":
        return data
    inner = re.fullmatch(r"List\[(.+)\]", call.response_class)
    if inner:
        cls = getattr(generated.models, inner.group(1))
        return [cls.from_dict(item) for item in data]
    return getattr(generated.models, call.response_class).from_dict(data)


def check_result(
    call: Call, generated: GeneratedClient, result: Any, exc: BaseException | None
) -> list[str]:
    """What is wrong with a call's outcome (empty: right)."""
    row = call.row
    status = int(row["status"])
    if 200 <= status < 300:
        if exc is not None:
            return [f"raised {type(exc).__name__}: {str(exc)[:160]} (recorded {status})"]
        try:
            want = expected_result(call, generated)
        except Exception as error:  # the oracle itself could not decode: report, not crash
            return [f"expected value undecodable: {type(error).__name__}: {error}"]
        if generated.style == "typeddict" and not isinstance(want, bytes) and want is not None:
            same = strict_equal(result, want)
        else:
            same = type(result) is type(want) and result == want
        if not same:
            return [f"result {_short(result)} != {_short(want)}"]
        return []
    wanted = error_class_name(status)
    cls = getattr(generated.client, wanted, None)
    if cls is None:
        return [f"client has no {wanted}"]
    if exc is None:
        return [f"returned {_short(result)}, expected {wanted} ({status})"]
    diffs = []
    if not isinstance(exc, cls):
        diffs.append(f"raised {type(exc).__name__}: {str(exc)[:120]}, expected {wanted}")
    if getattr(exc, "status", None) != status:
        diffs.append(f"status {getattr(exc, 'status', None)!r} != {status}")
    message = error_message(row)
    if message is not None and getattr(exc, "message", None) != message:
        diffs.append(f"message {getattr(exc, 'message', None)!r} != {message!r}")
    return diffs


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def main(argv: Sequence[str]) -> int:
    """``python tests/support/cassette.py [-v]``: the replay summary of every cassette
    (``-v``: each row that cannot be expressed, with its reason)."""
    for name in cassette_names():
        loaded = load_cassette(name)
        planned = plan_calls(loaded.spec_dir, loaded.rows)
        summary = summarize(planned)
        print("\n".join(summary.lines(name)))
        print(f"  floor {replay_floor(summary.total, name)}")
        if "-v" in argv:
            for item in planned:
                if isinstance(item, Skip):
                    row = item.row
                    where = row["path"] + ("?" + row["raw_query"] if row.get("raw_query") else "")
                    print(f"    {item.seq:4d} {row['method']:7s} {where[:60]:60s} {item.detail}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
