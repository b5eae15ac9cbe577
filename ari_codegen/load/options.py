"""Load layer: how to load a spec (duplicate keys, credentials for a URL)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RemoteAuth:
    """Credentials and timeout for a spec served by a running Asterisk."""

    user: str | None = None
    password: str | None = None
    api_key: str | None = None  # Asterisk's "user:password" query parameter
    timeout: float = 10.0


@dataclass(frozen=True)
class LoadOptions:
    duplicate_keys: str = "error"  # or "last": keep the last value, as json.load does
    remote: RemoteAuth = RemoteAuth()
    # read each declaration's operations (``apis``) too: what the client is made of
    operations: bool = True
