"""Render layer: type graph → formatted source files (in memory, nothing written).

Jinja2 templates print what :mod:`.views` prepared, in black's style, and
:mod:`.formatting` gives black the pieces that still need it; a template of the user's
(``--template-dir``) is not known to print black's style, so its output goes through
black whole.  Runtime modules (see :mod:`ari_codegen.styles`) are copied verbatim.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import __version__, naming, resources
from ..errors import Loc, TemplateError
from ..graph import TypeGraph
from ..styles import HEADER_PREFIX, style
from .client_operations import ClientFlavour
from .client_views import client_view
from .environment import environment, is_bundled
from .formatting import format_python
from .views import package_view

__all__ = ["HEADER_PREFIX", "RenderOptions", "format_source", "header", "render"]


@dataclass(frozen=True)
class RenderOptions:
    style: str = "dataclasses"
    template_dirs: tuple[Path, ...] = ()
    format: bool = True
    black_everything: bool = False  # skip the fast path (see formatting.py)
    client: bool = True  # the typed client too, when the spec has operations


def header(graph: TypeGraph) -> str:
    text = f"from {graph.title}"
    return f"{HEADER_PREFIX} {__version__} {naming.module_header_text(text)}. DO NOT EDIT."


def render(graph: TypeGraph, options: RenderOptions) -> dict[str, str]:
    """Every file of the package for one style: {relative file name: text}."""
    target = style(options.style)
    env = environment(options.template_dirs)
    pkg = package_view(graph, header(graph))
    jobs = [
        (filename, template_name, {"pkg": pkg, "extra_exports": target.extra_exports})
        for filename, template_name in target.templates
    ]
    runtime = list(target.runtime)
    if options.client and graph.resources:
        flavour = ClientFlavour(decode=target.client_decodes, stub=target.suffix == ".pyi")
        names = {m.id: m.py_name for m in graph.models}
        view = client_view(graph, header(graph), flavour, names)
        jobs.append((*target.client, {"c": view}))
        runtime += target.client_runtime
    out: dict[str, str] = {}
    for filename, template_name, context in jobs:
        try:
            template = env.get_template(template_name)
            text = template.render(**context)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or template_name
            line = getattr(exc, "lineno", None)
            raise TemplateError.at(
                Loc(str(where), line=line), f"template error: {exc.message or exc}"
            ) from None
        if filename.endswith((".py", ".pyi")):
            bundled = is_bundled(template)
            if options.format:
                # Only the bundled templates are known to print black's style already.
                whole = options.black_everything or not bundled
                text = format_source(text, filename, template_name, black_everything=whole)
            if not bundled:
                _check_syntax(text, filename, template_name)
        out[filename] = text
    for filename, source in runtime:
        out[filename] = resources.runtime_file(source)
    return out


def format_source(
    text: str, filename: str, template_name: str = "", *, black_everything: bool = False
) -> str:
    try:
        return format_python(text, pyi=filename.endswith(".pyi"), black_everything=black_everything)
    except Exception as exc:  # black raises several kinds for unparsable input
        raise TemplateError.at(
            Loc(template_name or filename),
            f"the template produced invalid Python for {filename}: {exc}",
        ) from None


def _check_syntax(text: str, filename: str, template_name: str) -> None:
    """A user's template: the bundled ones are proven valid by the tests, theirs is not."""
    try:
        ast.parse(text, filename, feature_version=(3, 10))
    except SyntaxError as exc:
        raise TemplateError.at(
            Loc(template_name, line=exc.lineno),
            f"the template produced invalid Python for {filename}: {exc.msg}",
        ) from None
