"""Command layer: ``[tool.ari-codegen]`` in the nearest pyproject.toml, validated.

A downstream project writes its settings once, so that its pre-commit hook and CI run a
bare ``ari-codegen generate --check``; options on the command line override them.  Paths
are relative to the pyproject.toml's folder, and shown relative to the current one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .load.sources import path_label
from .pipeline import Target, committed_targets
from .styles import STYLE_NAMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: tomli, a dependency there only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

TABLE = "tool.ari-codegen"
DEFAULT_STYLE = "dataclasses"
PROJECT_NAME = "ari-codegen"


@dataclass(frozen=True)
class Config:
    """The settings of ``[tool.ari-codegen]``; paths already relative to the cwd."""

    file: str  # the pyproject.toml, as shown in messages
    specs: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    out: Path | None = None
    package: str | None = None
    duplicate_keys: str | None = None
    template_dirs: tuple[Path, ...] = ()
    timeout: float | None = None
    given: frozenset[str] = field(default_factory=frozenset)  # keys the table sets


class ConfigError(UsageError):
    """``[tool.ari-codegen]`` holds something wrong (one line a problem)."""

    def lines(self) -> tuple[str, ...]:
        return tuple(self.message.splitlines())


def generate_targets(
    specs: tuple[str, ...],
    styles: tuple[str, ...],
    out: Path | None,
    package: str,
    config: Config | None,
    pyproject: Path | None,
) -> tuple[Target, ...]:
    """Where ``generate`` writes.  One style: ``OUT/PACKAGE``; several: ``OUT/STYLE/PACKAGE``.

    Without SPEC, --style or a configuration: ari-codegen's own ``generated/`` (every
    style), which only a checkout of ari-codegen (or an explicit --out) asks for.
    """
    if config is None and not specs and not styles:
        if out is None and not is_checkout(pyproject):
            raise UsageError(
                "without SPEC, --style or [tool.ari-codegen] in a pyproject.toml, generate "
                "rewrites ari-codegen's own generated/ (every style), and this is not a "
                "checkout of ari-codegen.  Name what to generate: a SPEC (or --style for the "
                "bundled spec), e.g. `ari-codegen generate --style dataclasses --out src`, "
                "or configure [tool.ari-codegen] (see the README)"
            )
        checkout = Path(_shown(pyproject.parent)) if pyproject is not None else Path(".")
        return committed_targets(out or checkout / "generated", package)
    styles = styles or (DEFAULT_STYLE,)
    root = out or Path(".")
    if len(styles) == 1:
        return (Target(styles[0], root / package),)
    return tuple(Target(style, root / style / package) for style in styles)


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml from ``start`` (the cwd) upwards."""
    folder = (start or Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate / "pyproject.toml"
    return None


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _read(pyproject: Path) -> dict[str, Any]:
    shown = _shown(pyproject)
    try:
        data: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{shown}: not valid TOML: {exc}") from None
    return data


def is_checkout(pyproject: Path | None) -> bool:
    """Is this pyproject.toml ari-codegen's own (a checkout of the project)?"""
    if pyproject is None:
        return False
    project = _read(pyproject).get("project")
    return isinstance(project, dict) and project.get("name") == PROJECT_NAME


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def load_config(pyproject: Path | None) -> Config | None:
    """The validated ``[tool.ari-codegen]`` table, or None when there is none."""
    if pyproject is None:
        return None
    tool = _read(pyproject).get("tool")
    table = tool.get("ari-codegen") if isinstance(tool, dict) else None
    if table is None:
        return None
    shown = _shown(pyproject)
    where = f"{shown} › {TABLE}"
    if not isinstance(table, dict):
        raise UsageError(f"{where}: expected a table")
    return _validate(table, pyproject.parent, shown, where)


def _validate(table: Mapping[str, Any], root: Path, shown: str, where: str) -> Config:
    problems: list[str] = []

    def bad(key: str, message: str) -> None:
        problems.append(f"{where} › {key}: {message}")

    for key in table:
        if key not in _KEYS:
            bad(key, f"unknown key (known: {', '.join(sorted(_KEYS))})")
    base = Path(_shown(root))

    def path(text: str) -> Path:
        return base / text

    values: dict[str, Any] = {}
    specs = _strings(table.get("specs", []))
    if specs is None:
        bad("specs", "expected a string or a list of strings")
        specs = ()
    labels = table.get("labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        bad("labels", "expected a table of spec = label strings")
        labels = {}
    for spec in labels:
        if spec not in specs:
            bad("labels", f"{spec!r} is not one of specs")
    values["specs"] = tuple(_spec_argument(s, labels.get(s), base) for s in specs)
    if "style" in table and "styles" in table:
        bad("styles", "give style or styles, not both")
    styles = _strings(table.get("styles", table.get("style", [])))
    key = "styles" if "styles" in table else "style"
    if styles is None:
        bad(key, "expected a string or a list of strings")
    else:
        for name in styles:
            if name not in STYLE_NAMES:
                bad(key, f"unknown style {name!r} (known: {', '.join(STYLE_NAMES)})")
        values["styles"] = tuple(dict.fromkeys(styles))
    for key, attribute in (("out", "out"), ("package", "package")):
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                bad(key, "expected a non-empty string")
            else:
                values[attribute] = path(table[key]) if key == "out" else table[key]
    if "duplicate-keys" in table:
        if table["duplicate-keys"] not in ("error", "last"):
            bad("duplicate-keys", "expected 'error' or 'last'")
        else:
            values["duplicate_keys"] = table["duplicate-keys"]
    if "template-dir" in table:
        dirs = _strings(table["template-dir"])
        if dirs is None:
            bad("template-dir", "expected a string or a list of strings")
        else:
            values["template_dirs"] = tuple(path(d) for d in dirs)
            for d in values["template_dirs"]:
                if not d.is_dir():
                    bad("template-dir", f"{d} is not a folder")
    if "timeout" in table:
        timeout = table["timeout"]
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            bad("timeout", "expected a positive number of seconds")
        else:
            values["timeout"] = float(timeout)
    if problems:
        raise ConfigError("\n".join(problems))
    return Config(file=shown, given=frozenset(table), **values)


def _spec_argument(spec: str, label: str | None, base: Path) -> str:
    """A spec of the table as the pipeline takes it: relative to the cwd, and named as the
    table writes it (so that output does not depend on where the command runs)."""
    if spec.startswith(("http://", "https://")):
        return f"{label}={spec}" if label else spec
    if label is None and "=" in spec and not (base / spec).exists():
        label, _, spec = spec.partition("=")
    target = base / spec
    if label is None:
        named = path_label(target)
        label = None if named != str(target) else spec  # a release, or the path as written
    return str(target) if label is None or label == str(target) else f"{label}={target}"


_KEYS = frozenset(
    {
        "specs",
        "labels",
        "style",
        "styles",
        "out",
        "package",
        "duplicate-keys",
        "template-dir",
        "timeout",
    }
)
