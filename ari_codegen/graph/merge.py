"""Graph layer: several specs (Asterisk releases) merged into one model set valid for all.

Works on :class:`~ari_codegen.graph.Declarations` (before inheritance is applied), so
that the merged set is assembled by the very same rules as a single spec:

- models and fields: the union;
- a field is required only when every spec that has the model has the field and
  requires it;
- enum values: the union; a field whose type changed: a union of both types;
- a change that a union cannot express (a model's base or discriminator) is an error.

Every model and field records the versions that have it (``versions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from ..errors import Problems
from .model import Declarations, ModelDecl, PropDecl, spec_title
from .operations_merge import merge_resources
from .types import merge_types


def merge_declarations(specs: Sequence[Declarations]) -> Declarations:
    """Merge specs given oldest first (the newest one's descriptions and order win)."""
    labels = [spec_title(d.label, d.api_version, brief=True) for d in specs]
    if len(set(labels)) != len(labels):
        labels = [f"{label} #{i + 1}" for i, label in enumerate(labels)]
    problems = Problems()
    ids: dict[str, None] = {}
    for decls in reversed(specs):
        ids.update(dict.fromkeys(decls.models))
    merged: dict[str, ModelDecl] = {}
    for mid in ids:
        present = [
            (label, d.models[mid])
            for label, d in zip(labels, specs, strict=True)
            if mid in d.models
        ]
        model = _merge_model(present, problems)
        if model is not None:
            merged[mid] = model
    problems.raise_if_any()
    resources, resource_warnings = merge_resources(
        [(label, d.resources) for label, d in zip(labels, specs, strict=True)]
    )
    warnings = tuple(w for d in specs for w in d.warnings) + resource_warnings
    return Declarations(
        label=" + ".join(spec_title(d.label, d.api_version) for d in specs),
        api_version=None,  # each spec's own, in the label
        models=MappingProxyType(merged),
        warnings=warnings,
        versions=tuple(labels),
        resources=resources,
    )


def _merge_model(present: list[tuple[str, ModelDecl]], problems: Problems) -> ModelDecl | None:
    newest = present[-1][1]
    ok = True
    for attribute, what in (("base", "base model"), ("discriminator", "discriminator")):
        values = {label: getattr(m, attribute) for label, m in present}
        if len(set(values.values())) > 1:
            spelled = ", ".join(f"{v!r} in {label}" for label, v in values.items())
            problems.add(
                newest.loc,
                f"the {what} of {newest.id!r} changed between versions ({spelled}); "
                "one model set cannot express that",
            )
            ok = False
    if not ok:
        return None
    labels = tuple(label for label, _ in present)
    names: dict[str, None] = {}
    for _, model in reversed(present):
        names.update(dict.fromkeys(p.wire_name for p in model.props))
    props = []
    for name in names:
        having = [
            (label, prop) for label, m in present for prop in m.props if prop.wire_name == name
        ]
        merged_type = having[0][1].type
        for _, prop in having[1:]:
            merged_type = merge_types(merged_type, prop.type)
        newest_prop = having[-1][1]
        props.append(
            PropDecl(
                wire_name=name,
                type=merged_type,
                required=len(having) == len(present) and all(p.required for _, p in having),
                description=newest_prop.description,
                loc=newest_prop.loc,
                versions=tuple(label for label, _ in having),
            )
        )
    return ModelDecl(
        id=newest.id,
        loc=newest.loc,
        description=newest.description,
        base=newest.base,
        props=tuple(props),
        discriminator=newest.discriminator,
        versions=labels,
    )
