"""The engine never imports the UI: checked in a fresh interpreter and by import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_whole_engine_leaves_textual_out():
    code = (
        "import importlib, pkgutil, sys, engine\n"
        "for m in pkgutil.walk_packages(engine.__path__, 'engine.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'tui', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def test_the_import_linter_contract_holds():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed")
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_headless_commands_do_not_import_the_ui():
    code = (
        "import sys\n"
        "from midnight.cli import main\n"
        "main(['validate', 'tests/fixtures/rules.yaml'])\n"
        "print('loaded:' + ','.join(sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'tui'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip().splitlines()[-1] == "loaded:"


def _engine_import_graph() -> dict[str, set[str]]:
    """Each engine module and the engine modules it imports when it runs (at any depth of its
    code; imports under `if TYPE_CHECKING:` are for the type checker only and are left out)."""
    import ast

    modules = {}
    for path in (ROOT / "engine").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
        found = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and node.module in modules:
                for alias in node.names:
                    found.add(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name in modules)
        graph[name] = found - {name}
    return graph


def test_no_engine_module_imports_itself_through_others():
    graph = _engine_import_graph()
    # A package imports what it re-exports: only module-to-module edges can make a circle.
    packages = {name for name in graph if (ROOT / name.replace(".", "/") / "__init__.py").exists()}
    circles = []
    for start in graph:
        if start in packages:
            continue
        stack, seen = [(start, (start,))], set()
        while stack:
            module, path = stack.pop()
            for target in graph[module] - packages:
                if target == start:
                    circles.append(" -> ".join((*path, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*path, target)))
    assert circles == []


def test_no_engine_module_imports_the_engines_own_facade():
    # engine/__init__.py is the public face for front ends; inside, each layer imports its own
    # modules and those below (the layers contract cannot see imports of the root package).
    graph = _engine_import_graph()
    assert sorted(name for name, imported in graph.items() if "engine" in imported and name != "engine") == []
