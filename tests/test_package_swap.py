"""A package is replaced whole: a run killed at any step leaves the old package or the
new one (never a mix), the next run cleans up; black's workers end with their parent.

"Killed" is real here: the command runs in a subprocess whose chosen step calls
``os._exit`` (no ``finally``, no cleanup), or which the test kills with SIGKILL.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from support.cli import cli
from support.specs import declaration, model, write_files

from ari_codegen import write

PACKAGE = "ari_models"
STRING = {"type": "string"}


def _spec(folder: Path, version: int) -> Path:
    models = {"Channel": model("Channel", {"id": STRING})}
    if version == 2:
        models["Bridge"] = model("Bridge", {"kind": STRING})
        models["Channel"] = model("Channel", {"id": STRING, "name": STRING})
    return write_files(folder, {"models.json": declaration(models)}) / "models.json"


def _package(out: Path) -> dict[str, bytes] | None:
    folder = out / PACKAGE
    if not folder.exists():
        return None
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name != PACKAGE)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """(spec, out, old package, new package): out holds the old one; spec is now v2."""
    spec = _spec(tmp_path / "spec", 2)
    expected = tmp_path / "expected"
    assert cli("generate", spec, "--out", expected).exit_code == 0
    new = _package(expected)
    spec = _spec(tmp_path / "spec", 1)
    out = tmp_path / "out"
    assert cli("generate", spec, "--out", out).exit_code == 0
    old = _package(out)
    _spec(tmp_path / "spec", 2)
    assert old and new and old.keys() == new.keys() and old != new
    return spec, out, old, new


def _killed_run(spec: Path, out: Path, patch: str) -> None:
    """``generate`` in a subprocess, with ``patch`` (Python) applied first; it must die."""
    script = (
        textwrap.dedent(
            """
        import os, shutil, sys
        from ari_codegen import cli, write

        def kill_at(calls, original):
            count = 0
            def wrapper(*args, **kwargs):
                nonlocal count
                count += 1
                if count >= calls:
                    os._exit(137)  # as SIGKILL would: nothing after this runs
                return original(*args, **kwargs)
            return wrapper
        """
        )
        + textwrap.dedent(patch)
        + textwrap.dedent(
            """
        sys.argv = ["ari-codegen", "generate", sys.argv[1], "--out", sys.argv[2]]
        cli.main()
        """
        )
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(spec), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 137, result.stderr


KILLS = {
    "while staging": "os.fdopen = kill_at(2, os.fdopen)",
    "after staging": "write._swap = kill_at(1, write._swap)",
    "after the swap": "write.shutil.rmtree = kill_at(1, shutil.rmtree)",
    "between two renames": (
        "write._exchange = lambda a, b: False\nos.replace = kill_at(2, os.replace)"
    ),
    "before two renames": (
        "write._exchange = lambda a, b: False\nos.replace = kill_at(1, os.replace)"
    ),
}


@pytest.mark.parametrize("when", list(KILLS))
def test_a_killed_run_leaves_the_package_whole_and_the_next_run_cleans_up(
    versions: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], when: str
) -> None:
    spec, out, old, new = versions
    _killed_run(spec, out, KILLS[when])
    after = _package(out)
    assert _leftovers(out), "the killed run left its staging folder"
    if when == "between two renames":
        # Without an atomic exchange, the one moment with no package (never a mixed one).
        assert after is None
        write.recover(out / PACKAGE)
        assert _package(out) == old and _leftovers(out) == []
    elif when == "after the swap":
        assert after == new
    else:
        assert after == old

    result = cli("generate", spec, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert _package(out) == new
    assert _leftovers(out) == []


def test_check_does_not_clean_up(
    versions: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    spec, out, old, _ = versions
    _killed_run(spec, out, KILLS["after staging"])
    left = _leftovers(out)
    assert cli("generate", spec, "--out", out, "--check").exit_code == 1
    assert _leftovers(out) == left and _package(out) == old


def test_files_that_are_not_ours_survive_the_swap_as_the_same_files(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "spec", 1)
    out = tmp_path / "out"
    assert cli("generate", spec, "--out", out).exit_code == 0
    package = out / PACKAGE
    (package / "notes.txt").write_text("mine\n", encoding="utf-8")
    (package / "extra").mkdir()
    (package / "extra" / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    (package / "link.py").symlink_to("extra/helpers.py")
    inode = (package / "extra" / "helpers.py").stat().st_ino
    os.chmod(package, 0o750)
    _spec(tmp_path / "spec", 2)
    assert cli("generate", spec, "--out", out).exit_code == 0
    assert (package / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (package / "extra" / "helpers.py").stat().st_ino == inode
    assert os.readlink(package / "link.py") == "extra/helpers.py"
    assert (package / "models.py").read_text(encoding="utf-8").count("class Bridge") == 1
    assert package.stat().st_mode & 0o777 == 0o750
    assert _leftovers(out) == []


def test_a_full_disk_names_the_file(
    versions: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec, out, old, _ = versions

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write.os, "fdopen", full)
    result = cli("generate", spec, "--out", out)
    monkeypatch.undo()
    assert result.exit_code == 2
    first = sorted(old)[0]
    assert result.stderr == (
        f"error: {out / PACKAGE / first}: cannot write: No space left on device\n"
    )
    assert _package(out) == old and _leftovers(out) == []


def test_a_read_only_output_folder_names_the_folder(
    versions: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    spec, out, old, _ = versions
    os.chmod(out, 0o555)
    try:
        result = cli("generate", spec, "--out", out)
    finally:
        os.chmod(out, 0o755)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {out}")
    assert _package(out) == old


# --- black's workers ---------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="no process pool on one CPU")
def test_black_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    script = textwrap.dedent(
        """
        import os, sys, time
        from ari_codegen.render import formatting

        def slow(job):
            open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
            time.sleep(60)
            return job[0]

        formatting.PARALLEL_LINES = 0
        formatting._black_job = slow
        formatting._black_many([f"x{i} = 1\\n" for i in range(64)], False)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(pids)])
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not list(pids.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # every worker is up
        workers = [int(p.name) for p in pids.iterdir()]
        assert workers, "no worker started"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "orphaned black workers"
    finally:
        parent.kill()
        parent.wait(timeout=10)
        for pid in workers:  # ours: started by this test
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_package_folder_that_is_a_symlink_stays_one(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "spec", 1)
    real = tmp_path / "real"
    assert cli("generate", spec, "--out", real).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    (out / PACKAGE).symlink_to(real / PACKAGE)
    _spec(tmp_path / "spec", 2)
    assert cli("generate", spec, "--out", out).exit_code == 0
    assert (out / PACKAGE).is_symlink()
    assert "class Bridge" in (real / PACKAGE / "models.py").read_text(encoding="utf-8")
    assert _leftovers(out) == [] and _leftovers(real) == []
