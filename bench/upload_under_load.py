"""A large article mined over HTTP while two editors and a reader keep working (issue 11, acceptance 2).

Serves the app under gunicorn as ``make run`` does (2 workers × 4 threads; see
bench/serving.py: a fresh SQLite database, migrated, the starter glossary, two
curators with API tokens, all made by the app's own commands) on a free
loopback port. Once each client has done one round, at the same time:

- one generated article of ``--mb`` megabytes is uploaded to
  ``POST /api/v1/documents`` (invented Chinese prose: template sentences with
  bracketed definitions, some 9,000 distinct terms);
- two editors, each a curator of their own, edit one concept in a loop: read
  its version, PATCH with it. 200 and 409 (the other saved first) are right
  answers, and so is 503 when it carries ``Retry-After`` (the database stayed
  busy past its timeout and nothing was saved); the editor then waits as told;
- a reader searches.

Everyone stops when the upload is answered (or after ``--limit`` seconds, which
fails the run); counts are bounded too. Then it prints the answers of each
kind, the worst latency of each, and whether an update was lost: the versions
the 200s returned must run on from the starting one without a gap, the concept
must end as the last 200 left it, and its history must hold one revision per 200.

``--hogs N`` keeps N CPU-bound busy loops running beside it all along, as a
busy machine would. The exit status is 1 on any 5xx other than an editor's 503
with Retry-After, any other unexpected answer or dropped connection, a failed
upload or a lost update. Loopback only.

    .venv/bin/python bench/upload_under_load.py [--mb 20] [--hogs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import serve  # bench/serving.py

# (Chinese, English, abbreviation) as review articles define them; {i} makes thousands of distinct ones.
NAMED_TERMS = [
    ("下丘脑-垂体-肾上腺轴", "hypothalamic-pituitary-adrenal axis", "HPA"),
    ("短链脂肪酸", "short-chain fatty acids", "SCFAs"),
    ("脑源性神经营养因子", "brain-derived neurotrophic factor", "BDNF"),
    ("肿瘤坏死因子-α", "tumor necrosis factor-α", "TNF-α"),
    ("γ-氨基丁酸", "γ-aminobutyric acid", "GABA"),
    ("促肾上腺皮质激素释放激素", "corticotropin-releasing hormone", "CRH"),
    ("血管升压素", "vasopressin", "AVP"),
]
NUMBERED_TERMS = [
    ("白细胞介素-{i}", "interleukin-{i}", "IL-{i}"),
    ("基质金属蛋白酶-{i}", "matrix metalloproteinase-{i}", "MMP-{i}"),
    ("Toll样受体{i}", "Toll-like receptor {i}", "TLR{i}"),
]
DISTINCT_NUMBERS = 3000
PARAGRAPH = (
    "慢性应激激活{zh}（{en}，{abbr}），并影响{nzh}（{nen}，{nabbr}）水平。"
    "研究表明，{nzh}在慢性应激条件下显著升高，并与焦虑样行为相关。"
    "动物实验中，{zh}的改变先于行为学异常出现，其具体机制仍有待进一步阐明。"
)
SEARCHES = ["催产素", "oxytocin", "HPA", "cuichansu", "肾上腺", "short chain fatty acid", "interleukin", "5-HT"]
MAX_ROUNDS = 200_000  # per client: a bound on the loops whatever happens to the upload
REQUEST_TIMEOUT = 300.0  # seconds: only there so that a hung server cannot hang the run


def article(megabytes: float) -> str:
    """Invented review prose of about ``megabytes`` MB of UTF-8, a defined term pair in every sentence pair."""
    wanted, size, paragraphs = int(megabytes * 1_000_000), 0, []
    while size < wanted:
        p = len(paragraphs)
        zh, en, abbr = NAMED_TERMS[p % len(NAMED_TERMS)]
        number = (p // len(NUMBERED_TERMS)) % DISTINCT_NUMBERS
        nzh, nen, nabbr = (part.format(i=number) for part in NUMBERED_TERMS[p % len(NUMBERED_TERMS)])
        paragraph = PARAGRAPH.format(zh=zh, en=en, abbr=abbr, nzh=nzh, nen=nen, nabbr=nabbr)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs)


@dataclass
class Answer:
    status: int  # 0: no answer at all (connection refused, reset or timed out)
    body: dict
    seconds: float
    retry_after: str | None = None


def request(
    base_url: str,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Answer:
    """One request on a connection of its own, so a server-side keep-alive close never drops a write."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        retry_after = response.getheader("Retry-After")
    except (OSError, http.client.HTTPException) as error:
        return Answer(0, {"error": repr(error)}, time.perf_counter() - started)
    finally:
        connection.close()
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        parsed = {"raw": data[:200].decode("utf-8", "replace")}
    return Answer(response.status, parsed, time.perf_counter() - started, retry_after)


def json_request(
    base_url: str, method: str, path: str, payload: dict | None = None, token: str | None = None
) -> Answer:
    """A JSON API call, with the curator's bearer token for a write."""
    headers = {"Content-Type": "application/json"} if payload is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(payload).encode() if payload is not None else None
    return request(base_url, method, path, body=body, headers=headers)


