"""Render layer: type graph → formatted source files (in memory, nothing written).

Jinja2 templates print what :mod:`views` prepared, in black's style; :mod:`formatting`
gives black the pieces that still need it.
Templates are looked up by name, first in a user's ``--template-dir``, then in the
bundled ``templates/`` folder.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from . import __version__, naming, resources
from .errors import Loc, SpecError
from .formatting import format_python
from .graph import TypeGraph
from .styles import HEADER_PREFIX, style
from .views import package_view


@dataclass(frozen=True)
class RenderOptions:
    style: str = "dataclasses"
    template_dirs: tuple[Path, ...] = ()
    format: bool = True
    black_everything: bool = False  # skip the fast path (see formatting.py)


def header(graph: TypeGraph) -> str:
    version = f" (ARI {graph.api_version})" if graph.api_version else ""
    text = f"from {graph.label}{version}"
    return f"{HEADER_PREFIX} {__version__} {naming.module_header_text(text)}. DO NOT EDIT."


def render(graph: TypeGraph, options: RenderOptions) -> dict[str, str]:
    """Every file of the package for one style: {relative file name: text}."""
    target = style(options.style)
    env = _environment(options.template_dirs)
    pkg = package_view(graph, header(graph))
    out: dict[str, str] = {}
    for filename, template_name in target.templates:
        try:
            template = env.get_template(template_name)
            text = template.render(pkg=pkg, extra_exports=target.extra_exports)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or template_name
            line = getattr(exc, "lineno", None)
            raise SpecError.at(
                Loc(str(where), line=line), f"template error: {exc.message or exc}"
            ) from None
        if options.format and filename.endswith((".py", ".pyi")):
            text = format_source(
                text, filename, template_name, black_everything=options.black_everything
            )
        if options.template_dirs and filename.endswith((".py", ".pyi")):
            _check_syntax(text, filename, template_name)
        out[filename] = text
    for filename, source in target.runtime:
        out[filename] = resources.runtime_file(source)
    return out


def format_source(
    text: str, filename: str, template_name: str = "", *, black_everything: bool = False
) -> str:
    try:
        return format_python(text, pyi=filename.endswith(".pyi"), black_everything=black_everything)
    except Exception as exc:  # black raises several kinds for unparsable input
        raise SpecError.at(
            Loc(template_name or filename),
            f"the template produced invalid Python for {filename}: {exc}",
        ) from None


def _check_syntax(text: str, filename: str, template_name: str) -> None:
    """A user's template: the bundled ones are proven valid by the tests, theirs is not."""
    try:
        ast.parse(text, filename, feature_version=(3, 10))
    except SyntaxError as exc:
        raise SpecError.at(
            Loc(template_name, line=exc.lineno),
            f"the template produced invalid Python for {filename}: {exc.msg}",
        ) from None


@cache
def _environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in template_dirs]
    loaders.append(jinja2.FileSystemLoader(str(resources.templates_dir())))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
