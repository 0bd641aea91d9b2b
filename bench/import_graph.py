"""The import graph of Chorus's own modules: cycles, upward imports, stage-to-stage imports.

    python -m bench.import_graph            # this checkout
    PYTHONPATH=OTHER python -m bench.import_graph   # another checkout (e.g. an older commit)

Layers, top to bottom: face (``chorus.cli``) -> bench -> flows -> stages (``tasks``) ->
foundation (``chorus.core``; before it existed, the ``chorus`` modules other than the
CLI). An import from a lower layer to a higher one is an upward arrow. Two stages are two
different top-level modules or packages of ``tasks`` other than the shared
``tasks.recognizers`` and ``tasks.embedders``. ``lint-imports`` enforces the same rules
(pyproject.toml); this report prints what it finds instead of failing.
"""

from __future__ import annotations

import argparse
import json

PACKAGES = ("chorus", "flows", "tasks", "bench")
LAYERS = ("face", "bench", "flows", "stages", "foundation")
SHARED = ("tasks.recognizers", "tasks.embedders")


def layer(module: str) -> str:
    """The layer of a module (see the module docstring)."""
    if module == "chorus.cli" or module.startswith("chorus.cli."):
        return "face"
    for name in ("bench", "flows"):
        if module == name or module.startswith(name + "."):
            return name
    if module == "tasks" or module.startswith("tasks."):
        return "stages"
    return "foundation"


def stage(module: str) -> str | None:
    """The stage a ``tasks`` module belongs to (None: not a stage, or a shared module)."""
    parts = module.split(".")
    if parts[0] != "tasks" or len(parts) < 2 or ".".join(parts[:2]) in SHARED:
        return None
    return ".".join(parts[:2])


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: every strongly connected component of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def import_edges() -> dict[str, set[str]]:
    """importer -> modules it imports, over Chorus's own packages (grimp's static graph)."""
    import grimp

    graph = grimp.build_graph(*PACKAGES)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def report(edges: dict[str, set[str]]) -> dict:
    rank = {name: i for i, name in enumerate(LAYERS)}
    # a package's __init__ importing its own submodules is not an arrow between layers
    upward = sorted((a, b) for a, targets in edges.items() for b in targets
                    if rank[layer(a)] > rank[layer(b)] and not b.startswith(a + "."))
    sideways = sorted((a, b) for a, targets in edges.items() for b in targets
                      if stage(a) and stage(b) and stage(a) != stage(b))
    return {"modules": len(edges), "imports": sum(len(t) for t in edges.values()),
            "cycles": strongly_connected(edges),
            "upward": [f"{a} ({layer(a)}) -> {b} ({layer(b)})" for a, b in upward],
            "stage_to_stage": [f"{a} -> {b}" for a, b in sideways]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    result = report(import_edges())
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{result['modules']} modules, {result['imports']} imports")
    for key in ("cycles", "upward", "stage_to_stage"):
        print(f"{key}: {len(result[key])}")
        for item in result[key]:
            print(f"  {item}")


if __name__ == "__main__":
    main()
