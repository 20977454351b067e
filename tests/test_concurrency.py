"""Two curators, one concept: one save wins, the other gets 409 — never a lost update.

Real clients over real HTTP against a live threaded server, on the test
database (SQLite in WAL, or PostgreSQL in CI).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from glossary.models import Concept, Revision, Source
from glossary.services.accounts import create_token, create_user
from glossary.services.concepts import create_concept

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def live(app, db):
    """A threaded server on a free loopback port, two curators with tokens, one concept."""
    tokens = []
    for name in ("mei", "li"):
        user = create_user(db.session, name, "long-password", "curator")
        tokens.append(create_token(db.session, user, "test")[0])
    concept = create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, None)
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"port": server.server_port, "tokens": tokens, "concept_id": concept.id}
    server.shutdown()
    thread.join(timeout=10)


def call(port: int, method: str, path: str, body=None, token=None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, (json.loads(data) if data else {})


def race(port: int, cid: int, version: int, notes: list[str], tokens: list[str]) -> dict[int, tuple[int, dict]]:
    """Both curators send their save at the same instant; their answers by curator."""
    barrier = threading.Barrier(len(tokens))
    results: dict[int, tuple[int, dict]] = {}

    def save(who: int) -> None:
        barrier.wait()
        results[who] = call(port, "PATCH", f"/api/v1/concepts/{cid}", {"version": version, "note": notes[who]},
                            tokens[who])

    threads = [threading.Thread(target=save, args=(who,)) for who in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_curators_saving_the_same_version(live, db):
    port, cid = live["port"], live["concept_id"]
    for round_ in range(8):
        _, current = call(port, "GET", f"/api/v1/concepts/{cid}")
        version = current["version"]
        results = race(port, cid, version, [f"round {round_} by curator {who}" for who in (0, 1)], live["tokens"])
        statuses = sorted(status for status, _ in results.values())
        assert statuses == [200, 409], results
        winner = next(w for w, (status, _) in results.items() if status == 200)
        loser_body = next(body for status, body in results.values() if status == 409)
        assert loser_body["error"]["code"] == "conflict"
        assert loser_body["error"]["yours"]["note"] == f"round {round_} by curator {1 - winner}"
        _, after = call(port, "GET", f"/api/v1/concepts/{cid}")
        assert after["version"] == version + 1
    db.session.rollback()
    notes = [r.after["note"] for r in db.session.scalars(
        select(Revision).where(Revision.action == "update").order_by(Revision.id))]
    assert len(notes) == 8  # every accepted save is in the history, no other
    assert db.session.get(Concept, cid).note == notes[-1]


def test_mining_while_others_search_and_edit(live, db, app, tmp_path):
    port, cid = live["port"], live["concept_id"]
    article = tmp_path / "article.txt"
    article.write_text("\n".join(
        f"肠道菌群产生短链脂肪酸（short-chain fatty acids，SCFAs），"
        f"并影响白细胞介素-{i}（interleukin-{i}，IL-{i}）水平。" for i in range(3000)), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "GLOSSARY_INSTANCE_PATH": str(tmp_path / "instance"), "GLOSSARY_ENV": "development"}
    miner = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "app", "mine", str(article)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failures, saved = [], []

    def searcher() -> None:
        while miner.poll() is None:
            status, _ = call(port, "GET", "/api/v1/search?q=oxytocin")
            if status != 200:
                failures.append(("search", status))

    def editor(who: int) -> None:
        n = 0
        while miner.poll() is None:
            _, current = call(port, "GET", f"/api/v1/concepts/{cid}")
            status, body = call(port, "PATCH", f"/api/v1/concepts/{cid}",
                                {"version": current["version"], "definition": f"edit {who}-{n}"}, live["tokens"][who])
            if status == 200:
                saved.append(body["definition"])
            elif status != 409:
                failures.append(("edit", status, body))
            n += 1
            time.sleep(0.01)

    threads = [threading.Thread(target=searcher)] + [threading.Thread(target=editor, args=(w,)) for w in (0, 1)]
    for t in threads:
        t.start()
    assert miner.wait(timeout=180) == 0, miner.stderr.read().decode()
    for t in threads:
        t.join()
    assert failures == []
    assert saved, "no edit went through while mining"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Source)) == 1
    updates = db.session.scalar(select(func.count()).select_from(Revision).where(Revision.action == "update"))
    assert updates == len(saved)
