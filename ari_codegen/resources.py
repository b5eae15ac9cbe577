"""Base layer: where the bundled spec, templates and runtime modules are (a wheel or a checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # A wheel carries them inside the package; a checkout (or editable install) has
    # them at the repository's top.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ari-codegen's {name}/ folder is missing from this installation")


def templates_dir() -> Path:
    return _find("templates")


def bundled_spec_dir() -> Path:
    return _find("specs")


def runtime_file(name: str) -> str:
    """The text of a runtime module (``ari_codegen/runtime/<name>``), copied verbatim."""
    return (_PACKAGE / "runtime" / name).read_text(encoding="utf-8")
