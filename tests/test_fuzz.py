"""Property tests: random valid specs give working code; random broken ones, clean errors.

* Valid specs (tests/support/strategies.py): the graph agrees with the plan; the generated code of
  every style compiles and (runtime styles) imports; every model's random JSON decodes
  with ``from_dict`` into that very class and encodes back unchanged (``to_dict``,
  ``to_json``/``from_json``); the same JSON with one value of the wrong kind raises
  ``DecodeError`` (a ValueError), never another exception.  One test renders with black,
  the other without (black is not what is fuzzed here, and costs ~0.2 s per file).
* Mutated specs: ari-codegen either generates code that compiles and imports, or raises
  :class:`SpecError` whose every problem names a file of the spec, in one line; never
  another exception.

CI runs a few seeded examples (``derandomize=True``, well under a minute in all).  Run many
more, randomly, with ARI_CODEGEN_FUZZ_EXAMPLES=500 (or more).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from support.packages import import_package
from support.specs import write_files
from support.strategies import WRONG_VALUES, SpecPlan, json_values, mutated, spec_plans

from ari_codegen.errors import Problem, SpecError
from ari_codegen.graph import TypeGraph, build_graph
from ari_codegen.load import load_spec
from ari_codegen.render import RenderOptions, render
from ari_codegen.styles import STYLE_NAMES as STYLES

EXAMPLES = int(os.environ.get("ARI_CODEGEN_FUZZ_EXAMPLES", "0"))


def budget(ci_examples: int, share: float = 1.0, *, shrink: bool = True) -> Any:
    """Few seeded examples in CI; ARI_CODEGEN_FUZZ_EXAMPLES random ones when asked.

    ``shrink=False`` where an example is slow (black): a failure there is reported as
    found; the same plans, without black, are shrunk by the other tests.
    """
    phases = [p for p in Phase if shrink or p not in (Phase.shrink, Phase.explain)]
    return settings(
        phases=phases,
        max_examples=max(1, int(EXAMPLES * share)) if EXAMPLES else ci_examples,
        derandomize=not EXAMPLES,
        database=None,  # nothing written into the project
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


_counter = itertools.count()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@contextmanager
def example_folder(root: Path) -> Iterator[tuple[Path, str]]:
    """A fresh folder and a package name no other example has used."""
    n = next(_counter)
    yield root / f"ex{n}", f"ari_fuzz_{n}"


def write_rendered(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def compile_all(files: dict[str, str], where: str) -> None:
    for name, text in files.items():
        if name.endswith((".py", ".pyi")):
            compile(text, f"{where}/{name}", "exec", dont_inherit=True)


def unload(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


# --- valid specs --------------------------------------------------------------------------


def check_graph_agrees(plan: SpecPlan, graph: TypeGraph) -> None:
    assert {m.id for m in graph.models} == set(plan.models)
    for mid in plan.models:
        model = graph.by_id[mid]
        assert model.base == plan.models[mid].parent
        tag = plan.discriminator(mid)
        assert model.discriminator == tag
        leaf = not plan.children(mid)
        expected = {f.wire: f.required or (f.wire == tag and leaf) for f in plan.fields(mid)}
        assert {f.wire_name: f.required for f in model.fields} == expected, mid


def check_round_trips(plan: SpecPlan, dc: Any, td: Any, data: st.DataObject) -> None:
    for mid in plan.models:
        cls = dc.MODELS[mid]
        value = data.draw(json_values(plan, mid), label=f"JSON for {mid!r}")
        leaf = not plan.children(mid)
        tag = plan.discriminator(mid)
        required = {f.wire for f in plan.fields(mid) if f.required or (f.wire == tag and leaf)}
        assert td.MODELS[mid].__required_keys__ == required
        assert td.MODELS[mid].__optional_keys__ == {f.wire for f in plan.fields(mid)} - required
        if value is None:
            continue  # no finite instance (a required reference cycle)
        obj = cls.from_dict(value)
        assert type(obj) is cls
        assert obj.to_dict() == value
        assert cls.from_json(obj.to_json()).to_dict() == value
        # One value of the wrong kind: a DecodeError (a ValueError), nothing else.
        broken = data.draw(wrong_somewhere(value), label="broken JSON")
        try:
            cls.from_dict(broken)
        except dc.DecodeError as exc:
            assert isinstance(exc, ValueError)
            assert str(exc).startswith(cls.__name__) or str(exc).startswith(
                tuple(c.__name__ for c in dc.MODELS.values())
            ), str(exc)


@st.composite
def wrong_somewhere(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one nested value (or the whole) replaced by a random JSON value."""
    copy = json.loads(json.dumps(value))
    paths: list[tuple[Any, ...]] = [()]

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            paths.append((*path, key))
            if isinstance(child, (dict, list)):
                walk(child, (*path, key))

    if isinstance(copy, (dict, list)):
        walk(copy, ())
    path = draw(st.sampled_from(paths))
    new = draw(WRONG_VALUES)
    if not path:
        return new
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new
    return copy


