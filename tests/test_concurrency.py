"""Two curators, one concept: one save wins, the other gets 409 — never a lost update.

Real clients over real HTTP against a live threaded server, on the test
database (SQLite in WAL, or PostgreSQL in CI). The threads wait on each other
(barriers, events) and never on the clock, and nothing asserts how long
anything took, so the tests pass as well on a loaded machine as on an idle one.
The time-outs only keep a hung server from hanging the suite.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from glossary.models import Concept, Revision, Source
from glossary.services.accounts import create_token, create_user
from glossary.services.concepts import create_concept

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD = 600  # seconds: far beyond any run on a loaded machine, only so that a hang ends


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
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
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
        results[who] = call(
            port, "PATCH", f"/api/v1/concepts/{cid}", {"version": version, "note": notes[who]}, tokens[who]
        )

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
    notes = [
        r.after["note"]
        for r in db.session.scalars(select(Revision).where(Revision.action == "update").order_by(Revision.id))
    ]
    assert len(notes) == 8  # every accepted save is in the history, no other
    assert db.session.get(Concept, cid).note == notes[-1]


def test_mining_while_others_search_and_edit(live, db, app, tmp_path):
    """Two editors and a searcher go on from before the miner starts until after it has finished.

    Each client does a round before the miner is started and one more after it
    has exited, whatever the machine's speed; every answer is a 200 or a 409,
    and every 200 is in the history, the last one in the concept.
    """
    port, cid = live["port"], live["concept_id"]
    article = tmp_path / "article.txt"
    article.write_text(
        "\n".join(
            f"肠道菌群产生短链脂肪酸（short-chain fatty acids，SCFAs），"
            f"并影响白细胞介素-{i}（interleukin-{i}，IL-{i}）水平。"
            for i in range(3000)
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GLOSSARY_INSTANCE_PATH": str(tmp_path / "instance"),
        "GLOSSARY_ENV": "development",
    }
    failures: list[tuple] = []
    saved: list[tuple[int, str]] = []  # (version, definition) of each 200
    warmed = threading.Barrier(4)  # the three clients and the test: the miner starts once each has done a round
    mined = threading.Event()

    def search(_n: int) -> None:
        status, _ = call(port, "GET", "/api/v1/search?q=oxytocin")
        if status != 200:
            failures.append(("search", status))

    def edit(who: int, n: int) -> None:
        _, current = call(port, "GET", f"/api/v1/concepts/{cid}")
        status, body = call(
            port,
            "PATCH",
            f"/api/v1/concepts/{cid}",
            {"version": current["version"], "definition": f"edit {who}-{n}"},
            live["tokens"][who],
        )
        if status == 200:
            saved.append((body["version"], body["definition"]))
        elif status != 409:
            failures.append(("edit", status, body))

    def keep_going(round_: Callable[[int], None]) -> None:
        try:
            round_(0)
            warmed.wait()
            n = 1
            while not mined.is_set():
                round_(n)
                n += 1
            round_(n)  # and once more after the miner
        except Exception as error:  # a client that broke fails the test, and never leaves the others waiting
            warmed.abort()
            failures.append(("client", repr(error)))

    clients = [threading.Thread(target=keep_going, args=(search,))] + [
        threading.Thread(target=keep_going, args=(lambda n, who=who: edit(who, n),)) for who in (0, 1)
    ]
    for client in clients:
        client.start()
    try:
        warmed.wait()
        miner = subprocess.Popen(
            [str(Path(sys.executable).parent / "flask"), "--app", "app", "mine", str(article)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            _, errors = miner.communicate(timeout=HANG_GUARD)
        finally:
            if miner.poll() is None:
                miner.kill()
                miner.wait()
    finally:
        mined.set()
        for client in clients:
            client.join()
    assert miner.returncode == 0, errors.decode()
    assert failures == []
    assert saved, "no edit went through"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Source)) == 1
    updates = db.session.scalar(select(func.count()).select_from(Revision).where(Revision.action == "update"))
    assert updates == len(saved)
    assert sorted(version for version, _ in saved) == list(range(2, 2 + len(saved)))  # each save its own version
    concept = db.session.get(Concept, cid)
    assert (concept.version, concept.definition) == max(saved)  # as the last 200 left it: no update lost


def test_a_saved_edit_answers_the_version_it_made(client, db):
    """The 200 of a PATCH shows the concept as that edit left it, even when another save lands
    between its commit and its answer (it used to show the other's: the client took it for its own)."""
    user = create_user(db.session, "mei", "long-password", "curator")
    token = create_token(db.session, user, "test")[0]
    cid = create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, None).id
    db.session.commit()
    landed = []

    def another_curator_saves(_session: Session) -> None:
        """Right after the edit's commit (version 2 stored), another connection saves version 3."""
        if landed:
            return
        with db.engine.begin() as connection:
            if connection.scalar(select(Concept.version).where(Concept.id == cid)) != 2:
                return
            connection.execute(update(Concept).where(Concept.id == cid).values(definition="theirs", version=3))
        landed.append(True)

    event.listen(Session, "after_commit", another_curator_saves)
    try:
        response = client.patch(
            f"/api/v1/concepts/{cid}",
            headers={"Authorization": f"Bearer {token}"},
            json={"version": 1, "definition": "mine"},
        )
    finally:
        event.remove(Session, "after_commit", another_curator_saves)
    assert landed, "the other save did not land between the commit and the answer"
    assert response.status_code == 200
    assert (response.get_json()["version"], response.get_json()["definition"]) == (2, "mine")
    db.session.rollback()
    assert db.session.get(Concept, cid).definition == "theirs"
