"""Ids are never reused, over real HTTP: a deleted concept's id, its history and old exports never name another.

SQLite hands out the highest deleted rowid again unless a table is
AUTOINCREMENT; PostgreSQL's sequences never go back. Both are checked (the
suite runs on PostgreSQL with ``TEST_DATABASE_URL``).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from glossary.models import Concept, Term
from glossary.services.concepts import concept_snapshot, create_concept, delete_concept
from glossary.services.interchange import import_glossary
from glossary.services.revisions import concept_history, record_revision

from .test_api_concepts import token_for
from .test_web_support import logged_in

OXYTOCIN = {"terms": [{"lang": "zh", "text": "催产素"}, {"lang": "en", "text": "oxytocin"}]}
MELATONIN = {"terms": [{"lang": "zh", "text": "褪黑素"}, {"lang": "en", "text": "melatonin"}]}
SEROTONIN = {"terms": [{"lang": "zh", "text": "血清素"}, {"lang": "en", "text": "serotonin"}]}


@pytest.fixture()
def curator(db, client):
    """A curator's page session and API token on the same client."""
    headers = token_for(db, "curator", "cora-api")
    logged_in(db, client, "curator")
    return headers


def tbx_entries(client) -> dict[str, list[str]]:
    """Each TBX entry id of a fresh export, with the terms it holds."""
    body = client.get("/api/v1/export?format=tbx&status=all").get_data(as_text=True)
    entries = re.findall(r'<termEntry id="(c\d+)">(.*?)</termEntry>', body, re.S)
    return {entry: sorted(re.findall(r"<term>([^<]+)</term>", inner)) for entry, inner in entries}


def test_every_table_whose_ids_are_shown_never_reuses_them(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's sequences never reuse ids: nothing to declare")
    for table in ("concept", "term", "candidate", "source", "evidence", "revision", "user_account", "api_token"):
        sql = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table})
        assert "AUTOINCREMENT" in sql, table


def test_create_delete_create_gives_a_new_id(client, db, curator):
    first = client.post("/api/v1/concepts", json=OXYTOCIN, headers=curator)
    assert first.status_code == 201
    old_id = first.get_json()["id"]
    assert client.delete(f"/api/v1/concepts/{old_id}", headers=curator).status_code == 204
    second = client.post("/api/v1/concepts", json=MELATONIN, headers=curator)
    assert second.status_code == 201
    new_id = second.get_json()["id"]
    assert new_id > old_id
    assert client.get(f"/api/v1/concepts/{old_id}").status_code == 404
    # The deleted concept's page is still its own: its history, not the new concept.
    page = client.get(f"/concepts/{old_id}")
    assert page.status_code == 404 and "催产素" in page.get_data(as_text=True)
    assert "褪黑素" not in page.get_data(as_text=True)


def test_a_tbx_exported_before_the_delete_still_names_the_same_concept(client, db, curator):
    oxytocin = client.post("/api/v1/concepts", json=OXYTOCIN, headers=curator).get_json()["id"]
    before = tbx_entries(client)
    entry = f"c{oxytocin}"
    assert list(before) == [entry] and {"oxytocin", "催产素"} <= set(before[entry])
    client.delete(f"/api/v1/concepts/{oxytocin}", headers=curator)
    melatonin = client.post("/api/v1/concepts", json=MELATONIN, headers=curator).get_json()["id"]
    after = tbx_entries(client)
    assert list(after) == [f"c{melatonin}"] and "oxytocin" not in after[f"c{melatonin}"]
    # Restored, the old entry id names the old concept again, with the same terms.
    deletion = next(r for r in concept_history(db.session, oxytocin) if r.action == "delete")
    assert client.post(f"/revisions/{deletion.id}/revert").status_code == 302
    assert tbx_entries(client)[entry] == before[entry]


