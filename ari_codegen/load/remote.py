"""Load layer (HTTP): a spec from a running Asterisk (``…/ari/api-docs/resources.json``).

Asterisk serves its resource listing there and each API declaration beside it
(``/ari/api-docs/channels.json``).  Only URLs under the listing's own folder, on the
same scheme, host and port, are ever fetched, and redirects are refused.

Hostile servers: ``--timeout`` bounds the fetch of a whole spec (the listing and
every declaration together), not each request: a watchdog shuts the socket down at
the deadline, so a server that drips one byte a second cannot keep the tool alive.
No credential (``--password``, ``--api-key``, a URL's ``user:password@``, the basic
auth token) is ever printed: every message is scrubbed of them, and made printable
on one line (a reason phrase with escape sequences cannot reach the terminal raw).
A URL that cannot be parsed, or a timeout that is not a positive finite number,
is a :class:`UsageError`.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import math
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ..errors import AriCodegenError, Loc, Problem, Problems, SpecError, UsageError, _printable
from .jsondoc import parse_json
from .options import LoadOptions, RemoteAuth
from .swagger import Spec, listed_relative_path, listing_paths, spec_from_documents

MAX_BYTES = 16 * 1024 * 1024
MAX_TIMEOUT = 24 * 3600.0  # seconds; beyond, sockets and timers overflow
CHUNK = 64 * 1024


def load_url(url: str, options: LoadOptions) -> Spec:
    """The spec served at ``url``; every error it raises is scrubbed of credentials."""
    secrets = _secrets(url, options.remote)
    try:
        check_timeout(options.remote.timeout)
        check_url(url)
        return _load_url(url, options, _Deadline(options.remote.timeout))
    except UsageError as exc:
        raise UsageError(_scrub(exc.message, secrets)) from None
    except AriCodegenError as exc:
        raise type(exc)(_scrubbed(p, secrets) for p in exc.problems) from None


def check_timeout(timeout: float) -> None:
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout)):
        raise UsageError(f"--timeout {timeout!r} is not a number of seconds")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise UsageError(f"--timeout {timeout:g} must be more than 0 and at most {MAX_TIMEOUT:g} s")


def check_url(url: str) -> None:
    """A URL ``fetch`` can use: it parses, names a host, and any port is a valid one."""
    shown = shown_url(url)
    if any(not c.isprintable() or c.isspace() for c in url):
        raise UsageError(f"{shown}: not a valid URL (it holds spaces or control characters)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range or not a number)
    except ValueError as exc:
        raise UsageError(f"{shown}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{shown}: not a valid URL (expected http(s)://host[:port]/path)")


def shown_url(url: str) -> str:
    """``url`` for a message: no credentials, no query, even when it does not parse."""
    try:
        return public_url(url)
    except ValueError:
        head = re.split(r"[?#]", url, maxsplit=1)[0]
        return re.sub(r"^([a-zA-Z][\w+.-]*://)[^/]*@", r"\1", head)


def _secrets(url: str, auth: RemoteAuth) -> list[str]:
    """Every spelling of a credential that could reach a message, longest first."""
    raw = [auth.password, auth.api_key]
    if auth.api_key and ":" in auth.api_key:
        raw.append(auth.api_key.split(":", 1)[1])
    pairs = [(auth.user, auth.password), (None, auth.api_key)]
    userinfo = re.match(r"^[a-zA-Z][\w+.-]*://([^/?#]*)@", url)
    if userinfo and ":" in userinfo.group(1):
        user, written = userinfo.group(1).split(":", 1)
        raw += [written, urllib.parse.unquote(written)]
        pairs.append((urllib.parse.unquote(user), urllib.parse.unquote(written)))
    found: set[str] = set()
    for secret in filter(None, raw):
        found |= {
            secret,
            urllib.parse.quote(secret, safe=""),
            urllib.parse.quote_plus(secret, safe=""),
            urllib.parse.quote(secret),
        }
    for user, password in pairs:
        if password:
            pair = f"{user}:{password}" if user is not None else password
            found.add(base64.b64encode(pair.encode()).decode())
    return sorted(found, key=len, reverse=True)


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return _printable(text)


def _scrubbed(problem: Problem, secrets: list[str]) -> Problem:
    loc = problem.loc
    path = tuple(_scrub(p, secrets) if isinstance(p, str) else p for p in loc.path)
    new_loc = Loc(_scrub(loc.file, secrets), path, loc.line, loc.column)
    return Problem(new_loc, _scrub(problem.message, secrets))


def _load_url(url: str, options: LoadOptions, deadline: _Deadline) -> Spec:
    auth = options.remote
    listing_url = url if url.endswith(".json") else url.rstrip("/") + "/resources.json"
    listing = parse_json(fetch(listing_url, auth, deadline), public_url(listing_url))
    if not isinstance(listing, dict) or not isinstance(listing.get("apis"), list):
        raise SpecError.at(Loc(public_url(listing_url)), "not a Swagger resource listing")
    problems = Problems()
    docs: list[tuple[str, Any]] = []
    listing_loc = Loc(public_url(listing_url))
    for i, path in listing_paths(listing, listing_loc, problems):
        loc = listing_loc.child("apis", i, "path")
        target = declaration_url(listing_url, path)
        if target is None:
            problems.add(loc, f"path {path!r} leaves the listing's folder; refusing to fetch it")
            continue
        try:
            data = fetch(target, auth, deadline)
            docs.append((public_url(target), parse_json(data, public_url(target))))
        except SpecError as exc:
            problems.extend(exc)
    problems.raise_if_any()
    version = listing.get("apiVersion")
    parts = urllib.parse.urlsplit(listing_url)
    label = server_label(listing_url, auth)
    if label is None:
        label = f"{parts.hostname}{':' + str(parts.port) if parts.port else ''}{parts.path}"
    return spec_from_documents(docs, label, version if isinstance(version, str) else None, options)


def server_label(listing_url: str, auth: RemoteAuth) -> str | None:
    """``Asterisk 22.5.0``: the server's own version (``/ari/asterisk/info``, with the same
    credentials), or None when it cannot tell (not an Asterisk, no such resource)."""
    base, found, _ = listing_url.rpartition("/api-docs/")
    if not found:
        return None
    try:
        info = parse_json(fetch(base + "/asterisk/info", auth), public_url(base))
    except SpecError:
        return None
    system = info.get("system") if isinstance(info, dict) else None
    version = system.get("version") if isinstance(system, dict) else None
    if not isinstance(version, str) or not version.strip():
        return None
    text = " ".join(version.split())[:80]
    return text if text.lower().startswith("asterisk") else f"Asterisk {text}"


def declaration_url(listing_url: str, api_path: str) -> str | None:
    """Where a listed declaration is served: beside the listing, never anywhere else.

    ``/api-docs/channels.{format}`` listed at ``…/ari/api-docs/resources.json`` is
    ``…/ari/api-docs/channels.json``.
    """
    if "://" in api_path or api_path.startswith("//"):
        return None  # an absolute URL: another host, perhaps
    rel = listed_relative_path(api_path)
    base = listing_url.rsplit("/", 1)[0] + "/"
    folder = base.rstrip("/").rsplit("/", 1)[-1]
    if rel.startswith(folder + "/"):
        rel = rel[len(folder) + 1 :]
    target = urllib.parse.urljoin(base, urllib.parse.quote(rel, safe="/"))
    a, b = urllib.parse.urlsplit(base), urllib.parse.urlsplit(target)
    if (a.scheme, a.netloc) != (b.scheme, b.netloc) or not b.path.startswith(a.path):
        return None
    if "/../" in b.path or b.path.endswith("/.."):
        return None
    return target


def public_url(url: str) -> str:
    """The URL without credentials or query (for messages and headers)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def fetch(url: str, auth: RemoteAuth, deadline: _Deadline | None = None) -> bytes:
    """One URL's body (at most :data:`MAX_BYTES`), before ``deadline`` (else ``auth.timeout``)."""
    deadline = deadline or _Deadline(auth.timeout)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SpecError.at(Loc(shown_url(url)), "only http:// and https:// URLs can be fetched")
    query = parts.query
    if auth.api_key:
        query = "&".join(q for q in (query, urllib.parse.urlencode({"api_key": auth.api_key})) if q)
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"  # IPv6
    if parts.port:
        netloc += f":{parts.port}"
    # Credentials written in the URL go in the Authorization header, never on the wire.
    target = urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))
    loc = Loc(public_url(url))
    try:
        request = urllib.request.Request(target)
    except ValueError as exc:
        raise SpecError.at(loc, f"not a valid URL: {exc}") from None
    user, password = auth.user, auth.password
    if parts.username and user is None:
        user, password = (
            urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or ""),
        )
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    request.add_header("Accept", "application/json")
    timed_out = f"timed out after {deadline.seconds:g} s"
    opener = urllib.request.build_opener(
        _NoRedirect, _WatchedHTTP(deadline), _WatchedHTTPS(deadline)
    )
    try:
        with opener.open(request, timeout=min(auth.timeout, deadline.left())) as response:
            data = _read_body(response, deadline)
    except urllib.error.HTTPError as exc:
        hint = " (check --user/--password or --api-key)" if exc.code in (401, 403) else ""
        raise SpecError.at(loc, f"HTTP {exc.code} {exc.reason}{hint}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if deadline.expired or isinstance(reason, (TimeoutError, socket.timeout)):
            raise SpecError.at(loc, timed_out) from None
        raise SpecError.at(loc, f"cannot connect: {reason}") from None
    except TimeoutError:
        raise SpecError.at(loc, timed_out) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if deadline.expired:
            raise SpecError.at(loc, timed_out) from None
        raise SpecError.at(loc, f"cannot fetch: {exc}") from None
    finally:
        deadline.release()
    if deadline.expired:
        raise SpecError.at(loc, timed_out)
    if data is None:
        raise SpecError.at(loc, f"response larger than {MAX_BYTES} bytes")
    return data


def _read_body(response: Any, deadline: _Deadline) -> bytes | None:
    """The body, one socket read at a time (never more than one ``recv`` per call, so a
    slow server cannot hold a read past the deadline); None when larger than MAX_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES and not deadline.expired:
        chunk: bytes = response.read1(CHUNK)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_BYTES:
        return None
    if not deadline.expired and getattr(response, "length", None):
        raise http.client.IncompleteRead(b"".join(chunks), response.length)
    return b"".join(chunks)


class _Deadline:
    """One deadline for a whole spec; a watchdog shuts each open socket down when it passes
    (a blocked ``recv`` then returns), and every new connection waits at most what is left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._timers: list[threading.Timer] = []

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        timer = threading.Timer(self.left(), self._expire, (sock,))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _expire(self, sock: socket.socket) -> None:
        self.expired = True
        with contextlib.suppress(OSError):  # already closed: nothing to wake up
            sock.shutdown(socket.SHUT_RDWR)

    def release(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> Any:
    def create_connection(*args: Any, **kwargs: Any) -> socket.socket:
        sock = socket.create_connection(*args, **kwargs)
        deadline.watch(sock)  # the plain socket: a TLS handshake or a proxy tunnel too
        return sock

    class Watched(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = create_connection

        def connect(self) -> None:
            self.timeout = min(self.timeout, deadline.left())  # type: ignore[has-type]
            super().connect()

    return Watched


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._class = _watched(http.client.HTTPConnection, deadline)

    def http_open(self, req: Any) -> Any:
        return self.do_open(self._class, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._class = _watched(http.client.HTTPSConnection, deadline)

    def https_open(self, req: Any) -> Any:
        return self.do_open(self._class, req, context=getattr(self, "_context", None))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to another host: refuse it, say where it pointed."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        where = shown_url(newurl)  # its query could carry the api_key back
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {where}", headers, fp)
