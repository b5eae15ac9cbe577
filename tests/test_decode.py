"""Decoding and encoding real ARI JSON with the dataclasses style.

Every complete payload of ../shared/ari-payloads is decoded with the models of the spec
that matches its Asterisk vintage (SOURCES.md), checked for its class, some values, the
members its spec does not declare, and an exact round trip.  The error paths, dispatch
and unknown types are covered by hand-made cases below (a small hierarchy three levels
deep, see ``DISPATCH_SPEC``), dates also in tests/test_decode_dates.py, and random
instances in tests/test_decode_properties.py.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support.files import tz
from support.packages import Packages
from support.paths import ari_spec, require_shared
from support.specs import declaration, model, write_files

# --- which spec decodes which payload ------------------------------------------------------
#
# Each payload is decoded with the spec of its Asterisk vintage (SOURCES.md).  Where the
# vintage is unknown: the newest spec, 22.0.0, unless the payload lacks a field that newer
# specs require; then the newest spec that does not require it.  Members the chosen spec
# does not declare are kept and written back (``unknown`` in PAYLOADS, extra_fields).
#
# | payloads                        | vintage (SOURCES.md)               | spec   | why |
# |---------------------------------|------------------------------------|--------|-----|
# | 001 005 016 StasisStart/End     | Asterisk 12 (2013-10, 2014-05)     | 12.0.0 | a   |
# | 002 003 004 Playback*           | Asterisk 12 docs (2014-05)         | 12.0.0 | b   |
# | 006 AsteriskInfo                | GIT-master 2015-07 (13 → 14)       | 13.0.0 | c   |
# | 007 008 009 ConfigTupleList     | 13.5+ (push configuration)         | 16.0.0 | d   |
# | 010 CallBroadcast               | 2026 docs; no spec has this type   | 22.0.0 | e   |
# | 012 ChannelDtmfReceived         | 2017-04 (13/14 era)                | 13.0.0 | f   |
# | 013 014 015                     | 2020-11..2021-01, no protocol_id   | 16.0.0 | g   |
# | 017 018 019                     | protocol_id, captured 2023-10      | 20.0.0 | h   |
# | 020..023 029 043..050 052       | unknown; match the HEAD spec       | 22.0.0 | c   |
# | 024..028 030..042 051 053..055  | app_name, no protocol_id           | 16.0.0 | g   |
#
# a: vintage; no Channel.language, which 16.0.0 requires (20.0.0 on: protocol_id too)
# b: vintage; 003/004 lack Event.timestamp, which 20.0.0 on require
# c: vintage (or newest when unknown)
# d: the oldest shared spec with ConfigTuple (13.0.0 predates push configuration)
# e: an unknown type decodes as Event; channel, caller, called are kept unknown
# f: vintage; asterisk_id and channel.language (later 13.x) are kept unknown
# g: 20.0.0 on require Channel.protocol_id (added in 16.27/18.13/19.5/20.0); 16.0.0 is the
#    newest shared spec without it; dialplan.app_name/app_data (16.4+) are kept unknown
# h: vintage: the first shared spec with protocol_id

DIALPLAN_APP = ("dialplan.app_name", "dialplan.app_data")
CH_APP = tuple(f"channel.{p}" for p in DIALPLAN_APP)
BRIDGE_CH_APP = ("bridge.creationtime", *CH_APP)

# file → (spec, class it decodes to, unknown members as dotted paths)
PAYLOADS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "001_StasisStart.json": ("12.0.0", "StasisStart", ()),
    "002_Playback.json": ("12.0.0", "Playback", ()),
    "003_PlaybackStarted.json": ("12.0.0", "PlaybackStarted", ()),
    "004_PlaybackFinished.json": ("12.0.0", "PlaybackFinished", ()),
    "005_StasisEnd.json": ("12.0.0", "StasisEnd", ()),
    "006_AsteriskInfo.json": ("13.0.0", "AsteriskInfo", ()),
    "007_ConfigTupleList.json": ("16.0.0", "ConfigTuple", ()),
    "008_ConfigTupleList.json": ("16.0.0", "ConfigTuple", ()),
    "009_ConfigTupleList.json": ("16.0.0", "ConfigTuple", ()),
    "010_CallBroadcast.json": ("22.0.0", "Event", ("called", "caller", "channel")),
    "012_ChannelDtmfReceived.json": (
        "13.0.0",
        "ChannelDtmfReceived",
        ("asterisk_id", "channel.language"),
    ),
    "013_StasisStart.json": ("16.0.0", "StasisStart", CH_APP),
    "014_StasisStart.json": ("16.0.0", "StasisStart", CH_APP),
    "015_ChannelStateChange.json": ("16.0.0", "ChannelStateChange", CH_APP),
    "016_StasisStart.json": ("12.0.0", "StasisStart", ()),
    "017_StasisStart.json": ("20.0.0", "StasisStart", ()),
    "018_ChannelHangupRequest.json": ("20.0.0", "ChannelHangupRequest", ()),
    "019_StasisEnd.json": ("20.0.0", "StasisEnd", ()),
    "020_BridgeCreated.json": ("22.0.0", "BridgeCreated", ()),
    "021_BridgeCreated.json": ("22.0.0", "BridgeCreated", ()),
    "022_BridgeDestroyed.json": ("22.0.0", "BridgeDestroyed", ()),
    "023_Bridge.json": ("22.0.0", "Bridge", ()),
    "024_Channel.json": ("16.0.0", "Channel", DIALPLAN_APP),
    "025_Channel.json": ("16.0.0", "Channel", DIALPLAN_APP),
    "026_Channel.json": ("16.0.0", "Channel", DIALPLAN_APP),
    "027_Channel.json": ("16.0.0", "Channel", ()),
    "028_ChannelCreated.json": ("16.0.0", "ChannelCreated", CH_APP),
    "029_ChannelCreated.json": ("22.0.0", "ChannelCreated", ()),
    "030_ChannelCreated.json": ("16.0.0", "ChannelCreated", CH_APP),
    "031_ChannelDestroyed.json": ("16.0.0", "ChannelDestroyed", CH_APP),
    "032_ChannelDestroyed.json": ("16.0.0", "ChannelDestroyed", CH_APP),
    "033_ChannelHangupRequest.json": ("16.0.0", "ChannelHangupRequest", CH_APP),
    "034_ChannelStateChange.json": ("16.0.0", "ChannelStateChange", CH_APP),
    "035_ChannelStateChange.json": ("16.0.0", "ChannelStateChange", CH_APP),
    "036_ChannelEnteredBridge.json": ("16.0.0", "ChannelEnteredBridge", BRIDGE_CH_APP),
    "037_ChannelEnteredBridge.json": ("16.0.0", "ChannelEnteredBridge", BRIDGE_CH_APP),
    "038_ChannelLeftBridge.json": ("16.0.0", "ChannelLeftBridge", BRIDGE_CH_APP),
    "039_ChannelLeftBridge.json": ("16.0.0", "ChannelLeftBridge", BRIDGE_CH_APP),
    "040_ChannelDtmfReceived.json": ("16.0.0", "ChannelDtmfReceived", CH_APP),
    "041_ChannelDtmfReceived.json": ("16.0.0", "ChannelDtmfReceived", CH_APP),
    "042_ChannelVarset.json": ("16.0.0", "ChannelVarset", CH_APP),
    "043_ContactStatusChange.json": ("22.0.0", "ContactStatusChange", ()),
    "044_PeerStatusChange.json": ("22.0.0", "PeerStatusChange", ()),
    "045_PlaybackStarted.json": ("22.0.0", "PlaybackStarted", ()),
    "046_PlaybackContinuing.json": ("22.0.0", "PlaybackContinuing", ()),
    "047_PlaybackFinished.json": ("22.0.0", "PlaybackFinished", ()),
    "048_PlaybackFinished.json": ("22.0.0", "PlaybackFinished", ()),
    "049_Playback.json": ("22.0.0", "Playback", ()),
    "050_RecordingFinished.json": ("22.0.0", "RecordingFinished", ()),
    "051_StasisStart.json": ("16.0.0", "StasisStart", CH_APP),
    "052_StasisStart.json": ("22.0.0", "StasisStart", ()),
    "053_StasisStart.json": ("16.0.0", "StasisStart", CH_APP),
    "054_StasisStart.json": ("16.0.0", "StasisStart", CH_APP),
    "055_StasisEnd.json": ("16.0.0", "StasisEnd", CH_APP),
}

UTC = timezone.utc


# file → {dotted attribute path: value}: a few values read back from the decoded objects.
VALUES: dict[str, dict[str, Any]] = {
    "001_StasisStart.json": {
        "application": "hello-world",
        "args": [],
        "timestamp": datetime(2014, 5, 20, 13, 15, 27, 131000, tz(-5)),
        "channel.id": "1400609726.3",
        "channel.state": "Up",
        "channel.caller.number": "",
        "channel.dialplan.priority": 3,
        "channel.creationtime": datetime(2014, 5, 20, 13, 15, 26, 628000, tz(-5)),
    },
    "009_ConfigTupleList.json": {"[0].value": "1800", "[87].attribute": "cos_audio"},
    "014_StasisStart.json": {
        "args": ["freight-cs-voice", "en-US"],
        "timestamp": datetime(2021, 1, 7, 21, 12, 57, 268000, tz(1)),
        "channel.caller.name": "Adam",
    },
    "018_ChannelHangupRequest.json": {
        "cause": 127,
        "channel.protocol_id": ("120009ZTAxZTE4YjgwODhiYzA2YTRkYzNlMTI5MjA1MjVlNGY"),
    },
    "023_Bridge.json": {"video_mode": "sfu", "channels": [], "bridge_type": "mixing"},
    "025_Channel.json": {
        "channelvars": {"UNICASTRTP_LOCAL_PORT": "10492", "UNICASTRTP_LOCAL_ADDRESS": "127.0.0.1"},
        "state": "Down",
    },
    "043_ContactStatusChange.json": {
        "contact_info.roundtrip_usec": "0",  # a string in the spec and on the wire
        "contact_info.contact_status": "NonQualified",
        "endpoint.channel_ids": [],
    },
    "050_RecordingFinished.json": {"recording.duration": 351, "recording.state": "done"},
}


def version_base(version: str) -> str:
    return "ari_" + version.replace(".", "_").replace("-", "_")


def ari_models(packages: Packages, version: str) -> Any:
    """The dataclasses package of one shared ARI spec (generated once per session)."""
    keys = "last" if version == "12.0.0" else "error"  # 12.0.0 repeats keys in recordings.json
    return packages.module(
        ari_spec(version), "dataclasses", version_base(version), duplicate_keys=keys
    )


def payload_files() -> tuple[list[str], list[str]]:
    """(complete, PARTIAL) payload file names, as SOURCES.md marks them."""
    folder = require_shared("ari-payloads")
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    partial = set(re.findall(r"^\| `([^`]+\.json)` \| PARTIAL \|", sources, re.MULTILINE))
    names = sorted(p.name for p in folder.glob("*.json"))
    return [n for n in names if n not in partial], [n for n in names if n in partial]


def load_payload(name: str) -> Any:
    return json.loads((require_shared("ari-payloads") / name).read_text(encoding="utf-8"))


def attribute(obj: Any, path: str) -> Any:
    for part in re.findall(r"\[\d+\]|[^.\[]+", path):
        obj = obj[int(part[1:-1])] if part.startswith("[") else getattr(obj, part)
    return obj


def unknown_paths(pkg: Any, obj: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every member kept in extra_fields, at any depth."""
    found: list[str] = []
    if isinstance(obj, list):
        for item in obj:
            found += unknown_paths(pkg, item, prefix)
    elif isinstance(obj, pkg.models._Model):
        found += [prefix + key for key in pkg.extra_fields(obj)]
        for name, value in vars(obj).items():
            found += unknown_paths(pkg, value, f"{prefix}{name}.")
    return found


