"""Base layer: errors that point at the culprit (which file, which JSON path, what is wrong).

Every layer (load, graph, render, write) reports problems as :class:`Problem`
values; a run that found any raises one error carrying all of them, so that the user
sees every problem of a spec at once rather than one per run.  Every error ari-codegen
raises on purpose is an :class:`AriCodegenError`: :class:`SpecError` (the input),
:class:`TemplateError` (a template), :class:`OutputError` (the output folder),
:class:`UsageError` (the command line).  The CLI prints them and exits 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

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


_E = TypeVar("_E", bound="AriCodegenError")


class AriCodegenError(Exception):
    """One or more problems, each with its place; the CLI prints one line each and exits 2."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls: type[_E], loc: Loc, message: str) -> _E:
        return cls([Problem(loc, message)])

    def lines(self) -> tuple[str, ...]:
        """What the CLI prints, one ``error:`` line each."""
        return tuple(str(p) for p in self.problems)


class SpecError(AriCodegenError):
    """Problems in the input spec (its files, its JSON, its models)."""


class TemplateError(AriCodegenError):
    """A template failed to render, or printed something that is not valid Python."""


class OutputError(AriCodegenError):
    """The output folder cannot take the package (a file that is not ours, not a folder)."""


class UsageError(AriCodegenError):
    """The command line asked for something that cannot be done."""

    def __init__(self, message: str) -> None:
        super().__init__(())
        self.message = message
        self.args = (message,)

    def lines(self) -> tuple[str, ...]:
        return (self.message,)


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

    def extend(self, error: AriCodegenError) -> None:
        self.items.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, error: type[AriCodegenError] = SpecError) -> None:
        if self.items:
            raise error(self.items)



def shown(value: object) -> str:
    """Spec text inside a message: as it is when it prints on one line, else as repr()."""
    text = str(value)
    return text if text and text.isprintable() else repr(text)
