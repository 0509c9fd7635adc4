"""The packages' imports run one way (autograd ← nn ← demos): no module imports another's private
names, the modules of each package import one another without a cycle, and no package imports
one above it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["autograd", "nn", "demos", "demos.playground"]
LAYERS = ["autograd", "nn", "demos"]  # each may import only those before it


def modules(package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node of the tree but those under ``if TYPE_CHECKING:`` (type hints, never imported
    when the program runs), so a deferred import inside a function still counts."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            test = getattr(child, "test", None) if isinstance(child, ast.If) else None
            if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import the file runs, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


ALL = {name: path for package in PACKAGES for name, path in modules(package).items()}


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_module_imports_another_modules_private_names(name):
    private = [
        f"{module}.{taken}"
        for module, names in imports(name, ALL[name])
        for taken in names
        if taken.startswith("_") and not taken.startswith("__") and module in ALL and module != name
    ]
    assert not private, f"{name} imports private names: {private}"


@pytest.mark.parametrize("package", PACKAGES)
def test_the_modules_of_a_package_import_each_other_without_a_cycle(package):
    inside = modules(package)
    edges = {}
    for name, path in inside.items():
        targets = set()
        for module, names in imports(name, path):
            for candidate in [module, *(f"{module}.{n}" for n in names)]:
                if candidate in inside and candidate != name and candidate != package:
                    targets.add(candidate)
        edges[name] = targets
    state: dict[str, str] = {}
    for start in edges:  # an iterative depth-first search for a back edge
        stack = [(start, iter(sorted(edges[start])))]
        if state.get(start):
            continue
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "done"
                stack.pop()
            elif state.get(child) == "open":
                cycle = [n for n, _ in stack] + [child]
                pytest.fail(f"import cycle: {' → '.join(cycle[cycle.index(child):])}")
            elif child not in state:
                state[child] = "open"
                stack.append((child, iter(sorted(edges[child]))))


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_module_imports_a_package_above_its_own(name):
    layer = LAYERS.index(name.split(".")[0])
    above = [
        module for module, _ in imports(name, ALL[name]) if module.split(".")[0] in LAYERS[layer + 1 :]
    ]
    assert not above, f"{name} imports {above}, above {LAYERS[layer]} (imports run autograd ← nn ← demos)"
