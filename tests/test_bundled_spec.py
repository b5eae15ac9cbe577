"""The bundled spec in specs/ is exactly the seed's 40 models, laid out as Asterisk did in 2013."""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.paths import REPO, require_shared

SPECS = REPO / "specs"
SCRIPT = REPO / "scripts" / "build_specs.py"
SEED_PARTS = ("seed", "ari-models-seed.txt")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate JSON keys in {keys}"
    return dict(pairs)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys)


def seed_models() -> dict[str, dict[str, Any]]:
    """The seed's model JSON lines by id, parsed independently of the script."""
    text = require_shared(*SEED_PARTS).read_text(encoding="utf-8")
    models = [
        json.loads(line, object_pairs_hook=_no_duplicate_keys)
        for line in text.splitlines()
        if line.startswith("{")
    ]
    by_id = {model["id"]: model for model in models}
    assert len(by_id) == len(models) == 40
    return by_id


def api_docs() -> dict[str, dict[str, Any]]:
    return {path.name: load_json(path) for path in sorted((SPECS / "api-docs").glob("*.json"))}


def bundled_models() -> list[tuple[str, str, dict[str, Any]]]:
    """(file name, model key, model) for every model in every api-docs file."""
    return [
        (name, key, model)
        for name, doc in api_docs().items()
        for key, model in doc["models"].items()
    ]


def test_every_bundled_model_equals_the_seed() -> None:
    seed = seed_models()
    for name, key, model in bundled_models():
        assert model["id"] == key, f"{name}: models[{key!r}] has id {model['id']!r}"
        assert model == seed[key], f"{name}: {key} differs from the seed"
        # Same key order too, so the file reads like the seed.
        assert json.dumps(model) == json.dumps(seed[key]), f"{name}: {key} key order differs"


def test_forty_models_each_exactly_once() -> None:
    keys = [key for _, key, _ in bundled_models()]
    assert len(keys) == 40
    assert len(set(keys)) == 40
    assert set(keys) == set(seed_models())


def test_resources_list_exactly_the_api_docs_files() -> None:
    resources = load_json(SPECS / "resources.json")
    listed = []
    for api in resources["apis"]:
        path = api["path"]
        assert path.startswith("/api-docs/") and path.endswith(".{format}"), path
        file_name = path.removeprefix("/api-docs/").replace("{format}", "json")
        assert (SPECS / "api-docs" / file_name).is_file(), f"{path} has no file"
        listed.append(file_name)
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(api_docs())


def test_resource_paths_match_their_files() -> None:
    for name, doc in api_docs().items():
        assert doc["resourcePath"] == f"/api-docs/{name.removesuffix('.json')}.{{format}}"


def test_events_use_extends_as_the_seed_does() -> None:
    seed = seed_models()
    docs = api_docs()
    events = docs["events.json"]
    assert events["swaggerVersion"] == "1.3"
    extending = {key for key, model in seed.items() if "extends" in model}
    assert extending, "the seed has models using extends"
    assert extending <= set(events["models"])
    for key, model in events["models"].items():
        assert model.get("extends") == seed[key].get("extends"), key
    assert events["models"]["Message"]["discriminator"] == "type"
    for name, doc in docs.items():
        if name != "events.json":
            assert doc["swaggerVersion"] == "1.1", name
            assert not any("extends" in m for m in doc["models"].values()), name


def test_models_sit_where_asterisk_put_them_in_2013() -> None:
    era = require_shared("ari-specs", "seed-era", "api-docs")
    for name, doc in api_docs().items():
        assert set(doc["models"]) == set(load_json(era / name)["models"]), name


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_script_reproduces_specs_byte_for_byte(tmp_path: Path) -> None:
    seed = require_shared(*SEED_PARTS)
    result = run_script(str(seed), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    bundled = {p.relative_to(SPECS): p.read_bytes() for p in SPECS.rglob("*") if p.is_file()}
    assert sorted(built) == sorted(bundled)
    for relative, data in built.items():
        assert data == bundled[relative], f"specs/{relative} is stale: run scripts/build_specs.py"


Mutation = Callable[[list[str]], list[str]]


def _drop_dialed(lines: list[str]) -> list[str]:
    return [line for line in lines if '"id": "Dialed"' not in line]


def _repeat_first_model(lines: list[str]) -> list[str]:
    return [*lines, next(line for line in lines if line.startswith("{"))]


def _duplicate_id_key(lines: list[str]) -> list[str]:
    return [line.replace('{ "properties"', '{ "id": "x", "properties"', 1) for line in lines]


def _orphan_stasis_start(lines: list[str]) -> list[str]:
    old = '"extends": "Event", "id": "StasisStart"'
    return [line.replace(old, '"id": "StasisStart"') for line in lines]


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (_drop_dialed, "expected 40 models, found 39"),
        (_repeat_first_model, "model 'AsteriskInfo' appears twice"),
        (_duplicate_id_key, "duplicate JSON key 'id'"),
        (_orphan_stasis_start, "'StasisStart' is assigned to no resource"),
    ],
)
def test_script_fails_loudly_on_a_bad_seed(tmp_path: Path, mutate: Mutation, error: str) -> None:
    lines = require_shared(*SEED_PARTS).read_text(encoding="utf-8").splitlines()
    bad_seed = tmp_path / "seed.txt"
    bad_seed.write_text("\n".join(mutate(lines)) + "\n", encoding="utf-8")
    result = run_script(str(bad_seed), "--out", str(tmp_path / "out"))
    assert result.returncode != 0
    assert error in result.stderr
    assert not (tmp_path / "out").exists()
