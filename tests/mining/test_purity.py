"""The mining package stays pure: no web framework, no database."""

import ast
from pathlib import Path

MINING = Path(__file__).resolve().parents[2] / "glossary" / "mining"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_mining_modules_import_no_flask_or_sqlalchemy():
    files = sorted(MINING.glob("*.py"))
    assert files, MINING
    offenders = {
        path.name: sorted(name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN) for path in files
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}
