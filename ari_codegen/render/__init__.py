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
        except jinja2.TemplateError as exc:  # the sandbox's SecurityError is one
            raise _template_error(exc, template_name, exc.message or str(exc)) from None
        except Exception as exc:  # a user's template may fail any way (1 // 0, ...)
            if not _user_template(exc):
                raise
            raise _template_error(exc, template_name, f"{type(exc).__name__}: {exc}") from None
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


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """(template file, line) where a template failed: Jinja rewrites the traceback so
    that a template's frames carry its file name and line."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or tb.tb_frame.f_globals.get("__jinja_template__"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(exc: BaseException, template_name: str, message: str) -> TemplateError:
    where = getattr(exc, "filename", None) or template_name
    line = getattr(exc, "lineno", None)
    frame = _template_frame(exc)
    if line is None and frame is not None:
        where, line = frame
    return TemplateError.at(Loc(str(where), line=line), f"template error: {message}")


def _user_template(exc: BaseException) -> bool:
    """Did ``exc`` come from a template of a user's folder (not from ari-codegen)?"""
    frame = _template_frame(exc)
    if frame is None:
        return False
    return not Path(frame[0]).resolve().is_relative_to(resources.templates_dir().resolve())


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
