"""The type graph: inheritance from extends/subTypes, discriminators, errors, immutability."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from support.paths import ari_spec
from support.specs import declaration, model, write_files, write_spec

from ari_codegen.errors import SpecError
from ari_codegen.graph import Enum, Prim, TypeGraph, build_graph
from ari_codegen.load import load_spec

STRING = {"type": "string"}
TYPE = {"type": "string", "required": True}


def graph_of(tmp_path: Path, models: dict[str, Any], name: str = "events.json") -> TypeGraph:
    write_files(tmp_path, {name: declaration(models)})
    return build_graph(load_spec(tmp_path / name))


def errors_of(tmp_path: Path, models: dict[str, Any], name: str = "events.json") -> list[str]:
    with pytest.raises(SpecError) as excinfo:
        graph_of(tmp_path, models, name)
    return [str(p) for p in excinfo.value.problems]


def hierarchy(style: str) -> dict[str, Any]:
    """Message ← Event ← {StasisStart, StasisEnd}, declared child-side, parent-side or both."""
    child = style in ("extends", "both")
    parent = style in ("subTypes", "both")

    def m(mid: str, props: dict[str, Any], base: str | None, subs: list[str] | None) -> Any:
        extra: dict[str, Any] = {}
        if child and base:
            extra["extends"] = base
        if parent and subs:
            extra["subTypes"] = subs
        return model(mid, props, **extra)

    return {
        "Message": {
            **m("Message", {"type": TYPE, "asterisk_id": STRING}, None, ["Event"]),
            "discriminator": "type",
        },
        "Event": m("Event", {"application": TYPE}, "Message", ["StasisStart", "StasisEnd"]),
        "StasisStart": m(
            "StasisStart", {"args": {"type": "List[string]", "required": True}}, "Event", None
        ),
        "StasisEnd": m("StasisEnd", {}, "Event", None),
    }


@pytest.mark.parametrize("style", ["extends", "subTypes", "both"])
def test_extends_and_subtypes_build_the_same_inheritance(tmp_path: Path, style: str) -> None:
    graph = graph_of(tmp_path, hierarchy(style))
    assert graph.by_id["StasisStart"].base == "Event"
    assert graph.by_id["Event"].base == "Message"
    assert graph.by_id["Message"].base is None
    assert graph.by_id["Event"].sub_types == ("StasisEnd", "StasisStart")
    assert graph.ancestors("StasisStart") == ("Event", "Message")
    assert set(graph.descendants("Message")) == {"Event", "StasisStart", "StasisEnd"}
    # inherited fields first, in declaration order
    assert [f.wire_name for f in graph.by_id["StasisStart"].fields] == [
        "type",
        "asterisk_id",
        "application",
        "args",
    ]
    assert [f.declared_in for f in graph.by_id["StasisStart"].fields] == [
        "Message",
        "Message",
        "Event",
        "StasisStart",
    ]
    # bases come before their subclasses
    order = [m.id for m in graph.models]
    assert order.index("Message") < order.index("Event") < order.index("StasisStart")


def test_extends_disagreeing_with_subtypes_is_an_error(tmp_path: Path) -> None:
    models = hierarchy("both")
    models["Other"] = model("Other")
    models["StasisEnd"]["extends"] = "Other"  # Event's subTypes say Event
    (problem,) = errors_of(tmp_path, models)
    assert "events.json › models › StasisEnd › extends: extends 'Other'" in problem
    assert "'Event' lists 'StasisEnd' in its subTypes" in problem


def test_extends_a_parent_whose_subtypes_omit_the_child_is_an_error(tmp_path: Path) -> None:
    models = hierarchy("both")
    models["Extra"] = model("Extra", extends="Event")
    (problem,) = errors_of(tmp_path, models)
    assert "events.json › models › Extra › extends: extends 'Event'" in problem
    assert "do not list 'Extra'" in problem


def test_a_model_listed_by_two_parents_is_an_error(tmp_path: Path) -> None:
    models = {"A": model("A", subTypes=["C"]), "B": model("B", subTypes=["C"]), "C": model("C")}
    (problem,) = errors_of(tmp_path, models)
    assert (
        "events.json › models › B › subTypes[0]: model 'C' is already a subtype of 'A'" in problem
    )


def test_discriminator_is_inherited_and_its_value_is_the_model_id(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, hierarchy("subTypes"))
    for mid in ("Message", "Event", "StasisStart", "StasisEnd"):
        assert graph.by_id[mid].discriminator == "type"
    for leaf in ("StasisStart", "StasisEnd"):
        tag = next(f for f in graph.by_id[leaf].fields if f.wire_name == "type")
        assert tag.is_tag and tag.required
        assert tag.type == Enum(Prim("str"), (leaf,))
        assert graph.by_id[leaf].tag_value == leaf
    # a base keeps the plain string: any subtype's tag fits it
    base_tag = next(f for f in graph.by_id["Event"].fields if f.wire_name == "type")
    assert base_tag.type == Prim("str") and not base_tag.is_tag
    (union_event, union_message) = sorted(graph.unions, key=lambda u: u.base)
    assert (union_event.base, union_event.py_name) == ("Event", "AnyEvent")
    assert union_event.members == ("StasisEnd", "StasisStart")
    assert (union_message.base, union_message.py_name) == ("Message", "AnyMessage")
    assert union_message.members == ("StasisEnd", "StasisStart")


def test_ari_discriminator_reaches_every_event() -> None:
    graph = build_graph(load_spec(ari_spec("22.0.0")))
    events = graph.descendants("Message")
    assert "StasisStart" in events and "ChannelDestroyed" in events
    for mid in events:
        m = graph.by_id[mid]
        assert m.discriminator == "type"
        if m.is_leaf:
            assert m.tag_value == mid
    assert graph.by_id["StasisStart"].base == "Event"


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        (
            {"A": model("A", extends="B"), "B": model("B", extends="A")},
            "events.json › models › A › extends: inheritance cycle: A → B → A",
        ),
        (
            {"A": model("A", subTypes=["B"]), "B": model("B", subTypes=["A"])},
            "inheritance cycle: A → B → A",
        ),
        ({"A": model("A", extends="A")}, "events.json › models › A › extends: inheritance cycle"),
        ({"A": model("A", subTypes=["A"])}, "lists itself as its subtype"),
    ],
)
def test_inheritance_cycles_are_errors(
    tmp_path: Path, models: dict[str, Any], expected: str
) -> None:
    found = errors_of(tmp_path, models)
    assert len(found) == 1
    assert expected in found[0]


def test_unknown_subtype_names_file_and_json_path(tmp_path: Path) -> None:
    models = {
        "Message": model(
            "Message", {"type": TYPE}, discriminator="type", subTypes=["A", "B", "C", "Ghost"]
        ),
        "A": model("A"),
        "B": model("B"),
        "C": model("C"),
    }
    (problem,) = errors_of(tmp_path, models)
    assert problem.endswith("events.json › models › Message › subTypes[3]: unknown model 'Ghost'")
    assert problem == f"{tmp_path / 'events.json'} › models › Message › subTypes[3]: " + (
        "unknown model 'Ghost'"
    )


def test_dangling_references_and_unknown_types_are_all_reported(tmp_path: Path) -> None:
    models = {
        "A": model(
            "A",
            {
                "ref": {"$ref": "Nope"},
                "items": {"type": "array", "items": {"$ref": "Nope2"}},
                "named": {"type": "Frob"},
                "listed": {"type": "List[Frob2]"},
                "noitems": {"type": "array"},
                "ok": STRING,
            },
        ),
        "B": model("B", {"c": {"type": "C"}}),
    }
    found = errors_of(tmp_path, models)
    prefix = f"{tmp_path / 'events.json'} › models › "
    assert sorted(found) == sorted(
        [
            prefix + "A › properties › ref › $ref: unknown model 'Nope'",
            prefix + "A › properties › items › items › $ref: unknown model 'Nope2'",
            prefix + "A › properties › named › type: unknown type 'Frob': "
            "neither a Swagger type nor a model of this spec",
            prefix + "A › properties › listed › type: unknown type 'Frob2': "
            "neither a Swagger type nor a model of this spec",
            prefix + "A › properties › noitems › type: array type without 'items'",
            prefix + "B › properties › c › type: unknown type 'C': "
            "neither a Swagger type nor a model of this spec",
        ]
    )


def test_extending_an_unknown_model_is_an_error(tmp_path: Path) -> None:
    (problem,) = errors_of(tmp_path, {"B": model("B", extends="Gone")})
    assert problem == f"{tmp_path / 'events.json'} › models › B › extends: unknown model 'Gone'"


def test_discriminator_naming_no_property_is_an_error(tmp_path: Path) -> None:
    models = {"A": model("A", {"x": STRING}, discriminator="kind", subTypes=["B"]), "B": model("B")}
    (problem,) = errors_of(tmp_path, models)
    assert "events.json › models › A › discriminator: discriminator 'kind' names no property" in (
        problem
    )


def test_non_string_discriminator_is_reported_once_where_it_is_declared(tmp_path: Path) -> None:
    models = {
        "A": model("A", {"kind": {"type": "int"}}, discriminator="kind", subTypes=["B"]),
        "B": model("B"),
    }
    found = errors_of(tmp_path, models)
    assert found == [
        f"{tmp_path / 'events.json'} › models › A › discriminator: "
        "discriminator 'kind' must be a string property"
    ]


def test_redeclaring_an_inherited_property_with_another_type_is_an_error(tmp_path: Path) -> None:
    models = {
        "A": model("A", {"x": STRING}, subTypes=["B"]),
        "B": model("B", {"x": {"type": "int"}}),
    }
    (problem,) = errors_of(tmp_path, models)
    assert "models › B › properties › x › type: redeclares 'x' inherited from 'A'" in problem


def test_graph_is_immutable(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, hierarchy("both"))
    start = graph.by_id["StasisStart"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        graph.label = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        start.base = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        start.fields[0].required = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        graph.by_id["Ghost"] = start  # type: ignore[index]
    with pytest.raises(TypeError):
        del graph.by_id["StasisStart"]  # type: ignore[attr-defined]
    for value in (graph.models, graph.unions, start.fields, start.own_fields, start.sub_types):
        assert isinstance(value, tuple)
    for m in graph.models:
        assert dataclasses.is_dataclass(m) and type(m).__dataclass_params__.frozen  # type: ignore[attr-defined]
        for f in m.fields:
            assert type(f).__dataclass_params__.frozen  # type: ignore[attr-defined]
    # building the same spec again gives an equal graph
    assert graph_of(tmp_path, hierarchy("both")) == graph


def test_an_empty_enum_is_ignored_with_a_warning(tmp_path: Path) -> None:
    """Found by tests/test_fuzz.py: ``"enum": []`` once printed ``Literal[]``."""
    models = {"A": model("A", {"kind": {"type": "string", "enum": []}})}
    graph = build_graph(load_spec(write_spec(tmp_path / "empty-enum", models)))
    (field,) = graph.by_id["A"].fields
    assert field.type == Prim("str")
    assert any("enum lists no values" in w for w in graph.warnings)
