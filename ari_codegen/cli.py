"""Command layer: the ``ari-codegen`` command line (click).

Exit codes: 0 success (or ``--check`` found nothing to change); 1 ``--check`` found
changes; 2 a bad spec, bad usage, or a file that cannot be written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from . import __version__, diagram
from . import compare as compare_module
from . import config as config_module
from .errors import AriCodegenError
from .load import LoadOptions, RemoteAuth
from .pipeline import Job, load_graph, run
from .styles import STYLE_NAMES
from .write import apply, plan, recover, unified_diff

T = TypeVar("T")

EXIT_CHANGES = 1
EXIT_ERROR = 2

GENERATE_HELP = """Generate typed models from an ARI (Swagger 1.x) spec.

SPEC is an API declaration (events.json), a folder (Asterisk's rest-api/, with its
resources.json), a resources.json, or the http(s) URL of a running Asterisk's
/ari/api-docs/resources.json.  Without SPEC, the bundled spec is used.  Output names
each spec by its Asterisk release (a server's version, a folder such as 22.0.0/ or
asterisk-20.20.1/rest-api), else its path; LABEL=SPEC names it LABEL.

\b
Examples:
  ari-codegen generate                     # as [tool.ari-codegen] in pyproject.toml says
  ari-codegen generate --style typeddict   # bundled spec -> ./ari_models/
  ari-codegen generate asterisk/rest-api --out src --package myapp_ari
  ari-codegen generate --check             # CI: exit 1 and a diff if stale
"""


F = TypeVar("F", bound=Callable[..., Any])


def spec_options(command: F) -> F:
    """Options every command that reads specs shares."""
    options = [
        click.option(
            "--duplicate-keys",
            type=click.Choice(["error", "last"]),
            default="error",
            show_default=True,
            help="A key repeated with different values in one JSON object: an error, or keep "
            "the last (what JSON readers, and Asterisk 12's own tooling, silently do).",
        ),
        click.option("--user", help="User for a spec URL (HTTP basic auth)."),
        click.option("--password", help="Password for a spec URL (HTTP basic auth)."),
        click.option("--api-key", help="Asterisk's api_key (user:password) for a spec URL."),
        click.option(
            "--timeout",
            type=float,
            default=10.0,
            show_default=True,
            help="Seconds to fetch a spec URL: its listing and every declaration, together.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _load_options(
    duplicate_keys: str,
    user: str | None,
    password: str | None,
    api_key: str | None,
    timeout: float,
) -> LoadOptions:
    return LoadOptions(
        duplicate_keys=duplicate_keys,
        remote=RemoteAuth(user=user, password=password, api_key=api_key, timeout=timeout),
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ari-codegen")
def main_group() -> None:
    """Typed Python models for the Asterisk REST Interface (ARI)."""


@main_group.command(help=GENERATE_HELP)
@click.argument("specs", nargs=-1, metavar="[SPEC]...")
@click.option(
    "--style",
    type=click.Choice(STYLE_NAMES),
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
@spec_options
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    multiple=True,
    help="Folder of templates that override the bundled ones by name (repeatable).",
)
@click.option(
    "--no-client",
    is_flag=True,
    help="Models only: leave out the typed client (client.py) and do not read operations.",
)
def generate(
    specs: tuple[str, ...],
    style: str | None,
    out: Path | None,
    package: str,
    check: bool,
    template_dir: tuple[Path, ...],
    no_client: bool,
    **load: Any,
) -> None:
    pyproject = config_module.find_pyproject()
    config = _guarded(lambda: config_module.load_config(pyproject))
    if config is not None:  # the command line overrides [tool.ari-codegen]
        given = _given_options()
        specs = specs or config.specs
        styles = (style,) if style else config.styles
        out = out or config.out
        package = package if "package" in given else config.package or package
        template_dir = template_dir or config.template_dirs
        for key in ("duplicate_keys", "timeout"):
            if key not in given and getattr(config, key) is not None:
                load[key] = getattr(config, key)
    else:
        styles = (style,) if style else ()
    targets = _guarded(
        lambda: config_module.generate_targets(specs, styles, out, package, config, pyproject)
    )
    job = Job(
        specs=specs,
        targets=targets,
        load=replace(_load_options(**load), operations=not no_client),
        template_dirs=template_dir,
        client=not no_client,
    )
    graph, outputs = _guarded(lambda: run(job))
    for warning in graph.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not check:  # a run killed mid-swap left no package: the old one comes back first
        _guarded(lambda: recover(*(output.directory for output in outputs)))
    changes = _guarded(lambda: plan(outputs))
    if check:
        if changes:
            click.echo(unified_diff(changes), nl=False)
            click.echo(f"{len(changes)} file(s) would change", err=True)
            sys.exit(EXIT_CHANGES)
        click.echo("up to date", err=True)
        return
    _guarded(lambda: apply(changes))
    for target in targets:
        click.echo(f"{target.style}: {target.directory}", err=True)
    click.echo(f"{len(graph.models)} models, {len(changes)} file(s) changed", err=True)


def _given_options() -> set[str]:
    """The options of this command given on the command line (not defaults)."""
    context = click.get_current_context()
    return {
        name
        for name in context.params
        if context.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)
    }


DIFF_HELP = """Compare the models of two specs: what changed for code written against OLD.

