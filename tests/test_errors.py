"""Untrusted specs, broken every way: exit 2, one readable line per problem, no traceback.

Every test runs the real command line (in-process through click, and for a few kinds as
``python -m ari_codegen`` to prove that no traceback reaches the user) and checks:

* the exit code is 2;
* stderr holds one ``error: <where>: <message>`` line per problem, naming
  the file, the JSON path (``file:line:column`` for invalid JSON) and the culprit;
* no ``Traceback`` anywhere;
* nothing was written (the output folder does not even exist).

One run reports every problem of a layer at once: every file's JSON and shape problems
(load), then every inheritance and type problem (declare), then every naming and field
problem (assemble).  A later layer runs only on input that the earlier one accepted, so
that it never reports a follow-on of something already reported (a model dropped for a
bad ``id`` would otherwise show up again as an "unknown model" wherever it is used).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support.cli import cli
from support.specs import declaration, listing, model, spec_file, write_files

STRING = {"type": "string"}
INT = {"type": "int"}
TYPE = {"type": "string", "required": True}
EXIT_ERROR = 2


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def errors(self) -> list[str]:
        """The ``error:`` lines, without the prefix."""
        return [
            line.removeprefix("error: ")
            for line in self.stderr.splitlines()
            if line.startswith("error: ")
        ]


def run_generate(tmp_path: Path, spec: Path, *extra: str) -> Run:
    """``ari-codegen generate SPEC --out tmp_path/out`` in-process (an exception but exit
    is a failure: support.cli re-raises it)."""
    out = tmp_path / "out"
    result = cli("generate", spec, "--out", out, *extra)
    return Run(result.exit_code, result.stdout, result.stderr, out)


def rejected(tmp_path: Path, spec: Path, *extra: str) -> list[str]:
    """Run, check the contract of a rejected spec, return its error lines."""
    run = run_generate(tmp_path, spec, *extra)
    assert run.exit_code == EXIT_ERROR, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not run.out.exists(), "a rejected spec must write nothing"
    assert run.errors, run.stderr
    if len(run.errors) > 1:
        assert run.stderr.splitlines()[-1] == f"{len(run.errors)} problems; nothing was written"
    return run.errors


def one_model_spec(tmp_path: Path, models: dict[str, Any]) -> tuple[Path, str]:
    """A declaration with ``models``; also the prefix its messages start with."""
    path = spec_file(tmp_path / "spec", declaration(models))
    return path, f"{path} › models › "


# --- JSON -------------------------------------------------------------------------------


def test_invalid_json_names_line_column_and_culprit(tmp_path: Path) -> None:
    text = '{\n  "swaggerVersion": "1.2",\n  "models": {\n    "A": {"id": "A",}\n  }\n}\n'
    path = spec_file(tmp_path / "spec", text)
    assert rejected(tmp_path, path) == [
        f"{path}:4:21: invalid JSON: Expecting property name enclosed in double quotes, found '}}'"
    ]


def test_truncated_json_says_where_it_ends(tmp_path: Path) -> None:
    path = spec_file(tmp_path / "spec", '{"swaggerVersion": "1.2", "models": {"A": ')
    assert rejected(tmp_path, path) == [
        f"{path}:1:43: invalid JSON: Expecting value, found the end of the file"
    ]


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff"], ids=["empty", "blank", "bom-only"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = spec_file(tmp_path / "spec", text)
    assert rejected(tmp_path, path) == [f"{path}: empty file: expected a JSON object"]


def test_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"swaggerVersion": "1.2", "description": "café"}'.encode("latin-1"))
    assert rejected(tmp_path, path) == [
        f"{path}: not UTF-8 text (invalid continuation byte at byte 45)"
    ]


def test_nan_and_infinity_are_not_json_and_are_located(tmp_path: Path) -> None:
    text = (
        '{"swaggerVersion": "1.2", "models": {"A": {"id": "A", "properties": '
        '{"x": {"type": "double", "enum": [NaN, -Infinity]}}}}}'
    )
    path = spec_file(tmp_path / "spec", text)
    prefix = f"{path} › models › A › properties › x › enum"
    assert rejected(tmp_path, path) == [
        f"{prefix}[0]: invalid JSON: NaN is not a JSON value",
        f"{prefix}[1]: invalid JSON: -Infinity is not a JSON value",
    ]


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    path = spec_file(tmp_path / "spec", "[" * 100_000 + "]" * 100_000)
    assert rejected(tmp_path, path) == [f"{path}: invalid JSON: nested too deeply"]


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ([], "a list"),
        ("x", "the string 'x'"),
        (12, "the number 12"),
        (True, "the boolean true"),
        (None, "null"),
    ],
    ids=["list", "string", "number", "boolean", "null"],
)
def test_wrong_top_level_shape(tmp_path: Path, content: Any, found: str) -> None:
    path = spec_file(tmp_path / "spec", json.dumps(content))
    assert rejected(tmp_path, path) == [f"{path}: expected a JSON object at the top, found {found}"]


def test_duplicate_keys_with_different_values(tmp_path: Path) -> None:
    text = (
        '{"swaggerVersion": "1.2", "models": {"A": {"id": "A", "properties": '
        '{"x": {"type": "string"}, "x": {"type": "int"}, "y": {"type": "int"}}}}}'
    )
    path = spec_file(tmp_path / "spec", text)
    assert rejected(tmp_path, path) == [
        f"{path} › models › A › properties › x: key 'x' appears twice in one JSON object with "
        "different values (JSON readers silently keep the last; --duplicate-keys=last does so)"
    ]
    # The documented way out: keep the last value, as json.load does.
    run = run_generate(tmp_path, path, "--duplicate-keys", "last")
    assert run.exit_code == 0, run.stderr
    assert "x: int | None = None" in (run.out / "ari_models" / "models.py").read_text()


# --- document shape ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("models", "found"),
    [([1], "a list"), ("Channel", "the string 'Channel'"), (3, "the number 3")],
    ids=["list", "string", "number"],
)
def test_models_is_not_an_object(tmp_path: Path, models: Any, found: str) -> None:
    path = spec_file(tmp_path / "spec", declaration(models))
    assert rejected(tmp_path, path) == [
        f"{path} › models: expected an object of models, found {found}"
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            declaration({}, swagger_version="2.0"),
            " › swaggerVersion: unsupported swaggerVersion '2.0' (supported: 1.0, 1.1, 1.2, 1.3)",
        ),
        (
            declaration({}, swagger_version=[1, 2]),
            " › swaggerVersion: unsupported swaggerVersion [1, 2] (supported: 1.0, 1.1, 1.2, 1.3)",
        ),
        (
            {"swagger": "2.0", "definitions": {}},
            " › swagger: this is OpenAPI/Swagger 2.0; ari-codegen reads Swagger 1.x documents",
        ),
        (
            {"openapi": "3.1.0"},
            " › openapi: this is OpenAPI/Swagger 3.1.0; ari-codegen reads Swagger 1.x documents",
        ),
        ({"models": {}}, ": not a Swagger 1.x document: no 'swaggerVersion'"),
    ],
    ids=["2.0", "list", "swagger-2", "openapi-3", "missing"],
)
def test_unsupported_swagger_version(tmp_path: Path, document: Any, expected: str) -> None:
    path = spec_file(tmp_path / "spec", document)
    assert rejected(tmp_path, path) == [f"{path}{expected}"]


def test_model_key_differs_from_its_id(tmp_path: Path) -> None:
    path, at = one_model_spec(tmp_path, {"Bridge": model("Channel")})
    assert rejected(tmp_path, path) == [
        f"{at}Bridge › id: model id 'Channel' differs from its key 'Bridge'"
    ]


def test_model_without_id_or_with_a_non_string_id(tmp_path: Path) -> None:
    path, at = one_model_spec(tmp_path, {"A": {"properties": {}}, "B": {"id": 7}})
    assert rejected(tmp_path, path) == [
        f"{at}A: model has no 'id'",
        f"{at}B › id: expected a string id, found the number 7",
    ]


@pytest.mark.parametrize(
    ("required", "found"),
    [("yes", "'yes'"), (1, "1"), (None, None), ([True], "[True]")],
    ids=["string", "number", "null-is-absent", "list"],
)
def test_non_boolean_required_on_a_property(
    tmp_path: Path, required: Any, found: str | None
) -> None:
    path, at = one_model_spec(
        tmp_path, {"A": model("A", {"x": {"type": "string", "required": required}})}
    )
    if found is None:  # null is as good as absent: optional
        assert run_generate(tmp_path, path).exit_code == 0
        return
    assert rejected(tmp_path, path) == [
        f"{at}A › properties › x › required: expected true or false, found {found}"
    ]


def test_model_level_required_that_is_not_a_list_of_names(tmp_path: Path) -> None:
    models = {
        "A": model("A", {"x": STRING}, required="x"),
        "B": model("B", {"x": STRING}, required=["x", 3]),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}A › required: expected a list of strings, found the string 'x'",
        f"{at}B › required[1]: expected a string, found the number 3",
    ]


# --- types ------------------------------------------------------------------------------


def test_unknown_property_type(tmp_path: Path) -> None:
    path, at = one_model_spec(
        tmp_path, {"A": model("A", {"when": {"type": "Datetimme"}, "who": {"$ref": "Persn"}})}
    )
    assert rejected(tmp_path, path) == [
        f"{at}A › properties › when › type: unknown type 'Datetimme': "
        "neither a Swagger type nor a model of this spec",
        f"{at}A › properties › who › $ref: unknown model 'Persn'",
    ]


def test_property_type_of_the_wrong_json_kind(tmp_path: Path) -> None:
    props = {
        "a": {"type": 3},
        "b": {"$ref": ["A"]},
        "c": {"description": "no type"},
        "d": {"type": "array", "items": "string"},
        "e": "string",
    }
    path, at = one_model_spec(tmp_path, {"A": model("A", props)})
    assert rejected(tmp_path, path) == [
        f"{at}A › properties › a › type: expected a type name, found the number 3",
        f"{at}A › properties › b › $ref: expected a model id, found a list",
        f"{at}A › properties › c: property has neither 'type' nor '$ref'",
        f"{at}A › properties › d › items: expected an object, found the string 'string'",
        f"{at}A › properties › e: expected a property object, found the string 'string'",
    ]


def test_malformed_list_types(tmp_path: Path) -> None:
    props = {
        "open": {"type": "List[string"},
        "empty": {"type": "List[]"},
        "stray": {"type": "string]"},
        "unknown_item": {"type": "List[Chanel]"},
        "no_items": {"type": "array"},
    }
    path, at = one_model_spec(tmp_path, {"Channel": model("Channel"), "A": model("A", props)})
    where = f"{at}A › properties › "
    assert rejected(tmp_path, path) == [
        f"{where}open › type: malformed type 'List[string' (expected List[X])",
        f"{where}empty › type: malformed container type 'List[]': no item type",
        f"{where}stray › type: malformed type 'string]' (expected List[X])",
        f"{where}unknown_item › type: unknown type 'Chanel': "
        "neither a Swagger type nor a model of this spec",
        f"{where}no_items › type: array type without 'items'",
    ]


def test_enum_that_is_not_a_list_of_values(tmp_path: Path) -> None:
    props = {
        "a": {"type": "string", "enum": "x"},
        "b": {"type": "string", "allowableValues": {"valueType": "LIST", "values": [["x"]]}},
        "c": {"type": "string", "allowableValues": "x"},
    }
    path, at = one_model_spec(tmp_path, {"A": model("A", props)})
    assert rejected(tmp_path, path) == [
        f"{at}A › properties › a › enum: expected a list of strings or numbers",
        f"{at}A › properties › b › allowableValues › values: expected a list of strings or numbers",
        f"{at}A › properties › c › allowableValues: expected an object, found the string 'x'",
    ]


# --- inheritance ------------------------------------------------------------------------


def test_dangling_extends(tmp_path: Path) -> None:
    path, at = one_model_spec(tmp_path, {"StasisStart": model("StasisStart", extends="Evnt")})
    assert rejected(tmp_path, path) == [f"{at}StasisStart › extends: unknown model 'Evnt'"]


def test_dangling_subtypes(tmp_path: Path) -> None:
    models = {
        "Event": model("Event", subTypes=["StasisStart", "StasisEnd"]),
        "StasisStart": model("StasisStart"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [f"{at}Event › subTypes[1]: unknown model 'StasisEnd'"]


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        (
            {
                "A": model("A", extends="B"),
                "B": model("B", extends="C"),
                "C": model("C", extends="A"),
            },
            "A › extends: inheritance cycle: A → B → C → A",
        ),
        (
            {"A": model("A", subTypes=["B"]), "B": model("B", subTypes=["A"])},
            "B › subTypes[0]: inheritance cycle: A → B → A",
        ),
        ({"A": model("A", extends="A")}, "A › extends: inheritance cycle: A → A"),
        (
            {"A": model("A", subTypes=["A"])},
            "A › subTypes[0]: model 'A' lists itself as its subtype",
        ),
    ],
    ids=["extends", "subTypes", "self-extends", "self-subtype"],
)
def test_inheritance_cycles(tmp_path: Path, models: dict[str, Any], expected: str) -> None:
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [at + expected]


def test_extends_disagreeing_with_subtypes(tmp_path: Path) -> None:
    models = {
        "Event": model("Event", subTypes=["Dial"]),
        "Message": model("Message", subTypes=["Other"]),
        "Other": model("Other", extends="Message"),
        "Dial": model("Dial", extends="Message"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Dial › extends: extends 'Message', but 'Event' lists 'Dial' in its subTypes "
        f"({at}Event › subTypes[0])"
    ]


def test_extends_a_parent_whose_subtypes_omit_the_child(tmp_path: Path) -> None:
    models = {"Event": model("Event", subTypes=[]), "Dial": model("Dial", extends="Event")}
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Dial › extends: extends 'Event', whose subTypes ({at}Event › subTypes) "
        "do not list 'Dial'"
    ]


def test_two_parents_list_one_subtype(tmp_path: Path) -> None:
    models = {"A": model("A", subTypes=["C"]), "B": model("B", subTypes=["C"]), "C": model("C")}
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}B › subTypes[0]: model 'C' is already a subtype of 'A' ({at}A › subTypes[0]); "
        "a model has one base"
    ]


def test_discriminator_naming_no_property(tmp_path: Path) -> None:
    models = {
        "Message": model("Message", {"type": TYPE}, discriminator="kind", subTypes=["Event"]),
        "Event": model("Event"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Message › discriminator: discriminator 'kind' names no property of 'Message'"
    ]


def test_discriminator_that_is_not_a_string_property(tmp_path: Path) -> None:
    models = {
        "Message": model("Message", {"kind": INT}, discriminator="kind", subTypes=["Event"]),
        "Event": model("Event", subTypes=["Dial"]),
        "Dial": model("Dial"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Message › discriminator: discriminator 'kind' must be a string property"
    ]


def test_empty_discriminator(tmp_path: Path) -> None:
    models = {"Message": model("Message", {"": STRING}, discriminator="", subTypes=["Event"])}
    models["Event"] = model("Event")
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Message › discriminator: expected a property name, found ''"
    ]


def test_discriminator_redeclared_below(tmp_path: Path) -> None:
    models = {
        "Message": model("Message", {"type": TYPE}, discriminator="type", subTypes=["Event"]),
        "Event": model("Event", {"type": TYPE}, discriminator="type"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Event › discriminator: a discriminator is already inherited from 'Message'"
    ]


def test_subtype_redeclaring_an_inherited_property_with_another_type(tmp_path: Path) -> None:
    models = {
        "Message": model("Message", {"type": TYPE, "id": STRING}, subTypes=["Event"]),
        "Event": model("Event", {"id": INT, "type": TYPE}, subTypes=["Dial"]),
        "Dial": model("Dial", {"type": {"type": "List[string]"}}),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}Event › properties › id › type: redeclares 'id' inherited from 'Message' "
        "with another type (int instead of str)",
        f"{at}Dial › properties › type › type: redeclares 'type' inherited from 'Message' "
        "with another type (List[str] instead of str)",
    ]


# --- names ------------------------------------------------------------------------------


def test_model_ids_that_cannot_be_python_class_names(tmp_path: Path) -> None:
    models = {"«»": model("«»"), "!!!": model("!!!"), "": model(""), "Ok": model("Ok")}
    path, at = one_model_spec(tmp_path, models)
    assert sorted(rejected(tmp_path, path)) == sorted(
        [
            f"{at}«» › id: model id '«»' cannot be made into a Python class name",
            f"{at}!!! › id: model id '!!!' cannot be made into a Python class name",
            f"{at} › id: model id '' cannot be made into a Python class name",
        ]
    )


def test_two_model_ids_with_one_python_name(tmp_path: Path) -> None:
    models = {
        "max-load": model("max-load"),
        "max_load": model("max_load"),
        "max load": model("max load"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert rejected(tmp_path, path) == [
        f"{at}max-load › id: model ids 'max load' and 'max-load' both become the Python name "
        "'max_load'",
        f"{at}max_load › id: model ids 'max load' and 'max_load' both become the Python name "
        "'max_load'",
    ]


# --- several files ----------------------------------------------------------------------


def test_one_model_id_defined_differently_in_two_files(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "spec",
        {
            "channels.json": declaration(
                {"Channel": model("Channel", {"id": TYPE, "name": STRING})}
            ),
            "events.json": declaration({"Channel": model("Channel", {"id": TYPE, "name": INT})}),
        },
    )
    assert rejected(tmp_path, folder) == [
        f"{folder / 'events.json'} › models › Channel: model 'Channel' is defined differently "
        f"in {folder / 'channels.json'} and {folder / 'events.json'}: "
        "the type of properties › name differs"
    ]


def test_one_model_id_with_a_property_only_in_one_file(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "spec",
        {
            "a.json": declaration({"Channel": model("Channel", {"id": TYPE})}),
            "b.json": declaration({"Channel": model("Channel", {"id": TYPE, "name": STRING})}),
        },
    )
    (problem,) = rejected(tmp_path, folder)
    assert problem.endswith(
        f"and {folder / 'b.json'}: property 'name' is only in {folder / 'b.json'}"
    )


@pytest.mark.parametrize(
    ("api_path", "message"),
    [
        (
            "/../outside.json",
            "path '/../outside.json' leaves the spec's folder; refusing to read it",
        ),
        (
            "/api-docs/../../outside",
            "path '/api-docs/../../outside' leaves the spec's folder; refusing to read it",
        ),
        ("/link.json", "path '/link.json' leaves the spec's folder; refusing to read it"),
        (
            "/api-docs/a\x00.json",
            "path '/api-docs/a\\x00.json' cannot be a file of the spec (embedded null byte)",
        ),
        ("/" + "x" * 5000, "cannot be a file of the spec (File name too long)"),
    ],
    ids=["dotdot", "nested-dotdot", "symlink", "nul-byte", "too-long"],
)
def test_resources_json_path_escaping_the_spec_folder(
    tmp_path: Path, api_path: str, message: str
) -> None:
    write_files(tmp_path, {"outside.json": declaration({"Secret": model("Secret")})})
    folder = write_files(
        tmp_path / "spec",
        {"resources.json": listing(api_path), "api-docs/a.json": declaration({})},
    )
    (folder / "link.json").symlink_to(tmp_path / "outside.json")
    (problem,) = rejected(tmp_path, folder)
    assert problem.startswith(f"{folder.resolve() / 'resources.json'} › apis[0] › path: ")
    assert problem.endswith(message)


def test_listing_of_the_wrong_shape(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "spec", {"resources.json": {"apis": [{"path": 3}, "x", {"path": "/a"}]}}
    )
    at = f"{folder.resolve() / 'resources.json'} › apis"
    assert rejected(tmp_path, folder) == [
        f"{at}[0] › path: expected the API declaration's path",
        f"{at}[1] › path: expected the API declaration's path",
        f"{at}[2] › path: listed API declaration '/a' not found (looked for 'a')",
    ]


# --- all at once ------------------------------------------------------------------------


def test_every_load_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "spec",
        {
            "a.json": declaration(
                {
                    "A": model("A", {"x": {"type": "string", "required": "no"}}),
                    "B": model("NotB"),
                    "C": model("C", {"y": {"type": "int", "enum": "1"}}),
                }
            ),
            "b.json": '{"swaggerVersion": "1.2",\n "models": {"D": }}',
            "c.json": declaration([1], swagger_version="3.0"),
            "d.json": "",
            "e.json": '{"swaggerVersion": "1.2", "models": {"E": {"id": "E", "id": "F"}}}',
        },
    )
    assert rejected(tmp_path, folder) == [
        f"{folder / 'a.json'} › models › A › properties › x › required: "
        "expected true or false, found 'no'",
        f"{folder / 'a.json'} › models › B › id: model id 'NotB' differs from its key 'B'",
        f"{folder / 'a.json'} › models › C › properties › y › enum: "
        "expected a list of strings or numbers",
        f"{folder / 'b.json'}:2:18: invalid JSON: Expecting value, found '}}}}'",
        f"{folder / 'c.json'} › swaggerVersion: unsupported swaggerVersion '3.0' "
        "(supported: 1.0, 1.1, 1.2, 1.3)",
        f"{folder / 'c.json'} › models: expected an object of models, found a list",
        f"{folder / 'd.json'}: empty file: expected a JSON object",
        f"{folder / 'e.json'} › models › E › id: key 'id' appears twice in one JSON object "
        "with different values (JSON readers silently keep the last; --duplicate-keys=last "
        "does so)",
        f"{folder / 'e.json'} › models › E › id: model id 'F' differs from its key 'E'",
    ]


def test_every_inheritance_and_type_problem_in_one_run(tmp_path: Path) -> None:
    models = {
        "A": model("A", extends="Nope", properties={"x": {"type": "strng"}}),
        "B": model("B", subTypes=["C", "Ghost"]),
        "C": model("C", {"l": {"type": "List[int"}, "r": {"$ref": "Gone"}}),
        "D": model("D", extends="E"),
        "E": model("E", extends="D"),
    }
    path, at = one_model_spec(tmp_path, models)
    assert sorted(rejected(tmp_path, path)) == sorted(
        [
            f"{at}B › subTypes[1]: unknown model 'Ghost'",
            f"{at}A › extends: unknown model 'Nope'",
            f"{at}D › extends: inheritance cycle: D → E → D",
            f"{at}A › properties › x › type: unknown type 'strng': "
            "neither a Swagger type nor a model of this spec",
            f"{at}C › properties › l › type: malformed type 'List[int' (expected List[X])",
            f"{at}C › properties › r › $ref: unknown model 'Gone'",
        ]
    )


def test_every_naming_and_field_problem_in_one_run(tmp_path: Path) -> None:
    models = {
        "!!!": model("!!!"),
        "a-b": model("a-b"),
        "a_b": model("a_b"),
        "Base": model("Base", {"k": STRING}, discriminator="kind", subTypes=["Sub"]),
        "Sub": model("Sub", {"k": INT}),
    }
    path, at = one_model_spec(tmp_path, models)
    assert sorted(rejected(tmp_path, path)) == sorted(
        [
            f"{at}!!! › id: model id '!!!' cannot be made into a Python class name",
            f"{at}a_b › id: model ids 'a-b' and 'a_b' both become the Python name 'a_b'",
            f"{at}Base › discriminator: discriminator 'kind' names no property of 'Base'",
            f"{at}Sub › properties › k › type: redeclares 'k' inherited from 'Base' "
            "with another type (int instead of str)",
        ]
    )


# --- as a user runs it: a real process ----------------------------------------------------


@dataclass
class ProcessCase:
    files: dict[str, Any]
    spec: str
    expected: list[str] = field(default_factory=list)


PROCESS_CASES = {
    "invalid-json": ProcessCase(
        {"s.json": '{"models": {'}, "s.json", ["s.json:1:13: invalid JSON"]
    ),
    "cycle": ProcessCase(
        {"s.json": declaration({"A": model("A", extends="B"), "B": model("B", extends="A")})},
        "s.json",
        ["s.json › models › A › extends: inheritance cycle: A → B → A"],
    ),
    "nul-byte-listing": ProcessCase(
        {"resources.json": listing("/x\x00")},
        ".",
        ["resources.json › apis[0] › path: path '/x\\x00' cannot be a file of the spec"],
    ),
    "bad-ids": ProcessCase(
        {"s.json": declaration({"«»": model("«»"), "": model("")})},
        "s.json",
        ["s.json › models › «» › id: model id '«»' cannot", "s.json › models ›  › id: model id ''"],
    ),
}


@pytest.mark.parametrize("case", PROCESS_CASES.values(), ids=PROCESS_CASES.keys())
def test_python_m_ari_codegen_prints_no_traceback(tmp_path: Path, case: ProcessCase) -> None:
    folder = write_files(tmp_path / "spec", case.files)
    env = dict(os.environ)
    env.pop("ARI_CODEGEN_DEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ari_codegen",
            "generate",
            case.spec,
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == EXIT_ERROR, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert not (tmp_path / "out").exists()
    lines = result.stderr.splitlines()
    assert all(
        line.startswith(("error: ", "hint: ")) for line in lines if "problems;" not in line
    ), lines
    for expected in case.expected:
        assert any(expected in line for line in lines), (expected, lines)


# --- one problem, one line ------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["A\nerror: forged", "B\u2028C", "D\rE"], ids=["newline", "u2028", "cr"]
)
def test_a_path_part_with_a_line_break_stays_on_its_line(tmp_path: Path, key: str) -> None:
    path, _ = one_model_spec(tmp_path, {key: model("Other")})
    (problem,) = rejected(tmp_path, path)
    assert len(problem.splitlines()) == 1, problem
    assert "differs from its key" in problem
