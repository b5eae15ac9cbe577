"""What ari-codegen does to the output folder when things go wrong, and when they go right.

What the design guarantees (ari_codegen.write):

* Everything is computed in memory first (load → graph → render → plan).  A bad spec, a
  broken template, or output that is not Python stops the run *before* the first byte is
  written: the previous output stays exactly as it was (bytes and mtimes).
* Every new file is first written in full beside its target (a hidden ``.name.*.tmp``),
  and only once *all* of them are staged is any target replaced, each by one atomic
  ``os.replace``.  So an interruption while staging changes nothing; an interruption while
  replacing leaves every file whole (its old or its new bytes, never a mix within a
  file), though the set of files may be part old, part new until the next run.
* A file that ari-codegen did not generate (no header on its first line) is never
  overwritten nor removed; a file *with* our header that the new output no longer has
  (stale) is removed.
* ``--check`` writes nothing, whatever it finds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from support.cli import cli
from support.specs import declaration, model, write_files

from ari_codegen import write
from ari_codegen.styles import STYLES

STRING = {"type": "string"}
PACKAGE = "ari_models"

Snapshot = dict[str, tuple[str, bytes | None, int, int]]


def snapshot(root: Path) -> Snapshot:
    """Every file and folder under ``root``: kind, bytes, mtime (ns) and mode."""
    found: Snapshot = {}
    if not root.exists():
        return found
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            found[str(path.relative_to(root))] = ("link", None, info.st_mtime_ns, info.st_mode)
        elif path.is_dir():
            found[str(path.relative_to(root))] = ("dir", None, info.st_mtime_ns, info.st_mode)
        else:
            content = path.read_bytes()
            found[str(path.relative_to(root))] = ("file", content, info.st_mtime_ns, info.st_mode)
    return found


def files_of(found: Snapshot) -> Snapshot:
    """Files only: a folder's own mtime changes when a staged file is created and removed."""
    return {name: entry for name, entry in found.items() if entry[0] != "dir"}


def temp_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.name.endswith(".tmp"))


def spec_v1(folder: Path) -> Path:
    models = {
        "Channel": model("Channel", {"id": {"type": "string", "required": True}, "name": STRING}),
        "Bridge": model("Bridge", {"channels": {"type": "List[Channel]"}}),
    }
    return write_files(folder, {"models.json": declaration(models)}) / "models.json"


def spec_v2(folder: Path) -> Path:
    models = {
        "Channel": model("Channel", {"id": {"type": "string", "required": True}}),
        "Bridge": model("Bridge", {"channels": {"type": "List[Channel]"}, "kind": STRING}),
        "Endpoint": model("Endpoint", {"tech": STRING}),
    }
    return write_files(folder, {"models.json": declaration(models)}) / "models.json"


def generate(spec: Path, out: Path, *extra: str | Path) -> Result:
    return cli("generate", spec, "--out", out, "--package", PACKAGE, *extra)


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path]:
    """An output folder holding a package generated from spec v1: (spec, out)."""
    spec = spec_v1(tmp_path / "spec")
    out = tmp_path / "out"
    result = generate(spec, out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (out / PACKAGE).iterdir()) == sorted(STYLES["dataclasses"].files)
    return spec, out


# --- errors before writing: nothing changes -----------------------------------------------


