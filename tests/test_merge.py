"""Merging several specs (Asterisk releases, oldest first) into one model set.

The rules (ari_codegen/graph/merge.py): models and fields are the union; a field is required
only when every spec that has the model has the field and requires it; enum values are
the union; a changed type becomes a union (int/float: float); a changed base or
discriminator is an error; models and fields say in which versions they exist.

Hand-made specs prove each rule; then one package generated from every spec in
``../shared/ari-specs`` must decode every complete real payload losslessly.
"""

from __future__ import annotations

import inspect
import json
import re
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from support.cli import cli
from support.packages import generate_merged, import_package
from support.paths import ARI_SPECS, ari_spec, require_shared
from support.specs import enum, model, prop, write_spec
from support.tools import assert_mypy_clean

from ari_codegen.errors import SpecError
from ari_codegen.graph import Enum, ListOf, ModelRef, Prim, TypeGraph, UnionOf, merge_types
from ari_codegen.load import LoadOptions
from ari_codegen.pipeline import load_graph
from ari_codegen.render import RenderOptions, render

# Two releases of a made-up API.  Each Thing field exercises one rule.
OLD_MODELS = {
    "Thing": model(
        "Thing",
        {
            "id": prop("string", description="The id."),
            "name": prop("string"),  # required, then optional -> optional
            "gone_later": prop("string", description="Only in old."),  # missing in new
            "opt_both": prop("string", False),
            "state": enum("a", "b"),  # enum values: union
            "ratio": prop("int"),  # int -> double: float
            "mixed": prop("string"),  # string -> int: str | int
            "items": prop("List[Item]"),  # List[Item] -> object: union
        },
        description="A thing.",
    ),
    "Item": model("Item", {"key": prop("string"), "value": prop("string")}),
    "OldOnly": model("OldOnly", {"x": prop("string")}),
}
NEW_MODELS = {
    "Thing": model(
        "Thing",
        {
            "id": prop("string", description="The id."),
            "name": prop("string", False),
            "added_later": prop("string", description="Only in new."),  # missing in old
            "opt_both": prop("string", False),
            "state": enum("b", "c"),
            "ratio": prop("double"),
            "mixed": prop("int"),
            "items": prop("object"),
        },
        description="A thing, newer.",
    ),
    "NewOnly": model("NewOnly", {"y": prop("string"), "z": prop("string", False)}),
}
OLD_LABEL, NEW_LABEL = "old", "new"  # given as LABEL=SPEC


@pytest.fixture(scope="module")
def made_specs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    root = tmp_path_factory.mktemp("merge-specs")
    old = write_spec(root / "old", OLD_MODELS, api_version="1.0.0")
    new = write_spec(root / "new", NEW_MODELS, api_version="2.0.0")
    return f"{OLD_LABEL}={old}", f"{NEW_LABEL}={new}"


@pytest.fixture(scope="module")
def made_graph(made_specs: tuple[str, str]) -> TypeGraph:
    return load_graph(made_specs, LoadOptions())


