"""A mining run or an import killed with SIGKILL half-way leaves no trace.

Each command runs in a real subprocess against the test database, is killed
while it is still working, and the database must be consistent and without
any part of the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from glossary.models import Candidate, Concept, Evidence, Source, Term

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).parent / "flask"


def _start(app, tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GLOSSARY_INSTANCE_PATH": str(tmp_path / "instance"),
        "GLOSSARY_ENV": "development",
    }
    return subprocess.Popen(
        [str(FLASK), "--app", "app", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _writing_uncommitted(db) -> bool:
    """Whether another connection holds writes it has not committed yet.

    SQLite: the run's uncommitted pages have spilled into the write-ahead log.
    PostgreSQL: a transaction of another session has taken an id, which happens
    at its first write.
    """
    if db.engine.dialect.name == "sqlite":
        wal = Path(db.engine.url.database + "-wal")
        return wal.exists() and wal.stat().st_size > 256 * 1024
    with db.engine.connect() as connection:
        return (
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                )
            )
            > 0
        )


def _kill_while_writing(process: subprocess.Popen, db, hang_guard: float = 600) -> None:
    """Kill the command once it is writing, whatever the machine's speed: the moment is told by the
    database (see ``_writing_uncommitted``), not by a clock; the guard only ends a run that hangs."""
    deadline = time.monotonic() + hang_guard
    while process.poll() is None and not _writing_uncommitted(db):
        assert time.monotonic() < deadline, "the command never started writing"
        time.sleep(0.05)  # the interval between two looks, not a guess at when writing starts
    assert process.poll() is None, "the command finished before it could be killed: make the input larger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=hang_guard)
    assert process.returncode == -signal.SIGKILL


def _counts(db) -> dict[str, int]:
    db.session.rollback()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Concept, Term, Source, Evidence, Candidate)
    }


def _assert_consistent(db) -> None:
    if db.engine.dialect.name == "sqlite":
        assert db.session.scalar(text("PRAGMA integrity_check")) == "ok"
        assert db.session.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def _article(paragraphs: int) -> str:
    """An invented article in the seed corpus's style with a distinct defined term in every
    paragraph, so that storing the run is a long stream of writes."""
    lines = []
    for i in range(paragraphs):
        lines.append(
            f"慢性应激激活下丘脑-垂体-肾上腺（hypothalamic-pituitary-adrenal，HPA）轴，"
            f"并影响白细胞介素-{i}（interleukin-{i}，IL-{i}）水平。"
        )
    return "\n".join(lines)


def _glossary(concepts: int) -> dict:
    return {
        "format": "zh-en-glossary",
        "version": 1,
        "sources": [],
        "concepts": [
            {
                "id": None,
                "domain": "test",
                "definition": None,
                "note": None,
                "status": "approved",
                "evidence": [],
                "terms": [
                    {"lang": "zh", "text": f"测试术语{i}号", "kind": "full", "status": "preferred", "count": 1},
                    {"lang": "en", "text": f"test term number {i}", "kind": "full", "status": "preferred", "count": 1},
                ],
            }
            for i in range(concepts)
        ],
    }


def test_mining_killed_half_way_stores_nothing(app, db, tmp_path):
    article = tmp_path / "long-article.txt"
    article.write_text(_article(20_000), encoding="utf-8")
    before = _counts(db)
    process = _start(app, tmp_path, "mine", str(article))
    _kill_while_writing(process, db)
    _assert_consistent(db)
    assert _counts(db) == before

    # The killed run did not poison anything: the same command now completes.
    small = tmp_path / "short-article.txt"
    small.write_text(_article(3), encoding="utf-8")
    done = _start(app, tmp_path, "mine", str(small))
    _, errors = done.communicate(timeout=600)
    assert done.returncode == 0, errors.decode()
    after = _counts(db)
    assert after["Source"] == 1 and after["Candidate"] > 0


def test_import_killed_half_way_stores_nothing(app, db, tmp_path):
    backup = tmp_path / "big.json"
    backup.write_text(json.dumps(_glossary(40_000), ensure_ascii=False), encoding="utf-8")
    before = _counts(db)
    process = _start(app, tmp_path, "import", str(backup))
    _kill_while_writing(process, db)
    _assert_consistent(db)
    assert _counts(db) == before
    assert before["Concept"] == 0


@pytest.fixture(autouse=True)
def _slow_marker(request):
    request.node.add_marker(pytest.mark.slow)
