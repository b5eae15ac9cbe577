"""Helpers for the operations tests: hand-made declarations with operations, real specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ari_codegen.errors import Problems, SpecError
from ari_codegen.graph import build_graph
from ari_codegen.graph.operations import Resource, build_resources, resources_from_spec
from ari_codegen.load import LoadOptions, Spec, load_spec
from ari_codegen.load.apis import RawDeclaration, read_declaration
from support.paths import ARI_SPECS, ari_spec, require_shared

CASSETTES = ("18.26.4", "20.20.1", "22.11.0-rc1", "master")
# Operations and resources (declarations with operations) of every real spec.
EXPECTED_COUNTS = {
    "seed-era": (50, 8),
    "12.0.0": (62, 10),
    "13.0.0": (75, 11),
    "16.0.0": (93, 11),
    "20.0.0": (98, 11),
    "22.0.0": (100, 11),
    "cassette 18.26.4": (100, 11),
    "cassette 20.20.1": (109, 11),
    "cassette 22.11.0-rc1": (109, 11),
    "cassette master": (109, 11),
}
REAL = (*ARI_SPECS, *(f"cassette {v}" for v in CASSETTES))


def real_spec_path(name: str) -> Path:
    if name.startswith("cassette "):
        return require_shared("ari-cassettes", name.removeprefix("cassette "), "spec")
    return ari_spec(name)


def load_real(name: str) -> tuple[Spec, tuple[Resource, ...]]:
    """A real spec (12.0.0 repeats JSON keys among its models: the last one is kept)."""
    spec = load_spec(real_spec_path(name), LoadOptions(duplicate_keys="last")).relabel(name)
    graph = build_graph(spec)
    return spec, resources_from_spec(spec, graph.by_id)


def param(
    name: str,
    param_type: str = "query",
    data_type: str = "string",
    required: bool | None = False,
    **extra: Any,
) -> dict[str, Any]:
    p: dict[str, Any] = {"name": name, "paramType": param_type, "dataType": data_type, **extra}
    if required is not None:
        p["required"] = required
    return p


def op(
    nickname: str,
    method: str = "GET",
    response: str = "void",
    params: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    o: dict[str, Any] = {
        "httpMethod": method,
        "nickname": nickname,
        "summary": f"{nickname} summary",
        "responseClass": response,
        **extra,
    }
    if params is not None:
        o["parameters"] = params
    return o


def api(path: str, *operations: dict[str, Any], description: str = "d") -> dict[str, Any]:
    return {"path": path, "description": description, "operations": list(operations)}


def declaration(
    *apis: dict[str, Any], resource: str = "things", models: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "apiVersion": "1.0.0",
        "swaggerVersion": "1.1",
        "basePath": "http://localhost:8088/ari",
        "resourcePath": f"/api-docs/{resource}.{{format}}",
        "apis": list(apis),
        "models": models or {},
    }


def read(data: Any, file: str = "things.json") -> tuple[RawDeclaration | None, Problems]:
    problems = Problems()
    try:
        return read_declaration(data, file, problems), problems
    except SpecError as exc:
        problems.extend(exc)
        return None, problems


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.items]


def build(
    *declarations: dict[str, Any], models: tuple[str, ...] = ()
) -> tuple[tuple[Resource, ...], Problems]:
    """Load and resolve hand-made declarations (``<resource>.json`` each)."""
    problems = Problems()
    raws = []
    for data in declarations:
        name = data["resourcePath"].rsplit("/", 1)[-1].removesuffix(".{format}")
        raw = read_declaration(data, f"{name}.json", problems)
        raws.append(raw)
    return build_resources(raws, models, problems), problems


def build_ok(*declarations: dict[str, Any], models: tuple[str, ...] = ()) -> tuple[Resource, ...]:
    resources, problems = build(*declarations, models=models)
    assert not problems, messages(problems)
    return resources


def write_spec_folder(folder: Path, *declarations: dict[str, Any]) -> Path:
    """A spec folder: one ``<resource>.json`` per declaration (no listing)."""
    folder.mkdir(parents=True, exist_ok=True)
    for data in declarations:
        name = data["resourcePath"].rsplit("/", 1)[-1].removesuffix(".{format}")
        (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder
