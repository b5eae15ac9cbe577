"""Load layer: how to load a spec (duplicate keys, credentials for a URL) and its limits."""

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


# Limits no real spec comes near (Asterisk's and the Swagger 1.x corpus: types nested 1
# deep, inheritance 2 deep, 408 field entries); past them a spec is refused (exit 2, with
# the JSON path), so that nothing recurses without bound, the generated code stays
# importable (Python's parser gives up near 200 nested brackets) and its size bounded.
MAX_TYPE_DEPTH = 32  # List[List[...]] / items of items
MAX_INHERITANCE_DEPTH = 64  # bases above a model
# fields of every class, inherited ones counted in each (what the output's size follows)
MAX_FIELD_ENTRIES = 100_000