def decode_payload(pkg: Any, name: str, data: Any) -> Any:
    """Events through Message (dispatch); REST bodies through their model; lists item-wise."""
    if isinstance(data, list):
        return [pkg.MODELS[PAYLOADS[name][1]].from_dict(item) for item in data]
    if "type" in data:
        return pkg.Message.from_dict(data)
    return pkg.MODELS[PAYLOADS[name][1]].from_dict(data)


def test_the_table_covers_every_complete_payload() -> None:
    complete, partial = payload_files()
    assert len(complete) == 54 and len(partial) == 15  # SOURCES.md's totals
    assert sorted(PAYLOADS) == complete


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_real_payload_decodes_and_round_trips(packages: Packages, name: str) -> None:
    version, class_name, unknown = PAYLOADS[name]
    pkg = ari_models(packages, version)
    data = load_payload(name)
    decoded = decode_payload(pkg, name, data)

    for obj in decoded if isinstance(decoded, list) else [decoded]:
        assert type(obj).__name__ == class_name
        assert type(obj) is pkg.MODELS[class_name]
    assert sorted(unknown_paths(pkg, decoded)) == sorted(unknown)
    for path, value in VALUES.get(name, {}).items():
        got = attribute(decoded, path)
        assert got == value, path
        if isinstance(value, datetime):  # the same instant, and the offset as written
            assert got.utcoffset() == value.utcoffset(), path
    if isinstance(decoded, list):
        assert [o.to_dict() for o in decoded] == data
        return
    assert decoded.to_dict() == data  # exactly: unknown members and absent ones as they were
    assert json.loads(decoded.to_json()) == data
    text = json.dumps(data)
    assert type(decoded).from_json(text) == decoded
    assert type(decoded).from_json(text.encode()) == decoded


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_real_dates_are_aware_and_keep_their_offset(packages: Packages, name: str) -> None:
    version = PAYLOADS[name][0]
    pkg = ari_models(packages, version)
    data = load_payload(name)
    written = set(re.findall(r'"(\d{4}-\d\d-\d\dT[^"]+)"', json.dumps(data)))
    for value in _dates(pkg, decode_payload(pkg, name, data)):
        assert value.tzinfo is not None
        text = pkg.models._format_date(value)
        assert text in written  # back in Asterisk's form, with the offset as written
        assert text[-5:] == value.strftime("%z")


