"""Hostile input for the generated decoders (issue 11, points 10-12).

Only ``DecodeError`` leaves ``from_dict`` / ``from_json`` whatever the input (bombs of
depth, huge integers, non-JSON constants); no silent wrong value (dict subclasses
dispatch, a repeated discriminator, impossible offsets); ``to_dict`` hands out a copy.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections import OrderedDict
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.packages import Packages
from support.specs import declaration, model, write_files

SPEC = declaration(
    {
        "Message": model(
            "Message",
            {"type": {"type": "string", "required": True}},
            discriminator="type",
            subTypes=["Ping"],
        ),
        "Ping": model(
            "Ping",
            {
                "node": {"type": "Node"},
                "when": {"type": "Date"},
                "tags": {"type": "List[string]"},
                "data": {"type": "object"},
                "blobs": {"type": "List[object]"},
                "score": {"type": "double"},
            },
        ),
        "Node": model("Node", {"name": {"type": "string"}, "child": {"type": "Node"}}),
    }
)


@pytest.fixture(scope="module")
def m(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.getbasetemp() / "decode_hostile_spec"
    write_files(folder, {"events.json": SPEC})
    return packages.module(folder / "events.json", "dataclasses", "decode_hostile")


def _nested_node(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"name": "leaf"}
    for _ in range(depth):
        node = {"child": node}
    return node


def _deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


# --- point 10: only DecodeError ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type":"Ping","deep":' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"type":"Ping","data":' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}",
        '{"type":"Ping","score":' + "1" * 100_000 + "}",
        '{"type":"Ping","unknown":' + "9" * 100_000 + "}",
        '{"type":"Ping","node":' + '{"child":' * 10_000 + "{}" + "}" * 10_000 + "}",
        b"\xff\xfe",
        "",
    ],
    ids=[
        "deep-array",
        "deep-unknown",
        "deep-object",
        "huge-int",
        "huge-unknown",
        "deep-model",
        "bytes",
        "empty",
    ],
)
def test_from_json_raises_only_decode_errors(m: Any, text: str | bytes) -> None:
    with pytest.raises(m.DecodeError) as excinfo:
        m.Message.from_json(text)
    assert type(excinfo.value) is m.DecodeError


def test_from_json_refuses_what_is_not_text(m: Any) -> None:
    for value in (None, 12, ["{}"], memoryview(b"{}")):
        with pytest.raises(m.DecodeError, match="invalid JSON"):
            m.Message.from_json(value)


def test_deep_self_referencing_model_from_dict(m: Any) -> None:
    data = {"type": "Ping", "node": _nested_node(10_000)}
    with pytest.raises(m.DecodeError, match="Message: nested too deeply"):
        m.Message.from_dict(data)
    # an object value is not walked: it decodes, and to_json refuses it as too deep
    ping = m.Ping.from_dict({"type": "Ping", "data": {"x": _deep_list(100_000)}})
    with pytest.raises(ValueError, match="cannot encode Ping as JSON: nested too deeply"):
        ping.to_json()


def test_a_moderately_deep_model_still_decodes_and_encodes(m: Any) -> None:
    data = {"type": "Ping", "node": _nested_node(100)}
    ping = m.Message.from_dict(data)
    assert ping.to_dict() == data
    assert m.Message.from_json(ping.to_json()) == ping


def test_to_json_raises_value_error_for_what_json_cannot_hold(m: Any) -> None:
    node = m.Node(name="leaf")
    for _ in range(10_000):
        node = m.Node(child=node)
    deep = m.Ping(node=node)
    with pytest.raises(ValueError, match="nested too deeply") as excinfo:
        deep.to_json()
    assert type(excinfo.value) is ValueError
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="cannot encode Ping as JSON"):
            m.Ping(score=bad).to_json()
    with pytest.raises(ValueError, match="cannot encode Ping as JSON"):
        m.Ping(data={"n": 10**5000}).to_json()  # beyond int → str conversion limit


# --- point 11: no silent wrong values ----------------------------------------------------------


def test_dict_subclasses_dispatch_and_decode_like_dicts(m: Any) -> None:
    data = {"type": "Ping", "node": {"name": "a"}, "data": {"k": 1}, "blobs": [{"x": 1}]}
    as_ordered = json.loads(json.dumps(data), object_pairs_hook=OrderedDict)
    for cls in (m.Message, m.Ping):
        obj = cls.from_dict(as_ordered)
        assert type(obj) is m.Ping
        assert obj == m.Message.from_dict(data)
        assert obj.to_dict() == data


@pytest.mark.parametrize(
    "text",
    [
        '{"type":"Message","type":"Ping"}',
        '{"type":"Ping","type":"Ping"}',
        '{"typ\\u0065":"Ping","type":"Message"}',
        '{"type":"Ping","node":{"name":"a","type":"x","type":"y"}}',
    ],
)
def test_a_repeated_discriminator_key_is_an_error(m: Any, text: str) -> None:
    for value in (text, text.encode()):
        with pytest.raises(m.DecodeError, match="'type' is repeated in one object"):
            m.Message.from_json(value)


def test_other_repeated_keys_keep_the_last_like_every_json_reader(m: Any) -> None:
    ping = m.Message.from_json('{"type":"Ping","tags":["a"],"tags":["b"]}')
    assert ping.tags == ["b"]
    # the word "type" twice in a text is no repeat: decoded normally
    ping = m.Message.from_json('{"type":"Ping","tags":["type"],"data":{"type":1}}')
    assert ping.tags == ["type"] and ping.data == {"type": 1}


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-26T05:48:34.307+0099",
        "2026-11-26T05:48:34.307+0060",
        "2026-11-26T05:48:34.307-0060",
        "2026-11-26T05:48:34.307+2400",
        "2026-11-26T05:48:34.307+2500",
        "2026-11-26T05:48:34+01:60",
        "2026-11-26T05:48:34.307+99",
        "2026-11-26T05:48:34.307+2359x",
    ],
)
def test_impossible_offsets_are_errors(m: Any, value: str) -> None:
    with pytest.raises(m.DecodeError, match="when: not a date with a UTC offset"):
        m.Ping.from_dict({"type": "Ping", "when": value})


def test_the_largest_offsets_are_read(m: Any) -> None:
    for value, minutes in (
        ("2026-11-26T05:48:34.307+2359", 1439),
        ("2026-11-26T05:48:34-23:59", -1439),
    ):
        when = m.Ping.from_dict({"type": "Ping", "when": value}).when
        assert when.utcoffset().total_seconds() == minutes * 60


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(m: Any, constant: str) -> None:
    with pytest.raises(m.DecodeError, match=f"invalid JSON: {constant} is not JSON"):
        m.Message.from_json(f'{{"type":"Ping","score":{constant}}}')


def test_big_integers_stay_exact(m: Any) -> None:
    """orjson, when installed, would round them to floats: the standard library reads them."""
    big = 2**70
    text = f'{{"type":"Ping","data":{{"n":{big}}},"extra":-{big}}}'
    ping = m.Message.from_json(text)
    assert ping.data == {"n": big} and m.extra_fields(ping) == {"extra": -big}
    assert json.loads(ping.to_json()) == json.loads(text)


# --- point 12: to_dict hands out a copy; replace() -------------------------------------------


def test_to_dict_never_hands_out_the_objects_own_containers(m: Any) -> None:
    data = {
        "type": "Ping",
        "tags": ["a"],
        "data": {"k": [1, {"x": 2}]},
        "blobs": [{"x": [1]}],
        "node": {"name": "n", "more": {"deep": [1]}},
        "unknown": {"list": [1]},
    }
    ping = m.Message.from_dict(json.loads(json.dumps(data)))
    out = ping.to_dict()
    out["tags"].append("b")
    out["data"]["k"][1]["x"] = 3
    out["blobs"][0]["x"].append(2)
    out["node"]["more"]["deep"].append(2)
    out["unknown"]["list"].append(2)
    m.extra_fields(ping)["unknown"]["list"].append(3)
    assert ping.to_dict() == data


def test_replace_keeps_fields_and_drops_unknown_members_as_documented(m: Any) -> None:
    ping = m.Message.from_dict({"type": "Ping", "tags": ["a"], "vendor": 1})
    changed = dataclasses.replace(ping, tags=["b"])
    assert changed.tags == ["b"] and changed.type == "Ping"
    # documented: replace() builds a new object through __init__, without unknown members
    assert m.extra_fields(changed) == {}


# --- orjson when installed, the standard library otherwise: the same results ---------------


def test_with_and_without_orjson_the_results_are_the_same(
    m: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = importlib.import_module(f"{m.__name__}._codec")
    texts = [
        '{"type":"Ping","tags":["é","\\ud83d\\ude00"],"score":1.5,"data":{"n":18446744073709551616}}',
        '{"type":"Ping","when":"2026-11-26T05:48:34.307+0000","node":{"name":"x","v":null}}',
        '{"type":"Ping","score":NaN}',
        '{"type":"Ping","x":1e400}',
        '{"type":"Ping","x":"\\ud800"}',
        '{"type":"Ping",}',
    ]

    def outcomes() -> list[Any]:
        out: list[Any] = []
        for text in texts:
            for value in (text, text.encode()):
                try:
                    obj = m.Message.from_json(value)
                    out.append((obj, m.extra_fields(obj)))
                except m.DecodeError:
                    out.append("DecodeError")
        return out

    with_it = outcomes()
    monkeypatch.setattr(runtime, "_orjson", None)
    assert outcomes() == with_it


# --- fuzzing: hostile shapes, only DecodeError or a faithful value ----------------------------

FUZZ = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(["Ping", "Message", "Node", "type"])
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["type", "node", "child", "name", "when", "tags", "data", "score", "x"]
            ),
            inner,
            max_size=4,
        ).map(lambda d: OrderedDict(d) if len(d) % 2 else d)
    ),
    max_leaves=12,
)


@FUZZ
@given(value=_VALUES, depth=st.integers(0, 3) | st.just(5_000))
def test_fuzz_only_decode_error_leaves(m: Any, value: Any, depth: int) -> None:
    for _ in range(depth):
        value = {"type": "Ping", "node": {"child": value}} if depth < 5 else [value]
    for decode in (m.Message.from_dict, m.Ping.from_dict, m.Node.from_dict):
        try:
            obj = decode(value)
        except m.DecodeError:
            continue
        assert isinstance(obj, m.Message | m.Node)
    try:
        text = json.dumps(value)  # NaN and Infinity spelled as Python does: not JSON
    except RecursionError:
        return
    try:
        obj = m.Message.from_json(text)
    except m.DecodeError:
        return
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(obj.to_json()) == json.loads(text)


@FUZZ
@given(
    hours=st.integers(0, 99),
    minutes=st.integers(0, 99),
    sign=st.sampled_from("+-"),
    colon=st.booleans(),
    fraction=st.sampled_from(["", ".3", ".307", ".3071234"]),
)
def test_fuzz_offsets_are_read_exactly_or_refused(
    m: Any, hours: int, minutes: int, sign: str, colon: bool, fraction: str
) -> None:
    text = f"2026-11-26T05:48:34{fraction}{sign}{hours:02d}{':' if colon else ''}{minutes:02d}"
    try:
        when = m.Ping.from_dict({"type": "Ping", "when": text}).when
    except m.DecodeError:
        assert hours > 23 or minutes > 59
        return
    assert hours <= 23 and minutes <= 59
    offset = (hours * 60 + minutes) * (-1 if sign == "-" else 1)
    assert when.utcoffset() == timedelta(minutes=offset)
