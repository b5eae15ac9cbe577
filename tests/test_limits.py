"""Depth and size bombs: limits far beyond real specs, refused with a path (exit 2), fast.

``List[List[...]]`` a few hundred deep used to give a module Python cannot import (or a
RecursionError); a 3,000-deep ``extends`` chain took minutes and wrote gigabytes (every
class repeats its inherited fields, and the cycle check was cubic).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from support.cli import cli
from support.packages import import_package
from support.specs import declaration, model, prop, spec_file

from ari_codegen.load.options import MAX_FIELD_ENTRIES, MAX_INHERITANCE_DEPTH, MAX_TYPE_DEPTH


def refused(spec: Path, out: Path, *expected: str) -> str:
    """Generate ``spec``: exit 2, no traceback, nothing written; the error text."""
    started = time.monotonic()
    result = cli("generate", spec, "--out", out, "--package", "pk")
    assert result.exit_code == 2, result.output
    assert time.monotonic() - started < 20
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (out / "pk").exists()
    for text in expected:
        assert text in result.stderr, result.stderr
    return result.stderr


def chain(n: int, fields: int = 1) -> dict[str, Any]:
    """Models M0 ← M1 ← ... ← M{n-1}, each with ``fields`` fields of its own."""
    models = {}
    for i in range(n):
        extra: dict[str, Any] = {"extends": f"M{i - 1}"} if i else {}
        if i < n - 1:
            extra["subTypes"] = [f"M{i + 1}"]
        own = {f"f{i}_{j}": prop("string") for j in range(fields)}
        models[f"M{i}"] = model(f"M{i}", own, **extra)
    return declaration(models)


def list_type(depth: int) -> str:
    return "List[" * depth + "string" + "]" * depth


def items_type(depth: int) -> dict[str, Any]:
    t: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        t = {"type": "array", "items": t}
    return {**t, "required": True}


@pytest.mark.parametrize("depth", [MAX_TYPE_DEPTH + 1, 300, 5_000])
def test_list_type_nested_too_deep(tmp_path: Path, depth: int) -> None:
    spec = spec_file(tmp_path, declaration({"A": model("A", {"x": prop(list_type(depth))})}))
    refused(
        spec,
        tmp_path / "out",
        "spec.json › models › A › properties › x › type: type nested deeper than 32 levels",
    )


@pytest.mark.parametrize("depth", [MAX_TYPE_DEPTH + 1, 300, 900])
def test_items_nested_too_deep(tmp_path: Path, depth: int) -> None:
    spec = spec_file(tmp_path, declaration({"A": model("A", {"x": items_type(depth)})}))
    stderr = refused(spec, tmp_path / "out", "type nested deeper than 32 levels")
    assert "spec.json › models › A › properties › x › items › items" in stderr
    assert stderr.count("error:") == 1


def test_items_and_list_strings_count_together(tmp_path: Path) -> None:
    half = MAX_TYPE_DEPTH // 2
    t = items_type(half)
    inner = t
    while "items" in inner:
        inner = inner["items"]
    inner["type"] = list_type(half + 1)
    spec = spec_file(tmp_path, declaration({"A": model("A", {"x": t})}))
    refused(spec, tmp_path / "out", "type nested deeper than 32 levels")


def test_deepest_allowed_types_import(tmp_path: Path) -> None:
    props = {"x": prop(list_type(MAX_TYPE_DEPTH)), "y": items_type(MAX_TYPE_DEPTH)}
    spec = spec_file(tmp_path, declaration({"A": model("A", props)}))
    result = cli("generate", spec, "--out", tmp_path, "--package", "deep_types_pk")
    assert result.exit_code == 0, result.output
    pkg = import_package(tmp_path / "deep_types_pk")
    nested: Any = "s"
    for _ in range(MAX_TYPE_DEPTH):
        nested = [nested]
    assert pkg.A.from_dict({"x": nested, "y": nested}).to_dict() == {"x": nested, "y": nested}


@pytest.mark.parametrize("n", [MAX_INHERITANCE_DEPTH + 2, 3_000])
def test_inheritance_chain_too_deep(tmp_path: Path, n: int) -> None:
    spec = spec_file(tmp_path, chain(n))
    stderr = refused(
        spec,
        tmp_path / "out",
        "spec.json › models › M65 › extends: inheritance deeper than 64 levels",
    )
    assert stderr.count("error:") == 1


def test_deepest_allowed_chain_is_generated(tmp_path: Path) -> None:
    spec = spec_file(tmp_path, chain(MAX_INHERITANCE_DEPTH + 1))
    result = cli("generate", spec, "--out", tmp_path, "--package", "deep_chain_pk")
    assert result.exit_code == 0, result.output
    pkg = import_package(tmp_path / "deep_chain_pk")
    leaf = pkg.MODELS[f"M{MAX_INHERITANCE_DEPTH}"]
    data = {f"f{i}_0": "v" for i in range(MAX_INHERITANCE_DEPTH + 1)}
    assert leaf.from_dict(data).to_dict() == data


def test_too_many_fields_in_all_classes(tmp_path: Path) -> None:
    # 6,400 properties, but 64 classes repeating their bases' fields: 208,000 entries
    spec = spec_file(tmp_path, chain(MAX_INHERITANCE_DEPTH, fields=100))
    refused(spec, tmp_path / "out", "spec.json › models › M", f"more than {MAX_FIELD_ENTRIES:,}")


@pytest.mark.parametrize(
    "where",
    ["document", "models", "description", "properties", "items", "enum"],
)
def test_json_nested_100000_deep_anywhere(tmp_path: Path, where: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    doc = declaration({"A": model("A", {"x": prop("string")})})
    text = json.dumps(doc)
    marker = {
        "document": (text, deep),
        "models": ('"models": {', f'"models": {{"B": {deep}, '),
        "description": ('"id": "A"', f'"id": "A", "description": {deep}'),
        "properties": ('"properties": {', f'"properties": {{"y": {deep}, '),
        "items": ('"type": "string"', f'"type": "array", "items": {deep}'),
        "enum": ('"type": "string"', f'"type": "string", "enum": {deep}'),
    }[where]
    spec = spec_file(tmp_path, text.replace(*marker, 1))
    refused(spec, tmp_path / "out", "spec.json")