@pytest.mark.parametrize(
    "breakage",
    [
        '{"swaggerVersion": "1.2", "models": {',
        '{"swaggerVersion": "1.2", "models": {"A": {"id": "A", "extends": "B"}}}',
        '{"swaggerVersion": "1.2", "models": {"!!!": {"id": "!!!"}}}',
    ],
    ids=["invalid-json", "dangling-extends", "bad-class-name"],
)
def test_bad_spec_leaves_previous_output_untouched(
    previous: tuple[Path, Path], breakage: str
) -> None:
    spec, out = previous
    before = snapshot(out)
    spec.write_text(breakage, encoding="utf-8")
    result = generate(spec, out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {spec}")
    assert snapshot(out) == before


BROKEN_TEMPLATES = {
    # jinja2 cannot parse the template
    "syntax": ("{% for m in pkg.models %}\n{{ m.name }}\n", "template error: Unexpected end"),
    # StrictUndefined: a name the views do not provide
    "undefined": ("{{ pkg.header }}\n{{ pkg.no_such_thing }}\n", "template error: 'ari_codegen"),
    # renders, but not Python: black refuses it
    "not-python": (
        "{{ pkg.header }}\ndef broken(:\n    pass\n",
        "the template produced invalid Python for models.py",
    ),
}


@pytest.mark.parametrize(
    "kind",
    [
        "syntax",
        "undefined",
        "not-python",
    ],
)
def test_render_failure_leaves_previous_output_untouched(
    previous: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    spec, out = previous
    text, message = BROKEN_TEMPLATES[kind]
    templates = write_files(tmp_path / "templates", {"dataclasses/models.py.j2": text})
    before = snapshot(out)
    spec_v2(spec.parent)  # would change every file
    result = generate(spec, out, "--template-dir", templates)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    # One problem (black's own report of unparsable code may add lines below it).
    line = result.stderr.splitlines()[0]
    assert [x for x in result.stderr.splitlines() if x.startswith("error: ")] == [line]
    assert "dataclasses/models.py.j2" in line and message in line, line
    assert snapshot(out) == before


def test_refusing_a_foreign_file_writes_no_other_file(previous: tuple[Path, Path]) -> None:
    """The refusal is decided while planning: the other (generated) files stay old too."""
    spec, out = previous
    (out / PACKAGE / "models.py").write_text("# my own module\nX = 1\n", encoding="utf-8")
    before = snapshot(out)
    spec_v2(spec.parent)
    result = generate(spec, out)
    assert result.exit_code == 2
    assert "models.py: exists and was not generated by ari-codegen" in result.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00binary\x00", b"caf\xe9 = 1\n", b"\xef\xbb\xbf# mine\n"],
    ids=["binary", "latin-1", "bom"],
)
def test_a_foreign_file_that_is_not_utf8_text_is_not_overwritten(
    tmp_path: Path, content: bytes
) -> None:
    spec = spec_v1(tmp_path / "spec")
    out = tmp_path / "out"
    (out / PACKAGE).mkdir(parents=True)
    (out / PACKAGE / "models.py").write_bytes(content)
    before = snapshot(out)
    result = generate(spec, out)
    assert result.exit_code == 2
    assert snapshot(out) == before


# --- interruptions ------------------------------------------------------------------------


def fail_after(calls: int, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original``, but raising OSError (as a full disk or a kill would end it) once it
    has been called ``calls`` times."""
    count = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        if count >= calls:
            raise OSError(28, "No space left on device (simulated)")
        count += 1
        return original(*args, **kwargs)

    return wrapper


def fail_on_call(call: int, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original``, but its ``call``-th call raises OSError (a full disk, for once)."""
    count = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        if count == call:
            raise OSError(28, "No space left on device (simulated)")
        return original(*args, **kwargs)

    return wrapper


def test_interruption_while_staging_changes_nothing(
    previous: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = previous
    before = snapshot(out)
    spec_v2(spec.parent)
    # The first staged file is written in full; writing the second one fails.
    monkeypatch.setattr(write.os, "fdopen", fail_after(1, os.fdopen))
    result = generate(spec, out)
    assert result.exit_code == 2
    assert "No space left on device (simulated)" in result.stderr
    assert files_of(snapshot(out)) == files_of(before)
    assert temp_files(out) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two renames"])
def test_a_failed_swap_leaves_the_old_package_whole(
    previous: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    spec, out = previous
    old = {p.name: p.read_bytes() for p in (out / PACKAGE).iterdir()}
    # What a full run writes, for comparison.
    expected_out = tmp_path / "expected"
    spec_v2(spec.parent)
    assert generate(spec, expected_out).exit_code == 0
    new = {p.name: p.read_bytes() for p in (expected_out / PACKAGE).iterdir()}
    assert new.keys() == old.keys() and new["models.py"] != old["models.py"]

    if exchange:
        monkeypatch.setattr(write, "_exchange", fail_after(0, write._exchange))
    else:  # the old folder is moved aside, moving the new one in fails (once)
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
        monkeypatch.setattr(write.os, "replace", fail_on_call(2, os.replace))
    result = generate(spec, out)
    assert result.exit_code == 2
    assert f"error: {out / PACKAGE}: cannot replace the package: No space left" in result.stderr
    monkeypatch.undo()
    now = {p.name: p.read_bytes() for p in (out / PACKAGE).iterdir()}
    assert now == old, "the package is the old one, whole"

    # The next run completes the job and leaves nothing behind.
    assert generate(spec, out).exit_code == 0
    assert {p.name: p.read_bytes() for p in (out / PACKAGE).iterdir()} == new
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]


def test_a_failed_swap_leaves_no_temporary_files(
    previous: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = previous
    spec_v2(spec.parent)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    monkeypatch.setattr(write.os, "replace", fail_on_call(2, os.replace))
    assert generate(spec, out).exit_code == 2
    assert temp_files(out) == []
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]


def test_keyboard_interrupt_while_staging_changes_nothing(
    previous: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = previous
    before = snapshot(out)
    spec_v2(spec.parent)

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "fdopen", interrupted)
    result = generate(spec, out)
    assert result.exit_code == 1 and "Aborted!" in result.stderr  # click's Ctrl-C handling
    assert files_of(snapshot(out)) == files_of(before)
    assert temp_files(out) == []


# --- files that are not ours, stale files that are -------------------------------------------


def test_files_we_did_not_generate_are_never_touched(tmp_path: Path) -> None:
    spec = spec_v1(tmp_path / "spec")
    out = tmp_path / "out"
    package = out / PACKAGE
    write_files(
        out,
        {
            f"{PACKAGE}/helpers.py": "# my helpers\ndef f() -> int:\n    return 1\n",
            f"{PACKAGE}/old.pyi": "# hand-written stub\n",
            f"{PACKAGE}/notes.txt": "notes\n",
            f"{PACKAGE}/data/events.json": "{}",
            f"{PACKAGE}/sub/models.py": "# not the generated one: a sub-package\n",
            f"{PACKAGE}/.hidden.py": "secret = 1\n",
            "sibling.py": "# beside the package\n",
        },
    )
    # A file that mentions the header, but not on its first line, is not ours either.
    (package / "mentions.py").write_text(
        "# my file\n# Code generated by ari-codegen 0.1.0 from x. DO NOT EDIT.\n",
        encoding="utf-8",
    )
    foreign = snapshot(out)
    for style in ("dataclasses", "stubs", "typeddict", "dataclasses"):
        result = generate(spec, out, "--style", style)
        assert result.exit_code == 0, result.stderr
        now = snapshot(out)
        for name, entry in foreign.items():
            if entry[0] == "file":
                assert now[name] == entry, f"{name} was modified"
    assert (package / "models.py").read_text().startswith("# Code generated by ari-codegen")
    assert temp_files(out) == []


def test_stale_generated_files_are_removed(previous: tuple[Path, Path]) -> None:
    spec, out = previous
    package = out / PACKAGE
    header = (package / "models.py").read_text().splitlines()[0]
    (package / "events.py").write_text(f"{header}\nX = 1\n", encoding="utf-8")  # an old module
    (package / "events.txt").write_text(f"{header}\n", encoding="utf-8")  # not a generated kind
    # Switching the style: the stubs replace models.py and __init__.py by .pyi files.
    result = generate(spec, out, "--style", "stubs")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in package.iterdir()) == sorted(
        [*STYLES["stubs"].files, "events.txt"]
    )
    assert temp_files(out) == []


def test_an_unchanged_file_is_not_rewritten(previous: tuple[Path, Path]) -> None:
    spec, out = previous
    before = snapshot(out)
    result = generate(spec, out)
    assert result.exit_code == 0
    assert "0 file(s) changed" in result.stderr
    assert snapshot(out) == before  # mtimes included


# --- --check --------------------------------------------------------------------------------


def test_check_on_a_missing_output_writes_nothing(tmp_path: Path) -> None:
    spec = spec_v1(tmp_path / "spec")
    out = tmp_path / "out"
    result = generate(spec, out, "--check")
    assert result.exit_code == 1
    count = len(STYLES["dataclasses"].files)
    assert "+++ " in result.stdout and f"{count} file(s) would change" in result.stderr
    assert not out.exists()


def test_check_on_an_up_to_date_output_writes_nothing(previous: tuple[Path, Path]) -> None:
    spec, out = previous
    before = snapshot(out)
    result = generate(spec, out, "--check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert snapshot(out) == before


def test_check_on_a_stale_output_writes_nothing(previous: tuple[Path, Path]) -> None:
    spec, out = previous
    package = out / PACKAGE
    header = (package / "models.py").read_text().splitlines()[0]
    (package / "events.py").write_text(f"{header}\nX = 1\n", encoding="utf-8")
    (package / "mine.py").write_text("# mine\n", encoding="utf-8")
    before = snapshot(out)
    spec_v2(spec.parent)
    result = generate(spec, out, "--check")
    assert result.exit_code == 1
    assert f"+++ {package / 'models.py'}" in result.stdout
    assert f"--- {package / 'events.py'}" in result.stdout  # would be removed
    assert "mine.py" not in result.stdout
    assert snapshot(out) == before


@pytest.mark.parametrize("problem", ["bad-spec", "foreign-file"])
def test_check_with_an_error_writes_nothing(previous: tuple[Path, Path], problem: str) -> None:
    spec, out = previous
    if problem == "bad-spec":
        spec.write_text("[]", encoding="utf-8")
    else:
        (out / PACKAGE / "models.py").write_text("# mine\n", encoding="utf-8")
        spec_v2(spec.parent)
    before = snapshot(out)
    result = generate(spec, out, "--check")
    assert result.exit_code == 2
    assert snapshot(out) == before
