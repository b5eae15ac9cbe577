"""Load layer (HTTP): a spec from a running Asterisk (``…/ari/api-docs/resources.json``).

Asterisk serves its resource listing there and each API declaration beside it
(``/ari/api-docs/channels.json``).  Only URLs under the listing's own folder, on the
same scheme, host and port, are ever fetched.
"""

from __future__ import annotations

import base64
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ..errors import Loc, Problems, SpecError
from .jsondoc import parse_json
from .options import LoadOptions, RemoteAuth
from .swagger import Spec, listed_relative_path, listing_paths, spec_from_documents

MAX_BYTES = 16 * 1024 * 1024


def load_url(url: str, options: LoadOptions) -> Spec:
    auth = options.remote
    listing_url = url if url.endswith(".json") else url.rstrip("/") + "/resources.json"
    listing = parse_json(fetch(listing_url, auth), public_url(listing_url))
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
            docs.append((public_url(target), parse_json(fetch(target, auth), public_url(target))))
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


def fetch(url: str, auth: RemoteAuth) -> bytes:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SpecError.at(Loc(url), "only http:// and https:// URLs can be fetched")
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
    try:
        request = urllib.request.Request(target)
    except ValueError as exc:
        raise SpecError.at(Loc(public_url(url)), f"not a valid URL: {exc}") from None
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
    loc = Loc(public_url(url))
    try:
        with _opener.open(request, timeout=auth.timeout) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        hint = " (check --user/--password or --api-key)" if exc.code in (401, 403) else ""
        raise SpecError.at(loc, f"HTTP {exc.code} {exc.reason}{hint}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SpecError.at(loc, f"timed out after {auth.timeout:g} s") from None
        raise SpecError.at(loc, f"cannot connect: {reason}") from None
    except TimeoutError:
        raise SpecError.at(loc, f"timed out after {auth.timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise SpecError.at(loc, f"cannot fetch: {exc}") from None
    if len(data) > MAX_BYTES:
        raise SpecError.at(loc, f"response larger than {MAX_BYTES} bytes")
    return data


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to another host: refuse it, say where it pointed."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}", headers, fp)


_opener = urllib.request.build_opener(_NoRedirect)
