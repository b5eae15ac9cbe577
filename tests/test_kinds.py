"""Decode / encode kinds: one macro each, looked up by name; a kind without one fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import REPO
from support.specs import declaration, model, write_files

from ari_codegen.errors import TemplateError
from ari_codegen.graph import build_graph
from ari_codegen.load import load_spec
from ari_codegen.render import RenderOptions, render
from ari_codegen.render.environment import environment
from ari_codegen.render.formatting import format_python
from ari_codegen.render.kinds import Decode, Encode

KINDS_TEMPLATE = "dataclasses/kinds.j2"


def test_every_kind_has_its_macro() -> None:
    module = environment(()).get_template(KINDS_TEMPLATE).module
    for kind in [*Decode, *Encode]:
        assert callable(getattr(module, kind.macro, None)), kind.macro


def test_a_kind_without_a_macro_fails_the_render(tmp_path: Path) -> None:
    """A template folder whose kinds.j2 lacks ``decode_date``: no silently missing check."""
    kinds = (REPO / "templates" / KINDS_TEMPLATE).read_text(encoding="utf-8")
    start = kinds.index("{% macro decode_date")
    end = kinds.index("{% endmacro %}", start) + len("{% endmacro %}\n")
    write_files(tmp_path / "templates", {KINDS_TEMPLATE: kinds[:start] + kinds[end:]})
    spec = write_files(
        tmp_path / "spec",
        {"x.json": declaration({"A": model("A", {"when": {"type": "Date", "required": True}})})},
    )
    graph = build_graph(load_spec(spec / "x.json"))
    options = RenderOptions(template_dirs=(tmp_path / "templates",))
    with pytest.raises(TemplateError, match="decode_date"):
        render(graph, options)


# --- a user's template is formatted by black, whole ------------------------------------------

SLOPPY_MODELS = """{{ pkg.header }}
from typing import Any
MODELS: dict[str,Any] = { {% for m in pkg.models %}{{ m.id }}:{{ m.name }}, {% endfor %} }
{% for m in pkg.models %}
class {{ m.name }}:
    pass
{% endfor %}
def extra_fields(obj:object)->dict[str,Any]: return {}
DecodeError=ValueError
"""


def test_a_users_template_output_is_black_formatted(tmp_path: Path) -> None:
    """The fast path assumes black's style, which only the bundled templates promise."""
    write_files(tmp_path / "templates", {"dataclasses/models.py.j2": SLOPPY_MODELS})
    spec = write_files(
        tmp_path / "spec", {"x.json": declaration({"A": model("A"), "B": model("B")})}
    )
    graph = build_graph(load_spec(spec / "x.json"))
    files = render(graph, RenderOptions(template_dirs=(tmp_path / "templates",)))
    text = files["models.py"]
    assert text == format_python(text, black_everything=True)
    assert 'MODELS: dict[str, Any] = {\n    "A": A,\n    "B": B,\n}' in text
    assert "\n\n\nclass A:\n    pass\n\n\nclass B:\n" in text
