"""The loader: every way of naming a spec, Swagger 1.1/1.2/1.3 input, strict JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.paths import ari_spec
from support.specs import declaration, listing, model, write_files

from ari_codegen.errors import SpecError
from ari_codegen.graph import Enum, ListOf, ModelRef, Prim, TypeGraph, build_graph
from ari_codegen.load import LoadOptions, Spec, load_spec

STRING = {"type": "string"}


def ids(spec: Spec) -> set[str]:
    return {m.id for d in spec.documents for m in d.models}


def files(spec: Spec) -> list[str]:
    return [Path(d.file).name for d in spec.documents]


def field_types(graph: TypeGraph, model_id: str) -> dict[str, object]:
    return {f.wire_name: f.type for f in graph.by_id[model_id].fields}


def field_required(graph: TypeGraph, model_id: str) -> dict[str, bool]:
    return {f.wire_name: f.required for f in graph.by_id[model_id].fields}


def problems_of(excinfo: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# --- where a spec comes from ------------------------------------------------------------


def test_single_declaration_file(tmp_path: Path) -> None:
    path = write_files(tmp_path, {"events.json": declaration({"A": model("A", {"x": STRING})})})
    spec = load_spec(path / "events.json")
    assert files(spec) == ["events.json"]
    assert ids(spec) == {"A"}
    assert spec.api_version == "1.0.0"


def test_folder_with_resources_json_reads_only_what_it_lists(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "resources.json": listing("/api-docs/a.{format}", "/api-docs/b", api_version="7.0.0"),
            "api-docs/a.json": declaration({"A": model("A")}),
            "api-docs/b.json": declaration({"B": model("B")}),
            # Not listed, and broken: the listing decides what is read.
            "api-docs/unlisted.json": "{ not json",
            "stray.json": "{ not json",
        },
    )
    spec = load_spec(tmp_path)
    assert files(spec) == ["a.json", "b.json"]  # {format} → json; a bare name gets .json
    assert ids(spec) == {"A", "B"}
    assert spec.api_version == "7.0.0"  # the listing's apiVersion
    # The same listing named directly gives the same spec.
    assert ids(load_spec(tmp_path / "resources.json")) == {"A", "B"}


def test_folder_without_listing_reads_every_json_and_api_docs(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "top.json": declaration({"Top": model("Top")}),
            "api-docs/inner.json": declaration({"Inner": model("Inner")}),
            "deeper/nested/ignored.json": "{ not json",  # only the two documented places
            "notes.txt": "not read either",
        },
    )
    spec = load_spec(tmp_path)
    assert sorted(files(spec)) == ["inner.json", "top.json"]
    assert ids(spec) == {"Top", "Inner"}


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"no resources\.json and no \*\.json"):
        load_spec(tmp_path)


def test_missing_spec_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file or folder"):
        load_spec(tmp_path / "nope.json")


def test_listing_path_leaving_the_spec_folder_is_an_error(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    write_files(
        tmp_path,
        {
            "outside.json": declaration({"Secret": model("Secret")}),
            "spec/resources.json": listing("/api-docs/ok.{format}", "/../outside.{format}"),
            "spec/api-docs/ok.json": declaration({"Ok": model("Ok")}),
        },
    )
    with pytest.raises(SpecError) as excinfo:
        load_spec(spec_dir)
    (problem,) = problems_of(excinfo)
    assert problem.startswith(str(spec_dir / "resources.json") + " › apis[1] › path: ")
    assert "leaves the spec's folder" in problem


def test_listing_path_through_a_symlink_out_of_the_folder_is_an_error(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "outside.json": declaration({"Secret": model("Secret")}),
            "spec/resources.json": listing("/api-docs/link.{format}"),
        },
    )
    (tmp_path / "spec" / "api-docs").mkdir()
    try:
        os.symlink(tmp_path / "outside.json", tmp_path / "spec" / "api-docs" / "link.json")
    except OSError:
        pytest.skip("symlinks are not available here")
    with pytest.raises(SpecError, match="leaves the spec's folder"):
        load_spec(tmp_path / "spec")


def test_listed_declaration_not_found_names_listing_and_path(tmp_path: Path) -> None:
    write_files(tmp_path, {"resources.json": listing("/api-docs/gone.{format}")})
    with pytest.raises(SpecError) as excinfo:
        load_spec(tmp_path)
    (problem,) = problems_of(excinfo)
    assert " › apis[0] › path: " in problem
    assert "'/api-docs/gone.{format}' not found" in problem


def test_one_namespace_across_files(tmp_path: Path) -> None:
    channel = model("Channel", {"id": {"type": "string", "required": True}})
    write_files(
        tmp_path,
        {
            "resources.json": listing("/api-docs/channels.{format}", "/api-docs/events.{format}"),
            "api-docs/channels.json": declaration({"Channel": channel}),
            "api-docs/events.json": declaration(
                {
                    "StasisStart": model(
                        "StasisStart",
                        {"channel": {"type": "Channel"}, "others": {"type": "List[Channel]"}},
                    ),
                    # the same model, written identically in a second file, is not a clash
                    "Channel": channel,
                }
            ),
        },
    )
    graph = build_graph(load_spec(tmp_path))
    assert field_types(graph, "StasisStart") == {
        "channel": ModelRef("Channel"),
        "others": ListOf(ModelRef("Channel")),
    }
    assert [m.id for m in graph.models].count("Channel") == 1


def test_one_model_defined_differently_in_two_files_is_an_error(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.json": declaration({"Thing": model("Thing", {"x": STRING})}),
            "b.json": declaration({"Thing": model("Thing", {"x": {"type": "int"}})}),
        },
    )
    with pytest.raises(SpecError) as excinfo:
        build_graph(load_spec(tmp_path))
    (problem,) = problems_of(excinfo)
    assert "model 'Thing' is defined differently in" in problem
    assert "a.json" in problem and "b.json" in problem


# --- Swagger versions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [("1.1", "1.1"), ("1.2", "1.2"), ("1.3", "1.3"), (1.1, "1.1"), (1.2, "1.2")],
)
def test_swagger_version_per_file(tmp_path: Path, written: object, read: str) -> None:
    write_files(
        tmp_path,
        {
            "old.json": declaration({"A": model("A")}, swagger_version="1.1"),
            "new.json": declaration({"B": model("B")}, swagger_version=written),
        },
    )
    spec = load_spec(tmp_path)
    versions = {Path(d.file).name: d.swagger_version for d in spec.documents}
    assert versions == {"old.json": "1.1", "new.json": read}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (declaration({}, swagger_version="2.0"), "unsupported swaggerVersion '2.0'"),
        ({"swagger": "2.0", "paths": {}}, "this is OpenAPI/Swagger 2.0"),
        ({"openapi": "3.0.1", "paths": {}}, "this is OpenAPI/Swagger 3.0.1"),
        ({"models": {}}, "no 'swaggerVersion'"),
        ([1, 2], "expected a JSON object at the top"),
    ],
)
def test_documents_that_are_not_swagger_1(tmp_path: Path, document: object, message: str) -> None:
    write_files(tmp_path, {"x.json": document})
    with pytest.raises(SpecError, match=message):
        load_spec(tmp_path / "x.json")


def test_swagger_1_1_isms(tmp_path: Path) -> None:
    """``List[X]``, ``allowableValues`` LIST / RANGE, per-property ``required``."""
    doc = declaration(
        {
            "Channel": model(
                "Channel",
                {
                    "id": {"type": "string", "required": True},
                    "state": {
                        "type": "string",
                        "required": True,
                        "allowableValues": {
                            "valueType": "LIST",
                            "values": ["Down", "Dialing Offhook", "Pre-ring"],
                        },
                    },
                    "args": {"type": "List[string]", "required": False},
                    "peers": {"type": "List[Channel]"},
                    "volume": {
                        "type": "int",
                        "allowableValues": {"valueType": "RANGE", "min": -10, "max": 10},
                    },
                    "created": {"type": "Date"},
                    "count": {"type": "long"},
                    "ratio": {"type": "double"},
                    "vars": {"type": "object"},
                },
            )
        },
        swagger_version="1.1",
    )
    write_files(tmp_path, {"channels.json": doc})
    graph = build_graph(load_spec(tmp_path / "channels.json"))
    assert field_types(graph, "Channel") == {
        "id": Prim("str"),
        "state": Enum(Prim("str"), ("Down", "Dialing Offhook", "Pre-ring")),
        "args": ListOf(Prim("str")),
        "peers": ListOf(ModelRef("Channel")),
        "volume": Prim("int"),  # a RANGE constrains values, it is not a Literal
        "created": Prim("datetime"),
        "count": Prim("int"),
        "ratio": Prim("float"),
        "vars": Prim("object"),
    }
    # required: true / false as written, and absent means false
    assert field_required(graph, "Channel") == {
        "id": True,
        "state": True,
        "args": False,
        "peers": False,
        "volume": False,
        "created": False,
        "count": False,
        "ratio": False,
        "vars": False,
    }


def test_swagger_1_2_forms(tmp_path: Path) -> None:
    """Model-level ``required``, ``$ref``, ``items``, ``enum``, ``format``, integer/number."""
    doc = declaration(
        {
            "Pet": model(
                "Pet",
                {
                    "id": {"type": "integer", "format": "int64"},
                    "name": {"type": "string"},
                    "weight": {"type": "number", "format": "float"},
                    "born": {"type": "string", "format": "date-time"},
                    "category": {"$ref": "Category"},
                    "tags": {"type": "array", "items": {"$ref": "Tag"}},
                    "nicknames": {"type": "array", "items": {"type": "string"}},
                    "status": {"type": "string", "enum": ["available", "sold out"]},
                    "level": {"type": "integer", "enum": [1, 2, 3]},
                    "colours": {
                        "type": "array",
                        "items": {"type": "string", "enum": ["red", "tan"]},
                    },
                },
                required=["id", "name", "category"],
            ),
            "Category": model("Category", {"name": STRING}),
            "Tag": model("Tag", {"name": STRING}),
        }
    )
    write_files(tmp_path, {"pet.json": doc})
    graph = build_graph(load_spec(tmp_path / "pet.json"))
    assert field_types(graph, "Pet") == {
        "id": Prim("int"),
        "name": Prim("str"),
        "weight": Prim("float"),
        "born": Prim("datetime"),
        "category": ModelRef("Category"),
        "tags": ListOf(ModelRef("Tag")),
        "nicknames": ListOf(Prim("str")),
        "status": Enum(Prim("str"), ("available", "sold out")),
        "level": Enum(Prim("int"), (1, 2, 3)),
        "colours": ListOf(Enum(Prim("str"), ("red", "tan"))),
    }
    required = {name for name, req in field_required(graph, "Pet").items() if req}
    assert required == {"id", "name", "category"}


# --- strict JSON ------------------------------------------------------------------------


def dup_doc(first: str, second: str) -> str:
    """A declaration whose ``Rec.properties`` repeats ``state`` (as Asterisk 12 did)."""
    return (
        '{"swaggerVersion": "1.2", "apiVersion": "1", "resourcePath": "/r", "apis": [],\n'
        ' "models": {"Rec": {"id": "Rec", "properties": {\n'
        f'   "state": {{"type": "{first}"}},\n'
        '   "name": {"type": "string"},\n'
        f'   "state": {{"type": "{second}"}}\n'
        "}}}}\n"
    )


def test_duplicate_keys_with_different_values_are_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"recordings.json": dup_doc("int", "string")})
    with pytest.raises(SpecError) as excinfo:
        load_spec(tmp_path / "recordings.json")
    (problem,) = problems_of(excinfo)
    assert problem.startswith(
        f"{tmp_path / 'recordings.json'} › models › Rec › properties › state: "
        "key 'state' appears twice"
    )


def test_duplicate_keys_last_keeps_the_last_value(tmp_path: Path) -> None:
    write_files(tmp_path, {"recordings.json": dup_doc("int", "string")})
    spec = load_spec(tmp_path / "recordings.json", LoadOptions(duplicate_keys="last"))
    graph = build_graph(spec)
    assert field_types(graph, "Rec") == {"state": Prim("str"), "name": Prim("str")}


def test_duplicate_keys_with_equal_values_are_accepted(tmp_path: Path) -> None:
    write_files(tmp_path, {"recordings.json": dup_doc("string", "string")})
    graph = build_graph(load_spec(tmp_path / "recordings.json"))
    assert field_types(graph, "Rec")["state"] == Prim("str")


def test_asterisk_12_recordings_duplicate_keys() -> None:
    folder = ari_spec("12.0.0")
    with pytest.raises(SpecError) as excinfo:
        load_spec(folder)
    found = problems_of(excinfo)
    assert found
    for problem in found:
        assert problem.startswith(
            str(folder / "api-docs" / "recordings.json")
            + " › models › LiveRecording › properties › "
        )
        assert "appears twice in one JSON object with different values" in problem
    # json.load's reading of the same file is what duplicate_keys="last" gives
    raw = json.loads((folder / "api-docs" / "recordings.json").read_text(encoding="utf-8"))
    graph = build_graph(load_spec(folder, LoadOptions(duplicate_keys="last")))
    live = graph.by_id["LiveRecording"]
    assert [f.wire_name for f in live.fields] == list(raw["models"]["LiveRecording"]["properties"])


def test_invalid_json_gives_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "swaggerVersion": "1.2",\n  "models": {,}\n}\n'
    write_files(tmp_path, {"bad.json": text})
    with pytest.raises(SpecError) as excinfo:
        load_spec(tmp_path / "bad.json")
    (problem,) = excinfo.value.problems
    assert (problem.loc.line, problem.loc.column) == (3, 14)
    assert str(problem).startswith(f"{tmp_path / 'bad.json'}:3:14: invalid JSON")


def test_invalid_json_in_a_listed_file_names_that_file(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "resources.json": listing("/api-docs/a.{format}"),
            "api-docs/a.json": '{"swaggerVersion": "1.2"\n  "models": {}}',
        },
    )
    with pytest.raises(SpecError) as excinfo:
        load_spec(tmp_path)
    (problem,) = problems_of(excinfo)
    assert problem.startswith(f"{(tmp_path / 'api-docs' / 'a.json').resolve()}:2:3: invalid JSON")


def test_every_problem_of_every_file_in_one_error(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.json": declaration(
                {
                    "A": model("A", {"x": {"required": "yes", "type": "string"}}),
                    "B": {"id": "NotB", "properties": {}},
                }
            ),
            "b.json": declaration({"C": model("C", {"y": {"description": "no type"}})}),
        },
    )
    with pytest.raises(SpecError) as excinfo:
        load_spec(tmp_path)
    found = problems_of(excinfo)
    assert len(found) == 3
    assert any(
        "a.json › models › A › properties › x › required: expected true or false" in p
        for p in found
    )
    assert any(
        "a.json › models › B › id: model id 'NotB' differs from its key 'B'" in p for p in found
    )
    assert any("b.json › models › C › properties › y: property has neither" in p for p in found)
