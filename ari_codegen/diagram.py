"""Report layer (`graph`): the type graph as a picture, Mermaid ``classDiagram`` or Graphviz DOT.

Only Python names (validated identifiers) and type spellings built from them reach
the output, so no spec text can break out of the diagram syntax.
"""

from __future__ import annotations

from .graph import Enum, ListOf, ModelRef, Prim, TypeExpr, TypeGraph, referenced_models


def _type(t: TypeExpr, graph: TypeGraph, generic_open: str, generic_close: str) -> str:
    if isinstance(t, Prim):
        return {"object": "dict", "any": "Any"}.get(t.name, t.name)
    if isinstance(t, Enum):
        return t.base.name
    if isinstance(t, ModelRef):
        return graph.by_id[t.id].py_name
    if isinstance(t, ListOf):
        return (
            f"list{generic_open}{_type(t.item, graph, generic_open, generic_close)}{generic_close}"
        )
    return " or ".join(_type(o, graph, generic_open, generic_close) for o in t.options)


def _edges(graph: TypeGraph) -> list[tuple[str, str, str]]:
    """(from, to, field) for every reference a model's own fields make."""
    out: list[tuple[str, str, str]] = []
    for model in graph.models:
        for f in model.own_fields:
            for ref in dict.fromkeys(referenced_models(f.type)):
                out.append((model.py_name, graph.by_id[ref].py_name, f.py_name))
    return out


def mermaid(graph: TypeGraph) -> str:
    lines = ["classDiagram"]
    for model in graph.models:
        lines.append(f"    class {model.py_name} {{")
        for f in model.own_fields:
            optional = "" if f.required else "?"
            lines.append(f"        +{_type(f.type, graph, '~', '~')}{optional} {f.py_name}")
        lines.append("    }")
    for model in graph.models:
        if model.base:
            lines.append(f"    {graph.by_id[model.base].py_name} <|-- {model.py_name}")
    for source, target, name in _edges(graph):
        lines.append(f"    {source} --> {target} : {name}")
    return "\n".join(lines) + "\n"


def dot(graph: TypeGraph) -> str:
    lines = [
        "digraph ari_models {",
        "    rankdir=LR;",
        '    node [shape=record, fontname="Helvetica", fontsize=10];',
    ]
    for model in graph.models:
        fields = "".join(
            f"{f.py_name}{'' if f.required else '?'}: {_type(f.type, graph, '[', ']')}\\l"
            for f in model.own_fields
        )
        lines.append(f'    "{model.py_name}" [label="{{{model.py_name}|{fields}}}"];')
    for model in graph.models:
        if model.base:
            lines.append(
                f'    "{model.py_name}" -> "{graph.by_id[model.base].py_name}" [arrowhead=empty];'
            )
    for source, target, name in _edges(graph):
        lines.append(f'    "{source}" -> "{target}" [label="{name}", style=dashed];')
    lines.append("}")
    return "\n".join(lines) + "\n"


FORMATS = {"mermaid": mermaid, "dot": dot}
