"""Shared pieces of the benchmarks: the corpora, Swagger 1.2 → OpenAPI 3, spec replication.

The OpenAPI conversion reads the spec through ari-codegen's own loader and type graph, so
that every generator under test sees exactly the models ari-codegen sees: one schema per
model, inheritance as ``allOf`` (a subclass adds its own fields to its base's), ``Date``
as ``string``/``date-time``, ``allowableValues`` as ``enum``, Swagger's ``required`` as
each schema's ``required`` list.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ari_codegen.graph import Enum, ListOf, ModelRef, Prim, TypeExpr, TypeGraph, build_graph
from ari_codegen.load import LoadOptions, load_spec

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPECS = SHARED / "ari-specs"
PAYLOADS = SHARED / "ari-payloads"
BIN = Path(sys.executable).parent


def spec_dir(version: str) -> Path:
    path = SPECS / version
    if not path.is_dir():
        sys.exit(f"{path} not found: the benchmarks need ../shared/ari-specs beside the project")
    return path


def load_graph(spec: Path) -> TypeGraph:
    return build_graph(load_spec(spec, LoadOptions(duplicate_keys="last")))


# --- payloads -----------------------------------------------------------------------------


def complete_payloads() -> list[tuple[str, Any]]:
    """(file name, parsed JSON) of every payload SOURCES.md does not mark PARTIAL."""
    sources = (PAYLOADS / "SOURCES.md").read_text(encoding="utf-8")
    partial = set(re.findall(r"^\| `([^`]+\.json)` \| PARTIAL \|", sources, re.MULTILINE))
    files = sorted(PAYLOADS.glob("*.json"))
    if not files or not partial:
        sys.exit(f"{PAYLOADS} holds no payloads or SOURCES.md lists no PARTIAL file")
    return [
        (f.name, json.loads(f.read_text(encoding="utf-8"))) for f in files if f.name not in partial
    ]


# --- Swagger 1.2 → OpenAPI 3 ---------------------------------------------------------------


def _schema(t: TypeExpr) -> dict[str, Any]:
    if isinstance(t, Enum):
        return {**_schema(t.base), "enum": list(t.values)}
    if isinstance(t, Prim):
        return {
            "str": {"type": "string"},
            "int": {"type": "integer"},
            "float": {"type": "number"},
            "bool": {"type": "boolean"},
            "datetime": {"type": "string", "format": "date-time"},
            "object": {"type": "object"},
            "any": {},
        }[t.name]
    if isinstance(t, ListOf):
        return {"type": "array", "items": _schema(t.item)}
    if isinstance(t, ModelRef):
        return {"$ref": f"#/components/schemas/{t.id}"}
    return {"anyOf": [_schema(o) for o in t.options]}


def openapi_document(graph: TypeGraph) -> dict[str, Any]:
    """An OpenAPI 3.0 document whose ``components.schemas`` are the spec's models."""
    schemas: dict[str, Any] = {}
    for model in graph.models:
        own = {
            # A discriminator is a plain string in the spec; keep it one here too.
            f.wire_name: {"type": "string"} if f.is_tag else _schema(f.type)
            for f in model.own_fields
        }
        required = [f.wire_name for f in model.own_fields if f.required]
        body: dict[str, Any] = {"type": "object", "properties": own}
        if required:
            body["required"] = required
        if model.description:
            body["description"] = model.description
        if model.base is None:
            schemas[model.id] = body
        else:
            schemas[model.id] = {"allOf": [{"$ref": f"#/components/schemas/{model.base}"}, body]}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"ARI models of {graph.label}", "version": graph.api_version or "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def write_openapi(spec: Path, out: Path) -> Path:
    out.write_text(json.dumps(openapi_document(load_graph(spec)), indent=1), encoding="utf-8")
    return out


# --- replication ----------------------------------------------------------------------------

_CONTAINER = re.compile(r"^(List|Set|Array)\[(.*)\]$")


def _rename_type(node: dict[str, Any], rename: dict[str, str]) -> None:
    if isinstance(node.get("$ref"), str):
        node["$ref"] = rename.get(node["$ref"], node["$ref"])
    type_ = node.get("type")
    if isinstance(type_, str):
        match = _CONTAINER.match(type_)
        if match:
            inner = match.group(2).strip()
            node["type"] = f"{match.group(1)}[{rename.get(inner, inner)}]"
        else:
            node["type"] = rename.get(type_, type_)
    if isinstance(node.get("items"), dict):
        _rename_type(node["items"], rename)


def _copy_model(model: dict[str, Any], rename: dict[str, str]) -> dict[str, Any]:
    copy = json.loads(json.dumps(model))
    copy["id"] = rename[copy["id"]]
    if "extends" in copy:
        copy["extends"] = rename[copy["extends"]]
    if "subTypes" in copy:
        copy["subTypes"] = [rename[s] for s in copy["subTypes"]]
    for prop in copy.get("properties", {}).values():
        _rename_type(prop, rename)
    return copy


def replicate_spec(source: Path, out: Path, copies: int) -> int:
    """Write a Swagger spec folder holding ``copies`` renamed copies of every model.

    Copy 0 keeps the ids; copy k suffixes every id with ``_k`` and rewrites every
    reference (``$ref``, ``type``, ``List[X]``, ``items``, ``extends``, ``subTypes``)
    so that each copy is a self-contained model set.  Returns the number of models.
    """
    listing = json.loads((source / "resources.json").read_text(encoding="utf-8"))
    documents = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((source / "api-docs").glob("*.json"))
    }
    ids = [mid for doc in documents.values() for mid in doc.get("models", {})]
    (out / "api-docs").mkdir(parents=True, exist_ok=True)
    (out / "resources.json").write_text(json.dumps(listing, indent=1), encoding="utf-8")
    total = 0
    for name, doc in documents.items():
        models: dict[str, Any] = {}
        for k in range(copies):
            rename = {mid: mid if k == 0 else f"{mid}_{k}" for mid in ids}
            for model in doc.get("models", {}).values():
                copy = _copy_model(model, rename)
                models[copy["id"]] = copy
        total += len(models)
        (out / "api-docs" / name).write_text(
            json.dumps({**doc, "models": models}, indent=1), encoding="utf-8"
        )
    return total


# --- measuring and printing -------------------------------------------------------------------


def wall_time(command: Sequence[str], cwd: Path | None = None) -> float:
    """Seconds for one whole process; fails loudly if the command fails."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stderr[-3000:]}")
    return elapsed


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            + " |"
        )

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])