def upload(base_url: str, token: str, name: str, data: bytes, timeout: float) -> Answer:
    """``POST /api/v1/documents`` with one file, as multipart/form-data."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Bearer {token}"}
    return request(base_url, "POST", "/api/v1/documents", body=body, headers=headers, timeout=timeout)


@dataclass
class Outcome:
    """What every client saw, and what the database holds afterwards."""

    megabytes: float = 0.0
    hogs: int = 0
    upload: Answer | None = None
    answers: dict[str, Counter] = field(
        default_factory=lambda: {"read": Counter(), "edit": Counter(), "search": Counter()}
    )
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "edit": [], "search": []})
    edits_during_upload: int = 0
    saved: list[tuple[int, str]] = field(default_factory=list)  # (version, definition) of each 200
    unexpected: list[str] = field(default_factory=list)
    start_version: int = 0
    start_revisions: int = 0
    final: tuple[int, str | None, int] | None = None  # version, definition, update revisions
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, answer: Answer, allowed: tuple[int, ...]) -> None:
        with self.lock:
            label = f"{answer.status} + Retry-After" if answer.status == 503 and answer.retry_after else answer.status
            self.answers[kind][label] += 1
            self.latencies[kind].append(answer.seconds)
            if label not in allowed:
                self.unexpected.append(f"{kind}: {answer.status} {json.dumps(answer.body, ensure_ascii=False)[:300]}")

    def server_errors(self) -> int:
        """5xx answers, not counting an editor's 503 with Retry-After (busy: nothing saved, try again)."""
        count = sum(
            n
            for counts in self.answers.values()
            for label, n in counts.items()
            if isinstance(label, int) and label >= 500
        )
        count += self.answers["read"]["503 + Retry-After"] + self.answers["search"]["503 + Retry-After"]
        return count + (1 if self.upload is not None and self.upload.status >= 500 else 0)

    def lost_update(self) -> str | None:
        """Why the final state does not follow from the 200s, or None when every saved edit is accounted for."""
        if self.final is None:
            return "the final state could not be read"
        versions = sorted(version for version, _ in self.saved)
        expected = list(range(self.start_version + 1, self.start_version + 1 + len(versions)))
        if versions != expected:
            twice = sorted(v for v, n in Counter(versions).items() if n > 1)
            missing = sorted(set(expected) - set(versions))
            return (
                f"the 200s did not return each version from {self.start_version + 1} once: "
                f"{len(twice)} twice (e.g. {twice[:5]}), {len(missing)} missing (e.g. {missing[:5]})"
            )
        version, definition, revisions = self.final
        last = max(self.saved)[1] if self.saved else None
        if version != self.start_version + len(versions) or (self.saved and definition != last):
            return f"the concept ends at version {version} with {definition!r}; the last 200 left {last!r}"
        if revisions - self.start_revisions != len(versions):
            return f"{revisions - self.start_revisions} revisions recorded for {len(versions)} saved edits"
        return None

    def problems(self) -> list[str]:
        found = list(self.unexpected)
        if self.upload is None or self.upload.status != 200:
            status = self.upload.status if self.upload else "none"
            found.append(f"upload: {status} {json.dumps(self.upload.body if self.upload else {})[:300]}")
        lost = self.lost_update()
        if lost:
            found.append(f"lost update: {lost}")
        return found

    def report(self) -> list[str]:
        up = self.upload
        lines = [f"gunicorn 2 workers × 4 threads on 127.0.0.1, SQLite; {self.hogs} CPU hog(s) beside it"]
        if up is not None and up.status == 200:
            evidence = sum(f["evidence"] for f in up.body["files"])
            lines.append(
                f"upload {self.megabytes:.1f} MB: 200 after {up.seconds:.1f} s, "
                f"{up.body['new_candidates']} new candidates, {evidence} pieces of evidence"
            )
        edits = self.answers["edit"]
        lines.append(
            f"edits done (200) {edits[200]}, conflicts (409) {edits[409]}, "
            f"busy (503 + Retry-After) {edits['503 + Retry-After']}; "
            f"{self.edits_during_upload} answered while the upload was in flight"
        )
        lines.append(
            f"searches {sum(self.answers['search'].values())}, version reads {sum(self.answers['read'].values())}"
        )
        for kind, seconds in self.latencies.items():
            if seconds:
                lines.append(
                    f"latency {kind:6}: p50 {statistics.median(seconds) * 1000:7.0f} ms, "
                    f"worst {max(seconds) * 1000:7.0f} ms  ({dict(self.answers[kind])})"
                )
        lines.append(f"5xx (other than an edit's 503 + Retry-After): {self.server_errors()}")
        lines.append(f"other unexpected answers or dropped connections: {len(self.unexpected)}")
        lost = self.lost_update()
        lines.append(
            "lost update: "
            + (
                lost
                or f"none (versions {self.start_version} → "
                f"{self.start_version + len(self.saved)}, the concept ends as the "
                "last 200 left it, one revision per 200)"
            )
        )
        lines.extend(f"  problem: {problem}" for problem in self.problems()[:20])
        return lines


