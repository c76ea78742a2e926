"""The package's layering, read from its imports (no module is executed): stages flow one
way (docs/architecture.md), there is no import cycle between modules, and nothing in
``analysis/`` imports the page, Streamlit, the test helpers or the synthetic renderer.

Every import counts, also those inside functions: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PKG = REPO / "analysis"

#: Rank of each part of the package: a module may import its own rank or lower ones.
#: The vocabulary (types, config, the landmark enum) is shared by every stage.
RANKS: dict[str, int] = {
    "analysis.types": 0,
    "analysis.config": 0,
    "analysis.pose.landmarks": 0,
    "analysis.io": 1,
    "analysis.pose": 2,
    "analysis.measure": 3,
    "analysis.audio": 3,
    "analysis.rules": 4,
    "analysis.report": 5,
    "analysis.render": 6,
    "analysis.store": 7,  # keeps Reports and rebuilds them; draws stills for its printable page
    "analysis.pipeline": 8,
    "analysis.batch": 9,
    "analysis.__main__": 9,
    "analysis": 10,  # the package's __init__: the public face, re-exports lazily
}
FORBIDDEN = ("streamlit", "review", "app", "tests", "synthetic", "bench")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def imports_of(name: str, path: Path) -> set[str]:
    """Absolute names of every module ``name`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            for a in node.names:  # "from . import signals" imports a submodule
                out.add(f"{mod}.{a.name}")
    return out


def internal_graph() -> dict[str, set[str]]:
    mods = modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        graph[name] = {m for m in imports_of(name, path) if m in mods and m != name}
    return graph


def rank(name: str) -> int:
    best = max((k for k in RANKS if name == k or name.startswith(k + ".")), key=len)
    return RANKS[best]


def test_every_module_has_a_rank():
    assert set(modules()) >= {"analysis.pipeline", "analysis.report", "analysis.io.video", "analysis.pose.stage"}
    for name in modules():
        rank(name)  # raises ValueError (max of nothing) for a module outside the map


def test_no_stage_imports_a_later_stage():
    wrong = [
        f"{a} (rank {rank(a)}) imports {b} (rank {rank(b)})"
        for a, deps in internal_graph().items()
        for b in deps
        if rank(b) > rank(a) and not b.startswith(a + ".")  # a package may re-export its own modules
    ]
    assert not wrong, "\n".join(wrong)


def _with_parents(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Importing ``a.b.c`` runs ``a/b/__init__.py`` first: add those edges (except to the
    importer's own packages, which are running already)."""
    out = {}
    for a, deps in graph.items():
        extra = set()
        for b in deps:
            parts = b.split(".")
            for k in range(2, len(parts)):
                parent = ".".join(parts[:k])
                if parent in graph and not a.startswith(parent + ".") and parent != a:
                    extra.add(parent)
        out[a] = deps | extra
    return out


def test_no_import_cycle():
    graph = _with_parents(internal_graph())
    # A package's __init__ importing its own submodules is not a cycle of behaviour.
    edges = {a: {b for b in deps if not b.startswith(a + ".")} for a, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(modules()))
def test_analysis_never_imports_the_page_or_test_code(name):
    bad = sorted(
        m for m in imports_of(name, modules()[name]) if m.split(".")[0] in FORBIDDEN
    )
    assert not bad, f"{name} imports {bad}"


def test_the_checker_sees_a_planted_violation(tmp_path):
    """The checks above read real imports: a made-up module importing upwards is caught."""
    fake = PKG / "io" / "video.py"
    names = imports_of("analysis.io.video", fake)
    assert "analysis.types" in names  # relative "from ..types import" resolved
    planted = tmp_path / "m.py"
    planted.write_text("from ..pipeline import analyze_video\nimport streamlit\n")
    got = imports_of("analysis.measure.m", planted)
    assert "analysis.pipeline" in got and "streamlit" in got
    assert rank("analysis.pipeline") > rank("analysis.measure.m")


@pytest.mark.parametrize("path", sorted((REPO / "review").glob("*.py")), ids=lambda p: p.name)
def test_the_page_logic_never_imports_streamlit(path):
    """Only ``app.py`` knows Streamlit: ``review/`` is tested without it."""
    name = f"review.{path.stem}" if path.stem != "__init__" else "review"
    bad = sorted(m for m in imports_of(name, path) if m.split(".")[0] in ("streamlit", "app"))
    assert not bad, f"{name} imports {bad}"
