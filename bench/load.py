"""Mixed load against the app under gunicorn on loopback.

80 % searches, 15 % batch look-ups and annotations, 5 % concept edits, from a
separate client process, for a bounded time. Prints requests, throughput,
p50/p99 latency, the error count, and edit conflicts (409, a correct answer
when two writers race, counted apart from errors).

    .venv/bin/python bench/load.py [--seconds 60] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import serve

SEARCHES = [
    "催产素",
    "催產素",
    "cuichansu",
    "cui chan su",
    "ccs",
    "oxytocin",
    "oxytocine",
    "HPA",
    "nf-kb",
    "5-HT",
    "肾上腺",
    "short chain fatty acid",
    "SCFA",
    "Lachnospiracea",
    "神经肽",
]
TEXT = (
    "慢性压力条件下，下丘脑-垂体-肾上腺轴（HPA）激活，催产素（oxytocin）水平改变，"
    "short-chain fatty acids and 5-HT modulate the gut-brain axis. "
) * 20


def _request(conn, method: str, path: str, body: dict | None = None, token: str | None = None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = json.dumps(body).encode() if body is not None else None
    start = time.perf_counter()
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data, (time.perf_counter() - start) * 1000


def client(base: str, token: str, seconds: float, seed: int, queue) -> None:
    """One closed-loop client: send, wait for the answer, send the next."""
    rng = random.Random(seed)
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    latencies, errors, conflicts, statuses = [], 0, 0, {}
    concept_ids = []
    for query in ("a", "e", "受体"):  # some concepts to edit: the answers are {"concept", "match"}
        status, data, _ = _request(conn, "GET", "/api/v1/search?limit=50&q=" + quote(query))
        if status == 200:
            concept_ids += [hit["concept"]["id"] for hit in json.loads(data)["results"]]
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        roll = rng.random()
        try:
            if roll < 0.80:
                status, _, ms = _request(conn, "GET", "/api/v1/search?q=" + quote(rng.choice(SEARCHES)))
            elif roll < 0.875:
                terms = rng.sample(SEARCHES, 8)
                status, _, ms = _request(conn, "POST", "/api/v1/lookup", {"terms": terms})
            elif roll < 0.95:
                status, _, ms = _request(conn, "POST", "/api/v1/annotate", {"text": TEXT[: rng.randint(100, 2000)]})
            else:
                cid = rng.choice(concept_ids) if concept_ids else 1
                status, data, ms1 = _request(conn, "GET", f"/api/v1/concepts/{cid}")
                version = json.loads(data).get("version") if status == 200 else 1
                status, _, ms2 = _request(
                    conn,
                    "PATCH",
                    f"/api/v1/concepts/{cid}",
                    {"version": version, "note": f"load test {rng.random():.6f}"},
                    token,
                )
                ms = ms1 + ms2
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            continue
        statuses[status] = statuses.get(status, 0) + 1
        if status == 409:
            conflicts += 1
        elif status >= 400:
            errors += 1
        latencies.append(ms)
    queue.put((latencies, errors, conflicts, statuses))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with serve() as server:
        queue = multiprocessing.Queue()
        procs = [
            multiprocessing.Process(target=client, args=(server.base_url, server.token, args.seconds, i, queue))
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for proc in procs:
            proc.start()
        results = [queue.get(timeout=args.seconds + 60) for _ in procs]
        for proc in procs:
            proc.join()
        elapsed = time.monotonic() - started
    latencies = sorted(ms for r in results for ms in r[0])
    errors = sum(r[1] for r in results)
    conflicts = sum(r[2] for r in results)
    statuses: dict[int, int] = {}
    for r in results:
        for code, n in r[3].items():
            statuses[code] = statuses.get(code, 0) + n
    if not latencies:
        print("no request completed")
        return 1
    q = statistics.quantiles(latencies, n=100)
    print(f"clients {args.clients}, {args.seconds:.0f} s, gunicorn 2 workers x 4 threads on 127.0.0.1")
    print(f"requests {len(latencies)}  throughput {len(latencies) / elapsed:.1f} req/s")
    print(f"latency p50 {q[49]:.1f} ms  p99 {q[98]:.1f} ms  max {latencies[-1]:.1f} ms")
    print(f"errors {errors}  edit conflicts (409) {conflicts}  statuses {dict(sorted(statuses.items()))}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
