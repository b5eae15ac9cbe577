"""Graph layer: the frozen data of the graph (Field, Model, TypeGraph) and of declarations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..errors import Loc
from .operations import Resource
from .types import Enum, TypeExpr, referenced_models


def spec_title(label: str, api_version: str | None, *, brief: bool = False) -> str:
    """How output and reports name a spec: ``Asterisk 22.0.0 (ARI 9.0.0)``, or its label
    alone when the apiVersion says nothing more.

    The label (set by the load layer) is the human name: the Asterisk release (a live
    server's version, a folder named like a release), the user's ``LABEL=SPEC``, else the
    path as given.  ``brief``: the label alone, how a merge names each of its specs
    (docstrings' "In: Asterisk 12.0.0, Asterisk 16.0.0")."""
    if brief or not api_version or api_version == label:
        return label
    return f"{label} (ARI {api_version})"


@dataclass(frozen=True)
class Field:
    wire_name: str
    py_name: str
    type: TypeExpr
    required: bool
    description: str | None
    declared_in: str  # model id that declares it (inherited fields keep their origin)
    is_tag: bool = False  # the discriminator field of a concrete subtype: Literal[id]
    versions: tuple[str, ...] = ()  # merged specs only: which versions have it


@dataclass(frozen=True)
class Model:
    id: str
    py_name: str
    description: str | None
    file: str
    base: str | None
    sub_types: tuple[str, ...]
    own_fields: tuple[Field, ...]  # declared here (a redeclared inherited field included)
    fields: tuple[Field, ...]  # all, inherited first
    discriminator: str | None  # wire name of the discriminator field (own or inherited)
    versions: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.sub_types

    @property
    def tag_value(self) -> str | None:
        """The discriminator's wire value for this model (its id), if it has one."""
        return self.id if self.discriminator else None


@dataclass(frozen=True)
class DiscriminatedUnion:
    """Every concrete (leaf) subtype of a discriminated base: ``AnyEvent``."""

    base: str
    py_name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class LiteralAlias:
    """A named closed set of values (``ChannelState``) for one field's enum."""

    py_name: str
    model: str  # the model id that declares the field
    field: str  # the field's wire name
    enum: Enum


@dataclass(frozen=True)
class TypeGraph:
    """Every model of a spec (or of merged specs), names and types resolved."""

    label: str
    api_version: str | None
    models: tuple[Model, ...]  # bases before subclasses, otherwise by id
    unions: tuple[DiscriminatedUnion, ...]
    warnings: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()  # merged specs: every version, oldest first
    literals: tuple[LiteralAlias, ...] = ()
    resources: tuple[Resource, ...] = ()  # the operations (the client), by resource name
    by_id: Mapping[str, Model] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", MappingProxyType({m.id: m for m in self.models}))

    def descendants(self, model_id: str) -> tuple[str, ...]:
        out: list[str] = []
        stack = list(reversed(self.by_id[model_id].sub_types))
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.by_id[current].sub_types))
        return tuple(out)

    def ancestors(self, model_id: str) -> tuple[str, ...]:
        out: list[str] = []
        base = self.by_id[model_id].base
        while base is not None:
            out.append(base)
            base = self.by_id[base].base
        return tuple(out)

    def references(self, model_id: str) -> tuple[str, ...]:
        """Models that this model's own fields refer to, in field order."""
        seen: dict[str, None] = {}
        for f in self.by_id[model_id].own_fields:
            for ref in referenced_models(f.type):
                seen.setdefault(ref, None)
        return tuple(seen)

    @property
    def title(self) -> str:
        return spec_title(self.label, self.api_version)


@dataclass(frozen=True)
class PropDecl:
    """A property as a model declares it, its type resolved."""

    wire_name: str
    type: TypeExpr
    required: bool
    description: str | None
    loc: Loc
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelDecl:
    """A model as declared (its own properties), before inheritance is applied."""

    id: str
    loc: Loc
    description: str | None
    base: str | None
    props: tuple[PropDecl, ...]
    discriminator: str | None
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Declarations:
    """Every model of a spec (or of several merged specs), validated and resolved."""

    label: str
    api_version: str | None
    models: Mapping[str, ModelDecl]
    warnings: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()  # the operations, sorted by resource name