def _dates(pkg: Any, obj: Any) -> Any:
    if isinstance(obj, datetime):
        yield obj
    elif isinstance(obj, list):
        for item in obj:
            yield from _dates(pkg, item)
    elif isinstance(obj, pkg.models._Model):
        for value in vars(obj).values():
            yield from _dates(pkg, value)


@pytest.mark.parametrize(
    ("name", "version", "error"),
    [
        # Real payloads from an older Asterisk lack fields that newer specs require.
        ("001_StasisStart.json", "16.0.0", "StasisStart.channel.language: missing required field"),
        (
            "001_StasisStart.json",
            "22.0.0",
            "StasisStart.channel.protocol_id: missing required field",
        ),
        ("003_PlaybackStarted.json", "22.0.0", "PlaybackStarted.timestamp: missing required field"),
        ("024_Channel.json", "22.0.0", "Channel.protocol_id: missing required field"),
        (
            "016_StasisStart.json",
            "20.0.0",
            "StasisStart.channel.protocol_id: missing required field",
        ),
    ],
)
def test_real_payloads_missing_newer_required_fields_are_rejected(
    packages: Packages, name: str, version: str, error: str
) -> None:
    pkg = ari_models(packages, version)
    data = load_payload(name)
    cls = pkg.Message if "type" in data else pkg.MODELS[PAYLOADS[name][1]]
    with pytest.raises(pkg.DecodeError) as excinfo:
        cls.from_dict(data)
    assert str(excinfo.value) == error


