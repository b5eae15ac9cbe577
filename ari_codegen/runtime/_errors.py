"""Runtime of the generated client: its exceptions, and the one for each error answer.

Errors never carry the password or the api_key (see ``_endpoint``), and server texts put into
messages are cut to a short, printable excerpt (``_printable``, ``_excerpt``).
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Mapping

from ._wire import Response, loads

__all__ = [
    "AriClientError",
    "AriConnectionError",
    "AriError",
    "AriResponseError",
    "AriTimeout",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "NotImplementedByServer",
    "PreconditionFailed",
    "ServerError",
    "Unauthorized",
    "UnprocessableEntity",
    "UpgradeRequired",
    "error_for",
]

#: Longest excerpt of a server text put into an exception message.
EXCERPT_CHARS = 200


class AriClientError(Exception):
    """Base class of everything the client raises."""


class AriError(AriClientError):
    """The server answered with a status that is not 2xx."""

    def __init__(
        self,
        status: int,
        message: str,
        reason: str | None = None,
        operation: str = "",
        server_reason: str = "",
    ) -> None:
        super().__init__(status, message, reason, operation, server_reason)
        self.status = status
        self.message = message
        self.reason = reason
        self.operation = operation
        self.server_reason = server_reason

    def __str__(self) -> str:
        head = f"{self.operation}: " if self.operation else ""
        text = f"{head}{self.status} {self.server_reason}".rstrip()
        if self.message and self.message != self.server_reason:
            text = f"{text}: {self.message}"
        if self.reason and self.reason != self.message:
            text = f"{text} (spec: {self.reason})"
        return text


class BadRequest(AriError):
    """400"""


class Unauthorized(AriError):
    """401"""


class Forbidden(AriError):
    """403"""


class NotFound(AriError):
    """404"""


class MethodNotAllowed(AriError):
    """405"""


class NotAcceptable(AriError):
    """406"""


class Conflict(AriError):
    """409"""


class PreconditionFailed(AriError):
    """412"""


class UnprocessableEntity(AriError):
    """422"""


class UpgradeRequired(AriError):
    """426"""


class ServerError(AriError):
    """Any 5xx."""


class NotImplementedByServer(ServerError):
    """501"""


class AriConnectionError(AriClientError):
    """No answer: connection refused, DNS failure, reset, dropped WebSocket."""


class AriTimeout(AriConnectionError):
    """No answer within the timeout."""


class AriResponseError(AriClientError):
    """A 2xx answer whose body is not what the operation returns (not JSON, HTML, wrong shape)."""


_ERRORS: dict[int, type[AriError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    406: NotAcceptable,
    409: Conflict,
    412: PreconditionFailed,
    422: UnprocessableEntity,
    426: UpgradeRequired,
    501: NotImplementedByServer,
}

_SPACES = re.compile(r"\s+")


def _printable(text: str, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most ``limit`` printable characters (control characters become U+FFFD)."""
    text = _SPACES.sub(" ", text[: limit * 2]).strip()
    if not text.isprintable():
        text = "".join(char if char.isprintable() else "\ufffd" for char in text)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def _excerpt(content: bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short printable excerpt of a body, for messages."""
    return _printable(content[: limit * 4].decode("utf-8", "replace"), limit)


def _error_message(response: Response) -> str:
    content = response.content
    if content:
        try:
            parsed = loads(content)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            for key in ("message", "error"):
                text = parsed.get(key)
                if isinstance(text, str):
                    return _printable(text)
        return _excerpt(content)
    if response.reason:
        return _printable(response.reason)
    try:
        return http.client.responses[response.status]
    except KeyError:
        return ""


def error_for(response: Response, operation: str, reasons: Mapping[int, str]) -> AriError:
    """The AriError (subclass chosen by status) for a non-2xx response."""
    status = response.status
    cls = _ERRORS.get(status)
    if cls is None:
        cls = ServerError if 500 <= status <= 599 else AriError
    return cls(
        status,
        _error_message(response),
        reasons.get(status),
        operation,
        _printable(response.reason),
    )
