"""Real specs: every Asterisk release in ../shared/ari-specs and the Swagger 1.x corpus.

Every valid spec generates in all three styles, imports, passes mypy --strict (3.10 and
3.13, one mypy run per style and version over all packages) and stubtest; every
deliberately invalid document fails with a clear SpecError, for the reason in the table.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.packages import Packages
from support.paths import ARI_SPECS, SHARED, ari_spec, require_shared
from support.tools import MYPY_VERSIONS, assert_mypy_clean, run_stubtest

from ari_codegen.errors import SpecError
from ari_codegen.graph import build_graph
from ari_codegen.load import LoadOptions, load_spec
from ari_codegen.styles import CLIENT_RUNTIME
from ari_codegen.styles import STYLE_NAMES as STYLES

CORPUS = SHARED / "swagger12-corpus"

# Documents (or folders) that must fail: (a substring of the expected message, why).
EXPECTED_FAILURES: dict[str, tuple[str, str]] = {
    "springfox-contract-swagger12": (
        "model 'FancyPet' is defined differently in",
        "two declarations disagree on FancyPet.categories (items Category_1 vs Category)",
    ),
    "swagger-converter-fixable": (
        "model has no 'id'",
        "swagger-converter's fixture of known-broken documents (BrokenModel has no id)",
    ),
    "swagger-js-wordnik-word/word.json": (
        "differs from its key",
        "model keys differ from their ids ('Syllable' vs 'syllable')",
    ),
    "wordnik-api-v4": (
        "model 'PartOfSpeech' is defined differently in",
        "word.json refers to 'root'/'category', words.json to 'Root'/'Category'",
    ),
    "yelp-swagger_spec_validator-tests/api_declarations/array_nested_fail.json": (
        "array type without 'items'",
        "Yelp validator fixture: the inner array of a nested array has no items",
    ),
}
# Validator fixtures named *_fail that ari-codegen accepts, and why that is right.
ACCEPTED_FAIL_FIXTURES: dict[str, str] = {
    "yelp-swagger_spec_validator-tests/api_declarations/format_fail.json": (
        "invalid only in an operation; ari-codegen reads models, not operations"
    ),
    "yelp-swagger_spec_validator-tests/api_declarations/ref_in_operation_fail.json": (
        "invalid only in an operation"
    ),
    "yelp-swagger_spec_validator-tests/api_declarations/ref_in_parameter_fail.json": (
        "invalid only in a parameter"
    ),
    "yelp-swagger_spec_validator-tests/api_declarations/type_unknown_fail.json": (
        "invalid only in an operation's type"
    ),
    "yelp-swagger_spec_validator-tests/api_declarations/type_in_model_fail.json": (
        "a property's 'type' names a model (strict 1.2 wants '$ref'); read as a reference, "
        "as the Swagger 1.0/1.1 specs (Marvel, petstore 1.1, Wordnik) write it"
    ),
}


def _is_listing(path: Path) -> bool:
    """A resource listing: ``apis`` with paths only, no models, no resourcePath."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    apis = data.get("apis") if isinstance(data, dict) else None
    return (
        isinstance(apis, list)
        and "models" not in data
        and "resourcePath" not in data
        and all(isinstance(a, dict) and "operations" not in a for a in apis)
    )


def corpus_entries() -> list[str]:
    """A folder with a resource listing is one spec; elsewhere each JSON file is one."""
    if not CORPUS.is_dir():
        return []
    entries: list[str] = []
    for folder in sorted({p.parent for p in CORPUS.rglob("*.json")}):
        files = sorted(folder.glob("*.json"))
        if any(_is_listing(f) for f in files):
            entries.append(str(folder.relative_to(CORPUS)))
        else:
            entries.extend(str(f.relative_to(CORPUS)) for f in files)
    return entries


ENTRIES = corpus_entries()
VALID = [e for e in ENTRIES if e not in EXPECTED_FAILURES]


CLIENT_MODULES = ("client", *CLIENT_RUNTIME)


def package_base(prefix: str, name: str) -> str:
    return f"{prefix}_{re.sub(r'[^0-9A-Za-z]+', '_', name).strip('_').lower()}"


@dataclass(frozen=True)
class Case:
    spec: Path
    base: str
    duplicate_keys: str = "error"
    # The corpus's operations are not Asterisk's (most spell them the Swagger 1.2 way,
    # with form and header parameters): models only (--no-client) for those.
    client: bool = True


def ari_case(version: str) -> Case:
    return Case(
        ari_spec(version),
        package_base("ari", version),
        "last" if version == "12.0.0" else "error",  # recordings.json repeats keys
    )


def corpus_case(entry: str) -> Case:
    return Case(
        require_shared("swagger12-corpus", *Path(entry).parts),
        package_base("c", entry),
        client=False,
    )


def generate_all(packages: Packages, case: Case) -> dict[str, Path]:
    return {
        style: packages.get(
            case.spec, style, case.base, duplicate_keys=case.duplicate_keys, client=case.client
        )
        for style in STYLES
    }


def check_runtime(packages: Packages, case: Case) -> None:
    options = LoadOptions(duplicate_keys=case.duplicate_keys, operations=case.client)
    graph = build_graph(load_spec(case.spec, options))
    for style in ("dataclasses", "typeddict"):
        pkg = packages.module(
            case.spec, style, case.base, duplicate_keys=case.duplicate_keys, client=case.client
        )
        assert set(pkg.MODELS) == {m.id for m in graph.models}, style
        for m in graph.models:
            assert pkg.MODELS[m.id] is getattr(pkg, m.py_name)


