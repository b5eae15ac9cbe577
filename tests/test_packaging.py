"""The distributions: what the wheel and the sdist carry, and an installed wheel at work.

``python -m build`` makes the sdist and then the wheel *from the sdist* (so a wheel that
works also proves the sdist complete), each in an isolated build environment that pip
fills from the package index.  Without the ``build`` package, ``pip wheel`` makes the
wheel from the checkout and the sdist tests skip.  The wheel is then installed, not
editable, into a folder of its own and run from an empty working directory, where
neither the checkout's ``specs/`` nor its ``templates/`` can be found by accident.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

import pytest
from support.packages import generate_package
from support.paths import REPO, require_shared

import ari_codegen
from ari_codegen.styles import STYLES

BUILD_TIMEOUT = 300  # a cold pip cache downloads hatchling; a warm build takes seconds
RUN_TIMEOUT = 120
HAS_BUILD = importlib.util.find_spec("build") is not None
NEEDS_BUILD = pytest.mark.skipif(
    not HAS_BUILD, reason="the 'build' package is not installed: no sdist (pip cannot make one)"
)
DIST = f"ari_codegen-{ari_codegen.__version__}"


def run(
    command: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = RUN_TIMEOUT,
) -> str:
    """Run ``command``; fail the test with its output unless it exits 0; return stdout."""
    environment = dict(os.environ)
    for key in ("PYTHONPATH", "MYPYPATH", "PIP_REQUIRE_VIRTUALENV"):
        environment.pop(key, None)
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.update(env or {})
    result = subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder with the built wheel (and the sdist, when ``build`` is installed)."""
    out = tmp_path_factory.mktemp("dist")
    if HAS_BUILD:
        command = [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)]
    run(command, cwd=out, timeout=BUILD_TIMEOUT)
    return out


@pytest.fixture(scope="module")
def wheel(dists: Path) -> Path:
    (found,) = dists.glob(f"{DIST}-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
def sdist(dists: Path) -> Path:
    if not HAS_BUILD:
        pytest.skip("the 'build' package is not installed: no sdist (pip cannot make one)")
    (found,) = dists.glob(f"{DIST}.tar.gz")
    return found


def repo_files(folder: str) -> dict[str, Path]:
    """The checkout's files under ``REPO/folder`` that git does not ignore, by relative path."""
    root = REPO / folder
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", folder],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=True,
        ).stdout.split("\0")
        paths = [REPO / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an sdist)
        paths = [p for p in root.rglob("*") if "__pycache__" not in p.parts]
    return {p.relative_to(root).as_posix(): p for p in sorted(paths) if p.is_file()}


def wheel_metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{DIST}.dist-info/METADATA").decode("utf-8")
    return HeaderParser().parsestr(text)


def test_the_wheel_carries_the_package_its_templates_and_its_specs(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {name.split("/")[0] for name in names} == {"ari_codegen", f"{DIST}.dist-info"}
        for folder, inside in (
            ("ari_codegen", "ari_codegen"),
            ("templates", "ari_codegen/templates"),
            ("specs", "ari_codegen/specs"),
        ):
            files = repo_files(folder)
            assert files, f"{folder}/ is empty in the checkout"
            for relative, path in files.items():
                name = f"{inside}/{relative}"
                assert name in names, f"{name} is missing from the wheel"
                assert archive.read(name) == path.read_bytes(), f"{name} differs from {path}"
    assert "ari_codegen/py.typed" in names  # the package declares "Typing :: Typed"
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_wheel_metadata(wheel: Path) -> None:
    meta = wheel_metadata(wheel)
    assert meta["Name"] == "ari-codegen"
    assert meta["Version"] == ari_codegen.__version__
    assert meta["Requires-Python"] == ">=3.10"
    assert (meta["License-Expression"] or meta["License"]) == "BSD-3-Clause"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert str(meta.get_payload()).lstrip().startswith("# ari-codegen")  # the README

    classifiers = meta.get_all("Classifier") or []
    for wanted in (
        "Programming Language :: Python :: 3 :: Only",
        *(f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)),
        "Topic :: Communications :: Telephony",
        "Topic :: Software Development :: Code Generators",
        "Typing :: Typed",
    ):
        assert wanted in classifiers, f"classifier {wanted!r} missing: {classifiers}"
    # PEP 639: a License-Expression rules out "License ::" classifiers.
    assert not [c for c in classifiers if c.startswith("License ::")]

    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, url = entry.split(",", 1)
        urls[label.strip()] = url.strip()
    assert {"Homepage", "Source", "Issues"} <= set(urls), urls
    assert all(url.startswith("https://") for url in urls.values()), urls

    requires = meta.get_all("Requires-Dist") or []
    runtime = {r.split(";")[0].strip() for r in requires if "extra ==" not in r}
    names = {r.split("=")[0].split(">")[0].split("<")[0].strip().lower() for r in runtime}
    assert names == {"click", "jinja2", "black", "tomli"}, runtime
    # tomli only where tomllib is missing (pyproject.toml's [tool.ari-codegen])
    (tomli,) = [r for r in requires if r.startswith("tomli")]
    assert tomli.replace(" ", "").replace('"', "'") == "tomli>=2;python_version<'3.11'", tomli
    assert any(r.startswith("black==") for r in runtime), "black must stay pinned"
    assert {"test", "examples"} <= set(meta.get_all("Provides-Extra") or [])


