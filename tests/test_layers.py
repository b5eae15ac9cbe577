"""The package's shape: layers import only downwards, no import cycles, modules stay small."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from support.paths import REPO

from ari_codegen.styles import CLIENT_RUNTIME, STYLES

PACKAGE = REPO / "ari_codegen"
# Lower layers never import higher ones (a layer may import its own modules).
LAYERS = {
    "ari_codegen": 0,  # the package itself: __version__ only
    "ari_codegen.errors": 0,
    "ari_codegen.styles": 0,
    "ari_codegen.resources": 0,
    "ari_codegen.naming": 1,
    "ari_codegen.runtime": 1,
    "ari_codegen.load": 2,
    "ari_codegen.graph": 3,
    "ari_codegen.render": 4,
    "ari_codegen.write": 5,
    "ari_codegen.pipeline": 6,
    "ari_codegen.changes": 6,
    "ari_codegen.compare": 6,
    "ari_codegen.compare_operations": 6,
    "ari_codegen.diagram": 6,
    "ari_codegen.config": 6,
    "ari_codegen.cli": 7,
    "ari_codegen.__main__": 8,
}
MAX_LINES = 370  # "about 350"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    while module not in LAYERS:
        module = module.rsplit(".", 1)[0]
    return LAYERS[module]


def imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports (at the top or inside a function)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("ari_codegen"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            elif node.module and node.module.startswith("ari_codegen"):
                target = node.module
            else:
                continue
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: imports(m) for m in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_import_only_downwards(module: str) -> None:
    upward = {m for m in GRAPH[module] if layer(m) > layer(module)}
    assert not upward, f"{module} (layer {layer(module)}) imports {upward}"


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            # a package's __init__ re-exporting its own modules is not a cycle of theirs
            if target == module.rsplit(".", 1)[0] and MODULES[target].name == "__init__.py":
                continue
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if target not in state:
                visit(target, [*stack, target])
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small_and_say_their_layer(module: str) -> None:
    text = MODULES[module].read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_LINES, module
    doc = ast.get_docstring(ast.parse(text))
    assert doc, f"{module} has no docstring"


RUNTIME = sorted(m for m in MODULES if m.startswith("ari_codegen.runtime."))


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports run when the module is imported (not those inside functions)."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt))
    return found


@pytest.mark.parametrize("module", RUNTIME)
def test_runtime_modules_import_only_the_standard_library(module: str) -> None:
    """Copied verbatim into generated packages: the standard library at module level (httpx,
    websockets, orjson are imported on first use), siblings shipped with it, never ari_codegen."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    name = module.rsplit(".", 1)[1]
    # the runtime files a generated package ships beside this one (the same style's)
    shipped = {
        Path(source).stem
        for style in STYLES.values()
        for _, source in (*style.runtime, *style.client_runtime)
        if source.endswith(".py")
    }
    siblings = set(CLIENT_RUNTIME) if name in CLIENT_RUNTIME else shipped - set(CLIENT_RUNTIME)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "ari_codegen" for a in node.names), module
        elif isinstance(node, ast.ImportFrom) and not node.level:
            assert (node.module or "").split(".")[0] != "ari_codegen", module
    for node in _top_level_imports(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert node.level == 1 and node.module in siblings, (module, node.module)
            continue
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
        for imported in names:
            top = (imported or "").split(".")[0]
            assert top == "__future__" or top in sys.stdlib_module_names, (module, imported)
    if name in CLIENT_RUNTIME:
        doc = ast.get_docstring(tree) or ""
        assert doc.startswith("Runtime of the generated client: "), module
