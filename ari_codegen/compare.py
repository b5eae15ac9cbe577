"""Report layer (`diff`): compare the model sets of two specs, as code written against OLD sees it.

A change is *breaking* when code that type-checked and ran against OLD's models may
fail against NEW's: something it used is gone or has another type, a value it could
rely on may now be absent, or NEW's models reject payloads that OLD's Asterisk sends
(a newly required field).  Everything else is *compatible*.

Every text that comes from a spec (titles, model ids, field names, enum values) is
printed on one line and printable in the text and markdown formats (a newline in a
model id cannot forge a line, an escape sequence cannot reach the terminal); the json
format escapes lone surrogates, so its output is valid UTF-8 JSON.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .changes import Change
from .compare_operations import OPERATION_KINDS, compare_resources
from .errors import _printable
from .graph import Enum, Field, ListOf, Model, Prim, TypeGraph, describe

KINDS = (
    "model added",
    "model removed",
    "field added",
    "field removed",
    "type changed",
    "required changed",
    "enum values added",
    "enum values removed",
    "discriminator changed",
    "base changed",
    "subtypes added",
    "subtypes removed",
)


@dataclass(frozen=True)
class Report:
    old: str
    new: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    def counts(self) -> dict[str, int]:
        counter = Counter(c.kind for c in self.changes)
        return {kind: counter[kind] for kind in (*KINDS, *OPERATION_KINDS) if counter[kind]}


def compare(old: TypeGraph, new: TypeGraph) -> Report:
    changes: list[Change] = []
    for model in old.models:
        if model.id not in new.by_id:
            changes.append(
                Change(
                    "model removed",
                    model.id,
                    None,
                    model.id,
                    None,
                    True,
                    "code that uses it no longer finds it",
                )
            )
    for model in new.models:
        before = old.by_id.get(model.id)
        if before is None:
            changes.append(
                Change("model added", model.id, None, None, model.id, False, "new model")
            )
        else:
            changes.extend(_model_changes(before, model, old, new))
    changes.extend(compare_resources(old.resources, new.resources))
    return Report(old.title, new.title, tuple(changes))


def _declares_discriminator(model: Model, graph: TypeGraph) -> bool:
    base = graph.by_id[model.base] if model.base else None
    return model.discriminator is not None and (
        base is None or base.discriminator != model.discriminator
    )


def _model_changes(
    old: Model, new: Model, old_graph: TypeGraph, new_graph: TypeGraph
) -> list[Change]:
    out: list[Change] = []
    mid = new.id
    if old.base != new.base:
        out.append(
            Change(
                "base changed",
                mid,
                None,
                old.base,
                new.base,
                True,
                "isinstance checks and inherited fields change",
            )
        )
    if old.discriminator != new.discriminator and (
        # reported once, where a version declares it, not on every subtype
        _declares_discriminator(old, old_graph) or _declares_discriminator(new, new_graph)
    ):
        out.append(
            Change(
                "discriminator changed",
                mid,
                None,
                old.discriminator,
                new.discriminator,
                True,
                "decoding dispatches on another field",
            )
        )
    added = sorted(set(new.sub_types) - set(old.sub_types))
    removed = sorted(set(old.sub_types) - set(new.sub_types))
    if added:
        out.append(
            Change(
                "subtypes added",
                mid,
                None,
                None,
                ", ".join(added),
                False,
                "an exhaustive match over its subtypes needs new cases",
            )
        )
    if removed:
        out.append(
            Change(
                "subtypes removed",
                mid,
                None,
                ", ".join(removed),
                None,
                True,
                "code that expects those subtypes no longer gets them",
            )
        )
    old_all = {f.wire_name: f for f in old.fields}
    new_all = {f.wire_name: f for f in new.fields}
    for f in old.own_fields:
        if f.wire_name not in new_all and not f.is_tag:
            out.append(
                Change(
                    "field removed",
                    mid,
                    f.wire_name,
                    _spell(f),
                    None,
                    True,
                    "code that reads it no longer finds it",
                )
            )
    for f in new.fields:
        if f.is_tag:
            continue
        before = old_all.get(f.wire_name)
        own_now = f.declared_in == mid
        if before is None and own_now:
            out.append(
                Change(
                    "field added",
                    mid,
                    f.wire_name,
                    None,
                    _spell(f),
                    f.required,
                    "required: payloads from OLD's Asterisk lack it and no longer decode, "
                    "and constructors must pass it"
                    if f.required
                    else "optional",
                )
            )
            continue
        # A field is reported where it is declared (in OLD or in NEW), not on every subclass.
        if before is not None and (own_now or before.declared_in == mid):
            out.extend(_field_changes(mid, before, f))
    return out


def _field_changes(mid: str, old: Field, new: Field) -> list[Change]:
    out: list[Change] = []
    name = new.wire_name
    if old.type != new.type:
        a, b = old.type, new.type
        while isinstance(a, ListOf) and isinstance(b, ListOf):  # List[enum]: its values
            a, b = a.item, b.item
        if isinstance(a, Enum) and isinstance(b, Enum) and a.base == b.base:
            added = [v for v in b.values if v not in a.values]
            removed = [v for v in a.values if v not in b.values]
            if added:
                out.append(
                    Change(
                        "enum values added",
                        mid,
                        name,
                        None,
                        _values(added),
                        False,
                        "decoding keeps unknown values anyway; an exhaustive match needs new cases",
                    )
                )
            if removed:
                out.append(
                    Change(
                        "enum values removed",
                        mid,
                        name,
                        _values(removed),
                        None,
                        True,
                        "code comparing with a removed value no longer type-checks",
                    )
                )
        elif isinstance(a, Enum) and a.base == b:
            out.append(
                Change(
                    "type changed",
                    mid,
                    name,
                    describe(a),
                    describe(b),
                    False,
                    "the closed set of values became any value of its type",
                )
            )
        else:
            narrowed = isinstance(b, Enum) and b.base == a and isinstance(a, Prim)
            out.append(
                Change(
                    "type changed",
                    mid,
                    name,
                    describe(old.type),
                    describe(new.type),
                    True,
                    "values are now restricted to a closed set"
                    if narrowed
                    else "code written for the old type may not type-check or run",
                )
            )
    if old.required != new.required:
        out.append(
            Change(
                "required changed",
                mid,
                name,
                "required" if old.required else "optional",
                "required" if new.required else "optional",
                True,
                "readers must now handle None"
                if old.required
                else "payloads from OLD's Asterisk without it no longer decode",
            )
        )
    return out


def _spell(f: Field) -> str:
    return f"{describe(f.type)}{'' if f.required else ' (optional)'}"


def _values(values: Sequence[object]) -> str:
    return ", ".join(repr(v) for v in values)


# --- formats ---------------------------------------------------------------------------


def as_text(report: Report) -> str:
    old, new = _printable(report.old), _printable(report.new)
    if not report.changes:
        return f"{old} → {new}: no changes\n"
    breaking = len(report.breaking)
    lines = [
        f"{old} → {new}: {len(report.changes)} changes "
        f"({breaking} breaking, {len(report.changes) - breaking} compatible)"
    ]
    for c in sorted(report.changes, key=lambda c: (not c.breaking, c.model, c.field or "")):
        detail = _printable(_detail(c))
        lines.append(
            f"{'BREAKING ' if c.breaking else 'compatible'} {_printable(c.where)}: {c.kind}"
            f"{': ' + detail if detail else ''} — {c.reason}"
        )
    return "\n".join(lines) + "\n"


def _detail(c: Change) -> str:
    if c.old is not None and c.new is not None:
        return f"{c.old} → {c.new}"
    return c.new or c.old or "" if c.field or c.kind.startswith(("enum", "subtypes")) else ""


def _md(text: str) -> str:
    return _printable(text).replace("|", "\\|").replace("<", "&lt;")


def _md_code(text: str) -> str:
    """A code span that a backtick in ``text`` cannot end early."""
    text = _md(text)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def as_markdown(report: Report) -> str:
    head = f"### ARI models: {_md(report.old)} → {_md(report.new)}\n\n"
    if not report.changes:
        return head + "No changes.\n"
    lines = [
        head + f"**{len(report.breaking)} breaking**, {len(report.changes) - len(report.breaking)} "
        "compatible.\n",
        "| | Where | Change | Detail | Why |",
        "|---|---|---|---|---|",
    ]
    for c in sorted(report.changes, key=lambda c: (not c.breaking, c.model, c.field or "")):
        mark = "💥 breaking" if c.breaking else "compatible"
        lines.append(
            f"| {mark} | {_md_code(c.where)} | {c.kind} | {_md(_detail(c))} | {_md(c.reason)} |"
        )
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    data = {
        "old": report.old,
        "new": report.new,
        "summary": {
            "changes": len(report.changes),
            "breaking": len(report.breaking),
            "by_kind": report.counts(),
        },
        "changes": [asdict(c) for c in report.changes],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    # A lone surrogate (a spec's "\\ud800") is no UTF-8: keep it escaped, as JSON allows.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json}