# --- Asterisk's specs -------------------------------------------------------------------


def test_shared_corpora_present() -> None:
    for version in ARI_SPECS:
        assert (ari_spec(version) / "resources.json").is_file()
    assert require_shared("swagger12-corpus").is_dir()
    assert len(ENTRIES) >= 30


@pytest.mark.parametrize("version", ARI_SPECS)
def test_ari_spec_generates_in_every_style(packages: Packages, version: str) -> None:
    case = ari_case(version)
    folders = generate_all(packages, case)
    assert (folders["stubs"] / "models.pyi").is_file()
    check_runtime(packages, case)
    dc = packages.module(case.spec, "dataclasses", case.base, duplicate_keys=case.duplicate_keys)
    assert issubclass(dc.StasisStart, dc.Event) and issubclass(dc.Event, dc.Message)
    assert dc.StasisStart in typing.get_args(dc.AnyEvent)


def test_asterisk_12_needs_duplicate_keys_last() -> None:
    with pytest.raises(SpecError, match="appears twice in one JSON object"):
        load_spec(ari_spec("12.0.0"))
    assert build_graph(load_spec(ari_spec("12.0.0"), LoadOptions(duplicate_keys="last"))).models


# --- the Swagger 1.x corpus -------------------------------------------------------------


def test_failure_tables_name_real_documents() -> None:
    require_shared("swagger12-corpus")
    assert set(EXPECTED_FAILURES) <= set(ENTRIES)
    assert set(ACCEPTED_FAIL_FIXTURES) <= set(VALID)
    # every validator fixture named *_fail is accounted for, one way or the other
    named_fail = {e for e in ENTRIES if e.endswith("_fail.json")}
    assert named_fail <= set(EXPECTED_FAILURES) | set(ACCEPTED_FAIL_FIXTURES)


@pytest.mark.parametrize("entry", sorted(EXPECTED_FAILURES))
def test_invalid_corpus_documents_fail_clearly(entry: str) -> None:
    expected, _reason = EXPECTED_FAILURES[entry]
    spec = require_shared("swagger12-corpus", *Path(entry).parts)
    with pytest.raises(SpecError) as excinfo:
        build_graph(load_spec(spec, LoadOptions(operations=False)))
    messages = [str(p) for p in excinfo.value.problems]
    assert any(expected in m for m in messages), messages
    for problem in excinfo.value.problems:
        # each problem names a file of this spec and says what is wrong
        assert Path(problem.loc.file).resolve().is_relative_to(spec.resolve()), problem
        assert problem.message


@pytest.mark.parametrize("entry", VALID)
def test_valid_corpus_documents_generate_in_every_style(packages: Packages, entry: str) -> None:
    case = corpus_case(entry)
    generate_all(packages, case)
    check_runtime(packages, case)


def test_type_named_model_is_read_as_a_reference(packages: Packages) -> None:
    case = corpus_case("yelp-swagger_spec_validator-tests/api_declarations/type_in_model_fail.json")
    pkg = packages.module(case.spec, "dataclasses", case.base, client=case.client)
    assert typing.get_type_hints(pkg.bar)["baz"] == pkg.qux | None


@pytest.mark.parametrize("entry", ENTRIES)
def test_corpus_operations_load_or_fail_clearly(entry: str) -> None:
    """Operations too (what the client is made of): read, or refused with file and path."""
    spec = require_shared("swagger12-corpus", *Path(entry).parts)
    try:
        build_graph(load_spec(spec, LoadOptions(duplicate_keys="last")))
    except SpecError as exc:
        for problem in exc.problems:
            assert Path(problem.loc.file).resolve().is_relative_to(spec.resolve()), problem
            assert problem.message


# --- all packages at once: mypy and stubtest ------------------------------------------------


@pytest.fixture(scope="module")
def every_package(packages: Packages) -> list[str]:
    """Generate every valid spec in every style; return the package base names."""
    cases = [ari_case(v) for v in ARI_SPECS] + [corpus_case(e) for e in VALID]
    for case in cases:
        generate_all(packages, case)
    return [case.base for case in cases]


@pytest.mark.parametrize("version", MYPY_VERSIONS)
def test_every_package_passes_mypy_strict(
    packages: Packages, every_package: list[str], version: str, tmp_path: Path
) -> None:
    for style in STYLES:
        assert_mypy_clean(
            packages.folder(style),
            [Packages.name(base, style) for base in every_package],
            scratch=tmp_path / style,
            versions=[version],
        )


def test_every_package_imports_only_the_standard_library(
    packages: Packages, every_package: list[str]
) -> None:
    checked = 0
    for style in STYLES:
        for base in every_package:
            for path in sorted((packages.folder(style) / Packages.name(base, style)).glob("*.py*")):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                if path.stem in CLIENT_MODULES:
                    # The client's HTTP / WebSocket libraries (and orjson) are optional
                    # dependencies of the application: imported only inside functions.
                    nodes = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
                else:
                    nodes = list(ast.walk(tree))
                for node in nodes:
                    if isinstance(node, ast.Import):
                        tops = [a.name.split(".")[0] for a in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0:
                        tops = [(node.module or "").split(".")[0]]
                    else:
                        continue
                    checked += 1
                    assert all(t in sys.stdlib_module_names for t in tops), (path, tops)
    assert checked >= 3 * len(every_package)


def test_every_stub_package_matches_its_dataclasses(
    packages: Packages, every_package: list[str], tmp_path: Path
) -> None:
    result = run_stubtest(
        packages.folder("dataclasses"), packages.folder("stubs"), every_package, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
