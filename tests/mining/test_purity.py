"""The pure packages (mining, text) stay pure: no web framework, no database, at any depth, by any import form."""

import ast
from pathlib import Path

MINING = Path(__file__).resolve().parents[2] / "glossary" / "mining"
TEXT = MINING.parent / "text"
PACKAGE = ("glossary", "mining")
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "alembic", "psycopg")
# Modules of the application outside mining/ that bring the web or the database with them.
OUTSIDE = ("models", "services", "api", "web", "cli", "extensions", "errors", "database", "config", "search")


def imported_modules(source: str, package: list[str]) -> set[str]:
    """Absolute names of everything ``source`` imports; relative imports resolved against ``package``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def offending(name: str) -> bool:
    parts = name.split(".")
    if parts[0] in FORBIDDEN:
        return True
    return parts[0] == "glossary" and len(parts) > 1 and parts[1] in OUTSIDE


def test_mining_modules_import_no_flask_or_sqlalchemy():
    files = sorted(MINING.rglob("*.py"))
    assert len(files) > 10, MINING
    offenders = {}
    for path in files:
        package = [*PACKAGE, *path.relative_to(MINING).parent.parts]
        names = imported_modules(path.read_text(encoding="utf-8"), package)
        offenders[str(path.relative_to(MINING))] = sorted(name for name in names if offending(name))
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_relative_imports_are_resolved():
    # the check itself: a relative import of the models from inside mining/ (or a subpackage) is caught
    assert any(offending(n) for n in imported_modules("from ..models import Term", list(PACKAGE)))
    assert any(offending(n) for n in imported_modules("from ...models import Term", [*PACKAGE, "weights"]))
    assert not any(offending(n) for n in imported_modules("from .words import Token", list(PACKAGE)))
    assert "glossary.mining.boundary" in imported_modules("from ..boundary import Option", [*PACKAGE, "weights"])


def test_text_package_imports_no_flask_sqlalchemy_or_mining():
    # glossary.text is the bottom layer: mining, search, formats and the check import it, never the reverse.
    files = sorted(TEXT.rglob("*.py"))
    assert len(files) >= 3, TEXT
    offenders = {}
    for path in files:
        package = ["glossary", "text", *path.relative_to(TEXT).parent.parts]
        names = imported_modules(path.read_text(encoding="utf-8"), package)
        upward = [n for n in names if n.split(".")[:2] == ["glossary", "mining"]]
        bad = [n for n in names if offending(n)] + upward
        offenders[str(path.relative_to(TEXT))] = sorted(bad)
    assert {name: bad for name, bad in offenders.items() if bad} == {}
