"""The ``ari-codegen`` command line (click).

Exit codes: 0 success (or ``--check`` found nothing to change); 1 ``--check`` found
changes; 2 a bad spec, bad usage, or a file that cannot be written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from . import __version__
from .errors import SpecError, UsageError
from .loader import LoadOptions
from .pipeline import Job, Target, committed_targets, run
from .views import STYLES
from .writer import apply, diff, plan

T = TypeVar("T")

EXIT_CHANGES = 1
EXIT_ERROR = 2

GENERATE_HELP = """Generate typed models from an ARI (Swagger 1.x) spec.

SPEC is an API declaration (events.json), a folder (Asterisk's rest-api/, with its
resources.json), a resources.json, or the http(s) URL of a running Asterisk's
/ari/api-docs/resources.json.  Without SPEC, the bundled spec is used.

\b
Examples:
  ari-codegen generate                     # the project's generated/: all styles
  ari-codegen generate --style typeddict   # bundled spec -> ./ari_models/
  ari-codegen generate asterisk/rest-api --out src --package myapp_ari
  ari-codegen generate --check             # CI: exit 1 and a diff if stale
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ari-codegen")
def main_group() -> None:
    """Typed Python models for the Asterisk REST Interface (ARI)."""


@main_group.command(help=GENERATE_HELP)
@click.argument("specs", nargs=-1, metavar="[SPEC]...")
@click.option(
    "--style",
    type=click.Choice(STYLES),
    help="Output style.  Without SPEC and --style: every style into generated/.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder that receives the package (default: '.', or 'generated' for all styles).",
)
@click.option(
    "--package", default="ari_models", show_default=True, help="Name of the generated package."
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 with a diff if output is stale.")
@click.option(
    "--duplicate-keys",
    type=click.Choice(["error", "last"]),
    default="error",
    show_default=True,
    help="A key repeated with different values in one JSON object: an error, or keep the "
    "last (what JSON readers, and Asterisk 12's own tooling, silently do).",
)
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    multiple=True,
    help="Folder of templates that override the bundled ones by name (repeatable).",
)
def generate(
    specs: tuple[str, ...],
    style: str | None,
    out: Path | None,
    package: str,
    check: bool,
    duplicate_keys: str,
    template_dir: tuple[Path, ...],
) -> None:
    if not package.isidentifier() or package.startswith("_"):
        _fail_usage(f"--package {package!r} is not a valid Python package name")
    if style is None and not specs:
        targets = committed_targets(out or Path("generated"), package)
    else:
        targets = (Target(style or "dataclasses", (out or Path(".")) / package),)
    job = Job(
        specs=specs,
        targets=targets,
        load=LoadOptions(duplicate_keys=duplicate_keys),
        template_dirs=template_dir,
    )
    graph, outputs = _guarded(lambda: run(job))
    for warning in graph.warnings:
        click.echo(f"warning: {warning}", err=True)
    changes = _guarded(lambda: plan(outputs))
    if check:
        if changes:
            click.echo(diff(changes), nl=False)
            click.echo(f"{len(changes)} file(s) would change", err=True)
            sys.exit(EXIT_CHANGES)
        click.echo("up to date", err=True)
        return
    _guarded(lambda: apply(changes))
    for target in targets:
        click.echo(f"{target.style}: {target.directory}", err=True)
    click.echo(f"{len(graph.models)} models, {len(changes)} file(s) changed", err=True)


def _guarded(action: Callable[[], T]) -> T:
    """Run one step; a bad spec or an unwritable file ends the run with exit 2."""
    try:
        return action()
    except SpecError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(exc.problems)
        if count > 1:
            click.echo(f"{count} problems; nothing was written", err=True)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(f"error: cannot write{where}: {exc.strerror or exc}", err=True)
    sys.exit(EXIT_ERROR)


def _fail_usage(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def main() -> None:
    try:
        main_group(prog_name="ari-codegen")
    except Exception as exc:  # a bug of ours: still no traceback unless asked for
        if os.environ.get("ARI_CODEGEN_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("(set ARI_CODEGEN_DEBUG=1 for a traceback, and please report it)", err=True)
        sys.exit(3)
