"""Load layer: a spec from a file, a folder, a resource listing or a URL → validated documents.

A folder is read through its ``resources.json``, else every ``*.json`` and
``api-docs/*.json``; a listing's ``apis[].path`` must stay inside the listing's folder
(path safety).  Only regular files are read (never a FIFO or a device: each is
opened without blocking and checked after opening), at most :data:`MAX_BYTES` each, and
a folder's files only where they resolve inside the folder (a symlink out of it is
refused, its content never read); paths are shown as the user typed them.  URLs go to
:mod:`remote`; each document's shape to :mod:`swagger`.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Loc, Problems, SpecError
from .jsondoc import json_kind, parse_json
from .options import LoadOptions
from .swagger import (
    Document,
    Spec,
    is_listing,
    listed_relative_path,
    listing_paths,
    read_document,
    version_text,
)

LISTING_NAMES = ("resources.json",)
MAX_BYTES = 16 * 1024 * 1024  # per file, as for a URL (remote.MAX_BYTES)


def load_spec(source: str | Path, options: LoadOptions | None = None) -> Spec:
    """Load a spec from a file, a folder, a resource listing or (see :mod:`remote`) a URL.

    ``LABEL=SPEC`` names the spec ``LABEL`` in output and reports; otherwise its label is
    the Asterisk release its folder is named after, else the path as given.
    """
    label, text = split_label(str(source)) if isinstance(source, str) else (None, str(source))
    spec = _load(text if isinstance(source, str) else source, options or LoadOptions())
    return spec if label is None else spec.relabel(label)


def split_label(source: str) -> tuple[str | None, str]:
    """``LABEL=SPEC`` → (LABEL, SPEC) when SPEC is a URL or a path that exists; a URL, or
    a path that exists, stays whole (and so does anything else: messages name it)."""
    label, equals, rest = source.partition("=")
    if (
        not equals
        or source.startswith(("http://", "https://"))
        or not label.strip()
        or Path(source).exists()
        or not (rest.startswith(("http://", "https://")) or (rest and Path(rest).exists()))
    ):
        return None, source
    return " ".join(label.split()), rest  # one line: it names the spec in headers


# A folder named like an Asterisk release: 22.0.0, asterisk-20.20.1, 22.11.0-rc1,
# certified-20.7-cert1; the folders of a spec inside one are skipped on the way up.
_RELEASE = re.compile(
    r"(?:asterisk[-_])?((?:certified-)?\d+\.\d+(?:\.\d+)?(?:-(?:rc|beta|alpha|cert)\d+)*)",
    re.IGNORECASE,
)
_SPEC_FOLDERS = frozenset({"rest-api", "api-docs", "spec", "specs", "ari"})


def release_label(folder: Path) -> str | None:
    """``Asterisk 20.20.1`` for ``…/asterisk-20.20.1/rest-api`` (or ``…/22.0.0``)."""
    for part in reversed(folder.absolute().parts):
        match = _RELEASE.fullmatch(part)
        if match:
            return f"Asterisk {match.group(1)}"
        if part.lower() not in _SPEC_FOLDERS:
            return None
    return None


def path_label(path: Path) -> str:
    """A spec's label: the release its folder is named after, else the path as given."""
    release = release_label(path if path.is_dir() else path.parent)
    if release is not None:
        return release
    text = str(path)
    return str(path.absolute()) if text in (".", "..") else text


def _load(source: str | Path, options: LoadOptions) -> Spec:
    text = str(source)
    if text.startswith(("http://", "https://")):
        from .remote import load_url  # a network client only when asked for one (no cycle:
        # remote imports swagger, never this module)

        spec: Spec = load_url(text, options)
        return spec
    path = Path(source)
    if path.is_dir():
        root = _resolved_root(path)
        listing = next((path / n for n in LISTING_NAMES if _exists(path / n)), None)
        if listing is not None:
            _check_inside(listing, root)
            return _load_listing_file(listing, path_label(path), options)
        files = sorted(path.glob("*.json")) + sorted(path.glob("api-docs/*.json"))
        if not files:
            raise SpecError.at(Loc(str(path)), "folder holds no resources.json and no *.json")
        problems = Problems()
        for file in files:
            try:
                _check_inside(file, root)
            except SpecError as exc:
                problems.extend(exc)
        problems.raise_if_any()
        return _load_files(files, path_label(path), None, options)
    if not path.exists():
        raise SpecError.at(Loc(str(path)), "no such file or folder")
    raw = _read(path)
    data = parse_json(raw, str(path))
    if is_listing(data):
        return _load_listing(data, path, path_label(path), options)
    spec = _load_files([path], path_label(path), None, options, preparsed={path: data})
    return replace(spec, listing=_listing_beside(path))