OLD and NEW are specs as `generate` takes them (folder, resources.json, declaration
or URL).  Each change is classified breaking or compatible, with the reason.

\b
Examples:
  ari-codegen diff asterisk-20/rest-api asterisk-22/rest-api
  ari-codegen diff old/ new/ --format markdown > comment.md
  ari-codegen diff old/ new/ --fail-on breaking   # CI: exit 1 on a breaking change
"""


@main_group.command(help=DIFF_HELP)
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(compare_module.FORMATS)),
    default="text",
    show_default=True,
    help="text for people, markdown for a PR comment, json for tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any", "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when a change at or above this level exists.",
)
@spec_options
def diff(old: str, new: str, fmt: str, fail_on: str, **load: Any) -> None:
    options = _load_options(**load)
    old_graph = _guarded(lambda: load_graph((old,), options), writes=False)
    new_graph = _guarded(lambda: load_graph((new,), options), writes=False)
    report = compare_module.compare(old_graph, new_graph)
    click.echo(compare_module.FORMATS[fmt](report), nl=False)
    if (fail_on == "any" and report.changes) or (fail_on == "breaking" and report.breaking):
        sys.exit(EXIT_CHANGES)


GRAPH_HELP = """Print the type graph (inheritance and references).

Mermaid classDiagram by default (GitHub renders it in Markdown), Graphviz DOT with
--format dot.  Without SPEC, the bundled spec; several SPECs are merged.

\b
Examples:
  ari-codegen graph > models.mmd
  ari-codegen graph asterisk/rest-api --format dot | dot -Tsvg > models.svg
"""


@main_group.command(name="graph", help=GRAPH_HELP)
@click.argument("specs", nargs=-1, metavar="[SPEC]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(diagram.FORMATS)),
    default="mermaid",
    show_default=True,
    help="Diagram language.",
)
@spec_options
def graph_command(specs: tuple[str, ...], fmt: str, **load: Any) -> None:
    options = replace(_load_options(**load), operations=False)  # a picture of the models
    graph = _guarded(lambda: load_graph(specs, options), writes=False)
    click.echo(diagram.FORMATS[fmt](graph), nl=False)


def _guarded(action: Callable[[], T], *, writes: bool = True) -> T:
    """Run one step; a bad spec or an unwritable file ends the run with exit 2.
    ``writes``: the command writes files (its errors say that nothing was)."""
    try:
        return action()
    except AriCodegenError as exc:
        lines = exc.lines()
        for line in lines:
            click.echo(f"error: {line}", err=True)
        if any(" › operations" in line for line in lines):
            click.echo("hint: --no-client generates the models only (operations unread)", err=True)
        if len(lines) > 1:
            click.echo(f"{len(lines)} problems" + ("; nothing was written" * writes), err=True)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(f"error: cannot write{where}: {exc.strerror or exc}", err=True)
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
