"""Runtime of the generated client: the endpoint (base URL, credentials) transports share.

Errors never carry the password or the api_key: exception texts of the HTTP/WebSocket libraries
are scrubbed (``_Endpoint.describe``), and they are not chained (``from None``) because their
tracebacks would print the URL.
"""

from __future__ import annotations

import base64
import importlib
import math
import urllib.parse
from types import ModuleType

from ._errors import _printable
from ._wire import Request


def _quote_query(value: str) -> str:
    return urllib.parse.quote(value, safe=",:@/*")


class _Endpoint:
    """Base URL, credentials and the helpers every transport/connector shares."""

    __slots__ = ("auth_query", "base", "headers", "secrets", "shown")

    def __init__(
        self,
        base_url: str,
        username: str | None,
        password: str | None,
        api_key: str | None,
        timeout: float,
    ) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https"):
            raise ValueError("base_url must start with http:// or https://")
        if not parts.hostname:
            raise ValueError("base_url has no host")
        if any(char.isspace() or not char.isprintable() for char in base_url):
            raise ValueError("base_url must not contain spaces or control characters")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not have a query or fragment")
        if parts.username is not None or parts.password is not None:
            if username is not None or password is not None:
                raise ValueError("credentials given both in base_url and as username/password")
            username = urllib.parse.unquote(parts.username or "")
            password = urllib.parse.unquote(parts.password or "")
            netloc = parts.netloc.rpartition("@")[2]
            parts = parts._replace(netloc=netloc)
        if (username is None) != (password is None):
            raise ValueError("username and password must be given together")
        if api_key is not None and username is not None:
            raise ValueError("give either username/password or api_key, not both")
        if username is not None and ":" in username:
            raise ValueError("a username for HTTP Basic auth cannot contain ':'")
        if api_key == "":
            raise ValueError("api_key must not be empty")
        if not (timeout > 0 and math.isfinite(timeout)):
            raise ValueError("timeout must be a finite number of seconds > 0")
        self.base = urllib.parse.urlunsplit(parts).rstrip("/")
        self.shown = self.base
        self.headers: dict[str, str] = {}
        self.auth_query = ""
        secrets: list[str] = []
        if username is not None and password is not None:
            token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"
            secrets += [password, token]
        if api_key is not None:
            self.auth_query = "api_key=" + urllib.parse.quote(api_key, safe="")
            secrets += [api_key, self.auth_query[8:], _quote_query(api_key)]
            secrets.append(urllib.parse.quote_plus(api_key))
        # Longest first, so that a secret containing another is scrubbed whole.
        self.secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def url(self, request: Request) -> str:
        url = self.base + request.path
        query = request.query
        if query:
            url += "?" + "&".join([f"{_quote_query(k)}={_quote_query(v)}" for k, v in query])
            if self.auth_query:
                url += "&" + self.auth_query
        elif self.auth_query:
            url += "?" + self.auth_query
        return url

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def describe(self, exc: BaseException) -> str:
        """``Type: text`` of a library exception, scrubbed and cut."""
        text = self.scrub(str(exc))
        name = type(exc).__name__
        return _printable(f"{name}: {text}" if text else name, 300)


def _import(module: str, purpose: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        raise ImportError(
            f"{purpose} needs the '{package}' package: pip install {package}"
        ) from None
