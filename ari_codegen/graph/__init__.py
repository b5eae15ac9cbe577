"""Graph layer: loaded specs → the immutable type graph, every name and type resolved."""

from .assemble import assemble, build_graph
from .declare import declare
from .merge import merge_declarations
from .model import (
    Declarations,
    DiscriminatedUnion,
    Field,
    LiteralAlias,
    Model,
    ModelDecl,
    PropDecl,
    TypeGraph,
    spec_title,
)
from .types import (
    Enum,
    ListOf,
    ModelRef,
    Prim,
    TypeExpr,
    UnionOf,
    describe,
    merge_types,
    referenced_models,
    walk,
)

__all__ = [
    "Declarations",
    "DiscriminatedUnion",
    "Enum",
    "Field",
    "ListOf",
    "LiteralAlias",
    "Model",
    "ModelDecl",
    "ModelRef",
    "Prim",
    "PropDecl",
    "TypeExpr",
    "TypeGraph",
    "UnionOf",
    "assemble",
    "build_graph",
    "declare",
    "describe",
    "merge_declarations",
    "merge_types",
    "referenced_models",
    "spec_title",
    "walk",
]
