"""Reading a spec folder safely: only regular files, only inside the folder, size-capped.

Each case runs the real command in a subprocess with a timeout: a FIFO or a device
must never make the tool wait or read without end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.specs import declaration, listing, model, write_files

from ari_codegen.load import sources

SECRET = "TOP-SECRET-CONTENT-42"
TIMEOUT = 30  # seconds: each run takes about one; a hang would fail here, not stall


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ari_codegen", *(str(a) for a in args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _folder(tmp_path: Path) -> Path:
    return write_files(tmp_path / "spec", {"things.json": declaration({"A": model("A")})})


def _generate_fails(tmp_path: Path, spec: Path | str) -> str:
    result = run_cli("generate", spec, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "out").exists()
    return result.stderr


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@needs_fifo
def test_a_fifo_in_a_folder_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    os.mkfifo(folder / "x.json")
    stderr = _generate_fails(tmp_path, "spec")
    assert "error: spec/x.json: not a regular file (a FIFO)" in stderr


@needs_fifo
def test_a_fifo_listed_by_resources_json_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "spec", {"resources.json": listing("/api-docs/x.{format}")})
    (folder / "api-docs").mkdir()
    os.mkfifo(folder / "api-docs" / "x.json")
    stderr = _generate_fails(tmp_path, "spec")
    assert "error: spec/api-docs/x.json: not a regular file (a FIFO)" in stderr


@needs_fifo
def test_a_fifo_named_as_the_spec_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "spec.json")
    stderr = _generate_fails(tmp_path, "spec.json")
    assert "error: spec.json: not a regular file (a FIFO)" in stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("name", ["x.json", "resources.json", "api-docs/x.json"])
def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path)
    (folder / name).parent.mkdir(exist_ok=True)
    (folder / name).symlink_to("/dev/zero")
    stderr = _generate_fails(tmp_path, "spec")
    # Outside the folder, and not a regular file: either refusal is right, no read happens.
    assert f"spec/{name}: " in stderr
    assert "refusing to read it" in stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_named_as_the_spec_is_refused(tmp_path: Path) -> None:
    stderr = _generate_fails(tmp_path, "/dev/zero")
    assert "error: /dev/zero: not a regular file (a character device)" in stderr


@pytest.mark.parametrize("name", ["x.json", "resources.json", "api-docs/x.json"])
def test_a_symlink_out_of_the_folder_is_not_read(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path)
    outside = tmp_path / "private.json"
    outside.write_text(f"{SECRET} is not JSON", encoding="utf-8")
    (folder / name).parent.mkdir(exist_ok=True)
    (folder / name).symlink_to(outside)
    stderr = _generate_fails(tmp_path, "spec")
    assert f"error: spec/{name}: links outside the spec's folder; refusing to read it" in stderr
    assert SECRET not in stderr
    assert "private.json" not in stderr  # shown as typed, not as resolved


def test_a_symlinked_folder_out_of_the_spec_is_not_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    elsewhere = write_files(tmp_path / "elsewhere", {"x.json": f"{SECRET} is not JSON"})
    (folder / "api-docs").symlink_to(elsewhere)
    stderr = _generate_fails(tmp_path, "spec")
    assert "spec/api-docs/x.json: links outside the spec's folder" in stderr
    assert SECRET not in stderr


def test_a_symlink_inside_the_folder_is_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "api-docs").mkdir()
    (folder / "api-docs" / "real.txt").write_text(
        json.dumps(declaration({"B": model("B")})), encoding="utf-8"
    )
    (folder / "api-docs" / "b.json").symlink_to("real.txt")
    result = run_cli("generate", "spec", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "class B" in (tmp_path / "out" / "ari_models" / "models.py").read_text("utf-8")


@pytest.mark.parametrize("how", ["folder", "file"])
def test_an_oversize_file_is_refused(tmp_path: Path, how: str) -> None:
    folder = _folder(tmp_path)
    big = folder / "big.json"
    with big.open("wb") as f:  # sparse: no disk space used
        f.truncate(sources.MAX_BYTES + 1)
    stderr = _generate_fails(tmp_path, "spec" if how == "folder" else "spec/big.json")
    assert f"error: spec/big.json: file larger than {sources.MAX_BYTES} bytes" in stderr


def test_a_file_of_exactly_the_cap_is_read(tmp_path: Path) -> None:
    text = json.dumps(declaration({"A": model("A")}))
    data = text.encode() + b" " * (sources.MAX_BYTES - len(text))
    (tmp_path / "cap.json").write_bytes(data)
    assert sources._read(tmp_path / "cap.json") == data