def _spin() -> None:
    """A CPU hog: a pure busy loop, like ``python3 -c 'while True: pass'``, takes one core whole."""
    while True:
        pass


@contextlib.contextmanager
def cpu_hogs(count: int) -> Iterator[None]:
    """``count`` processes that keep a core busy each until the block ends."""
    hogs = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(count)]
    for hog in hogs:
        hog.start()
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.join()


def _database_state(database_url: str, concept_id: int) -> tuple[int, str | None, int]:
    """The concept's version and definition, and its update revisions, read from the database itself
    (an HTTP read could come from another worker's cache)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            version, definition = connection.execute(
                text("SELECT version, definition FROM concept WHERE id = :id"), {"id": concept_id}
            ).one()
            revisions = connection.execute(
                text("SELECT count(*) FROM revision WHERE concept_id = :id AND action = 'update'"), {"id": concept_id}
            ).scalar_one()
    finally:
        engine.dispose()
    return version, definition, revisions


def run_under_load(
    megabytes: float = 20.0, hogs: int = 0, database_url: str | None = None, limit: float = 1800.0
) -> Outcome:
    """Serve, upload while editing and searching, stop when the upload is answered; what happened."""
    outcome = Outcome(megabytes=megabytes, hogs=hogs)
    data = article(megabytes).encode("utf-8")
    with cpu_hogs(hogs), serve(workers=2, threads=4, curators=2, database_url=database_url) as server:
        base = server.base_url
        found = json_request(base, "GET", "/api/v1/search?q=" + quote("催产素"))
        concept_id = found.body["results"][0]["concept"]["id"]
        outcome.start_version, _, outcome.start_revisions = _database_state(server.database_url, concept_id)
        warmed = threading.Barrier(4)  # three clients and the uploader: upload once each has done a round
        uploading, answered = threading.Event(), threading.Event()

        def editor(who: int) -> None:
            for n in range(MAX_ROUNDS):
                read = json_request(base, "GET", f"/api/v1/concepts/{concept_id}")
                outcome.note("read", read, (200,))
                if read.status == 200:
                    definition = f"editor {who}, edit {n}"
                    edit = json_request(
                        base,
                        "PATCH",
                        f"/api/v1/concepts/{concept_id}",
                        {"version": read.body["version"], "definition": definition},
                        server.tokens[who],
                    )
                    outcome.note("edit", edit, (200, 409, "503 + Retry-After"))
                    with outcome.lock:
                        if edit.status == 200:
                            outcome.saved.append((edit.body["version"], edit.body["definition"]))
                            if edit.body["definition"] != definition:
                                outcome.unexpected.append(
                                    f"edit: the 200 for {definition!r} answered the concept "
                                    f"as {edit.body['definition']!r}, not as it was saved"
                                )
                        if uploading.is_set() and not answered.is_set():
                            outcome.edits_during_upload += 1
                    if edit.status == 503 and edit.retry_after:
                        answered.wait(float(edit.retry_after))  # as told, unless everything is over
                if n == 0:
                    warmed.wait()
                if answered.is_set():
                    return

        def reader() -> None:
            for n in range(MAX_ROUNDS):
                answer = json_request(base, "GET", "/api/v1/search?q=" + quote(SEARCHES[n % len(SEARCHES)]))
                outcome.note("search", answer, (200,))
                if n == 0:
                    warmed.wait()
                if answered.is_set():
                    return

        def client(loop, *args) -> None:
            try:
                loop(*args)
            except Exception as error:  # a client that broke is a failed run, never a hang at the barrier
                warmed.abort()
                with outcome.lock:
                    outcome.unexpected.append(f"{loop.__name__} stopped: {error!r}")

        clients = [
            threading.Thread(target=client, args=(editor, 0)),
            threading.Thread(target=client, args=(editor, 1)),
            threading.Thread(target=client, args=(reader,)),
        ]
        for thread in clients:
            thread.start()
        try:
            warmed.wait()
            uploading.set()
            outcome.upload = upload(base, server.token, "large-review.txt", data, timeout=limit)
        except threading.BrokenBarrierError:
            pass  # a client broke before the upload began: its error is in the outcome
        finally:
            answered.set()
            for thread in clients:
                thread.join()
        outcome.final = _database_state(server.database_url, concept_id)
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the uploaded article (default 20)")
    parser.add_argument("--hogs", type=int, default=0, help="CPU-bound busy loops running beside it (default 0)")
    parser.add_argument("--limit", type=float, default=1800.0, help="seconds the upload may take (default 1800)")
    args = parser.parse_args()
    outcome = run_under_load(args.mb, args.hogs, limit=args.limit)
    print("\n".join(outcome.report()))
    return 1 if outcome.problems() or outcome.server_errors() else 0


if __name__ == "__main__":
    sys.exit(main())
