"""Pipeline layer: the whole job, layer after layer: load → graph → render (→ the CLI writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import naming
from .errors import Problems, SpecError, UsageError
from .graph import TypeGraph, assemble, build_graph, declare, merge_declarations
from .load import LoadOptions, load_spec
from .render import RenderOptions, render
from .resources import bundled_spec_dir
from .styles import STYLE_NAMES, STYLES
from .write import Output

BUNDLED_LABEL = "bundled specs/"


@dataclass(frozen=True)
class Target:
    """One package to generate: a style, written to ``directory``."""

    style: str
    directory: Path


@dataclass(frozen=True)
class Job:
    specs: tuple[str, ...] = ()  # empty: the bundled spec
    targets: tuple[Target, ...] = ()
    load: LoadOptions = field(default_factory=LoadOptions)
    template_dirs: tuple[Path, ...] = ()
    client: bool = True  # the typed client too (when the spec has operations)


def is_package_name(name: str) -> bool:
    return naming.package_name_problem(name) is None


def committed_targets(root: Path, package: str) -> tuple[Target, ...]:
    """The project's committed output: every style under ``root/<style>/<package>``."""
    return tuple(Target(style, root / style / package) for style in STYLE_NAMES)


def load_graph(specs: Sequence[str], options: LoadOptions) -> TypeGraph:
    """One spec's graph; several specs (oldest first) merge into one spanning model set."""
    if not specs:
        spec = load_spec(bundled_spec_dir(), options)
        return build_graph(spec.relabel(BUNDLED_LABEL))
    if len(specs) == 1:
        return build_graph(load_spec(specs[0], options))
    problems = Problems()
    declared = []
    for source in specs:
        try:
            declared.append(declare(load_spec(source, options)))
        except SpecError as exc:
            problems.extend(exc)
    problems.raise_if_any()
    return assemble(merge_declarations(declared))


def run(job: Job) -> tuple[TypeGraph, list[Output]]:
    """Everything in memory; raises an AriCodegenError before anything is written."""
    for target in job.targets:
        if target.style not in STYLES:
            raise UsageError(f"unknown style {target.style!r}")
        problem = naming.package_name_problem(target.directory.name)
        if problem:
            raise UsageError(f"--package {target.directory.name!r} {problem}")
    graph = load_graph(job.specs, job.load)
    outputs = []
    for target in job.targets:
        options = RenderOptions(
            style=target.style, template_dirs=job.template_dirs, client=job.client
        )
        files = render(graph, options)
        outputs.append(Output(target.directory, files))
    return graph, outputs


__all__ = ["Job", "SpecError", "Target", "UsageError", "committed_targets", "load_graph", "run"]
