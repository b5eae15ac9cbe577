"""Swagger 1.x documents for tests: declarations, models, properties, listings, files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def declaration(
    models: dict[str, Any],
    *,
    swagger_version: Any = "1.2",
    api_version: str = "1.0.0",
    resource: str = "/things",
) -> dict[str, Any]:
    """A Swagger 1.x API declaration holding ``models`` (and no operations)."""
    return {
        "apiVersion": api_version,
        "swaggerVersion": swagger_version,
        "basePath": "http://localhost:8088/ari",
        "resourcePath": resource,
        "apis": [],
        "models": models,
    }


def model(model_id: str, properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """One model object: ``{"id": model_id, "properties": ..., **extra}``."""
    return {"id": model_id, "properties": properties or {}, **extra}


def prop(type_: str, required: bool = True, description: str | None = None, **extra: Any) -> Any:
    """One property: ``{"type": type_, "required": required, ...}``."""
    p: dict[str, Any] = {"type": type_, "required": required, **extra}
    if description is not None:
        p["description"] = description
    return p


def enum(*values: str, required: bool = True) -> Any:
    """A string property with ``allowableValues`` LIST ``values``."""
    return prop("string", required, allowableValues={"valueType": "LIST", "values": list(values)})


def listing(*paths: str, api_version: str = "1.0.0") -> dict[str, Any]:
    """A resource listing (resources.json) naming the declarations at ``paths``."""
    return {
        "apiVersion": api_version,
        "swaggerVersion": "1.1",
        "basePath": "http://localhost:8088/ari",
        "apis": [{"path": p, "description": "d"} for p in paths],
    }


def write_files(folder: Path, files: dict[str, Any]) -> Path:
    """Write ``{relative path: JSON value or raw text}`` under ``folder``; return ``folder``."""
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
    return folder


def write_spec(folder: Path, models: dict[str, Any], *, api_version: str = "1.0.0") -> Path:
    """A spec folder (label: the folder's name) with one declaration holding ``models``."""
    return write_files(folder, {"models.json": declaration(models, api_version=api_version)})


def spec_file(folder: Path, content: Any, name: str = "spec.json") -> Path:
    """One spec file ``folder/name``: a JSON value, or raw text."""
    return write_files(folder, {name: content}) / name
