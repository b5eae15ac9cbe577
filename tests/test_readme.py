"""README: its two commands are the ones CI runs, and its diagram is the bundled spec's."""

from __future__ import annotations

import re

from click.testing import CliRunner
from support.paths import REPO

from ari_codegen.cli import main_group

README = (REPO / "README.md").read_text(encoding="utf-8")
INSTALL_AND_GENERATE = (
    "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/ari-codegen generate"
)
INSTALL_AND_TEST = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
)


def test_the_two_commands_are_there_and_ci_runs_the_test_command() -> None:
    assert INSTALL_AND_GENERATE in README
    assert INSTALL_AND_TEST in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    # CI adds -q and the strictness switches around the very same command.
    assert INSTALL_AND_TEST.replace("install -e", "install -q -e") in ci
    assert "ARI_CODEGEN_REQUIRE_SHARED=1" in ci


def test_the_embedded_diagram_is_the_bundled_specs_graph() -> None:
    block = re.search(
        r"<!-- graph:begin -->\n```mermaid\n(.*?)```\n<!-- graph:end -->", README, re.S
    )
    assert block is not None
    result = CliRunner().invoke(main_group, ["graph"])
    assert result.exit_code == 0
    assert block.group(1) == result.stdout


def test_exit_codes_are_documented() -> None:
    assert re.search(r"\*\*0\*\*.*\*\*1\*\*.*\*\*2\*\*", README, re.S)