@pytest.fixture(scope="module")
def made_pkg(made_specs: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("merge-pkg")
    return import_package(generate_merged(made_specs, "dataclasses", out, "merge_made_dc"))


def fields_of(graph: TypeGraph, model_id: str) -> dict[str, Any]:
    return {f.wire_name: f for f in graph.by_id[model_id].fields}


# --- the rules, on the type graph ----------------------------------------------------


def test_models_are_the_union(made_graph: TypeGraph) -> None:
    assert set(made_graph.by_id) == {"Thing", "Item", "OldOnly", "NewOnly"}
    assert made_graph.versions == (OLD_LABEL, NEW_LABEL)
    assert made_graph.by_id["Thing"].versions == (OLD_LABEL, NEW_LABEL)
    assert made_graph.by_id["OldOnly"].versions == (OLD_LABEL,)
    assert made_graph.by_id["Item"].versions == (OLD_LABEL,)
    assert made_graph.by_id["NewOnly"].versions == (NEW_LABEL,)


def test_fields_are_the_union(made_graph: TypeGraph) -> None:
    thing = fields_of(made_graph, "Thing")
    assert set(thing) == {
        "id",
        "name",
        "gone_later",
        "added_later",
        "opt_both",
        "state",
        "ratio",
        "mixed",
        "items",
    }
    assert thing["gone_later"].versions == (OLD_LABEL,)
    assert thing["added_later"].versions == (NEW_LABEL,)
    assert thing["id"].versions == (OLD_LABEL, NEW_LABEL)
    # The newest spec's description wins.
    assert made_graph.by_id["Thing"].description == "A thing, newer."


@pytest.mark.parametrize(
    ("field", "required"),
    [
        ("id", True),  # required in both
        ("name", False),  # required, then optional
        ("gone_later", False),  # required, then missing: old payloads have it, new lack it
        ("added_later", False),  # missing, then required: old payloads lack it
        ("opt_both", False),
        ("items", True),  # type changed but required in both
    ],
)
def test_required_only_when_every_spec_with_the_model_requires_it(
    made_graph: TypeGraph, field: str, required: bool
) -> None:
    assert fields_of(made_graph, "Thing")[field].required is required


def test_a_model_only_some_specs_have_keeps_its_required_fields(made_graph: TypeGraph) -> None:
    """Specs without the model do not make its fields optional."""
    new_only = fields_of(made_graph, "NewOnly")
    assert new_only["y"].required is True
    assert new_only["z"].required is False
    assert fields_of(made_graph, "OldOnly")["x"].required is True


def test_required_rule_over_three_specs(tmp_path: Path) -> None:
    thing = {"id": prop("string"), "sometimes": prop("string")}
    without = {"id": prop("string")}
    later = model("Later", {"k": prop("string")})
    specs = [
        write_spec(tmp_path / "v1", {"Thing": model("Thing", thing)}, api_version="1"),
        write_spec(
            tmp_path / "v2", {"Thing": model("Thing", without), "Later": later}, api_version="2"
        ),
        write_spec(
            tmp_path / "v3", {"Thing": model("Thing", thing), "Later": later}, api_version="3"
        ),
    ]
    graph = load_graph([str(s) for s in specs], LoadOptions())
    fields = fields_of(graph, "Thing")
    assert fields["id"].required is True
    assert fields["sometimes"].required is False  # v2 lacks it, even if v1 and v3 require it
    # no release in the folder names: each spec is named by its path as given
    assert fields["sometimes"].versions == (str(specs[0]), str(specs[2]))
    assert fields_of(graph, "Later")["k"].required is True  # v1 has no Later at all
    assert graph.by_id["Later"].versions == (str(specs[1]), str(specs[2]))


def test_enum_values_are_the_union(made_graph: TypeGraph) -> None:
    assert fields_of(made_graph, "Thing")["state"].type == Enum(Prim("str"), ("a", "b", "c"))


def test_changed_types(made_graph: TypeGraph) -> None:
    thing = fields_of(made_graph, "Thing")
    assert thing["ratio"].type == Prim("float")
    assert thing["mixed"].type == UnionOf((Prim("str"), Prim("int")))
    assert thing["items"].type == UnionOf((ListOf(ModelRef("Item")), Prim("object")))


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        (Prim("int"), Prim("float"), Prim("float")),
        (Prim("float"), Prim("int"), Prim("float")),
        (Enum(Prim("str"), ("x",)), Prim("str"), Prim("str")),
        (Prim("str"), Enum(Prim("str"), ("x",)), Prim("str")),
        (ListOf(Prim("int")), ListOf(Prim("float")), ListOf(Prim("float"))),
        (Prim("str"), Prim("bool"), UnionOf((Prim("str"), Prim("bool")))),
        # A third version adds to the union, and what it repeats is not repeated.
        (
            UnionOf((Prim("str"), Prim("int"))),
            Prim("float"),
            UnionOf((Prim("str"), Prim("float"))),
        ),
        (UnionOf((Prim("str"), Prim("int"))), Prim("str"), UnionOf((Prim("str"), Prim("int")))),
    ],
)
def test_merge_types(a: Any, b: Any, merged: Any) -> None:
    assert merge_types(a, b) == merged