def test_partial_payloads_are_rejected_or_kept_whole(packages: Packages) -> None:
    """The test-suite match templates elide fields that 22.0.0 requires: one DecodeError
    each; the two whose type 22.0.0 lacks decode to the nearest base, losing nothing."""
    pkg = ari_models(packages, "22.0.0")
    _, partial = payload_files()
    nearest = {"011_CallClaimed.json": "Event", "063_ChannelTransfer.json": "Message"}
    for name in partial:
        data = load_payload(name)
        if name in nearest:
            obj = pkg.Message.from_dict(data)
            assert type(obj).__name__ == nearest[name]
            assert obj.to_dict() == data
            continue
        with pytest.raises(pkg.DecodeError) as excinfo:
            pkg.Message.from_dict(data)
        assert excinfo.value.path[0] == data["type"], name
        assert excinfo.value.reason == "missing required field", name


# --- the API on every class -------------------------------------------------------------


def test_every_class_has_the_four_methods(packages: Packages) -> None:
    pkg = ari_models(packages, "22.0.0")
    for cls in pkg.MODELS.values():
        for method in ("from_dict", "from_json", "to_dict", "to_json"):
            assert callable(getattr(cls, method)), (cls, method)
    caller = pkg.CallerID.from_json(b'{"name": "Alice", "number": "200"}')
    assert caller == pkg.CallerID(name="Alice", number="200")
    assert caller.to_dict() == {"name": "Alice", "number": "200"}
    assert caller.to_json() == '{"name":"Alice","number":"200"}'
    assert pkg.CallerID.from_dict(caller.to_dict()) == caller


# --- hand-made ARI cases: errors, unknown members, absent vs null -------------------------


