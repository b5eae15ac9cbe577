"""Public interface of _errors.py (checked against it by mypy.stubtest)."""

from collections.abc import Mapping

from ._wire import Response

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

EXCERPT_CHARS: int

class AriClientError(Exception): ...

class AriError(AriClientError):
    status: int
    message: str
    reason: str | None
    operation: str
    server_reason: str
    def __init__(
        self,
        status: int,
        message: str,
        reason: str | None = None,
        operation: str = "",
        server_reason: str = "",
    ) -> None: ...

class BadRequest(AriError): ...
class Unauthorized(AriError): ...
class Forbidden(AriError): ...
class NotFound(AriError): ...
class MethodNotAllowed(AriError): ...
class NotAcceptable(AriError): ...
class Conflict(AriError): ...
class PreconditionFailed(AriError): ...
class UnprocessableEntity(AriError): ...
class UpgradeRequired(AriError): ...
class ServerError(AriError): ...
class NotImplementedByServer(ServerError): ...
class AriConnectionError(AriClientError): ...
class AriTimeout(AriConnectionError): ...
class AriResponseError(AriClientError): ...

def error_for(response: Response, operation: str, reasons: Mapping[int, str]) -> AriError: ...
