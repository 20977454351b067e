"""Layers only point down: each package imports only packages on its own layer or below.

The layers, bottom up (docs/ARCHITECTURE.md draws them):
pure text tools → the miner → readers and file formats → the database models →
search (reads) → services (use cases, writes) → the doors (pages, API, command line).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "glossary"
LAYERS = [
    {"text", "config"},
    {"mining"},
    {"ingest", "formats"},
    {"extensions", "database", "errors", "models", "security"},
    {"search"},
    {"services"},
    {"api", "web", "cli", "data", "__init__"},
]
LAYER = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _unit(path: Path) -> str:
    """The top-level package or module of ``glossary`` a file belongs to."""
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def _imported_units(path: Path) -> set[str]:
    package = path.relative_to(ROOT.parent).with_suffix("").parts[:-1]  # ("glossary", "search")
    units = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                parts = (*base, *(node.module or "").split(".")) if node.module else base
                if len(parts) == 1:  # from .. import x: x is a unit
                    units.update(alias.name for alias in node.names)
                    continue
            else:
                parts = tuple((node.module or "").split("."))
        elif isinstance(node, ast.Import):
            parts = ()
            for alias in node.names:
                if alias.name.startswith("glossary."):
                    units.add(alias.name.split(".")[1])
            continue
        else:
            continue
        if len(parts) >= 2 and parts[0] == "glossary":
            units.add(parts[1])
    return units


FILES = sorted(ROOT.rglob("*.py"))


def test_every_unit_has_a_layer():
    assert {_unit(path) for path in FILES} <= set(LAYER), "a new package needs a place in LAYERS"


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_point_down(path):
    unit = _unit(path)
    above = {other for other in _imported_units(path) if other in LAYER and LAYER[other] > LAYER[unit]}
    assert not above, f"{unit} (layer {LAYER[unit]}) imports {sorted(above)} from a layer above"