# --- the rules, in the generated dataclasses ---------------------------------------


def test_generated_annotations(made_pkg: Any) -> None:
    hints = typing.get_type_hints(made_pkg.Thing)
    assert hints["items"] == list[made_pkg.Item] | dict[str, Any]
    assert hints["mixed"] == str | int
    assert hints["ratio"] is float
    assert hints["state"] == Literal["a", "b", "c"]
    assert hints["id"] is str
    for optional in ("name", "gone_later", "added_later", "opt_both"):
        assert hints[optional] == str | None, optional
    assert typing.get_type_hints(made_pkg.NewOnly)["y"] is str


def _thing(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "t1",
        "state": "a",
        "ratio": 2,
        "mixed": "text",
        "items": [{"key": "k", "value": "v"}],
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    "payload",
    [
        # As the old release sends it ...
        _thing(name="n", gone_later="g"),
        # ... and as the new one does.
        _thing(name="n", added_later="a", state="c", ratio=2.5, mixed=7, items={"k": "v", "n": 1}),
        _thing(items=[]),
        _thing(items={}),
    ],
)
def test_decoding_accepts_every_versions_shape(made_pkg: Any, payload: dict[str, Any]) -> None:
    thing = made_pkg.Thing.from_dict(payload)
    assert thing.to_dict() == payload
    assert made_pkg.Thing.from_json(json.dumps(payload)).to_dict() == payload


def test_union_decodes_each_shape_to_its_type(made_pkg: Any) -> None:
    as_list = made_pkg.Thing.from_dict(_thing())
    assert isinstance(as_list.items, list)
    assert as_list.items == [made_pkg.Item(key="k", value="v")]
    as_dict = made_pkg.Thing.from_dict(_thing(items={"k": "v"}))
    assert as_dict.items == {"k": "v"}
    assert made_pkg.Thing.from_dict(_thing(mixed=3)).mixed == 3


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"items": "a string"}, "Thing.items"),
        ({"items": [{"key": "k"}]}, "Thing.items"),  # a list, but not of Items
        ({"mixed": 1.5}, "Thing.mixed"),
        ({"mixed": True}, "Thing.mixed"),
        ({"ratio": "2"}, "Thing.ratio"),
    ],
)
def test_union_still_rejects_other_shapes(
    made_pkg: Any, changes: dict[str, Any], where: str
) -> None:
    with pytest.raises(made_pkg.DecodeError) as info:
        made_pkg.Thing.from_dict(_thing(**changes))
    assert str(info.value).startswith(where)


def test_missing_required_field_is_still_an_error(made_pkg: Any) -> None:
    payload = _thing()
    del payload["id"]
    with pytest.raises(made_pkg.DecodeError, match="missing required field"):
        made_pkg.Thing.from_dict(payload)


def test_docstrings_say_in_which_versions(made_pkg: Any) -> None:
    assert made_pkg.Thing.__doc__.rstrip().endswith(f"In: {OLD_LABEL}, {NEW_LABEL}.")
    assert made_pkg.OldOnly.__doc__.rstrip().endswith(f"In: {OLD_LABEL}.")
    assert made_pkg.NewOnly.__doc__.rstrip().endswith(f"In: {NEW_LABEL}.")
    source = inspect.getsource(made_pkg.Thing)

    def field_doc(name: str) -> str:
        match = re.search(rf'^    {name}: [^\n]*\n    """(.*?)"""', source, re.M | re.S)
        assert match, f"no docstring after field {name} in:\n{source}"
        return inspect.cleandoc(match.group(1))

    assert field_doc("gone_later") == f"Only in old.\n\nIn: {OLD_LABEL}."
    assert field_doc("added_later") == f"Only in new.\n\nIn: {NEW_LABEL}."
    # A field every version of the model has does not repeat the model's versions.
    assert field_doc("id") == "The id."


