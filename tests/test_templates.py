"""--template-dir: a user's templates override the bundled ones by name, and stay safe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from support.packages import import_package
from support.paths import REPO

from ari_codegen import __version__
from ari_codegen.cli import main_group

HOSTILE = 'end""" ; import os; os.system("touch PWNED") #\n{{ 7*7 }} {% raw %}'

SPEC = {
    "swaggerVersion": "1.2",
    "apiVersion": "1.0",
    "models": {
        "Pet": {
            "id": "Pet",
            "description": HOSTILE,
            "properties": {
                "name": {"type": "string", "required": True, "description": HOSTILE},
                "from": {"type": "string", "enum": [HOSTILE, "plain"]},
            },
        }
    },
}

# A user's models.py: a plain listing of the models, printing only what the views give.
CUSTOM_MODELS = '''{{ pkg.header }}
"""{{ pkg.doc }}"""

from typing import Any
{% for m in pkg.models %}


class {{ m.name }}:
    """{{ m.doc }}"""

    WIRE_NAMES: tuple[str, ...] = ({% for f in m.fields %}{{ f.wire }}, {% endfor %})
{% for f in m.fields %}
    {{ f.name }}: Any = None
    """{{ f.doc }}"""
{% endfor %}
{% endfor %}


MODELS: dict[str, Any] = {}
DecodeError = ValueError
{% for a in pkg.literals %}
{{ a.name }}: Any = str  # __init__ exports every name of pkg.exports: value sets too
{% endfor %}


def extra_fields(obj: object) -> dict[str, Any]:
    return {}
'''


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main_group, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_a_user_template_overrides_one_bundled_template_by_name(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    templates = tmp_path / "templates"
    (templates / "dataclasses").mkdir(parents=True)
    (templates / "dataclasses" / "models.py.j2").write_text(CUSTOM_MODELS, encoding="utf-8")
    code, _, err = run(
        "generate", tmp_path / "spec.json", "--out", tmp_path / "out",
        "--package", "custom_pets", "--template-dir", templates,
    )  # fmt: skip
    assert code == 0, err
    package = tmp_path / "out" / "custom_pets"
    text = (package / "models.py").read_text(encoding="utf-8")
    assert "WIRE_NAMES" in text  # the user's template was used ...
    bundled_init = (package / "__init__.py").read_text(encoding="utf-8")
    assert "__all__" in bundled_init  # ... and the bundled one for every other name
    # The spec's text is still data: importing runs nothing, and it reads back intact.
    module = import_package(package)
    assert not (Path.cwd() / "PWNED").exists()
    assert module.Pet.WIRE_NAMES == ("name", "from")
    assert module.Pet.from_ is None  # the keyword got its Python name
    assert module.Pet.__doc__.splitlines()[0] == HOSTILE.splitlines()[0]


def test_a_user_template_that_prints_invalid_python_is_refused(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    templates = tmp_path / "templates"
    (templates / "common").mkdir(parents=True)
    (templates / "common" / "__init__.py.j2").write_text("{{ pkg.header }}\nx = (\n")
    code, _, err = run(
        "generate", tmp_path / "spec.json", "--out", tmp_path / "out",
        "--template-dir", templates,
    )  # fmt: skip
    assert code == 2
    assert "common/__init__.py.j2" in err and "invalid Python" in err
    assert not (tmp_path / "out").exists()


def test_version_and_help_with_examples_on_every_command() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    for command in ("generate", "diff", "graph"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Examples:" in out and "ari-codegen " + command in out
    # and as a module
    result = subprocess.run(
        [sys.executable, "-m", "ari_codegen", "--help"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    assert "generate" in result.stdout and "diff" in result.stdout and "graph" in result.stdout
