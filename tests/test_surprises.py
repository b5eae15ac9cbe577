"""Small surprises a new user met: a lone events.json, `diff` errors, `generate` with no
argument outside a checkout, configuration in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from support.cli import cli
from support.paths import REPO, ari_spec
from support.specs import declaration, model, write_files


def test_a_lone_declaration_says_once_that_its_spec_is_needed(tmp_path: Path) -> None:
    events = ari_spec("22.0.0") / "api-docs" / "events.json"
    result = cli("generate", events, "--out", tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {events}: refers to 7 model(s) declared in the other ")
    assert "'Channel'" in lines[0] and "unknown type" not in lines[0]
    assert f"give the spec's folder, {ari_spec('22.0.0')} (or its resources.json)" in lines[0]
    assert not any(tmp_path.iterdir())


def test_a_lone_file_without_a_listing_beside_it_keeps_each_error(tmp_path: Path) -> None:
    prop = {"c": {"type": "Channel"}, "b": {"type": "Bridge"}}
    write_files(tmp_path, {"events.json": declaration({"E": model("E", prop)})})
    result = cli("generate", tmp_path / "events.json", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("unknown type") == 2


def test_diff_errors_do_not_speak_of_writing(tmp_path: Path) -> None:
    bad = {"A": model("A", {"x": {"type": "Nope"}}), "B": model("B", {"y": {"type": "Nah"}})}
    write_files(tmp_path, {"bad.json": declaration(bad)})
    for args in (("diff", tmp_path / "bad.json", tmp_path / "bad.json"), ("graph", tmp_path)):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == "2 problems", result.stderr
    result = cli("generate", tmp_path / "bad.json", "--out", tmp_path / "out")
    assert result.stderr.splitlines()[-1] == "2 problems; nothing was written"


# --- generate without arguments, and [tool.ari-codegen] --------------------------------


def _small_spec(folder: Path) -> Path:
    thing = model("Thing", {"name": {"type": "string", "required": True}})
    write_files(folder, {"things.json": declaration({"Thing": thing}, api_version="4.5.6")})
    return folder


def test_generate_without_arguments_outside_a_checkout_refuses(tmp_path: Path) -> None:
    result = cli("generate", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: without SPEC, --style or [tool.ari-codegen]")
    assert "this is not a checkout of ari-codegen" in result.stderr
    assert list(tmp_path.iterdir()) == []
    # a project's own pyproject.toml (without the table) does not make it a checkout
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "myapp"\n')
    assert cli("generate", cwd=tmp_path).exit_code == 2
    assert not (tmp_path / "generated").exists()
    # saying where is enough: every style under --out
    result = cli("generate", "--out", "all", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert {p.name for p in (tmp_path / "all").iterdir()} == {"dataclasses", "typeddict", "stubs"}


def _project(tmp_path: Path, table: str) -> Path:
    _small_spec(tmp_path / "vendor" / "ari")
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "myapp"\n\n[tool.ari-codegen]\n{table}', encoding="utf-8"
    )
    (tmp_path / "src" / "sub").mkdir(parents=True)
    return tmp_path


def test_pyproject_configures_a_bare_generate_check(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        'specs = ["vendor/ari"]\nstyle = "typeddict"\nout = "src"\npackage = "myari"\n',
    )
    result = cli("generate", cwd=project)
    assert result.exit_code == 0, result.stderr
    models = (project / "src" / "myari" / "models.py").read_text(encoding="utf-8")
    assert "class Thing(TypedDict" in models
    assert models.splitlines()[0].endswith(" from vendor/ari (ARI 4.5.6). DO NOT EDIT.")
    # from anywhere below the pyproject.toml: the same output, up to date
    for cwd in (project, project / "src" / "sub"):
        check = cli("generate", "--check", cwd=cwd)
        assert (check.exit_code, check.stderr) == (0, "up to date\n"), check.stdout
    # the command line overrides the table
    result = cli("generate", "--package", "other", "--style", "stubs", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert (project / "src" / "other" / "models.pyi").is_file()


def test_pyproject_styles_and_labels(tmp_path: Path) -> None:
    table = (
        'specs = ["vendor/ari"]\nstyles = ["dataclasses", "stubs"]\nout = "gen"\n'
        'labels = { "vendor/ari" = "Asterisk 22.5.0 (prod)" }\nduplicate-keys = "last"\n'
    )
    project = _project(tmp_path, table)
    result = cli("generate", cwd=project / "src")
    assert result.exit_code == 0, result.stderr
    for style, name in (("dataclasses", "models.py"), ("stubs", "models.pyi")):
        text = (project / "gen" / style / "ari_models" / name).read_text(encoding="utf-8")
        assert " from Asterisk 22.5.0 (prod) (ARI 4.5.6). DO NOT EDIT." in text.splitlines()[0]


def test_pyproject_table_is_validated(tmp_path: Path) -> None:
    table = 'specs = 3\nstyle = "pydantic"\nout = ""\nspeed = "fast"\ntimeout = -1\n'
    project = _project(tmp_path, table)
    result = cli("generate", cwd=project / "src" / "sub")
    assert result.exit_code == 2
    where = "../../pyproject.toml › tool.ari-codegen"
    assert result.stderr.splitlines() == [
        f"error: {where} › speed: unknown key (known: duplicate-keys, labels, out, package, "
        "specs, style, styles, template-dir, timeout)",
        f"error: {where} › specs: expected a string or a list of strings",
        f"error: {where} › style: unknown style 'pydantic' (known: dataclasses, typeddict, stubs)",
        f"error: {where} › out: expected a non-empty string",
        f"error: {where} › timeout: expected a positive number of seconds",
        "5 problems; nothing was written",
    ]
    (project / "pyproject.toml").write_text("[tool.ari-codegen\n")
    result = cli("generate", cwd=project)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: pyproject.toml: not valid TOML: ")


def test_in_a_checkout_the_bare_command_finds_generated_from_any_folder() -> None:
    result = cli("generate", "--check", cwd=REPO / "tests" / "support")
    assert (result.exit_code, result.stderr) == (0, "up to date\n"), result.stdout[:2000]
