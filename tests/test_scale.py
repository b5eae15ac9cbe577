"""Scale: a spec of ~3,000 models (forty-odd ARIs side by side) stays fast and lean.

The spec is synthesized: ARI 22.0.0's 71 models copied 11 and 44 times (781 and 3,124
models), every id suffixed per copy (``Channel_7``), with every reference (``$ref``,
``type``, ``List[...]``, ``extends``, ``subTypes``) renamed alike, one API declaration
per copy and original file.  Without ../shared, a synthetic ARI-like copy (a
discriminated event hierarchy, plain models, references, lists, enums, dates) takes its
place.

What is measured, at ~750 and ~3,000 models:

* load + graph + render of every style *without black* (``RenderOptions(format=False)``):
  CPU time (best of three), and peak traced memory (tracemalloc, in a run of its own:
  tracing slows everything down).  Both must grow roughly linearly: 4x the models may
  cost at most ~6x.
* ``ari-codegen generate`` in full (formatting included), well under a minute.

Set ARI_CODEGEN_SCALE_REPORT=1 to print the measurements (pytest -s).
"""

from __future__ import annotations

import copy
import gc
import json
import os
import re
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.paths import SHARED
from support.specs import declaration, model

from ari_codegen.cli import main_group
from ari_codegen.graph import build_graph
from ari_codegen.load import load_spec
from ari_codegen.render import RenderOptions, render
from ari_codegen.styles import STYLE_NAMES as STYLES

BASE_SPEC = SHARED / "ari-specs" / "22.0.0"
SMALL, LARGE = 750, 3000
MAX_GROWTH = 6.0  # for 4x the models
MAX_SECONDS_WITHOUT_BLACK = 30.0  # at 3,000 models (measured: a few seconds)
MAX_SECONDS_FULL = 60.0


# --- the spec ---------------------------------------------------------------------------------


def base_documents() -> dict[str, dict[str, Any]]:
    """One copy's declarations: {file name: {model id: model}}."""
    if BASE_SPEC.is_dir():
        docs = {}
        for path in sorted((BASE_SPEC / "api-docs").glob("*.json")):
            models = json.loads(path.read_text(encoding="utf-8")).get("models") or {}
            if models:
                docs[path.name] = models
        return docs
    return synthetic_documents()


def synthetic_documents() -> dict[str, dict[str, Any]]:
    """An ARI-like copy when ../shared is absent: 71 models, as ARI 22 has."""
    string, date = {"type": "string"}, {"type": "Date", "required": True}
    events: dict[str, Any] = {
        "Message": model(
            "Message",
            {"type": {"type": "string", "required": True}, "asterisk_id": string},
            discriminator="type",
            subTypes=["Event"],
        ),
        "Event": model(
            "Event",
            {"application": {"type": "string", "required": True}, "timestamp": date},
            subTypes=[f"Event{i}" for i in range(40)],
        ),
    }
    for i in range(40):
        events[f"Event{i}"] = model(
            f"Event{i}",
            {
                "channel": {"$ref": f"Thing{i % 29}", "required": True},
                "args": {"type": "List[string]"},
                "state": {"type": "string", "enum": ["Up", "Down", "Ring ing"]},
            },
        )
    things = {
        f"Thing{i}": model(
            f"Thing{i}",
            {
                "id": {"type": "string", "required": True},
                "count": {"type": "long"},
                "created": {"type": "Date"},
                "next": {"$ref": f"Thing{(i + 1) % 29}"},
                "others": {"type": f"List[Thing{(i + 3) % 29}]"},
                "vars": {"type": "object"},
            },
            description=f"Thing number {i}.",
        )
        for i in range(29)
    }
    return {"events.json": events, "things.json": things}


_NAME = re.compile(r"^(List|Set|Array)\[(.*)\]$", re.IGNORECASE)


def _renamed_type(value: dict[str, Any], rename: Callable[[str], str]) -> dict[str, Any]:
    out = dict(value)
    if isinstance(out.get("$ref"), str):
        out["$ref"] = rename(out["$ref"])
    if isinstance(out.get("type"), str):
        match = _NAME.match(out["type"])
        if match:
            out["type"] = f"{match.group(1)}[{rename(match.group(2).strip())}]"
        else:
            out["type"] = rename(out["type"])
    if isinstance(out.get("items"), dict):
        out["items"] = _renamed_type(out["items"], rename)
    return out


def copy_models(models: dict[str, Any], suffix: str, ids: set[str]) -> dict[str, Any]:
    def rename(name: str) -> str:
        return f"{name}{suffix}" if name in ids else name

    out: dict[str, Any] = {}
    for mid, m in models.items():
        m = copy.deepcopy(m)
        m["id"] = rename(m["id"])
        if "extends" in m:
            m["extends"] = rename(m["extends"])
        if "subTypes" in m:
            m["subTypes"] = [rename(s) for s in m["subTypes"]]
        m["properties"] = {
            name: _renamed_type(prop, rename) for name, prop in (m.get("properties") or {}).items()
        }
        out[rename(mid)] = m
    return out