def stasis_start(**changes: Any) -> dict[str, Any]:
    """A StasisStart as Asterisk 22 writes it (017's shape)."""
    data = load_payload("017_StasisStart.json")
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def ari22(packages: Packages) -> Any:
    return ari_models(packages, "22.0.0")


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            "channel.caller.number",
            _DELETE,
            "StasisStart.channel.caller.number: missing required field",
        ),
        ("channel", _DELETE, "StasisStart.channel: missing required field"),
        ("application", None, "StasisStart.application: expected a string, got null"),
        ("application", 7, "StasisStart.application: expected a string, got an integer"),
        (
            "channel.dialplan.priority",
            "1",
            "StasisStart.channel.dialplan.priority: expected an integer, got a string",
        ),
        (
            "channel.dialplan.priority",
            True,
            "StasisStart.channel.dialplan.priority: expected an integer, got a boolean",
        ),
        (
            "channel.dialplan.priority",
            1.0,
            "StasisStart.channel.dialplan.priority: expected an integer, got a number",
        ),
        ("args", {}, "StasisStart.args: expected a list, got an object"),
        ("args", "a,b", "StasisStart.args: expected a list, got a string"),
        ("args", ["a", 2], "StasisStart.args[1]: expected a string, got an integer"),
        ("channel", [], "StasisStart.channel: expected an object, got a list"),
        ("channel", "PJSIP/1", "StasisStart.channel: expected an object, got a string"),
        ("channel.caller", None, "StasisStart.channel.caller: expected an object, got null"),
        (
            "channel.channelvars",
            [],
            "StasisStart.channel.channelvars: expected an object, got a list",
        ),
        ("replace_channel", 5, "StasisStart.replace_channel: expected an object, got an integer"),
        ("asterisk_id", False, "StasisStart.asterisk_id: expected a string, got a boolean"),
        ("channel.state", 1, "StasisStart.channel.state: expected a string, got an integer"),
        ("timestamp", 1700000000, "StasisStart.timestamp: expected a date string, got an integer"),
        (
            "timestamp",
            "yesterday",
            "StasisStart.timestamp: not a date with a UTC offset: 'yesterday'",
        ),
        (
            "channel.creationtime",
            "2023-10-16T12:14:48.762",
            "StasisStart.channel.creationtime: not a date with a UTC offset: "
            "'2023-10-16T12:14:48.762'",
        ),
    ],
)
def test_decode_errors_name_the_path(ari22: Any, path: str, value: Any, error: str) -> None:
    data = _set(stasis_start(), path, value)
    with pytest.raises(ari22.DecodeError) as excinfo:
        ari22.Message.from_dict(data)
    assert str(excinfo.value) == error
    assert isinstance(excinfo.value, ValueError)
    assert excinfo.value.__cause__ is None and excinfo.value.__suppress_context__
    # The same through the concrete class and through text.
    with pytest.raises(ari22.DecodeError) as again:
        ari22.StasisStart.from_json(json.dumps(data))
    assert str(again.value) == error


def test_decode_error_parts(ari22: Any) -> None:
    data = _set(stasis_start(), "channel.caller.number", _DELETE)
    with pytest.raises(ari22.DecodeError) as excinfo:
        ari22.Event.from_dict(data)
    assert excinfo.value.path == ["StasisStart", "channel", "caller", "number"]
    assert excinfo.value.reason == "missing required field"


@pytest.mark.parametrize(
    ("cls", "data", "error"),
    [
        ("Message", [], "Message: expected an object, got a list"),
        ("Message", None, "Message: expected an object, got null"),
        ("Channel", "x", "Channel: expected an object, got a string"),
        ("Message", {}, "Message.type: missing required field"),
        ("Message", {"type": 5}, "Message.type: expected a string, got an integer"),
        ("Event", {"type": "Brand New"}, "Event.application: missing required field"),
        (
            "StasisStart",
            {"type": "StasisEnd"},
            "StasisStart.type: 'StasisEnd' is StasisEnd, not StasisStart or a subtype of it",
        ),
        (
            "Event",
            {"type": "MissingParams", "params": []},
            "Event.type: 'MissingParams' is MissingParams, not Event or a subtype of it",
        ),
    ],
)
def test_top_level_and_dispatch_errors(ari22: Any, cls: str, data: Any, error: str) -> None:
    with pytest.raises(ari22.DecodeError) as excinfo:
        ari22.MODELS[cls].from_dict(data)
    assert str(excinfo.value) == error


@pytest.mark.parametrize(
    ("cls", "tag", "error"),
    [
        (
            "StasisEnd",
            "StasisStart",
            "StasisEnd.type: 'StasisStart' is StasisStart, not StasisEnd or a subtype of it",
        ),
        ("StasisStart", "Vendor", "StasisStart.type: expected 'StasisStart', got 'Vendor'"),
        ("StasisStart", None, "StasisStart.type: expected the string 'StasisStart', got null"),
        ("StasisStart", 3, "StasisStart.type: expected the string 'StasisStart', got an integer"),
    ],
)
def test_a_subclass_rejects_another_type_even_when_complete(
    ari22: Any, cls: str, tag: Any, error: str
) -> None:
    """Decoding through a class whose tag differs from ``type`` is an error, never a guess."""
    with pytest.raises(ari22.DecodeError) as excinfo:
        ari22.MODELS[cls].from_dict(stasis_start(type=tag))
    assert str(excinfo.value) == error


def test_invalid_json_text(ari22: Any) -> None:
    with pytest.raises(ari22.DecodeError, match=r"^Message: invalid JSON: ") as excinfo:
        ari22.Message.from_json('{"type": ')
    assert isinstance(excinfo.value, ValueError)
    with pytest.raises(ari22.DecodeError, match=r"^Channel: invalid JSON: "):
        ari22.Channel.from_json(b"\xff")


