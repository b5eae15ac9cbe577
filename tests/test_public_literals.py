"""The named closed sets of values (``ChannelState``) are public: exported by every style,
so that users can annotate their own code with them; names never collide."""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from typing import Any

import pytest
from support.packages import generate_package, import_package
from support.specs import declaration, enum, model, prop, write_files
from support.tools import assert_mypy_clean

from ari_codegen.graph import build_graph
from ari_codegen.load import load_spec
from ari_codegen.styles import STYLE_NAMES

STATES = ("Down", "Up", "Dialing Offhook")


def _spec(folder: Path, models: dict[str, Any]) -> Path:
    write_files(folder, {"things.json": declaration(models)})
    return folder / "things.json"


def _stub_literals(models_pyi: Path) -> dict[str, list[str]]:
    """``{alias: [values]}`` of the ``X: TypeAlias = Literal[...]`` of a stub."""
    out = {}
    for node in ast.parse(models_pyi.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Subscript):
            target, value = node.target, node.value
            if isinstance(value.value, ast.Name) and value.value.id == "Literal":
                assert isinstance(target, ast.Name)
                elts = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
                out[target.id] = [ast.literal_eval(e) for e in elts]
    return out


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_value_sets_are_exported_under_public_names(tmp_path: Path, style: str) -> None:
    spec = _spec(tmp_path / "spec", {"Channel": model("Channel", {"state": enum(*STATES)})})
    folder = generate_package(spec, style, tmp_path / "out", f"public_literals_{style}")
    init = (folder / f"__init__.{'pyi' if style == 'stubs' else 'py'}").read_text()
    assert '"ChannelState",' in init and "_ChannelState" not in init
    if style == "stubs":
        assert _stub_literals(folder / "models.pyi") == {"ChannelState": list(STATES)}
        return
    pkg = import_package(folder)
    assert typing.get_args(pkg.ChannelState) == STATES
    assert "ChannelState" in pkg.__all__
    hints = typing.get_type_hints(pkg.Channel)
    assert hints["state"] == pkg.ChannelState


def test_users_annotate_with_them_under_mypy(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "spec", {"Channel": model("Channel", {"state": enum(*STATES)})})
    generate_package(spec, "dataclasses", tmp_path, "user_pkg")
    (tmp_path / "app.py").write_text(
        "from user_pkg import Channel, ChannelState\n\n\n"
        "def state_of(channel: Channel) -> ChannelState:\n"
        "    return channel.state\n\n\n"
        'UP: ChannelState = "Up"\n',
        encoding="utf-8",
    )
    assert_mypy_clean(tmp_path, ["app.py"], scratch=tmp_path / ".mypy")


def test_public_names_never_collide(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path / "spec",
        {
            # a model already called ChannelState
            "Channel": model("Channel", {"state": enum("a", "b")}),
            "ChannelState": model("ChannelState", {"x": prop("string")}),
            # Base.exception → BaseException: a builtin
            "Base": model("Base", {"exception": enum("a", "b")}),
            # a field spelled like the alias of its own model
            "Item": model("Item", {"kind": enum("a", "b"), "ItemKind": prop("string")}),
        },
    )
    graph = build_graph(load_spec(spec))
    names = {(a.model, a.field): a.py_name for a in graph.literals}
    assert names == {
        ("Channel", "state"): "ChannelState_",
        ("Base", "exception"): "BaseException_",
        ("Item", "kind"): "ItemKind_",
    }
    for style in STYLE_NAMES:
        generate_package(spec, style, tmp_path, f"collide_{style}")
    pkg = import_package(tmp_path / "collide_dataclasses")
    assert typing.get_args(pkg.ChannelState_) == ("a", "b")
    assert pkg.ChannelState.__name__ == "ChannelState"  # the model keeps its name
    assert typing.get_type_hints(pkg.Item)["kind"] == pkg.ItemKind_
    assert_mypy_clean(
        tmp_path,
        [f"collide_{style}" for style in STYLE_NAMES],
        scratch=tmp_path / ".mypy",
        versions=("3.13",),
    )