def test_the_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{DIST}.dist-info/entry_points.txt").decode("utf-8")
    entry_points = configparser.ConfigParser()
    entry_points.read_string(text)
    assert entry_points["console_scripts"]["ari-codegen"] == "ari_codegen.cli:main"


def test_the_wheel_ships_the_license_text(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        licenses = [n for n in archive.namelist() if n.startswith(f"{DIST}.dist-info/licenses/")]
    assert licenses
    assert wheel_metadata(wheel).get_all("License-File")


@NEEDS_BUILD
def test_the_sdist_carries_the_sources(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(f"{DIST}/") for name in archive.getnames()}
    for wanted in ("pyproject.toml", "README.md", "PKG-INFO", "tests/conftest.py"):
        assert wanted in names, f"{wanted} is missing from the sdist"
    for folder in ("ari_codegen", "templates", "specs", "generated"):
        files = repo_files(folder)
        assert files
        missing = sorted({f"{folder}/{relative}" for relative in files} - names)
        assert not missing, f"missing from the sdist: {missing}"
    junk = [n for n in names if n.startswith((".venv", ".git/", ".mypy_cache", ".pytest_cache"))]
    assert not junk, junk
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


@NEEDS_BUILD
def test_the_sdist_ships_what_its_tests_need(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(f"{DIST}/") for name in archive.getnames()}
    assert "examples/ari_client.py" in names


def test_the_installed_wheel_generates_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--no-compile"]
    run([*pip, "--disable-pip-version-check", "--target", str(site), str(wheel)], cwd=tmp_path)
    scripts = site / ("Scripts" if sys.platform == "win32" else "bin")
    (script,) = scripts.glob("ari-codegen*")
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {"PYTHONPATH": str(site)}

    # The installed copy answers, not the checkout (which is on sys.path through the
    # editable install of the test environment, after PYTHONPATH).
    where = run(
        [
            sys.executable,
            "-c",
            "import ari_codegen, ari_codegen.resources as r\n"
            "print(ari_codegen.__file__, r.templates_dir(), r.bundled_spec_dir(), sep='\\n')",
        ],
        cwd=empty,
        env=env,
    )
    for line in where.splitlines():
        assert Path(line).resolve().is_relative_to(site.resolve()), where
    assert ari_codegen.__version__ in run([str(script), "--version"], cwd=empty, env=env)

    run([str(script), "generate", "--style", "dataclasses", "--out", "out"], cwd=empty, env=env)
    package = empty / "out" / "ari_models"
    # The installed tool makes exactly what the checkout makes (bundled spec, templates).
    checkout = generate_package(None, "dataclasses", tmp_path / "checkout", "ari_models")
    made = sorted(p.name for p in package.iterdir())
    assert made == sorted(p.name for p in checkout.iterdir())
    assert made == sorted(STYLES["dataclasses"].files)
    for name in made:
        assert (package / name).read_bytes() == (checkout / name).read_bytes(), name

    event = require_shared("ari-payloads", "001_StasisStart.json")
    decoded = run(
        [
            sys.executable,
            "-c",
            "import json, sys\n"
            "from ari_models import Message\n"
            "text = open(sys.argv[1], encoding='utf-8').read()\n"
            "event = Message.from_json(text)\n"
            "assert event.to_dict() == json.loads(text)\n"
            "print(type(event).__name__, event.channel.id)",
            str(event),
        ],
        cwd=empty / "out",
        env=env,
    )
    channel_id = json.loads(event.read_text(encoding="utf-8"))["channel"]["id"]
    assert decoded.split() == ["StasisStart", channel_id]