def test_unknown_type_decodes_to_the_nearest_base_losing_nothing(ari22: Any) -> None:
    data = load_payload("010_CallBroadcast.json")  # a 2026 event no shared spec knows
    event = ari22.Message.from_dict(data)
    assert type(event) is ari22.Event
    assert event.type == "CallBroadcast"
    assert event.application == "my-ari-app"
    assert event.timestamp == datetime(2026, 2, 25, 10, 15, tzinfo=UTC)
    kept = ari22.extra_fields(event)
    assert kept["channel"] == data["channel"]  # raw JSON: the spec says nothing of it
    assert (kept["caller"], kept["called"]) == ("200", "1000")
    assert event.to_dict() == data
    assert json.loads(event.to_json()) == data
    assert ari22.Event.from_dict(data) == event


def test_unknown_type_without_event_fields_is_a_message(ari22: Any) -> None:
    data = {"type": "VendorHeartbeat", "asterisk_id": "a", "load": [0.5, 0.25]}
    message = ari22.Message.from_dict(data)
    assert type(message) is ari22.Message
    assert ari22.extra_fields(message) == {"load": [0.5, 0.25]}
    assert message.to_dict() == data


def test_unknown_members_are_kept_at_every_depth(ari22: Any) -> None:
    data = stasis_start(vendor={"x": [1, {"y": None}]})
    data["channel"]["new_in_asterisk_23"] = "yes"
    data["channel"]["caller"]["tag"] = None
    event = ari22.Message.from_dict(data)
    assert ari22.extra_fields(event) == {"vendor": {"x": [1, {"y": None}]}}
    assert ari22.extra_fields(event.channel) == {"new_in_asterisk_23": "yes"}
    assert ari22.extra_fields(event.channel.caller) == {"tag": None}
    assert ari22.extra_fields(event.channel.dialplan) == {}
    assert event.to_dict() == data
    assert ari22.extra_fields(ari22.CallerID(name="a", number="1")) == {}


def test_extra_fields_never_override_declared_ones(ari22: Any) -> None:
    event = ari22.Message.from_dict(stasis_start(vendor=1))
    event.application = "renamed"
    assert event.to_dict()["application"] == "renamed"
    assert event.to_dict()["vendor"] == 1


def test_absent_stays_absent_and_null_stays_null(ari22: Any) -> None:
    data = stasis_start()
    assert "replace_channel" not in data and "channelvars" not in data["channel"]
    event = ari22.Message.from_dict(data)
    assert event.replace_channel is None and event.channel.channelvars is None
    out = event.to_dict()
    assert "replace_channel" not in out and "channelvars" not in out["channel"]

    with_null = stasis_start(replace_channel=None)
    event = ari22.Message.from_dict(with_null)
    assert event.replace_channel is None
    assert event.to_dict() == with_null  # null written back as null
    assert ari22.extra_fields(event) == {"replace_channel": None}


def test_values_outside_a_literal_are_kept(ari22: Any) -> None:
    data = stasis_start()
    data["channel"]["state"] = "Quantum Superposition"  # not in allowableValues
    event = ari22.Message.from_dict(data)
    assert event.channel.state == "Quantum Superposition"
    assert event.to_dict() == data


def test_object_fields_pass_through_as_dicts(ari22: Any) -> None:
    userevent = load_payload("056_ChannelUserevent.json")["userevent"]  # real test-suite shape
    userevent = {**userevent, "nested": {"list": [1, "two", None, {"deep": True}]}}
    data = {
        "type": "ChannelUserevent",
        "application": "testsuite",
        "timestamp": "2026-11-26T05:48:34.307+0000",
        "eventname": "CanYouSeeMe",
        "userevent": userevent,
    }
    event = ari22.Message.from_dict(data)
    assert type(event) is ari22.ChannelUserevent
    assert event.userevent == userevent and type(event.userevent) is dict
    assert event.to_dict() == data
    with pytest.raises(ari22.DecodeError, match=r"^ChannelUserevent.userevent: expected an object"):
        ari22.Message.from_dict({**data, "userevent": ["CanYouSeeMe"]})


def test_to_json_is_compact_and_keeps_non_ascii(ari22: Any) -> None:
    caller = ari22.CallerID(name="Zoë 🐝", number="+33")
    assert caller.to_json() == '{"name":"Zoë 🐝","number":"+33"}'
    assert ari22.CallerID.from_json(caller.to_json()) == caller


def test_built_instances_encode_dates_in_asterisk_form(ari22: Any) -> None:
    when = datetime(2026, 11, 26, 5, 48, 34, 307999, tz(-5))
    event = ari22.StasisEnd(
        application="app",
        timestamp=when,
        channel=ari22.Message.from_dict(stasis_start()).channel,
    )
    out = event.to_dict()
    assert out["type"] == "StasisEnd" and out["timestamp"] == "2026-11-26T05:48:34.307-0500"
    assert "asterisk_id" not in out
    back = ari22.Message.from_dict(out)
    assert type(back) is ari22.StasisEnd
    assert back.timestamp == when.replace(microsecond=307000)
    assert back.timestamp.utcoffset() == timedelta(hours=-5)


