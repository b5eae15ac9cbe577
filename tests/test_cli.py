"""The command line: generate, its options, --check, exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import cli
from support.files import tree
from support.packages import import_package
from support.paths import ari_spec
from support.specs import declaration, model, write_files

from ari_codegen.errors import AriCodegenError, OutputError, SpecError, TemplateError, UsageError
from ari_codegen.pipeline import Job, Target, run
from ari_codegen.styles import HEADER_PREFIX, STYLES


def module_run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m ari_codegen ...`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "ari_codegen", *(str(a) for a in args)],
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def things_spec(folder: Path, *, extra: bool = False, name: str = "things.json") -> Path:
    models = {"Thing": model("Thing", {"from": {"type": "string", "required": True}})}
    if extra:
        models["More"] = model("More", {"n": {"type": "int"}})
    write_files(folder, {name: declaration(models)})
    return folder / name


def test_python_m_help_works(tmp_path: Path) -> None:
    result = module_run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "generate" in result.stdout and "Usage:" in result.stdout
    result = module_run("generate", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--style", "--out", "--package", "--check", "--duplicate-keys"):
        assert option in result.stdout


def test_generate_with_style_out_and_package(tmp_path: Path) -> None:
    spec = things_spec(tmp_path / "spec")
    for style in STYLES:
        files = sorted(STYLES[style].files)
        out = tmp_path / style
        result = cli("generate", spec, "--style", style, "--out", out, "--package", f"cli_{style}")
        assert result.exit_code == 0, result.output
        folder = out / f"cli_{style}"
        assert sorted(p.name for p in folder.iterdir()) == files
    pkg = import_package(tmp_path / "dataclasses" / "cli_dataclasses")
    assert pkg.Thing.from_dict({"from": "x"}).from_ == "x"


def test_generate_defaults_to_dataclasses_in_current_folder(tmp_path: Path) -> None:
    spec = things_spec(tmp_path / "spec")
    result = cli("generate", spec, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (
        (tmp_path / "ari_models" / "models.py")
        .read_text(encoding="utf-8")
        .startswith(HEADER_PREFIX)
    )
    assert "@dataclass" in (tmp_path / "ari_models" / "models.py").read_text(encoding="utf-8")


def test_generate_without_spec_and_style_writes_every_style(tmp_path: Path) -> None:
    result = cli("generate", "--out", tmp_path / "gen")
    assert result.exit_code == 0, result.output
    for style in ("dataclasses", "typeddict", "stubs"):
        assert (tmp_path / "gen" / style / "ari_models" / "py.typed").is_file()


def test_check_reports_stale_output_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = things_spec(tmp_path / "v1")
    # nothing generated yet: every file would be new
    result = cli("generate", spec, "--out", out, "--check")
    assert result.exit_code == 1
    assert "+++ " in result.stdout and "@@ " in result.stdout
    assert not out.exists()
    # current: exit 0, nothing written
    assert cli("generate", spec, "--out", out).exit_code == 0
    before = tree(out)
    result = cli("generate", spec, "--out", out, "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    # stale: exit 1 with a unified diff of exactly the change, still nothing written
    newer = things_spec(tmp_path / "v2", extra=True)
    result = cli("generate", newer, "--out", out, "--check")
    assert result.exit_code == 1
    diff = result.stdout
    assert f"--- {out / 'ari_models' / 'models.py'}" in diff
    assert f"+++ {out / 'ari_models' / 'models.py'}" in diff
    assert "+class More(" in diff
    assert not any(line.startswith("-class ") for line in diff.splitlines())
    assert tree(out) == before


def test_check_lists_stale_generated_files_for_removal(tmp_path: Path) -> None:
    spec = things_spec(tmp_path / "spec")
    out = tmp_path / "out"
    assert cli("generate", spec, "--out", out).exit_code == 0
    header = (out / "ari_models" / "models.py").read_text(encoding="utf-8").splitlines()[0]
    (out / "ari_models" / "gone.py").write_text(f"{header}\n", encoding="utf-8")
    result = cli("generate", spec, "--out", out, "--check")
    assert result.exit_code == 1
    assert f"--- {out / 'ari_models' / 'gone.py'}" in result.stdout
    assert "+++ /dev/null" in result.stdout
    assert (out / "ari_models" / "gone.py").exists()


@pytest.mark.parametrize(
    ("files", "spec_name", "expected"),
    [
        (
            {"bad.json": declaration({"A": model("A", {"x": {"$ref": "Ghost"}})})},
            "bad.json",
            "bad.json › models › A › properties › x › $ref: unknown model 'Ghost'",
        ),
        (
            {"broken.json": '{"swaggerVersion": "1.2",\n "models": }'},
            "broken.json",
            "broken.json:2:12: invalid JSON",
        ),
        ({}, "missing.json", "missing.json: no such file or folder"),
        (
            {
                "events.json": declaration(
                    {"M": model("M", {"t": {"type": "string"}}, subTypes=["Ghost"])}
                )
            },
            "events.json",
            "events.json › models › M › subTypes[0]: unknown model 'Ghost'",
        ),
    ],
)
def test_bad_spec_exits_2_naming_file_and_path(
    tmp_path: Path, files: dict[str, object], spec_name: str, expected: str
) -> None:
    write_files(tmp_path, files)
    result = module_run("generate", spec_name, "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert f"error: {expected}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()


def test_duplicate_keys_option_on_asterisk_12(tmp_path: Path) -> None:
    spec = ari_spec("12.0.0")
    result = cli("generate", spec, "--style", "typeddict", "--out", tmp_path)
    assert result.exit_code == 2
    assert "recordings.json › models › LiveRecording › properties › " in result.stderr
    assert "--duplicate-keys=last" in result.stderr
    assert not (tmp_path / "ari_models").exists()
    result = cli(
        "generate", spec, "--style", "typeddict", "--out", tmp_path, "--duplicate-keys", "last"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ari_models" / "models.py").is_file()


def test_refusing_a_user_file_exits_2(tmp_path: Path) -> None:
    write_files(tmp_path, {"ari_models/models.py": "mine = 1\n"})
    result = cli("generate", things_spec(tmp_path / "spec"), "--out", tmp_path)
    assert result.exit_code == 2
    assert "exists and was not generated by ari-codegen" in result.stderr
    assert (tmp_path / "ari_models" / "models.py").read_text(encoding="utf-8") == "mine = 1\n"
    assert sorted(p.name for p in (tmp_path / "ari_models").iterdir()) == ["models.py"]


@pytest.mark.parametrize(
    "package",
    [
        "not-a-name",
        "_private",
        "class",  # a keyword: 'import class' is a SyntaxError
    ],
)
def test_invalid_package_name_exits_2(tmp_path: Path, package: str) -> None:
    spec = things_spec(tmp_path / "spec")
    result = cli("generate", spec, "--out", tmp_path, "--package", package)
    assert result.exit_code == 2
    assert "--package" in result.stderr
    assert not (tmp_path / package).exists()


@pytest.mark.parametrize(
    ("package", "why"),
    [
        # the standard library: generated code imports these (shadowed, or self-importing)
        *((name, "standard library") for name in ("json", "typing", "dataclasses", "re")),
        *((name, "standard library") for name in ("datetime", "sys", "enum", "this")),
        ("\ufb01le", "reads it as 'file'"),  # the "fi" ligature
        ("\uff41\uff52\uff49", "reads it as 'ari'"),  # full-width letters
        ("ari\u2126", "reads it as 'ariΩ'"),  # OHM SIGN -> GREEK CAPITAL OMEGA
    ],
)
def test_package_names_python_would_not_import_as_written(
    tmp_path: Path, package: str, why: str
) -> None:
    spec = things_spec(tmp_path / "spec")
    result = cli(
        "generate", spec, "--style", "dataclasses", "--out", tmp_path, "--package", package
    )
    assert result.exit_code == 2, result.output
    assert f"error: --package {package!r}" in result.stderr and why in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["spec"]


def test_non_ascii_package_name_in_normal_form_is_fine(tmp_path: Path) -> None:
    spec = things_spec(tmp_path / "spec")
    result = cli("generate", spec, "--out", tmp_path, "--package", "mod\u00e8les_cli")
    assert result.exit_code == 0, result.output
    assert import_package(tmp_path / "mod\u00e8les_cli").MODELS


def test_several_specs_each_bad_one_is_named(tmp_path: Path) -> None:
    good = things_spec(tmp_path / "good")
    write_files(tmp_path, {"bad/x.json": declaration({"A": model("A", {"x": {"type": "Nope"}})})})
    result = module_run("generate", good, tmp_path / "bad" / "x.json", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "x.json › models › A › properties › x › type: unknown type 'Nope'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors_are_raised_by_the_pipeline_and_share_the_error_family(
    tmp_path: Path,
) -> None:
    for target, message in (
        (Target("nope", tmp_path / "pkg"), "unknown style 'nope'"),
        (Target("dataclasses", tmp_path / "class"), "--package 'class' is not a valid"),
    ):
        with pytest.raises(UsageError, match=message) as excinfo:
            run(Job(targets=(target,)))
        assert excinfo.value.lines() == (str(excinfo.value),)
    for error in (SpecError, TemplateError, OutputError, UsageError):
        assert issubclass(error, AriCodegenError)
