"""Load layer: a spec from a file, a folder, a resource listing or a URL → validated documents.

A folder is read through its ``resources.json``, else every ``*.json`` and
``api-docs/*.json``; a listing's ``apis[].path`` must stay inside the listing's folder
(path safety).  URLs go to :mod:`remote`; each document's shape to :mod:`swagger`.
"""

from __future__ import annotations

import re
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
        listing = next((path / n for n in LISTING_NAMES if (path / n).is_file()), None)
        if listing is not None:
            return _load_listing_file(listing, path_label(path), options)
        files = sorted(path.glob("*.json")) + sorted(path.glob("api-docs/*.json"))
        if not files:
            raise SpecError.at(Loc(str(path)), "folder holds no resources.json and no *.json")
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
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SpecError.at(Loc(str(path)), f"cannot read: {exc.strerror}") from None


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
            if resolved.is_file():
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