def test_restore_acts_only_on_the_concept_it_names(client, db, curator):
    oxytocin = client.post("/api/v1/concepts", json=OXYTOCIN, headers=curator).get_json()["id"]
    client.delete(f"/api/v1/concepts/{oxytocin}", headers=curator)
    melatonin = client.post("/api/v1/concepts", json=MELATONIN, headers=curator).get_json()["id"]
    deletion = next(r for r in concept_history(db.session, oxytocin) if r.action == "delete")
    assert client.post(f"/revisions/{deletion.id}/revert").status_code == 302
    assert client.get(f"/api/v1/concepts/{oxytocin}").get_json()["en"] == "oxytocin"
    # Restoring again: the concept is live, so there is nothing to restore; nothing changes.
    again = client.post(f"/revisions/{deletion.id}/revert")
    assert again.status_code == 409 and "is not deleted" in again.get_data(as_text=True)
    assert client.get(f"/api/v1/concepts/{melatonin}").get_json()["en"] == "melatonin"
    assert [r.action for r in concept_history(db.session, melatonin)] == ["create"]


def test_restore_never_changes_a_concept_that_took_the_id(client, db, curator):
    """A database migrated from before AUTOINCREMENT may already hold a reused id."""
    old_id = client.post("/api/v1/concepts", json=OXYTOCIN, headers=curator).get_json()["id"]
    edit = client.patch(f"/api/v1/concepts/{old_id}", json={"version": 1, "note": "a neuropeptide"}, headers=curator)
    assert edit.status_code == 200
    assert client.delete(f"/api/v1/concepts/{old_id}", headers=curator).status_code == 204
    # What SQLite did before: the next concept took the highest deleted id, with a history of its own.
    taker = Concept(
        id=old_id, status="approved", terms=[Term(lang="zh", text="褪黑素"), Term(lang="en", text="melatonin")]
    )
    db.session.add(taker)
    db.session.flush()
    record_revision(
        db.session, concept_id=old_id, actor=None, action="create", before=None, after=concept_snapshot(taker)
    )
    db.session.commit()
    taken = client.get(f"/api/v1/concepts/{old_id}").get_json()
    old_revisions = [r.id for r in concept_history(db.session, old_id) if r.action in ("update", "delete")]
    assert len(old_revisions) == 2
    for revision_id in old_revisions:  # the old concept's deletion ("Restore"), and its edit ("Undo")
        response = client.post(f"/revisions/{revision_id}/revert")
        assert response.status_code == 409
        assert "given to another concept" in response.get_data(as_text=True)
    assert client.get(f"/api/v1/concepts/{old_id}").get_json() == taken


def test_an_import_does_not_give_a_deleted_concepts_id_to_another(db):
    oxytocin, melatonin, serotonin = (
        create_concept(db.session, data, None) for data in (OXYTOCIN, MELATONIN, SEROTONIN)
    )
    db.session.commit()
    backup = {"concepts": [{"id": oxytocin.id, **OXYTOCIN}, {"id": melatonin.id, **MELATONIN}]}
    ids = [oxytocin.id, melatonin.id, serotonin.id]
    for concept_id in ids[1:]:
        delete_concept(db.session, concept_id, None)
    db.session.commit()
    # The same concept, back from a backup, keeps its own id ...
    report = import_glossary(db.session, backup, keep_ids=True)
    db.session.commit()
    assert [(o.outcome, o.concept_id) for o in report.outcomes] == [("unchanged", ids[0]), ("new", ids[1])]
    # ... another glossary's concept with a deleted concept's id gets a new one ...
    dopamine = {"id": ids[2], "terms": [{"text": "多巴胺"}, {"text": "dopamine"}]}
    (outcome,) = import_glossary(db.session, {"concepts": [dopamine]}, keep_ids=True).outcomes
    db.session.commit()
    assert outcome.outcome == "new" and outcome.concept_id > ids[2]
    # ... and putting melatonin back under its lower id moved no sequence back onto serotonin's.
    newest = create_concept(db.session, {"terms": [{"text": "组胺"}, {"text": "histamine"}]}, None)
    db.session.commit()
    assert newest.id > outcome.concept_id