def generate_and_check(root: Path, plan: SpecPlan, data: st.DataObject, *, black: bool) -> None:
    with example_folder(root) as (folder, package):
        write_files(folder / "spec", plan.documents())
        graph = build_graph(load_spec(folder / "spec"))
        check_graph_agrees(plan, graph)
        modules = {}
        for style in STYLES:
            files = render(graph, RenderOptions(style=style, format=black))
            compile_all(files, f"{folder}/{style}")
            name = f"{package}_td" if style == "typeddict" else package
            written = write_rendered(folder / style / name, files)
            if style != "stubs":
                modules[style] = import_package(written)
        try:
            check_round_trips(plan, modules["dataclasses"], modules["typeddict"], data)
        finally:
            unload(package)
            unload(f"{package}_td")


@budget(ci_examples=80)
@given(plan=spec_plans(), data=st.data())
def test_random_valid_specs_round_trip(root: Path, plan: SpecPlan, data: st.DataObject) -> None:
    generate_and_check(root, plan, data, black=False)


@budget(ci_examples=12, share=0.2, shrink=False)
@given(plan=spec_plans(max_models=4), data=st.data())
def test_random_valid_specs_with_black(root: Path, plan: SpecPlan, data: st.DataObject) -> None:
    generate_and_check(root, plan, data, black=True)


# --- broken specs -------------------------------------------------------------------------------


@budget(ci_examples=300, share=2.0)
@given(plan=spec_plans(max_models=5), data=st.data())
def test_mutated_specs_give_code_or_a_clean_spec_error(
    root: Path, plan: SpecPlan, data: st.DataObject
) -> None:
    files = data.draw(mutated(plan), label="files")
    with example_folder(root) as (folder, package):
        spec = write_files(folder / "spec", files)
        try:
            graph = build_graph(load_spec(spec))
        except SpecError as exc:
            check_problems(exc, spec, files)
            for problem in exc.problems:  # --hypothesis-show-statistics: what was found
                event("rejected: " + re.sub(r"'.*'|\d+", "…", problem.message)[:60])
            return
        event("accepted")
        for style in STYLES:
            try:
                rendered = render(graph, RenderOptions(style=style, format=False))
            except SpecError as exc:  # pragma: no cover - a template problem: a bug here
                pytest.fail(f"a spec the graph accepted failed to render: {exc}")
            compile_all(rendered, f"{folder}/{style}")
            if style != "stubs":
                name = f"{package}_td" if style == "typeddict" else package
                import_package(write_rendered(folder / style / name, rendered))
                unload(name)


def check_problems(exc: SpecError, spec: Path, files: dict[str, Any]) -> None:
    """Every problem names a file of the spec and a JSON path that leads to the culprit,
    with a one-line message."""
    assert exc.problems
    known = (
        {str(spec / name) for name in files}
        | {str((spec / name).resolve()) for name in files}
        | {str(spec)}
    )
    for problem in exc.problems:
        assert problem.message and problem.message.strip(), problem
        assert "Traceback" not in problem.message
        assert problem.loc.file in known, (problem.loc.file, sorted(known))
        # the message itself is one line (JSON path parts holding line breaks are
        # test_errors.test_a_path_part_with_a_line_break_stays_on_its_line's)
        assert len(problem.message.splitlines()) <= 1, problem.message
        if problem.loc.path:
            assert_path_leads_somewhere(problem)


def assert_path_leads_somewhere(problem: Problem) -> None:
    """Every part of the path but the last exists in the file (the last one may be the
    member that is missing)."""
    # json.loads, unlike ari-codegen, reads NaN: a problem may be about one.
    node = json.loads(Path(problem.loc.file).read_text(encoding="utf-8-sig"))
    for part in problem.loc.path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            pytest.fail(f"{problem}: no {part!r} in the file on that path")
