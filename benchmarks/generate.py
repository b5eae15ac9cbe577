"""Generation time: ari-codegen's dataclasses against datamodel-code-generator's.

    python benchmarks/generate.py [--spec 22.0.0] [--copies 40] [--repeat 3] [--no-profile]

Both tools run as whole processes (wall time of a subprocess, imports included), on the
same models: ``ari-codegen generate SPEC --style dataclasses`` reads the Swagger 1.2
spec; datamodel-codegen (``--output-model-type dataclasses.dataclass``, keyword-only
dataclasses so that inheritance type-checks, black + isort as by default) reads the same
models converted to OpenAPI 3 (see _common.py; the conversion is not timed).  Sizes: the
spec as released, and every model replicated ``--copies`` times under suffixed ids with
every reference rewritten.

The profile splits ari-codegen's time into its stages, measured in-process: imports,
load, type graph, views + jinja2, formatting (black where needed), writing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import BIN, load_graph, replicate_spec, spec_dir, table, wall_time, write_openapi

from ari_codegen.load import LoadOptions, load_spec
from ari_codegen.render import RenderOptions, format_source, render
from ari_codegen.write import Output, apply, plan


def ours_command(spec: Path, out: Path) -> list[str]:
    return [
        str(BIN / "ari-codegen"), "generate", str(spec),
        "--style", "dataclasses", "--out", str(out), "--package", "bench_models",
    ]  # fmt: skip


def dmcg_command(openapi: Path, out: Path) -> list[str]:
    return [
        str(BIN / "datamodel-codegen"),
        "--input", str(openapi),
        "--input-file-type", "openapi",
        "--output", str(out / "bench_models.py"),
        "--output-model-type", "dataclasses.dataclass",
        "--target-python-version", "3.10",
        "--keyword-only",
        "--formatters", "black", "isort",  # its current default, said explicitly
        "--disable-timestamp",
    ]  # fmt: skip


def best_wall_time(make: Callable[[Path], list[str]], work: Path, repeat: int) -> float:
    """The best of ``repeat`` runs, each into a fresh folder (so every file is written)."""
    best = float("inf")
    for i in range(repeat):
        out = work / f"run{i}"
        out.mkdir()
        best = min(best, wall_time(make(out)))
    return best


def lines(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in folder.rglob("*.py"))


def profile(spec: Path, out: Path) -> dict[str, float]:
    """Seconds per stage of one in-process run (imports measured in a fresh process)."""
    stages: dict[str, float] = {}
    stages["start-up and imports (click, jinja2)"] = wall_time(
        [sys.executable, "-c", "import ari_codegen.cli"]
    )

    def timed(name: str, action: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = action()
        stages[name] = time.perf_counter() - start
        return result

    loaded = timed("load (Swagger JSON → raw models)", lambda: load_spec(spec, LoadOptions()))
    from ari_codegen.graph import build_graph

    graph = timed("type graph", lambda: build_graph(loaded))
    options = RenderOptions(style="dataclasses", format=False)
    files = timed("views + jinja2 (unformatted text)", lambda: render(graph, options))
    formatted = timed(
        "formatting (black where needed)",
        lambda: {
            name: format_source(text, name) if name.endswith(".py") else text
            for name, text in files.items()
        },
    )
    timed("writing", lambda: apply(plan([Output(out / "bench_models", formatted)])))
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="22.0.0", help="version under ../shared/ari-specs")
    parser.add_argument("--copies", type=int, default=40, help="replication of the large size")
    parser.add_argument("--repeat", type=int, default=3, help="runs at the small size (best)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs at the large size")
    parser.add_argument("--no-profile", action="store_true", help="skip ari-codegen's profile")
    args = parser.parse_args()

    source = spec_dir(args.spec)
    rows: list[list[str]] = []
    profiles: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="ari-bench-gen-") as tmp:
        work = Path(tmp)
        large = work / f"x{args.copies}"
        replicate_spec(source, large, args.copies)
        sizes = [
            (f"{args.spec}", source, args.repeat),
            (f"{args.spec} x{args.copies}", large, args.repeat_large),
        ]
        for label, spec, repeat in sizes:
            models = len(load_graph(spec).models)
            slug = label.replace(" ", "_")
            openapi = write_openapi(spec, work / f"{slug}.openapi.json")
            (work / slug / "ours").mkdir(parents=True)
            (work / slug / "dmcg").mkdir(parents=True)
            ours = best_wall_time(
                lambda out, s=spec: ours_command(s, out), work / slug / "ours", repeat
            )
            theirs = best_wall_time(
                lambda out, o=openapi: dmcg_command(o, out), work / slug / "dmcg", repeat
            )
            ours_lines = lines(work / slug / "ours" / "run0")
            theirs_lines = lines(work / slug / "dmcg" / "run0")
            rows.append([
                label, f"{models:,}", f"{ours:.2f}", f"{theirs:.2f}", f"{theirs / ours:.2f}x",
                f"{ours_lines:,}", f"{theirs_lines:,}",
            ])  # fmt: skip
            if not args.no_profile:
                (work / slug / "profile").mkdir()
                profiles[label] = profile(spec, work / slug / "profile")

    runs = f"best of {args.repeat} (small) / {args.repeat_large} (large) runs"
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; {runs}")
    print(
        table(
            ["spec", "models", "ari-codegen s", "datamodel-codegen s", "speed-up (dmcg ÷ ours)",
             "lines ours", "lines dmcg"],
            rows,
        )
    )  # fmt: skip
    if profiles:
        labels = list(profiles)
        stages = list(profiles[labels[0]])
        prof_rows = []
        for stage in stages:
            row = [stage]
            for label in labels:
                total = sum(profiles[label].values())
                row.append(f"{profiles[label][stage]:.2f} s ({profiles[label][stage] / total:.0%})")
            prof_rows.append(row)
        prof_rows.append(["total", *(f"{sum(profiles[lb].values()):.2f} s" for lb in labels)])
        print()
        print("Where ari-codegen's time goes (one in-process run per size):")
        print(table(["stage", *labels], prof_rows))


if __name__ == "__main__":
    main()