def _listing_beside(declaration: Path) -> str | None:
    """The resources.json of the spec a lone declaration belongs to (its folder's, or the
    one above ``api-docs/``), as the user would type it."""
    for folder in (declaration.parent, declaration.parent.parent):
        for name in LISTING_NAMES:
            if (folder / name).is_file():
                return str(folder / name)
    return None


def _read(path: Path) -> bytes:
    """A regular file's bytes, at most :data:`MAX_BYTES`; anything else is a SpecError.

    ``O_NONBLOCK``: opening a FIFO (or a device) must not wait for a writer; ``fstat``
    of what was opened (not of the name, which could change in between) then refuses it.
    """
    loc = Loc(str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SpecError.at(loc, f"cannot read: {reason}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SpecError.at(
                loc, f"not a regular file ({_kind(info.st_mode)}); refusing to read it"
            )
        if info.st_size > MAX_BYTES:
            raise SpecError.at(loc, f"file larger than {MAX_BYTES} bytes; refusing to read it")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise SpecError.at(loc, f"file larger than {MAX_BYTES} bytes; refusing to read it")
        return b"".join(chunks)
    except OSError as exc:
        raise SpecError.at(loc, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a plain file")


def _exists(path: Path) -> bool:
    """Something (a file, a FIFO, a dangling link...) by that name: :func:`_read` decides."""
    return os.path.lexists(path)


def _resolved_root(folder: Path) -> Path:
    try:
        return folder.resolve()
    except (OSError, RuntimeError) as exc:
        raise SpecError.at(Loc(str(folder)), f"cannot read the folder: {exc}") from None


def _check_inside(file: Path, root: Path) -> None:
    """A folder's file must resolve inside the folder: a symlink out of it is not read."""
    loc = Loc(str(file))
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise SpecError.at(loc, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if not resolved.is_relative_to(root):
        raise SpecError.at(loc, "links outside the spec's folder; refusing to read it")


def _load_listing_file(path: Path, label: str, options: LoadOptions) -> Spec:
    return _load_listing(parse_json(_read(path), str(path)), path, label, options)


def _load_listing(data: Any, path: Path, label: str, options: LoadOptions) -> Spec:
    loc = Loc(str(path))
    problems = Problems()
    if not isinstance(data, dict):
        raise SpecError.at(loc, f"expected a JSON object at the top, found {json_kind(data)}")
    files: dict[Path, Path] = {}  # real path (one file once) → the path as the user typed it
    for i, api in listing_paths(data, loc, problems):
        target = resolve_listed_path(api, path.parent, loc.child("apis", i, "path"), problems)
        if target is not None:
            files.setdefault(target.resolve(), target)
    problems.raise_if_any()
    return _load_files(list(files.values()), label, version_text(data.get("apiVersion")), options)


def resolve_listed_path(api_path: str, folder: Path, loc: Loc, problems: Problems) -> Path | None:
    """The declaration a listing names, spelled under ``folder`` as the user typed it (a
    symlinked folder keeps its name in messages); only the safety check sees real paths."""
    rel = listed_relative_path(api_path)
    try:
        root = folder.resolve()
    except (OSError, ValueError) as exc:
        problems.add(loc, f"cannot resolve the spec's folder ({getattr(exc, 'strerror', exc)})")
        return None
    # An installed Asterisk (/var/lib/asterisk/rest-api) keeps the declarations beside
    # resources.json, without the api-docs/ folder its source tree has.
    flat = rel.rsplit("/", 1)[-1]
    candidates = [folder / rel, folder / (rel + ".json"), folder / flat, folder / (flat + ".json")]
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
            if not resolved.is_relative_to(root):
                message = f"path {api_path!r} leaves the spec's folder; refusing to read it"
                problems.add(loc, message)
                return None
            if resolved.exists() and not resolved.is_dir():  # a FIFO too: _read refuses it
                return candidate
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long, a symlink loop...
            reason = getattr(exc, "strerror", None) or str(exc)
            problems.add(loc, f"path {api_path!r} cannot be a file of the spec ({reason})")
            return None
    problems.add(loc, f"listed API declaration {api_path!r} not found (looked for {rel!r})")
    return None


def _load_files(
    files: Sequence[Path],
    label: str,
    api_version: str | None,
    options: LoadOptions,
    preparsed: dict[Path, Any] | None = None,
) -> Spec:
    problems = Problems()
    documents: list[Document] = []
    for path in files:
        try:
            data = (preparsed or {}).get(path)
            if data is None:
                data = parse_json(_read(path), str(path))
            documents.append(read_document(data, str(path), problems, options))
        except SpecError as exc:
            problems.extend(exc)
    problems.raise_if_any()
    if api_version is None:
        versions = sorted({d.api_version for d in documents if d.api_version})
        api_version = " / ".join(versions) if versions else None
    return Spec(label=label, api_version=api_version, documents=tuple(documents))
