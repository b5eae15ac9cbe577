"""Render layer: source exactly as black (pinned) writes it, paying black only where needed.

Black takes about a second per 3,000 lines, which would make it nearly all of
ari-codegen's time.  The bundled templates are therefore written in black's own
style: their output is already what black would make of it, except where a line is
too long (a long name, a long annotation) — only black knows how to wrap those.

So the module is cut into top-level pieces (at each top-level ``class``/``def``/
decorator, never inside a docstring); a piece whose code lines all fit in 88 columns
is taken as it is, every other piece goes through black.  ``tests/test_formatting.py``
checks, over every real spec, the Swagger corpus and hostile specs, that the result
is byte for byte what black gives for the whole module; ``black_everything=True``
hands black the whole module.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

LINE_LENGTH = 88
PARALLEL_LINES = 3000  # below this, a process pool costs more than it saves
_STARTS = ("@", "class ", "def ", "async def ")


@dataclass(frozen=True)
class Piece:
    code: str  # a top-level block, without the blank lines after it
    gap: str  # those blank lines
    plain: bool  # every code line (docstrings aside) is ASCII and fits in 88 columns


def split(text: str) -> list[Piece]:
    """Top-level pieces, each with the blank lines that follow it."""
    lines: list[str] = []
    pieces: list[Piece] = []
    start = 0
    plain = True
    in_doc = False
    blanks = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if in_doc:
            in_doc = not _closes_docstring(stripped)
            lines.append(line)
            continue
        # Black keeps at most two blank lines in a row (outside strings).
        blanks = blanks + 1 if not stripped else 0
        if blanks > 2:
            continue
        lines.append(line)
        i = len(lines) - 1
        if stripped.startswith('"""'):
            in_doc = not (len(stripped) >= 6 and _closes_docstring(stripped))
            continue
        if i > start and line.startswith(_STARTS) and not lines[i - 1].strip():
            pieces.append(_piece(lines[start:i], plain))
            start, plain = i, True
        if plain and (len(line.rstrip("\n")) > LINE_LENGTH or not line.isascii() or "\t" in line):
            plain = False
    pieces.append(_piece(lines[start:], plain))
    return pieces


def _closes_docstring(stripped: str) -> bool:
    """Does the line end with its closing quotes?  Not when an odd number of backslashes
    stands before them (the first quote is escaped); an even number are escaped pairs."""
    if not stripped.endswith('"""'):
        return False
    body = stripped[:-3]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 0


def _piece(lines: list[str], plain: bool) -> Piece:
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    return Piece("".join(lines[:end]), "".join(lines[end:]), plain)


def format_python(text: str, *, pyi: bool = False, black_everything: bool = False) -> str:
    """``text`` as black formats it (raises what black raises for invalid Python)."""
    if black_everything:
        return _black(text, pyi)
    pieces = split(text)
    todo = [i for i, p in enumerate(pieces) if not p.plain]
    if not todo:
        return _join(pieces, {}, pyi)
    try:
        done = _black_many([pieces[i].code for i in todo], pyi)
    except Exception:
        # A piece that is not valid on its own (a template of the user's, cut where it
        # should not be): black gets the whole module, and says what is wrong with it.
        return _black(text, pyi)
    return _join(pieces, dict(zip(todo, done, strict=True)), pyi)


def _join(pieces: list[Piece], formatted: dict[int, str], pyi: bool) -> str:
    """Every piece but the first starts a top-level class or def: in a module black puts
    exactly two blank lines before it; in a stub, what the template chose (checked)."""
    out = []
    for i, piece in enumerate(pieces):
        code = formatted.get(i)
        out.append(code if code is not None else piece.code)
        if i < len(pieces) - 1:
            out.append(piece.gap if pyi else "\n\n")
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


def _mode(pyi: bool) -> Any:
    import black  # only when some text needs it: importing black takes a while
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, is_pyi=pyi, line_length=LINE_LENGTH)


def _black(text: str, pyi: bool) -> str:
    import black

    formatted: str = black.format_str(text, mode=_mode(pyi))
    return formatted


def _black_job(job: tuple[str, bool]) -> str:
    return _black(*job)


def _black_many(codes: list[str], pyi: bool) -> list[str]:
    jobs = [(code, pyi) for code in codes]
    lines = sum(code.count("\n") for code in codes)
    workers = min(len(jobs), os.cpu_count() or 1)
    if (
        lines < PARALLEL_LINES
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [_black_job(job) for job in jobs]
    # Each worker gets a share of the pieces in one go (pickling them is cheap).
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_die_with, initargs=(os.getpid(),)
    )
    with pool:
        return list(pool.map(_black_job, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def _die_with(parent: int) -> None:
    """In each black worker: end when ari-codegen ends, even when it is killed (a pool's
    workers would otherwise wait for work for ever, orphaned).  Linux: the kernel sends
    SIGKILL when the parent dies; elsewhere (and as a back-up) a thread watches it."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
