"""Where a real Asterisk departs from its own spec: the client follows the server.

One table, each row with its evidence (the recorded exchanges of ``../shared/ari-cassettes``).
A row applies only where the spec has that parameter (Asterisk 18's ``bridges.create`` has
no ``variables``: nothing to do there).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BodyQuirk:
    """A body parameter whose value IS the request body (not ``{"<name>": value}``)."""

    resource: str  # the declaration's resource name
    nickname: str
    parameter: str  # wire name
    evidence: str


UNWRAPPED_BODIES: tuple[BodyQuirk, ...] = (
    BodyQuirk(
        "bridges",
        "create",
        "variables",
        "cassettes master, 22.11.0-rc1, 20.20.1, rest.jsonl seq 246: body "
        '{"BRIDGE_V": "bv1", "BRIDGE_W": {"value": "w", "report_events": true}} -> 200; '
        'seq 247: {"variables": {...}} -> 400 (after the bridge WAS created)',
    ),
    BodyQuirk(
        "bridges",
        "createWithId",
        "variables",
        "ari-cassettes/README.md, observed on both recorded versions: bridges.create / "
        "bridges.createWithId take the variables object itself (the cassettes record "
        "createWithId without a body: seq 250-252)",
    ),
    BodyQuirk(
        "applications",
        "filter",
        "filter",
        'every cassette, rest.jsonl seq 325: body {"allowed": [{"type": "StasisStart"}, ...], '
        '"disallowed": [...]} -> 200; seq 327 {"allowed": "StasisStart"} -> 400; the '
        "operation's notes describe the body itself",
    ),
)

_UNWRAPPED = {(q.resource, q.nickname, q.parameter) for q in UNWRAPPED_BODIES}


def body_wrapped(resource: str, nickname: str, parameter: str) -> bool:
    """Is this body parameter sent as ``{"<parameter>": value}`` (True) or bare (False)?"""
    return (resource, nickname, parameter) not in _UNWRAPPED
