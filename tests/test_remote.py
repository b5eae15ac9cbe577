"""Specs from a running Asterisk: ``http://host:8088/ari/api-docs/resources.json``.

A local ``http.server`` on 127.0.0.1 serves a ``../shared/ari-specs`` folder the way
Asterisk does (the listing at ``/ari/api-docs/resources.json``, each declaration beside
it), optionally behind HTTP basic auth or Asterisk's ``api_key`` query parameter.
Nothing here ever connects anywhere but 127.0.0.1, and every wait is bounded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.cli import cli
from support.paths import ari_spec

from ari_codegen.styles import STYLES

SPEC_VERSION = "seed-era"  # the smallest: each generation formats the whole package
USER = "asterisk"
PASSWORD = "s3cr:t &x=1+2"  # ':' '&' '=' '+' ' ' must survive basic auth and api_key
LISTING = "/ari/api-docs/resources.json"

Route = tuple[int, dict[str, str], bytes]


@dataclass
class Request:
    path: str  # without the query
    query: dict[str, list[str]]
    authorization: str | None


@dataclass
class FakeAsterisk:
    """What one server serves, and every request it got."""

    folder: Path | None = None
    user: str | None = None
    password: str | None = None
    routes: dict[str, Route] = field(default_factory=dict)  # path → response, before auth
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    version: str | None = None  # system.version of /ari/asterisk/info (None: 404)

    def url(self, path: str = LISTING, *, userinfo: str = "") -> str:
        return f"http://{userinfo}127.0.0.1:{self.port}{path}"

    @property
    def label(self) -> str:
        return f"127.0.0.1:{self.port}{LISTING}"

    def authorized(self, request: Request) -> bool:
        if self.user is None:
            return True
        secret = f"{self.user}:{self.password}"
        basic = "Basic " + base64.b64encode(secret.encode()).decode()
        return request.authorization == basic or request.query.get("api_key") == [secret]

    def respond(self, request: Request) -> Route:
        if request.path in self.routes:
            return self.routes[request.path]
        if not self.authorized(request):
            body = b'{"message": "Authentication required"}'
            return 401, {"WWW-Authenticate": 'Basic realm="Asterisk REST Interface"'}, body
        if request.path == "/ari/asterisk/info" and self.version is not None:
            body = json.dumps({"system": {"version": self.version, "entity_id": "x"}})
            return 200, {"Content-Type": "application/json"}, body.encode()
        prefix = "/ari/api-docs/"
        if self.folder is not None and request.path.startswith(prefix):
            name = request.path.removeprefix(prefix)
            file = (
                self.folder / name if name == "resources.json" else self.folder / "api-docs" / name
            )
            if "/" not in name and file.is_file():
                return 200, {"Content-Type": "application/json"}, file.read_bytes()
        return 404, {}, b'{"message": "Not found"}'


@contextlib.contextmanager
def serving(fake: FakeAsterisk) -> Iterator[FakeAsterisk]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            request = Request(
                parts.path,
                urllib.parse.parse_qs(parts.query),
                self.headers.get("Authorization"),
            )
            fake.requests.append(request)
            status, headers, body = fake.respond(request)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator[Callable[..., FakeAsterisk]]:
    """Start FakeAsterisk servers; all are shut down when the test ends."""
    with contextlib.ExitStack() as stack:

        def start(**kwargs: Any) -> FakeAsterisk:
            return stack.enter_context(serving(FakeAsterisk(**kwargs)))

        yield start


def _listed(folder: Path) -> list[str]:
    listing = json.loads((folder / "resources.json").read_text(encoding="utf-8"))
    return [api["path"] for api in listing["apis"]]


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- generating from a URL gives the folder's files -------------------------------------


@dataclass
class Generated:
    fake: FakeAsterisk
    files: dict[str, str]
    stderr: str


@pytest.fixture(scope="module")
def spec_folder() -> Path:
    return ari_spec(SPEC_VERSION)


@pytest.fixture(scope="module")
def from_folder(spec_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("from-folder")
    result = cli("generate", spec_folder, "--style", "dataclasses", "--out", out, "--package", "p")
    assert result.exit_code == 0, result.stderr
    return _files(out / "p")


AUTH_MODES: dict[str, tuple[dict[str, Any], Callable[[FakeAsterisk], tuple[list[str], str]]]] = {
    # mode: (server settings, fake → (extra CLI options, URL))
    "open": ({}, lambda f: ([], f.url())),
    "basic": (
        {"user": USER, "password": PASSWORD},
        lambda f: (["--user", USER, "--password", PASSWORD], f.url()),
    ),
    "api_key": (
        {"user": USER, "password": PASSWORD},
        lambda f: (["--api-key", f"{USER}:{PASSWORD}"], f.url()),
    ),
}


@pytest.fixture(scope="module", params=list(AUTH_MODES))
def from_url(
    request: pytest.FixtureRequest, spec_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Generated]]:
    settings, how = AUTH_MODES[request.param]
    with serving(FakeAsterisk(folder=spec_folder, **settings)) as fake:
        options, url = how(fake)
        out = tmp_path_factory.mktemp("from-url")
        result = cli(
            "generate", url, *options, "--style", "dataclasses", "--out", out, "--package", "p"
        )
        assert result.exit_code == 0, result.stderr
        yield request.param, Generated(fake, _files(out / "p"), result.stderr)


def test_url_generates_the_folders_files(
    from_url: tuple[str, Generated], from_folder: dict[str, str], spec_folder: Path
) -> None:
    _, generated = from_url
    dataclasses = STYLES["dataclasses"]
    assert (
        set(generated.files) == set(from_folder) == {*dataclasses.files, *dataclasses.client_files}
    )
    for name, expected in from_folder.items():
        got = generated.files[name]
        got_lines, expected_lines = got.splitlines(), expected.splitlines()
        assert len(got_lines) == len(expected_lines), name
        differing = [
            (i, a, b)
            for i, (a, b) in enumerate(zip(expected_lines, got_lines, strict=True))
            if a != b
        ]
        # Only the header and the package docstring name the spec, and only by its label.
        assert all(i < 3 for i, _, _ in differing), (name, differing)
        for _, a, b in differing:
            assert a.replace(f"from {spec_folder} ", f"from {generated.fake.label} ") == b
        if name in ("__init__.py", "models.py", "client.py"):  # py.typed, runtimes: no label
            assert generated.fake.label in got_lines[0], got_lines[0]
            assert "(ARI 0.0.1)" in got_lines[0]
        assert got.endswith("\n") == expected.endswith("\n")


def test_url_fetches_the_listing_and_each_declaration_once(
    from_url: tuple[str, Generated], spec_folder: Path
) -> None:
    mode, generated = from_url
    fake = generated.fake
    expected = [
        LISTING,
        *("/ari/" + p.lstrip("/").replace("{format}", "json") for p in _listed(spec_folder)),
        "/ari/asterisk/info",  # the server's version, for the label (404 here: not told)
    ]
    assert [r.path for r in fake.requests] == expected
    secret = f"{USER}:{PASSWORD}"
    token = "Basic " + base64.b64encode(secret.encode()).decode()
    for r in fake.requests:
        if mode == "open":
            assert r.authorization is None and r.query == {}
        elif mode == "api_key":
            assert r.query == {"api_key": [secret]} and r.authorization is None
        else:
            assert r.authorization == token and r.query == {}


def test_no_secret_reaches_the_files_or_the_output(from_url: tuple[str, Generated]) -> None:
    _, generated = from_url
    for text in [*generated.files.values(), generated.stderr]:
        assert PASSWORD not in text
        assert urllib.parse.quote(PASSWORD, safe="") not in text
    # The client has an ``api_key`` parameter of its own: only the models and the output
    # are checked for the name (the value, which holds the password, is checked above).
    for name in ("__init__.py", "models.py", "_runtime.py"):
        assert "api_key" not in generated.files[name]
    assert "api_key" not in generated.stderr


@pytest.mark.parametrize("password", ["pw", PASSWORD], ids=["plain", "special characters"])
def test_credentials_in_the_url(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, password: str
) -> None:
    fake = serve(folder=spec_folder, user=USER, password=password)
    userinfo = f"{USER}:{urllib.parse.quote(password, safe='')}@"
    result = cli("graph", fake.url(userinfo=userinfo), "--timeout", "5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == cli("graph", spec_folder).stdout
    token = "Basic " + base64.b64encode(f"{USER}:{password}".encode()).decode()
    assert fake.requests and all(r.authorization == token for r in fake.requests)
    assert password not in result.stderr


# --- the other commands read URLs too -----------------------------------------------------


def test_graph_and_diff_from_a_url(serve: Callable[..., FakeAsterisk], spec_folder: Path) -> None:
    fake = serve(folder=spec_folder, user=USER, password=PASSWORD)
    auth = ["--user", USER, "--password", PASSWORD]
    assert cli("graph", fake.url(), *auth).stdout == cli("graph", spec_folder).stdout
    # The listing's folder works as well as the listing itself.
    folder_url = fake.url("/ari/api-docs")
    same = cli("diff", spec_folder, folder_url, *auth, "--fail-on", "any")
    assert same.exit_code == 0, same.stderr
    assert same.stdout.endswith(": no changes\n")
    assert fake.label in same.stdout


def test_a_live_servers_version_is_the_label(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, tmp_path: Path
) -> None:
    fake = serve(folder=spec_folder, user=USER, password=PASSWORD, version="22.5.0")
    auth = ["--user", USER, "--password", PASSWORD]
    result = cli("generate", fake.url(), *auth, "--out", tmp_path, "--package", "p")
    assert result.exit_code == 0, result.stderr
    header = (tmp_path / "p" / "models.py").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(" from Asterisk 22.5.0 (ARI 0.0.1). DO NOT EDIT.")
    assert fake.requests[-1].path == "/ari/asterisk/info"
    assert fake.requests[-1].authorization is not None  # asked with the same credentials
    diff = cli("diff", spec_folder, fake.url(), *auth)
    assert diff.stdout == f"{spec_folder} (ARI 0.0.1) → Asterisk 22.5.0 (ARI 0.0.1): no changes\n"


# --- failures: exit 2, a clear message, nothing written ----------------------------------


def _generate_fails(tmp_path: Path, url: str, *options: str) -> str:
    out = tmp_path / "out"
    started = time.monotonic()
    result = cli("generate", url, *options, "--out", out, "--package", "p")
    assert time.monotonic() - started < 20
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert not out.exists(), "nothing may be written"
    stderr: str = result.stderr
    assert stderr.startswith("error: ")
    return stderr


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--user", USER, "--password", "wrong"],
        ["--user", "nobody", "--password", PASSWORD],
        ["--api-key", f"{USER}:wrong"],
    ],
    ids=["none", "wrong password", "wrong user", "wrong api_key"],
)
def test_wrong_credentials(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, tmp_path: Path, options: list[str]
) -> None:
    fake = serve(folder=spec_folder, user=USER, password=PASSWORD)
    stderr = _generate_fails(tmp_path, fake.url(), *options)
    assert "HTTP 401" in stderr
    assert fake.url() in stderr  # says which URL
    assert "--user/--password or --api-key" in stderr
    assert "wrong" not in stderr  # the secret that was tried is not printed
    assert [r.path for r in fake.requests] == [LISTING]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def hold() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()


def test_a_server_that_never_answers_times_out(silent_port: int, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{silent_port}{LISTING}"
    started = time.monotonic()
    stderr = _generate_fails(tmp_path, url, "--timeout", "0.5")
    assert time.monotonic() - started < 5
    assert "timed out after 0.5 s" in stderr
    assert url in stderr


def test_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there now.
    stderr = _generate_fails(tmp_path, f"http://127.0.0.1:{port}{LISTING}", "--timeout", "5")
    assert "cannot connect" in stderr
    assert "refused" in stderr.lower()


def _listing(*paths: str) -> bytes:
    apis = [{"path": p, "description": "x"} for p in paths]
    return json.dumps({"apiVersion": "8.0.0", "swaggerVersion": "1.1", "apis": apis}).encode()


def _json(body: bytes) -> Route:
    return 200, {"Content-Type": "application/json"}, body


def test_listing_pointing_at_another_host_fetches_nothing_there(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, tmp_path: Path
) -> None:
    other = serve(folder=spec_folder)
    elsewhere = [
        f"http://127.0.0.1:{other.port}/ari/api-docs/events.json",
        f"//127.0.0.1:{other.port}/ari/api-docs/events.json",
        f"http:127.0.0.1:{other.port}/ari/api-docs/events.json",
    ]
    fake = serve(folder=spec_folder, routes={LISTING: _json(_listing(*elsewhere))})
    stderr = _generate_fails(tmp_path, fake.url())
    assert other.requests == [], "another host was contacted"
    assert all(r.path.startswith("/ari/api-docs/") for r in fake.requests)
    assert "error" in stderr


def test_listing_pointing_at_another_host_is_refused_by_name(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, tmp_path: Path
) -> None:
    other = serve(folder=spec_folder)
    path = f"http://127.0.0.1:{other.port}/ari/api-docs/events.json"
    fake = serve(folder=spec_folder, routes={LISTING: _json(_listing(path))})
    stderr = _generate_fails(tmp_path, fake.url())
    assert [r.path for r in fake.requests] == [LISTING]
    assert f"path {path!r}" in stderr and "refusing" in stderr


@pytest.mark.parametrize(
    "path",
    ["/api-docs/../../secret.{format}", "/api-docs/../secret.{format}", "/../../etc/passwd"],
)
def test_listing_escaping_its_folder_is_refused(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, tmp_path: Path, path: str
) -> None:
    secret = _json(b'{"swaggerVersion": "1.2", "models": {}}')
    fake = serve(
        folder=spec_folder,
        routes={
            LISTING: _json(_listing("/api-docs/events.{format}", path)),
            "/secret.json": secret,
            "/ari/secret.json": secret,
            "/etc/passwd": secret,
        },
    )
    stderr = _generate_fails(tmp_path, fake.url())
    assert f"path {path!r} leaves the listing's folder; refusing to fetch it" in stderr
    assert all(r.path.startswith("/ari/api-docs/") for r in fake.requests), fake.requests


@pytest.mark.parametrize("where", [LISTING, "/ari/api-docs/events.json"])
@pytest.mark.parametrize("status", [301, 302, 307])
def test_redirects_are_refused(
    serve: Callable[..., FakeAsterisk],
    spec_folder: Path,
    tmp_path: Path,
    where: str,
    status: int,
) -> None:
    other = serve(folder=spec_folder)
    target = other.url(where)
    fake = serve(folder=spec_folder, routes={where: (status, {"Location": target}, b"")})
    stderr = _generate_fails(tmp_path, fake.url())
    assert f"HTTP {status}" in stderr
    assert f"redirected to {target}" in stderr
    assert other.requests == [], "the redirect was followed"


def test_missing_declaration(
    serve: Callable[..., FakeAsterisk], spec_folder: Path, tmp_path: Path
) -> None:
    listing = _listing("/api-docs/events.{format}", "/api-docs/nothing.{format}")
    fake = serve(folder=spec_folder, routes={LISTING: _json(listing)})
    stderr = _generate_fails(tmp_path, fake.url())
    assert f"{fake.url('/ari/api-docs/nothing.json')}: HTTP 404" in stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Asterisk</html>", "json"),
        (b'{"swaggerVersion": "1.2", "models": {}}', "not a Swagger resource listing"),
    ],
)
def test_not_a_listing(
    serve: Callable[..., FakeAsterisk], tmp_path: Path, body: bytes, message: str
) -> None:
    fake = serve(routes={LISTING: _json(body)})
    stderr = _generate_fails(tmp_path, fake.url())
    assert message in stderr.lower() or message in stderr
    assert fake.url() in stderr
