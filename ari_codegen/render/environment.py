"""Render layer: the Jinja2 environment (a user's ``--template-dir`` first, then ours).

Sandboxed: templates, ours and a user's alike, reach only the views' public attributes
(no ``__globals__``, no ``os``) and mutate nothing; see README "Writing templates".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import resources
from .client_views import CLIENT_VIEW_TYPES
from .views import VIEW_TYPES

_PLAIN = VIEW_TYPES | CLIENT_VIEW_TYPES


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with a fast path for the views' own attributes (plain data)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in _PLAIN and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    """Templates looked up by name: in each of ``template_dirs``, then in ``templates/``."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in template_dirs]
    loaders.append(jinja2.FileSystemLoader(str(resources.templates_dir())))
    return _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def is_bundled(template: jinja2.Template) -> bool:
    """Was ``template`` found among the bundled templates (not in a user's folder)?"""
    if template.filename is None:
        return False
    return Path(template.filename).resolve().is_relative_to(resources.templates_dir().resolve())
