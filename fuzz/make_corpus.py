"""Writes the seed corpus of the fuzz targets (run once; the seeds are committed).

    uv run python fuzz/make_corpus.py

- fuzz/corpus/yaml/: the shipped scenarios (scenarios/*.yaml) and the hostile fixtures
  (tests/hostile/scenarios/*.yaml, tests/hostile/records/*.yaml), those committed to git;
- fuzz/corpus/expressions/: every distinct formula of the shipped scenarios, and a few written here
  that reach the corners of the language (strings, escapes, nesting, the ternary, every operator).

Inputs the fuzzer found later are added to the same folders by hand (see fuzz/README.md); this
script only (re)writes the seed files, named `seed-*`.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import attrs

from engine.scenario.expressions import Expression
from engine.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"

HANDWRITTEN = [
    "1 + 2 * 3 - 4 / 5 % 6",
    "-(+-(1)) * .5e1",
    "turn >= 3 and in_force('hotline') or not (risk < 0.5)",
    "a == b ? 'yes' : \"no\"",
    "x ? y ? 1 : 2 : z ? 3 : 4",
    "'it\\'s' == \"say \\\"hi\\\"\" || 'a\\\\b' != 'c'",
    "!true && false",
    "clamp(sqrt(abs(tension.self.target)), floor(1.5), ceil(round(2.5)))",
    "min(1) + max(1, 2, 3) + others_max('x') + agreements() + actors()",
    "is_self('usa') ? total('arsenal') : pair_avg('trust')",
    "1e308 * 10",
    "1 / 0",
    "5 % 0",
    "((((((((((((((((((((1))))))))))))))))))))",
    "1 < 2 < 3",
    "unknown_function(1)",
    "in_force()",
    "'unclosed",
    "a.b..c",
    "0x10 + 1_000",
    "\u00e9t\u00e9 + 1",
    "",
    "true",
    "-0.0",
    "123456789012345678901234567890",
    # At and past the limits: 64 levels of nesting, 1,000 values and operators, 2,000 characters.
    "(" * 63 + "1" + ")" * 63,
    "(" * 70 + "1" + ")" * 70,
    "-" * 70 + "1",
    "1" + " + 1" * 499,
    "1" + " + 1" * 600,
    "x" * 2000,
    "x" * 2001,
]


def _formulas(value: Any, found: set[str], seen: set[int]) -> None:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Expression):
        found.add(value.source)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _formulas(getattr(value, field.name), found, seen)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _formulas(item, found, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _formulas(item, found, seen)


def _committed(folder: Path) -> list[Path]:
    """The YAML files of `folder` that git knows (not files someone is still writing)."""
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", "HEAD", "./"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted(folder / name for name in listed if name.endswith(".yaml") and "/" not in name)


def _write(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def main() -> None:
    yaml_dir, expr_dir = CORPUS / "yaml", CORPUS / "expressions"
    for folder in (yaml_dir, expr_dir):
        for old in folder.glob("seed-*"):
            old.unlink()
    for path in _committed(ROOT / "scenarios"):
        shutil.copyfile(path, yaml_dir / f"seed-scenario-{path.name}")
    for kind in ("scenarios", "records"):
        for path in _committed(ROOT / "tests" / "hostile" / kind):
            shutil.copyfile(path, yaml_dir / f"seed-hostile-{kind}-{path.name}")
    formulas: set[str] = set(HANDWRITTEN)
    for path in _committed(ROOT / "scenarios"):
        _formulas(load_scenario(path), formulas, set())
    for formula in sorted(formulas):
        _write(expr_dir, f"seed-{_short_hash(formula)}", formula.encode("utf-8"))
    print(f"{len(list(yaml_dir.glob('seed-*')))} YAML seeds, {len(formulas)} formula seeds")


if __name__ == "__main__":
    main()
