"""Import speed: a 30,000-row CSV, and 100,000-concept JSON and TBX files into an empty database and into one
holding 100,000 other concepts.

Each file goes through the import job the page and the CLI run
(``services/import_jobs.py``): a preview (the dry run: parse, match in
batches, write the report) and then an apply (the same, then stage the rows
in short transactions and swap them in at once), each into a fresh, empty
database. Beside each time it prints what it measured: the phases of the
apply, how long the final swap held the write lock (what other writers can
wait for at worst) and the process's peak memory.

    .venv/bin/python bench/import.py                    # SQLite in a temporary folder
    .venv/bin/python bench/import.py --csv-rows 3000 --json-concepts 10000
    .venv/bin/python bench/import.py --csv-rows 0 --json-concepts 0 --tbx-concepts 100000   # one file only
    .venv/bin/python bench/import.py --database-url postgresql://postgres@127.0.0.1:5432/glossary_bench

With --database-url the database must be one you can drop tables in (it is emptied first).
Before this work, the 30,000-row CSV's preview alone took 215–241 s (issue 11).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from glossary import create_app
from glossary.extensions import db
from glossary.formats import export_glossary
from glossary.models import Concept, ImportJob, Revision, Term
from glossary.services.import_jobs import create_job
from glossary.services.import_workers import import_workers

# Distinct characters only, so that every number names a different term.
ZH = "".join(dict.fromkeys("催产素褪黑肾上腺垂体下丘脑白细胞介受蛋激酶酸化氧基因表达调控通路炎症子肠道菌群短链脂肪"))


def chinese_name(number: int) -> str:
    """A distinct Chinese term per number (positional, like digits in a base of len(ZH))."""
    letters = []
    number += len(ZH)  # at least two characters
    while number:
        number, rest = divmod(number, len(ZH))
        letters.append(ZH[rest])
    return "".join(reversed(letters))


def csv_file(rows: int) -> bytes:
    lines = ["zh,en,abbr,domain"]
    lines += [f"{chinese_name(i)},synthetic protein {i},SP{i},bench" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def glossary_data(concepts: int, first: int = 0) -> dict:
    """``concepts`` distinct concepts numbered from ``first`` (a second file with another ``first``
    adds concepts that no earlier file has)."""
    return {
        "format": "zh-en-glossary",
        "version": 1,
        "exported_at": None,
        "sources": [],
        "concepts": [
            {
                "id": i + 1,
                "domain": "bench",
                "definition": None,
                "note": None,
                "status": "approved",
                "terms": [
                    {"lang": "zh", "text": chinese_name(i), "kind": "full", "status": "preferred", "count": 1},
                    {"lang": "en", "text": f"synthetic enzyme {i}", "kind": "full", "status": "preferred", "count": 1},
                ],
                "evidence": [],
            }
            for i in range(first, first + concepts)
        ],
    }


def json_file(concepts: int, first: int = 0) -> bytes:
    return json.dumps(glossary_data(concepts, first), ensure_ascii=False, indent=1).encode("utf-8")


def tbx_file(concepts: int, first: int = 0) -> bytes:
    """The same concepts as TBX-Basic, written by the export the service offers."""
    return export_glossary(glossary_data(concepts, first), "tbx")


def fresh_app(url: str | None, folder: Path):
    os.environ["GLOSSARY_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    with app.app_context():
        if url:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
    return app


def run(app, name: str, raw: bytes, kind: str) -> dict:
    """One import job in this thread; the seconds in all and per phase."""
    phases: dict[str, float] = {}
    last = {"phase": None, "at": time.perf_counter()}

    def progress(job: ImportJob) -> None:
        now = time.perf_counter()
        if job.phase != last["phase"]:
            if last["phase"]:
                phases[last["phase"]] = phases.get(last["phase"], 0) + now - last["at"]
            last.update(phase=job.phase, at=now)

    with app.app_context():
        workers = import_workers(app)
        job = create_job(db.session, kind=kind, filename=name, sha256=hashlib.sha256(raw).hexdigest(),
                         options={"default_status": "approved"}, actor=None, watched=False,
                         worker=workers.worker_id)  # fmt: skip
        db.session.commit()
        start = time.perf_counter()
        report = workers.run_here(job.id, raw, progress=progress)
        seconds = time.perf_counter() - start
        db.session.expire_all()
        job = db.session.get(ImportJob, job.id)
        assert job.status == "finished" and report is not None, (job.status, job.error)
        concepts = db.session.scalar(select(func.count()).select_from(Concept))
        terms = db.session.scalar(select(func.count()).select_from(Term))
        revisions = db.session.scalar(select(func.count()).select_from(Revision))
    return {
        "seconds": seconds,
        "phases": phases,
        "summary": report.summary(),
        "concepts": concepts,
        "terms": terms,
        "revisions": revisions,
    }


def bench(url: str | None, name: str, raw: bytes, count: int, holding: bytes | None = None) -> None:
    """Preview and apply ``raw``; with ``holding``, into a database that file was imported into first."""
    print(
        f"\n{name}: {count:,} concepts, {len(raw) / 1e6:.1f} MB"
        + (", into a glossary holding as many others" if holding else ", into an empty glossary")
    )
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(url, Path(folder))
        if holding is not None:
            before = run(app, "holding.json", holding, "apply")
            print(f"  (first imported {before['concepts']:,} other concepts in {before['seconds']:.1f} s)")
        preview = run(app, name, raw, "preview")
        print(
            f"  preview (dry run)   {preview['seconds']:7.1f} s  {count / preview['seconds']:9,.0f} concepts/s   "
            f"{preview['summary']}"
        )
        applied = run(app, name, raw, "apply")
        phases = applied["phases"]
        print(
            f"  apply               {applied['seconds']:7.1f} s  {count / applied['seconds']:9,.0f} concepts/s   "
            f"{applied['concepts']:,} concepts, {applied['terms']:,} terms, {applied['revisions']:,} revisions"
        )
        print("    phases: " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in phases.items()))
        print(
            f"    the swap (one transaction; other writers wait at most this long): {phases.get('applying', 0):.2f} s"
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv-rows", type=int, default=30_000)
    parser.add_argument("--json-concepts", type=int, default=100_000)
    parser.add_argument("--tbx-concepts", type=int, default=100_000)
    parser.add_argument("--no-holding", action="store_true", help="only into empty databases")
    parser.add_argument("--database-url", help="PostgreSQL to measure instead of SQLite (emptied first)")
    args = parser.parse_args()
    url = args.database_url
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    print(f"Import bench on {'PostgreSQL' if url else 'SQLite'}, {os.cpu_count()} cores")
    if args.csv_rows:
        bench(url, "terms.csv", csv_file(args.csv_rows), args.csv_rows)
    for name, count, make in (
        ("backup.json", args.json_concepts, json_file),
        ("glossary.tbx", args.tbx_concepts, tbx_file),
    ):
        if not count:
            continue
        bench(url, name, make(count), count)
        if not args.no_holding:
            # The same size again, other concepts: the incoming keys are matched against a full glossary.
            bench(url, name, make(count, first=count), count, holding=json_file(count))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
