"""Errors that point at the culprit: which file, which JSON path, what is wrong.

Every layer (load, graph, render, write) reports problems as :class:`Problem`
values; a run that found any raises one :class:`SpecError` carrying all of them,
so that the user sees every problem of a spec at once rather than one per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PathPart = str | int


@dataclass(frozen=True)
class Loc:
    """A place in a spec: a file (as the user named it) and a JSON path inside it."""

    file: str
    path: tuple[PathPart, ...] = ()
    line: int | None = None
    column: int | None = None

    def child(self, *parts: PathPart) -> Loc:
        return Loc(self.file, self.path + parts)

    def __str__(self) -> str:
        text = _printable(self.file)
        if self.line is not None:
            text += f":{self.line}:{self.column or 1}"
        for part in self.path:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += f" › {_printable(part)}"
        return text


def _printable(text: str) -> str:
    """A key or file name as it reads on one line: a line break in it cannot start a
    line of its own (nor forge another error line)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"


class SpecError(Exception):
    """One or more problems in the input; the CLI prints them and exits 2."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, loc: Loc, message: str) -> SpecError:
        return cls([Problem(loc, message)])


class Problems:
    """Collects problems while a layer keeps going; raises them all at the end."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.items.append(Problem(loc, message))

    def warn(self, loc: Loc, message: str) -> None:
        """Something odd that has one sensible reading; generation goes on."""
        self.warnings.append(Problem(loc, message))

    def extend(self, error: SpecError) -> None:
        self.items.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise SpecError(self.items)


class UsageError(Exception):
    """The command line asked for something that cannot be done (exit 2)."""
