"""--template-dir: a user's templates override the bundled ones by name, and stay safe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
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


def user_template(tmp_path: Path, text: str, name: str = "dataclasses/models.py.j2") -> Path:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    templates = tmp_path / "templates"
    (templates / name).parent.mkdir(parents=True, exist_ok=True)
    (templates / name).write_text(text, encoding="utf-8")
    return templates


ESCAPES = [
    '{{ cycler.__init__.__globals__.os.system("touch PWNED") }}',
    '{{ joiner.__init__.__globals__["os"].system("touch PWNED") }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '{{ pkg.__class__.__init__.__globals__["naming"] }}',
    "{{ lipsum.__globals__ }}",
    "{% set x = [] %}{{ x.append(1) }}",  # templates mutate nothing
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_user_templates_are_sandboxed(tmp_path: Path, escape: str, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    templates = user_template(tmp_path, "{{ pkg.header }}\n# two\n" + escape + "\n")
    code, _, err = run(
        "generate", tmp_path / "spec.json", "--out", tmp_path / "out",
        "--template-dir", templates,
    )  # fmt: skip
    assert code == 2, err
    assert "models.py.j2:3" in err and "template error" in err and "unsafe" in err
    assert "Traceback" not in err
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "out").exists()


def test_a_failing_user_template_is_a_template_error_with_its_line(tmp_path: Path) -> None:
    templates = user_template(tmp_path, "{{ pkg.header }}\n\n\n{{ 1 // 0 }}\n")
    code, _, err = run(
        "generate", tmp_path / "spec.json", "--out", tmp_path / "out",
        "--template-dir", templates,
    )  # fmt: skip
    assert code == 2, err
    assert "models.py.j2:4" in err and "ZeroDivisionError" in err and "internal" not in err


# Every view value, printed in every position it is documented for (README "Writing
# templates"): the spec's text stays data, whatever it holds.
SAFE_POSITIONS = '''{{ pkg.header }}
"""{{ pkg.doc }}"""
# {{ pkg.title_comment }}
TITLE = {{ pkg.title_literal }}
{% for m in pkg.models %}


class {{ m.name }}:
    """{{ m.doc }}"""

    # {{ m.comment }}
    DOC = {{ m.doc_literal }}
    ID = {{ m.id }}
    WIRE = ({% for f in m.fields %}{{ f.wire }}, {% endfor %})
{% for f in m.fields %}
    # {{ f.comment }}
    {{ f.name }}: str = {{ f.doc_literal }}
    """{{ f.doc }}"""
{% endfor %}
{% endfor %}


MODELS: dict[str, object] = {}
DecodeError = ValueError
extra_fields = None
{% for a in pkg.literals %}
{{ a.name }} = ({% for v in a.values %}{{ v }}, {% endfor %})
{% endfor %}
'''


def test_view_values_are_safe_where_they_are_documented(tmp_path: Path) -> None:
    hostile = HOSTILE + "\r\n\u2028import os\x85x = 1 # '''\\"
    text = json.dumps(SPEC).replace(json.dumps(HOSTILE)[1:-1], json.dumps(hostile)[1:-1])
    spec = json.loads(text)
    templates = user_template(tmp_path, SAFE_POSITIONS)
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    code, _, err = run(
        "generate", tmp_path / "spec.json", "--out", tmp_path / "out", "--style", "dataclasses",
        "--package", "safe_views", "--template-dir", templates,
    )  # fmt: skip
    assert code == 0, err
    module = import_package(tmp_path / "out" / "safe_views").models
    assert (module.Pet.DOC, module.Pet.name) == (hostile, hostile)
    assert f"{tmp_path / 'spec.json'} (ARI 1.0)" == module.TITLE  # the path as given
    assert "os" not in vars(module) and "x" not in vars(module.Pet)


def test_readme_says_where_each_view_attribute_is_safe() -> None:
    from dataclasses import fields

    from ari_codegen.render.views import VIEW_TYPES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing templates", 1)[1].split("\n## ", 1)[0]
    short = {"PackageView": "pkg", "ModelView": "m", "FieldView": "f"}
    short |= {"UnionView": "u", "LiteralView": "a"}
    for view in VIEW_TYPES:
        for attribute in fields(view):
            assert f"`{short[view.__name__]}.{attribute.name}`" in section or (
                view.__name__ == "PackageView" and attribute.name == "hierarchies"
            ), (view.__name__, attribute.name)
