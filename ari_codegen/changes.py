"""Report layer: one change between two specs, as code written against the older one sees it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    kind: str
    model: str
    field: str | None
    old: str | None
    new: str | None
    breaking: bool
    reason: str

    @property
    def where(self) -> str:
        return f"{self.model}.{self.field}" if self.field else self.model
