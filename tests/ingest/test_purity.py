"""The reader stays a pure library, as the miner is: no Flask, no SQLAlchemy, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import glossary.ingest

FORBIDDEN = ("flask", "flask_login", "flask_sqlalchemy", "sqlalchemy", "werkzeug")


def test_ingest_imports_neither_flask_nor_sqlalchemy():
    folder = Path(glossary.ingest.__file__).parent
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level and (node.module or "").split(".")[0] in ("extensions", "models", "services"):
                    found.append(f"{path.name}: from {'.' * node.level}{node.module}")
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in FORBIDDEN]
    assert len(list(folder.glob("*.py"))) >= 5 and found == []