# --- dispatch at any depth, with a hand-made hierarchy ---------------------------------------

DISPATCH_SPEC = declaration(
    {
        "Message": model(
            "Message",
            {"type": {"type": "string", "required": True}},
            discriminator="type",
            subTypes=["Event", "Problem"],
        ),
        "Problem": model("Problem", {"detail": {"type": "string"}}),
        "Event": model(
            "Event",
            {
                "application": {"type": "string", "required": True},
                "timestamp": {"type": "Date"},
            },
            subTypes=["ChannelEvent", "Ping"],
        ),
        "Ping": model("Ping", {}),
        "ChannelEvent": model(
            "ChannelEvent",
            {"channel": {"type": "Line", "required": True}},
            subTypes=["Hangup", "Dtmf"],
        ),
        "Hangup": model("Hangup", {"cause": {"type": "int"}}),
        "Dtmf": model(
            "Dtmf",
            {
                "digit": {"type": "string", "required": True},
                "duration_ms": {"type": "int", "required": True},
            },
        ),
        "Line": model("Line", {"id": {"type": "string", "required": True}}),
        "Envelope": model(
            "Envelope",
            {
                "message": {"type": "Message", "required": True},
                "events": {"type": "List[Event]"},
                "latest": {"type": "Event"},
                "lines": {"type": "List[Line]"},
                "score": {"type": "double"},
                "stamps": {"type": "List[Date]"},
                "data": {"type": "object"},
                "anything": {"type": "any"},
            },
        ),
    }
)


@pytest.fixture(scope="module")
def dispatch(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return dispatch_models(packages, tmp_path_factory)


def dispatch_models(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """DISPATCH_SPEC's package, once per session (tests/test_decode_properties.py too)."""
    folder = tmp_path_factory.getbasetemp() / "decode_dispatch_spec"
    write_files(folder, {"events.json": DISPATCH_SPEC})
    return packages.module(folder / "events.json", "dataclasses", "decode_dispatch")


LINE = {"id": "PJSIP/1"}


def test_dispatch_picks_the_concrete_class_at_every_level(dispatch: Any) -> None:
    dtmf = {"type": "Dtmf", "application": "a", "channel": LINE, "digit": "5", "duration_ms": 80}
    for base in ("Message", "Event", "ChannelEvent", "Dtmf"):
        obj = dispatch.MODELS[base].from_dict(dtmf)
        assert type(obj) is dispatch.Dtmf and obj.to_dict() == dtmf
    ping = {"type": "Ping", "application": "a"}
    assert type(dispatch.Event.from_dict(ping)) is dispatch.Ping
    assert type(dispatch.Message.from_dict({"type": "Problem"})) is dispatch.Problem
    with pytest.raises(dispatch.DecodeError) as excinfo:
        dispatch.ChannelEvent.from_dict(ping)
    assert (
        str(excinfo.value)
        == "ChannelEvent.type: 'Ping' is Ping, not ChannelEvent or a subtype of it"
    )


def test_dispatch_inside_fields_and_lists(dispatch: Any) -> None:
    data = {
        "message": {"type": "Hangup", "application": "a", "channel": LINE, "cause": 16},
        "events": [
            {"type": "Ping", "application": "a"},
            {"type": "Dtmf", "application": "a", "channel": LINE, "digit": "#", "duration_ms": 1},
            {"type": "ChannelHold", "application": "a", "channel": LINE, "musicclass": "x"},
            {"type": "Vendor", "application": "a", "extra": 1},
        ],
        "latest": {"type": "Ping", "application": "b", "timestamp": "2026-11-26T05:48:34.307+0000"},
        "lines": [LINE, {"id": "PJSIP/2", "new": True}],
    }
    env = dispatch.Envelope.from_dict(data)
    assert type(env.message) is dispatch.Hangup and env.message.cause == 16
    assert [type(e).__name__ for e in env.events] == ["Ping", "Dtmf", "ChannelEvent", "Event"]
    # an unknown type: the deepest non-leaf base whose required members are all there
    assert dispatch.extra_fields(env.events[2]) == {"musicclass": "x"}
    assert env.events[2].type == "ChannelHold"
    assert type(env.latest) is dispatch.Ping
    assert env.to_dict() == data


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"message": {"type": "Dtmf", "application": "a", "channel": LINE, "digit": "1"}},
            "Envelope.message.duration_ms: missing required field",
        ),
        (
            {"events": [{"type": "Ping", "application": "a"}, {"type": "Dtmf"}]},
            "Envelope.events[1].application: missing required field",
        ),
        (
            {"events": [{"type": "Problem"}]},
            "Envelope.events[0].type: 'Problem' is Problem, not Event or a subtype of it",
        ),
        (
            {"latest": {"type": "Problem"}},
            "Envelope.latest.type: 'Problem' is Problem, not Event or a subtype of it",
        ),
        ({"events": {"type": "Ping"}}, "Envelope.events: expected a list, got an object"),
        ({"events": ["Ping"]}, "Envelope.events[0]: expected an object, got a string"),
        ({"lines": [LINE, {}]}, "Envelope.lines[1].id: missing required field"),
        ({"lines": [LINE, 3]}, "Envelope.lines[1]: expected an object, got an integer"),
        ({"score": "1.5"}, "Envelope.score: expected a number, got a string"),
        ({"score": True}, "Envelope.score: expected a number, got a boolean"),
        (
            {"stamps": ["2026-11-26T05:48:34.307+0000", "soon"]},
            "Envelope.stamps[1]: not a date with a UTC offset: 'soon'",
        ),
        ({"stamps": [1]}, "Envelope.stamps[0]: expected a date string, got an integer"),
        ({"data": "x"}, "Envelope.data: expected an object, got a string"),
        (
            {"message": {"type": "Hangup", "application": "a", "channel": {"id": 1}}},
            "Envelope.message.channel.id: expected a string, got an integer",
        ),
    ],
)
def test_nested_errors_name_the_path(dispatch: Any, changes: dict[str, Any], error: str) -> None:
    data = {"message": {"type": "Ping", "application": "a"}, **changes}
    with pytest.raises(dispatch.DecodeError) as excinfo:
        dispatch.Envelope.from_dict(data)
    assert str(excinfo.value) == error