def test_typeddict_and_stubs_spell_the_union(made_specs: tuple[str, str], tmp_path: Path) -> None:
    for style, file in (("typeddict", "models.py"), ("stubs", "models.pyi")):
        folder = generate_merged(made_specs, style, tmp_path / style, "merge_made_other")
        text = (folder / file).read_text(encoding="utf-8")
        assert "list[Item] | dict[str, Any]" in text, style
        assert f"In: {NEW_LABEL}." in text, style


# --- what cannot be merged ------------------------------------------------------------


def _hierarchy(base_of_child: str, discriminator: str = "type") -> dict[str, Any]:
    """Child extends ``base_of_child`` (A or B), both discriminated roots."""
    models = {
        name: model(
            name,
            {"type": prop("string"), "kind": prop("string")},
            discriminator=discriminator,
            subTypes=["Child"] if name == base_of_child else [],
        )
        for name in ("A", "B")
    }
    models["Child"] = model("Child", {"c": prop("string")}, extends=base_of_child)
    return models


def test_changed_base_is_an_error(tmp_path: Path) -> None:
    old = write_spec(tmp_path / "old", _hierarchy("A"), api_version="1.0.0")
    new = write_spec(tmp_path / "new", _hierarchy("B"), api_version="2.0.0")
    with pytest.raises(SpecError) as info:
        load_graph((f"{OLD_LABEL}={old}", f"{NEW_LABEL}={new}"), LoadOptions())
    message = str(info.value)
    assert "base model of 'Child' changed" in message
    assert f"'A' in {OLD_LABEL}" in message and f"'B' in {NEW_LABEL}" in message

    out = tmp_path / "out"
    result = cli("generate", old, new, "--out", out, "--package", "never_written")
    assert result.exit_code == 2
    assert "base model of 'Child' changed" in result.stderr
    assert not out.exists()


def test_changed_discriminator_is_an_error(tmp_path: Path) -> None:
    old = write_spec(tmp_path / "old", _hierarchy("A", "type"), api_version="1.0.0")
    new = write_spec(tmp_path / "new", _hierarchy("A", "kind"), api_version="2.0.0")
    with pytest.raises(SpecError, match="discriminator of 'A' changed"):
        load_graph((str(old), str(new)), LoadOptions())


def test_same_label_twice_is_told_apart(tmp_path: Path) -> None:
    a = write_spec(tmp_path / "a" / "api", {"M": model("M", {"x": prop("string")})})
    b = write_spec(tmp_path / "b" / "api", {"M": model("M", {"y": prop("string")})})
    graph = load_graph((f"prod={a}", f"prod={b}"), LoadOptions())
    assert graph.by_id["M"].versions == ("prod #1", "prod #2")
    assert fields_of(graph, "M")["y"].versions == ("prod #2",)


# --- every real spec, merged -----------------------------------------------------------

PAYLOADS_PARTS = ("ari-payloads",)


