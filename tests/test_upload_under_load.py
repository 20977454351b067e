"""Issue 11, acceptance 2 in small: bench/upload_under_load.py with a 1.5 MB article, in the suite.

The same script as the 20 MB figures (one home for the scenario): gunicorn with
2 workers × 4 threads on loopback, the test's own empty database (SQLite in
``tmp_path``, or CI's PostgreSQL), an upload mined while two curators PATCH one
concept and a reader searches. It checks answers and the final state only, never
how long anything took, so it passes on a loaded machine too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "upload_under_load.py"

pytestmark = pytest.mark.slow


@pytest.fixture()
def bench(monkeypatch):
    """The script as a module; ``sys.path`` and ``sys.modules`` as they were once the test is over."""
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts bench/ first, for its ``serving``
    added = [name for name in ("upload_under_load", "serving") if name not in sys.modules]
    spec = importlib.util.spec_from_file_location("upload_under_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        for name in added:
            sys.modules.pop(name, None)


def test_an_upload_mined_while_two_editors_and_a_reader_work(bench, make_app):
    database_url = make_app(schema=False).config["SQLALCHEMY_DATABASE_URI"]  # empty; the bench migrates it
    outcome = bench.run_under_load(megabytes=1.5, database_url=database_url)
    report = "\n".join(outcome.report())
    assert outcome.problems() == [], report
    assert outcome.server_errors() == 0, report
    assert outcome.upload.body["new_candidates"] > 0, report
    edits = outcome.answers["edit"]
    assert edits[200] >= 1 and set(edits) <= {200, 409, "503 + Retry-After"}, report
    assert outcome.lost_update() is None, report
