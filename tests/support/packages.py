"""Generated packages for tests: generate in-process, import, reuse within a session."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ari_codegen.load import LoadOptions
from ari_codegen.pipeline import Job, Target, run
from ari_codegen.write import apply, plan


def generate_package(
    spec: str | Path | tuple[str | Path, ...] | None,
    style: str,
    out: Path,
    package: str,
    *,
    duplicate_keys: str = "error",
    client: bool = True,
) -> Path:
    """Generate one package in-process (load → graph → render → write); return its folder.

    ``spec``: one spec, several (a tuple, oldest first: merged), or None (the bundled one).
    ``client``: False is ``--no-client`` (models only, operations not read).
    """
    specs = spec if isinstance(spec, tuple) else (spec,) if spec is not None else ()
    target = Target(style, out / package)
    job = Job(
        specs=tuple(str(s) for s in specs),
        targets=(target,),
        load=LoadOptions(duplicate_keys=duplicate_keys, operations=client),
        client=client,
    )
    _, outputs = run(job)
    apply(plan(outputs))
    return target.directory


def import_package(folder: Path) -> Any:
    """Import a generated package from its folder under its own (unique) name."""
    parent = str(folder.parent)
    sys.path.insert(0, parent)
    try:
        return importlib.import_module(folder.name)
    finally:
        sys.path.remove(parent)


def generate_merged(
    specs: Iterable[str | Path],
    style: str,
    out: Path,
    package: str,
    *,
    duplicate_keys: str = "last",
) -> Path:
    """Generate one package from several specs (oldest first) merged; return its folder."""
    return generate_package(tuple(specs), style, out, package, duplicate_keys=duplicate_keys)


class Packages:
    """Generated packages of one session, each (spec, style) rendered once.

    Layout: ``root/<style>/<name>``.  A dataclasses package and its stubs share one name
    (stubtest pairs them); the TypedDict package gets ``_td`` so that both runtime
    packages can be imported into one interpreter.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[tuple[str, str], tuple[str, str, bool]] = {}

    @staticmethod
    def name(base: str, style: str) -> str:
        return f"{base}_td" if style == "typeddict" else base

    def folder(self, style: str) -> Path:
        return self.root / style

    def get(
        self,
        spec: str | Path | None,
        style: str,
        base: str,
        *,
        duplicate_keys: str = "error",
        client: bool = True,
    ) -> Path:
        key = (base, style)
        wanted = (str(spec), duplicate_keys, client)
        if key in self._made:
            assert self._made[key] == wanted, f"package {base!r} reused for another spec"
            return self.folder(style) / self.name(base, style)
        folder = generate_package(
            spec,
            style,
            self.folder(style),
            self.name(base, style),
            duplicate_keys=duplicate_keys,
            client=client,
        )
        self._made[key] = wanted
        return folder

    def module(
        self,
        spec: str | Path | None,
        style: str,
        base: str,
        *,
        duplicate_keys: str = "error",
        client: bool = True,
    ) -> Any:
        assert style != "stubs", "stubs are not importable"
        folder = self.get(spec, style, base, duplicate_keys=duplicate_keys, client=client)
        return import_package(folder)