def _complete_payloads() -> list[Path]:
    folder = require_shared(*PAYLOADS_PARTS)
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\d{3}_\w+\.json)` \| (\w+) \|", sources, re.M)
    kinds = dict(rows)
    files = sorted(folder.glob("*.json"))
    assert {f.name for f in files} == set(kinds), "SOURCES.md and the payload files disagree"
    assert set(kinds.values()) == {"full", "PARTIAL"}
    return [f for f in files if kinds[f.name] == "full"]


@pytest.fixture(scope="module")
def all_specs() -> list[Path]:
    return [ari_spec(v) for v in ARI_SPECS]


@pytest.fixture(scope="module")
def real_pkg_dir(all_specs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("merge-real")
    result = cli(
        "generate",
        *all_specs,
        "--style",
        "dataclasses",
        "--out",
        out,
        "--package",
        "merged_all_ari",
        "--duplicate-keys",
        "last",
    )
    assert result.exit_code == 0, result.stderr
    return out / "merged_all_ari"


@pytest.fixture(scope="module")
def real_pkg(real_pkg_dir: Path) -> Any:
    return import_package(real_pkg_dir)


def test_real_header_names_every_version(real_pkg_dir: Path) -> None:
    header = (real_pkg_dir / "models.py").read_text(encoding="utf-8").splitlines()[0]
    # a folder named like a release names the spec by it; seed-era by its path as given
    seed = str(ari_spec("seed-era"))
    assert header.startswith("# Code generated by ari-codegen ")
    assert (
        f" from {seed} (ARI 0.0.1) + Asterisk 12.0.0 (ARI 1.0.0) + Asterisk 13.0.0 (ARI 1.5.0)"
        " + Asterisk 16.0.0 (ARI 4.0.0) + Asterisk 20.0.0 (ARI 8.0.0)"
        " + Asterisk 22.0.0 (ARI 10.0.0). DO NOT EDIT."
    ) in header


def _decode(pkg: Any, name: str, data: Any) -> Any:
    """``NNN_<Model>.json``: events dispatch from Message, ``<Model>List`` is a list."""
    if name.endswith("List"):
        item = pkg.MODELS[name.removesuffix("List")]
        assert isinstance(data, list)
        return [item.from_dict(x) for x in data]
    cls = pkg.MODELS.get(name)
    if cls is None or issubclass(cls, pkg.Message):
        return pkg.Message.from_dict(data)
    return cls.from_dict(data)


def _encode(value: Any) -> Any:
    return [v.to_dict() for v in value] if isinstance(value, list) else value.to_dict()


def test_real_payloads_round_trip_losslessly(real_pkg: Any) -> None:
    payloads = _complete_payloads()
    assert len(payloads) == 54
    failures = []
    for path in payloads:
        name = path.stem.split("_", 1)[1]
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            decoded = _decode(real_pkg, name, data)
        except real_pkg.DecodeError as exc:
            failures.append(f"{path.name}: {exc}")
            continue
        if _encode(decoded) != data:
            failures.append(f"{path.name}: to_dict(from_dict(d)) != d")
        if name in real_pkg.MODELS:
            # The event dispatched to its own class, not to a base.
            assert type(decoded).__name__ == name, path.name
    assert not failures, "\n".join(failures)


def test_real_unknown_event_keeps_its_fields(real_pkg: Any) -> None:
    path = require_shared("ari-payloads", "010_CallBroadcast.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "CallBroadcast" not in real_pkg.MODELS
    event = real_pkg.Message.from_dict(data)
    assert type(event) is real_pkg.Event
    assert event.type == "CallBroadcast"
    assert set(real_pkg.extra_fields(event)) == set(data) - {
        "type",
        "application",
        "timestamp",
        "asterisk_id",
    }
    assert real_pkg.extra_fields(event)["channel"] == data["channel"]
    assert event.to_dict() == data


def test_real_text_message_variables_is_a_union(real_pkg: Any, real_pkg_dir: Path) -> None:
    hints = typing.get_type_hints(real_pkg.TextMessage)
    assert hints["variables"] == list[real_pkg.TextMessageVariable] | dict[str, Any] | None
    base = {"from": "pjsip:alice", "to": "pjsip:bob", "body": "hi"}
    old_shape = {**base, "variables": [{"key": "X-Foo", "value": "1"}]}
    new_shape = {**base, "variables": {"X-Foo": "1"}}
    for payload in (base, old_shape, new_shape):
        assert real_pkg.TextMessage.from_dict(payload).to_dict() == payload
    assert real_pkg.TextMessage.from_dict(old_shape).variables == [
        real_pkg.TextMessageVariable(key="X-Foo", value="1")
    ]
    # The model that 20.0.0 dropped is still there, and says where it exists.
    doc = real_pkg.TextMessageVariable.__doc__.rstrip()
    assert doc.endswith("In: Asterisk 13.0.0, Asterisk 16.0.0.")


def test_real_requiredness_follows_the_oldest_specs() -> None:
    specs = [str(ari_spec(v)) for v in ARI_SPECS]
    options = LoadOptions(duplicate_keys="last")
    newest = load_graph(specs[-1:], options)
    merged = load_graph(specs, options)
    for model_id, field in (("Event", "timestamp"), ("Channel", "protocol_id")):
        assert fields_of(newest, model_id)[field].required is True
        assert fields_of(merged, model_id)[field].required is False, f"{model_id}.{field}"
    protocol_id = fields_of(merged, "Channel")["protocol_id"]
    assert protocol_id.versions == ("Asterisk 20.0.0", "Asterisk 22.0.0")
    assert fields_of(merged, "Channel")["id"].required is True


TYPED_USE = """\
from typing import Any

from merged_all_ari import AnyEvent, Message, TextMessage, TextMessageVariable


def variable_names(message: TextMessage) -> list[str]:
    variables = message.variables
    if variables is None:
        return []
    if isinstance(variables, dict):
        return list(variables)
    return [v.key for v in variables]


def describe(data: dict[str, Any]) -> str:
    event = Message.from_dict(data)
    return event.type


def build() -> TextMessage:
    return TextMessage(
        from_="a", to="b", body="c", variables=[TextMessageVariable(key="k", value="v")]
    )


def events(e: AnyEvent) -> str:
    return type(e).__name__
"""


def test_real_package_passes_mypy_strict(real_pkg_dir: Path, tmp_path: Path) -> None:
    root = real_pkg_dir.parent
    (root / "use_merged.py").write_text(TYPED_USE, encoding="utf-8")
    assert_mypy_clean(root, ["merged_all_ari", "use_merged.py"], scratch=tmp_path / "mypy")


def test_every_shared_spec_is_named_by_its_release() -> None:
    """Release specs and the specs live servers served, merged: each is named by the
    Asterisk release its folder is named after (master by the label given with it)."""
    releases = [
        ari_spec("12.0.0"),
        ari_spec("16.0.0"),
        require_shared("ari-cassettes", "18.26.4", "spec"),
        ari_spec("20.0.0"),
        require_shared("ari-cassettes", "20.20.1", "spec"),
        ari_spec("22.0.0"),
        require_shared("ari-cassettes", "22.11.0-rc1", "spec"),
    ]
    master = require_shared("ari-cassettes", "master", "spec")
    specs = [str(ari_spec("seed-era")), *map(str, releases), f"Asterisk master={master}"]
    graph = load_graph(specs, LoadOptions(duplicate_keys="last"))
    names = [
        "Asterisk 12.0.0",
        "Asterisk 16.0.0",
        "Asterisk 18.26.4",
        "Asterisk 20.0.0",
        "Asterisk 20.20.1",
        "Asterisk 22.0.0",
        "Asterisk 22.11.0-rc1",
        "Asterisk master",
    ]
    assert graph.versions == (str(ari_spec("seed-era")), *names)
    assert graph.by_id["Channel"].versions == graph.versions
    assert fields_of(graph, "Channel")["protocol_id"].versions[:2] == (
        "Asterisk 18.26.4",
        "Asterisk 20.0.0",
    )
    # 20.x keeps ARI 8.0.0 while gaining models: the release tells them apart
    assert "Asterisk 20.0.0 (ARI 8.0.0) + Asterisk 20.20.1 (ARI 8.0.0)" in graph.title
    text = render(graph, RenderOptions(style="typeddict"))["models.py"]
    assert text.splitlines()[0].endswith(
        " + Asterisk 22.11.0-rc1 (ARI 10.0.0) + Asterisk master (ARI 12.0.0). DO NOT EDIT."
    )
    assert "    In: Asterisk 18.26.4, Asterisk 20.0.0, Asterisk 20.20.1, Asterisk 22.0.0," in text
    result = cli("diff", releases[3], releases[4])
    assert result.stdout.startswith("Asterisk 20.0.0 (ARI 8.0.0) → Asterisk 20.20.1 (ARI 8.0.0): ")