def models_per_copy() -> int:
    return sum(len(models) for models in base_documents().values())


def write_scaled_spec(folder: Path, copies: int) -> int:
    """A spec folder of ``copies`` copies of the base models; returns the model count."""
    docs = base_documents()
    ids = {mid for models in docs.values() for mid in models}
    folder.mkdir(parents=True)
    for k in range(copies):
        for name, models in docs.items():
            text = json.dumps(declaration(copy_models(models, f"_{k}", ids)), indent=1)
            (folder / f"{Path(name).stem}_{k}.json").write_text(text, encoding="utf-8")
    return copies * len(ids)


# --- measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    models: int
    seconds: float
    peak_bytes: int
    output_bytes: int


def load_graph_render(folder: Path) -> int:
    graph = build_graph(load_spec(folder))
    size = 0
    for style in STYLES:
        files = render(graph, RenderOptions(style=style, format=False))
        size += sum(len(text) for text in files.values())
    return size


def measure(folder: Path, models: int, *, runs: int = 3) -> Measure:
    """The peak traced memory of one run, then the best CPU time of ``runs`` more (the
    machine may be busy with other work).

    Objects that exist before a run (pytest's, other tests') are frozen out of the
    garbage collector's sight: its full collections would otherwise cost in proportion
    to them, not to the work measured.
    """
    gc.collect()
    tracemalloc.start()
    try:
        load_graph_render(folder)  # also warms the file cache up for the timed runs
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    times = []
    for _ in range(runs):
        gc.collect()
        gc.freeze()
        try:
            start = time.process_time()
            size = load_graph_render(folder)
            times.append(time.process_time() - start)
        finally:
            gc.unfreeze()
    return Measure(models, min(times), peak, size)


def report(*lines: str) -> None:
    if os.environ.get("ARI_CODEGEN_SCALE_REPORT") == "1":
        for line in lines:
            print(line)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, int]]:
    """{SMALL: (folder, models), LARGE: (folder, models)}: exactly 4x the models."""
    root = tmp_path_factory.mktemp("scale")
    small = max(1, round(SMALL / models_per_copy()))
    copies = {SMALL: small, LARGE: 4 * small}
    return {
        n: (root / f"spec{n}", write_scaled_spec(root / f"spec{n}", c)) for n, c in copies.items()
    }


def test_synthesized_spec_is_as_large_as_asked(scaled: dict[int, tuple[Path, int]]) -> None:
    for wanted, (folder, count) in scaled.items():
        graph = build_graph(load_spec(folder))
        assert len(graph.models) == count
        assert abs(count - wanted) <= wanted / 10
    # every copy keeps its inheritance: one discriminated union per copy and root
    large, count = scaled[LARGE]
    graph = build_graph(load_spec(large))
    assert len(graph.unions) >= count // 71


def test_load_graph_render_grows_linearly(scaled: dict[int, tuple[Path, int]]) -> None:
    load_graph_render(scaled[SMALL][0])  # imports, compiled templates: not what is measured
    small = measure(*scaled[SMALL])
    large = measure(*scaled[LARGE])
    size_ratio = large.models / small.models
    time_ratio = large.seconds / small.seconds
    memory_ratio = large.peak_bytes / small.peak_bytes
    report(
        "",
        *(
            f"{m.models:5d} models: load+graph+render (3 styles, no black) {m.seconds:6.2f} s, "
            f"peak traced memory {m.peak_bytes / 2**20:7.1f} MiB, output "
            f"{m.output_bytes / 2**20:6.1f} MiB"
            for m in (small, large)
        ),
        f"ratios for {size_ratio:.2f}x the models: time {time_ratio:.2f}x, "
        f"memory {memory_ratio:.2f}x",
    )
    assert large.seconds < MAX_SECONDS_WITHOUT_BLACK, large
    assert size_ratio == 4
    assert time_ratio < MAX_GROWTH, (small, large)
    assert memory_ratio < MAX_GROWTH, (small, large)
    # and the output itself is linear in the models
    assert large.output_bytes / small.output_bytes < 1.2 * size_ratio


@pytest.mark.parametrize("style", ["dataclasses", "typeddict", "stubs"])
def test_full_generate_of_3000_models_is_under_a_minute(
    scaled: dict[int, tuple[Path, int]], tmp_path: Path, style: str
) -> None:
    folder, count = scaled[LARGE]
    start = time.perf_counter()
    result = CliRunner().invoke(
        main_group,
        ["generate", str(folder), "--style", style, "--out", str(tmp_path), "--package", "big"],
        catch_exceptions=False,
    )
    seconds = time.perf_counter() - start
    report("", f"ari-codegen generate --style {style}: {count} models in {seconds:.1f} s")
    assert result.exit_code == 0, result.stderr
    assert f"{count} models" in result.stderr
    assert seconds < MAX_SECONDS_FULL
