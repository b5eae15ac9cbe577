"""The generated client of every shared spec, and of a merge of all of them: complete,
importable, typed (mypy --strict 3.10 and 3.13, stubtest), and named as documented.

Replaying real traffic through it is tests/test_client_cassettes.py; the client of each
single release is also type-checked with its models in tests/test_corpus.py.
"""

from __future__ import annotations

import importlib
import inspect
import json
import keyword
from pathlib import Path
from typing import Any

import pytest
from support.packages import Packages, generate_merged, import_package
from support.paths import ARI_SPECS, ari_spec, require_shared
from support.tools import assert_mypy_clean, run_stubtest

from ari_codegen.graph import TypeGraph
from ari_codegen.load import LoadOptions
from ari_codegen.pipeline import load_graph

MERGED = "ari_all"


def import_client(folder: Path) -> Any:
    """``<package>.client`` of a generated package (the package itself does not import it)."""
    package = import_package(folder)
    return importlib.import_module(f"{package.__name__}.client")


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TypeGraph]:
    """Every folder of ../shared/ari-specs merged (oldest first), in every style."""
    specs = [str(ari_spec(v)) for v in ARI_SPECS]
    root = tmp_path_factory.mktemp("merged")
    for style in ("dataclasses", "typeddict", "stubs"):
        generate_merged(specs, style, root / style, MERGED)
    return root, load_graph(specs, LoadOptions(duplicate_keys="last"))


def test_merged_client_has_every_operation_of_every_release(
    merged: tuple[Path, TypeGraph],
) -> None:
    root, graph = merged
    client: Any = import_client(root / "dataclasses" / MERGED)
    union = {
        (declaration.stem, op["nickname"])
        for v in ARI_SPECS
        for declaration in (ari_spec(v) / "api-docs").glob("*.json")
        for api in json.loads(declaration.read_text(encoding="utf-8")).get("apis", [])
        for op in api["operations"]
    }
    assert {(r.name, op.nickname) for r in graph.resources for op in r.operations} == union
    for resource in graph.resources:
        api = getattr(client, resource.class_name)
        assert inspect.isclass(api)
        for op in resource.operations:
            method = getattr(api, op.py_name)
            assert op.py_name.isidentifier() and not keyword.iskeyword(op.py_name)
            parameters = inspect.signature(method).parameters
            for p in op.parameters:
                assert parameters[p.py_name].kind is inspect.Parameter.KEYWORD_ONLY
                assert (parameters[p.py_name].default is inspect.Parameter.empty) == p.required
            if len(op.versions) < len(graph.versions):  # not in every release: says where
                assert "In: " in (method.__doc__ or ""), (resource.name, op.nickname)


def test_merged_client_passes_mypy_strict_and_stubtest(
    merged: tuple[Path, TypeGraph], tmp_path: Path
) -> None:
    root, _ = merged
    for style in ("dataclasses", "typeddict"):
        assert_mypy_clean(root / style, [MERGED], scratch=tmp_path / style)
    result = run_stubtest(root / "dataclasses", root / "stubs", [MERGED], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", ARI_SPECS)
def test_every_release_client_imports_and_builds(packages: Packages, version: str) -> None:
    """Each release's client imports and opens (no server needed: nothing is sent)."""
    duplicate_keys = "last" if version == "12.0.0" else "error"
    for style in ("dataclasses", "typeddict"):
        folder = packages.get(
            ari_spec(version),
            style,
            f"ari_c_{version.replace('.', '_').replace('-', '_')}",
            duplicate_keys=duplicate_keys,
        )
        client: Any = import_client(folder)
        with client.Client("http://127.0.0.1:9/ari", username="u", password="p") as ari:
            assert type(ari.channels).__name__ == "ChannelsApi"


def test_cassette_specs_are_shared() -> None:
    assert require_shared("ari-cassettes", "master", "spec").is_dir()
