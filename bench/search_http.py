"""Search throughput over HTTP against a trivial JSON route on the same server.

Serves the app with gunicorn on a free 127.0.0.1 port (bench/serving.py), adds a
synthetic glossary (bench/search.py's generator) to its database, warms every
worker up (a few seconds of requests: there is no index to build, search runs in
the database), then runs closed-loop keep-alive clients for a bounded time
against ``GET /api/v1/ping`` and then ``GET /api/v1/search?q=…`` (a mix of every
query form), repeated and never repeated. Prints the throughputs and their
ratios (goals, issue 13: repeated ≥ 0.9, never repeated ≥ 0.5). Loopback only;
stops by itself.

    .venv/bin/python bench/search_http.py [--concepts 100000] [--seconds 15] [--clients 4]

(Not ``bench/http.py``: a file of that name shadows the standard library's ``http`` package for
every script in bench/, since Python puts the script's folder first on ``sys.path``.)
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search import FORMS, bulk_load, generate, queries  # bench/search.py
from serving import serve

from glossary import create_app
from glossary.extensions import db


def add_glossary(instance: Path, concepts: int) -> tuple[list[str], list[str]]:
    """Load ``concepts`` synthetic concepts into the served database; return search paths to use:
    300 that repeat (as popular queries do) and a long list of distinct ones (every one a cache miss)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'glossary.sqlite3'}",
            "SECRET_KEY": "bench",
            "TESTING": True,
        }
    )
    with app.app_context():
        offset = db.session.connection().exec_driver_sql("SELECT coalesce(max(id), 0) FROM term").scalar()
        first_concept = db.session.connection().exec_driver_sql("SELECT coalesce(max(id), 0) FROM concept").scalar()
        db.session.rollback()
        data = generate(concepts, concept_offset=first_concept, term_offset=offset)
        bulk_load(data)
        rng = random.Random(3)
        paths = [f"/api/v1/search?q={quote(q)}" for form in FORMS for q in queries(data, form, 20, rng)]
        distinct = list(
            dict.fromkeys(f"/api/v1/search?q={quote(q)}" for form in FORMS for q in queries(data, form, 1500, rng))
        )
        db.engine.dispose()
    rng.shuffle(paths)
    rng.shuffle(distinct)
    return paths, distinct


def client(base_port: int, paths: list[str], seconds: float, queue) -> None:
    """One closed-loop keep-alive client: send, read the answer, send the next."""
    conn = http.client.HTTPConnection("127.0.0.1", base_port, timeout=10)
    done, errors, latencies = 0, 0, []
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", base_port, timeout=10)
            continue
        latencies.append((time.perf_counter() - start) * 1000)
        done += 1
    queue.put((done, errors, latencies))


def measure(port: int, paths: list[str], seconds: float, clients: int) -> tuple[float, int, float]:
    """Requests per second, errors and median latency of ``clients`` processes for ``seconds``."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=client, args=(port, paths[i::clients] or paths, seconds, queue))
        for i in range(clients)
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 60) for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.monotonic() - started
    latencies = [ms for r in results for ms in r[2]]
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results), statistics.median(latencies or [0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=100_000, help="synthetic concepts added to the starter")
    parser.add_argument("--seconds", type=float, default=15.0, help="per route")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with serve(workers=2, threads=4) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        started = time.perf_counter()
        paths, distinct = add_glossary(server.instance, args.concepts)
        print(
            f"glossary: starter + {args.concepts:,} synthetic concepts loaded in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        measure(port, paths, 3.0, args.clients * 2)  # every worker opens its connections and warms up
        print(f"warm-up {time.perf_counter() - started:.1f} s")
        ping, ping_errors, ping_ms = measure(port, ["/api/v1/ping"], args.seconds, args.clients)
        search, search_errors, search_ms = measure(port, paths, args.seconds, args.clients)
        # Distinct queries: each client takes its own slice, so no answer is served twice.
        cold, cold_errors, cold_ms = measure(port, distinct, args.seconds, args.clients)
    print(f"gunicorn 2 workers x 4 threads on 127.0.0.1, {args.clients} keep-alive clients, {args.seconds:.0f} s each")
    print(f"GET /api/v1/ping             {ping:8.1f} req/s  median {ping_ms:5.1f} ms  errors {ping_errors}")
    print(
        f"GET /api/v1/search repeated  {search:8.1f} req/s  median {search_ms:5.1f} ms  errors {search_errors}"
        f"  ({len(paths)} queries of {len(FORMS)} forms, answers cached)"
    )
    print(
        f"GET /api/v1/search distinct  {cold:8.1f} req/s  median {cold_ms:5.1f} ms  errors {cold_errors}"
        f"  ({len(distinct):,} queries, never repeated: every one computed)"
    )
    print(f"ratio search/ping: repeated {search / ping:.2f} (goal ≥ 0.9), distinct {cold / ping:.2f} (goal ≥ 0.5)")
    return 0 if not (ping_errors or search_errors or cold_errors) else 1


if __name__ == "__main__":
    sys.exit(main())
