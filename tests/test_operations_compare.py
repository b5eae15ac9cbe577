"""Operation changes between two specs (ari_codegen/operations_compare.py), each breaking
or compatible for code written against OLD's client, with the reason."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from support.operations import api, build_ok, declaration, load_real, op, param

from ari_codegen.compare import Change
from ari_codegen.compare_operations import OPERATION_KINDS, accepts, compare_resources
from ari_codegen.graph import Enum, ListOf, Prim, UnionOf
from ari_codegen.graph.operation_types import EVENT_FILTER, STRING_MAP, VARIABLES


def listed(name: str, *vs: str, **extra: Any) -> dict[str, Any]:
    return param(name, allowableValues={"valueType": "LIST", "values": list(vs)}, **extra)


def ranged(name: str, minimum: Any = None, maximum: Any = None) -> dict[str, Any]:
    bounds = {k: v for k, v in (("min", minimum), ("max", maximum)) if v is not None}
    return param(name, data_type="int", allowableValues={"valueType": "RANGE", **bounds})


ID = param("thingId", "path", required=True)
OLD = [
    declaration(
        api(
            "/things/{thingId}",
            op(
                "get",
                response="Thing",
                params=[
                    ID,
                    param("dropped"),
                    param("tightened"),
                    param("loosened", required=True),
                    listed("widened", "a"),
                    listed("narrowed", "a", "b"),
                    listed("opened", "a"),
                    param("closed"),
                    param("retyped"),
                    param("widened_number", data_type="int"),
                    ranged("range_wider", 0, 10),
                    ranged("range_narrower", 0),
                    param("moved"),
                    param("otherId"),
                ],
            ),
            op("remove", "DELETE", params=[ID]),
            op("changeMethod", "POST", params=[ID]),
            op("returnsThing", "PATCH", "Thing", params=[ID]),
        ),
        api("/old/path", op("changePath")),
        api("/renamed", op("oldName", "POST")),
        api("/same", op("same")),
        resource="things",
    ),
    declaration(api("/gone", op("get")), resource="gone"),
]
NEW = [
    declaration(
        api(
            "/things/{thingId}",
            op(
                "get",
                response="Thing",
                params=[
                    ID,
                    param("tightened", required=True),
                    param("loosened"),
                    listed("widened", "a", "b"),
                    listed("narrowed", "a"),
                    param("opened"),
                    listed("closed", "a"),
                    param("retyped", data_type="boolean"),
                    param("widened_number", data_type="double"),
                    ranged("range_wider", None, 10),
                    ranged("range_narrower", 1),
                    param("moved", "body", "string"),
                    param("otherId"),  # other_id_ now: "other_id" below takes other_id
                    param("other_id"),
                    param("new_optional"),
                    param("new_required", required=True),
                ],
            ),
            op("add", "POST", params=[ID]),
            op("changeMethod", "PUT", params=[ID]),
            op("returnsThing", "PATCH", "List[Thing]", params=[ID]),
        ),
        api("/new/path", op("changePath")),
        api("/renamed", op("newName", "POST")),
        api("/same", op("same")),
        resource="things",
    ),
    declaration(api("/fresh", op("get")), resource="fresh"),
]


@pytest.fixture(scope="module")
def changes() -> dict[tuple[str, str, str | None], Change]:
    old = build_ok(*OLD, models=("Thing",))
    new = build_ok(*NEW, models=("Thing",))
    found = compare_resources(old, new)
    keyed = {(c.kind, c.model, c.field): c for c in found}
    assert len(keyed) == len(found)
    return keyed


EXPECTED = {
    ("resource removed", "gone", None): True,
    ("resource added", "fresh", None): False,
    ("operation removed", "things.remove", None): True,
    ("operation added", "things.add", None): False,
    ("method renamed", "things.newName", None): True,
    ("http method changed", "things.changeMethod", None): True,
    ("path changed", "things.changePath", None): True,
    ("response changed", "things.returnsThing", None): True,
    ("parameter removed", "things.get", "dropped"): True,
    ("parameter added", "things.get", "new_optional"): False,
    ("parameter added", "things.get", "new_required"): True,
    ("parameter required changed", "things.get", "tightened"): True,
    ("parameter required changed", "things.get", "loosened"): False,
    ("parameter values added", "things.get", "widened"): False,
    ("parameter values removed", "things.get", "narrowed"): True,
    ("parameter type changed", "things.get", "opened"): False,
    ("parameter type changed", "things.get", "closed"): True,
    ("parameter type changed", "things.get", "retyped"): True,
    ("parameter type changed", "things.get", "widened_number"): False,
    ("parameter range changed", "things.get", "range_wider"): False,
    ("parameter range changed", "things.get", "range_narrower"): True,
    ("parameter location changed", "things.get", "moved"): False,
    ("parameter renamed", "things.get", "otherId"): True,
    ("parameter added", "things.get", "other_id"): False,
}


def test_every_kind_of_change_is_found_and_classified(changes: Any) -> None:
    assert {k: c.breaking for k, c in changes.items()} == EXPECTED
    assert {k[0] for k in EXPECTED} == set(OPERATION_KINDS)


def test_every_change_says_why_and_what(changes: Any) -> None:
    for c in changes.values():
        assert c.reason, c
        assert c.old is not None or c.new is not None, c
    assert changes["method renamed", "things.newName", None].old == "oldName (old_name)"
    assert changes["response changed", "things.returnsThing", None].new == "List[Thing]"
    assert changes["parameter range changed", "things.get", "range_narrower"].new == "1.."
    assert changes["parameter added", "things.get", "new_required"].new == "query str"
    assert changes["parameter values added", "things.get", "widened"].new == "'b'"
    assert changes["path changed", "things.changePath", None].new == "/new/path"


def test_what_did_not_change_is_not_reported(changes: Any) -> None:
    assert not [k for k in changes if k[1] == "things.same"]
    assert not [k for k in changes if k[2] == "thingId"]


def test_a_renamed_path_parameter_is_no_path_change() -> None:
    old = build_ok(
        declaration(api("/a/{id}", op("get", params=[param("id", "path", required=True)])))
    )
    new = build_ok(
        declaration(api("/a/{aId}", op("get", params=[param("aId", "path", required=True)])))
    )
    kinds = sorted(c.kind for c in compare_resources(old, new))
    assert kinds == ["parameter added", "parameter removed"]


def test_identical_specs_have_no_changes() -> None:
    resources = build_ok(*NEW, models=("Thing",))
    assert compare_resources(resources, resources) == ()


def test_accepts() -> None:
    assert accepts(VARIABLES, STRING_MAP) and not accepts(STRING_MAP, VARIABLES)
    assert accepts(Prim("str"), Enum(Prim("str"), ("a",)))
    assert accepts(UnionOf((Prim("str"), ListOf(Prim("str")))), ListOf(Prim("str")))
    assert not accepts(ListOf(Prim("str")), Prim("str"))
    assert accepts(EVENT_FILTER, EVENT_FILTER)


# --- consecutive real releases -------------------------------------------------------------

RELEASES = ("seed-era", "12.0.0", "13.0.0", "16.0.0", "20.0.0", "22.0.0")
# (changes, breaking) between consecutive releases of ../shared/ari-specs.
EXPECTED_COUNTS = {
    ("seed-era", "12.0.0"): (63, 43),
    ("12.0.0", "13.0.0"): (18, 0),
    ("13.0.0", "16.0.0"): (34, 5),
    ("16.0.0", "20.0.0"): (9, 0),
    ("20.0.0", "22.0.0"): (2, 0),
}


@pytest.mark.parametrize(("old", "new"), list(EXPECTED_COUNTS))
def test_consecutive_releases(old: str, new: str, capsys: pytest.CaptureFixture[str]) -> None:
    found = compare_resources(load_real(old)[1], load_real(new)[1])
    breaking = [c for c in found if c.breaking]
    with capsys.disabled():
        kinds = dict(sorted(Counter(c.kind for c in found).items()))
        print(f"\n{old} -> {new}: {len(found)} changes, {len(breaking)} breaking {kinds}")
    assert (len(found), len(breaking)) == EXPECTED_COUNTS[old, new]


def test_13_to_16_in_detail() -> None:
    found = compare_resources(load_real("13.0.0")[1], load_real("16.0.0")[1])
    breaking = sorted((c.kind, c.where) for c in found if c.breaking)
    assert breaking == [
        ("method renamed", "bridges.createWithId"),  # was create_or_update_with_id
        ("parameter type changed", "bridges.play.media"),  # str -> List[str]
        ("parameter type changed", "bridges.playWithId.media"),
        ("parameter type changed", "channels.play.media"),
        ("parameter type changed", "channels.playWithId.media"),
    ]


def test_cassettes_18_to_master() -> None:
    found = compare_resources(load_real("cassette 18.26.4")[1], load_real("cassette master")[1])
    kinds = Counter(c.kind for c in found)
    assert kinds["operation added"] == 9
    assert not [c for c in found if c.kind == "operation removed"]
    variables = [c for c in found if c.field == "variables" and c.kind == "parameter type changed"]
    assert variables and all(not c.breaking for c in variables)  # values may now be objects