def test_numbers_lists_of_dates_and_any(dispatch: Any) -> None:
    data = {
        "message": {"type": "Ping", "application": "a"},
        "score": 3,
        "stamps": ["2026-11-26T05:48:34.307+0000", "2026-11-26T06:48:34.307+0100"],
        "data": {"k": [1]},
        "anything": [None, "x", 1.5],
    }
    env = dispatch.Envelope.from_dict(data)
    assert env.score == 3 and dispatch.Envelope.from_dict({**data, "score": 2.5}).score == 2.5
    assert env.stamps[0] == env.stamps[1]  # the same instant...
    assert env.stamps[1].utcoffset() == timedelta(hours=1)  # ...with its own offset
    assert env.anything == [None, "x", 1.5]
    assert env.to_dict() == data


def test_dispatch_spec_type_checks(dispatch: Any, tmp_path: Path) -> None:
    """The decoders of this spec (dispatch fields, generic lists) pass mypy --strict."""
    from support.tools import assert_mypy_clean

    folder = Path(dispatch.__file__).parent
    assert_mypy_clean(folder.parent, [folder.name], scratch=tmp_path)


# --- a merged spec: a member whose type changed between versions ---------------------------


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from support.packages import generate_merged, import_package
    from support.specs import write_spec

    root = tmp_path_factory.mktemp("merged")
    old = {"x": {"type": "int", "required": True}, "when": {"type": "List[Date]"}}
    new = {"x": {"type": "string", "required": True}, "when": {"type": "Date"}}
    v1 = write_spec(root / "v1", {"Thing": model("Thing", old)}, api_version="1.0.0")
    v2 = write_spec(root / "v2", {"Thing": model("Thing", new)}, api_version="2.0.0")
    return import_package(generate_merged([v1, v2], "dataclasses", root / "out", "decode_merged"))


def test_union_members_take_any_of_their_types(merged: Any) -> None:
    stamp = "2026-11-26T05:48:34.307+0100"
    for data in (
        {"x": 1},
        {"x": "one"},
        {"x": 2, "when": [stamp, stamp]},
        {"x": "t", "when": stamp},
    ):
        thing = merged.Thing.from_dict(data)
        assert thing.to_dict() == data
    assert merged.Thing.from_dict({"x": 0, "when": stamp}).when == datetime(
        2026, 11, 26, 5, 48, 34, 307000, tz(1)
    )
    assert merged.Thing.from_dict({"x": 0, "when": [stamp]}).when[0].utcoffset() == timedelta(
        hours=1
    )
    for data, error in (
        ({"x": True}, "Thing.x: matches none of the types it had, got a boolean"),
        ({"x": 1.5}, "Thing.x: matches none of the types it had, got a number"),
        ({"x": 1, "when": 5}, "Thing.when: matches none of the types it had, got an integer"),
        (
            {"x": 1, "when": [stamp, "x"]},
            "Thing.when: matches none of the types it had, got a list",
        ),
    ):
        with pytest.raises(merged.DecodeError) as excinfo:
            merged.Thing.from_dict(data)
        assert str(excinfo.value) == error
