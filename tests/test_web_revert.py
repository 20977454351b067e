"""Revert of every kind of revision over real HTTP: changes to concepts are undone, anything else is a clear 400.

``POST /revisions/<id>/revert`` used to fail with a 500 (``KeyError: 'terms'``)
for a role change, a (de)activation or a candidate rejection. The last test
reads the kinds the services record from their source, so a new kind without
a test here fails it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from glossary.models import Concept, Domain, Revision, User
from glossary.services import users
from glossary.services.candidates import approve_candidate, merge_candidate, reject_candidate, restore_candidate
from glossary.services.concepts import create_concept, delete_concept, revert_revision, update_concept
from glossary.services.domains import rename_domain
from glossary.services.interchange import import_glossary
from glossary.services.internal_notes import set_internal_note
from glossary.services.mining import mine_documents, read_documents
from glossary.services.relations import add_relation, remove_relation
from glossary.services.term_notes import set_term_notes
from glossary.services.well_known import replace_well_known

from .test_web_support import PASSWORD, add_candidate, add_concept, logged_in

CONCEPT_KINDS = ("create", "update", "delete", "revert", "approve", "merge", "import", "starter", "domain")
# In a concept's history, but not a change of its terms and fields: refused like the kinds below.
CONCEPT_SIDE_KINDS = ("internal_note", "term_note", "relate", "unrelate")
OTHER_KINDS = (
    "reject",
    "restore",
    "mine",
    "user.create",
    "user.role",
    "user.deactivate",
    "user.activate",
    "user.sign_out",
    "user.password_change",
    "user.password_reset",
    "token.create",
    "token.revoke",
    "well_known.update",
)
SERVICES = Path(__file__).resolve().parents[1] / "glossary" / "services"
OXYTOCIN = {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}


@pytest.fixture()
def curator(db, client):
    return logged_in(db, client, "curator")


def newest(db, kind: str) -> Revision:
    return db.session.scalar(select(Revision).where(Revision.action == kind).order_by(Revision.id.desc()))


def make_concept_revision(db, kind: str) -> Revision:
    """A fresh change of this kind, the newest of its concept, so that undoing it is allowed."""
    session = db.session
    if kind in ("create", "update", "delete", "revert"):
        concept = create_concept(session, OXYTOCIN, None)
        session.commit()
        if kind == "update":
            update_concept(session, concept.id, {"note": "a neuropeptide"}, None, concept.version)
        elif kind in ("delete", "revert"):
            delete_concept(session, concept.id, None)
            if kind == "revert":
                revert_revision(session, newest(db, "delete").id, None)
    elif kind == "approve":
        approve_candidate(session, add_candidate(db, "毛螺菌科", "Lachnospiraceae").id, None)
    elif kind == "domain":
        concept = create_concept(session, {**OXYTOCIN, "domain": "endocrine"}, None)
        session.flush()
        rename_domain(session, session.scalar(select(Domain.id)), "endocrinology", None)
    elif kind == "merge":
        concept = add_concept(db, "催产素", "oxytocin")
        merge_candidate(session, add_candidate(db, "催产素", "oxytocin", "OXT").id, concept.id, None)
    else:  # import, starter
        import_glossary(session, {"concepts": [OXYTOCIN]}, action=kind)
    session.commit()
    return newest(db, kind)


@pytest.mark.parametrize("kind", CONCEPT_KINDS)
def test_a_change_to_a_concept_is_reverted(db, curator, kind):
    revision = make_concept_revision(db, kind)
    concept_id = revision.concept_id
    response = curator.post(f"/revisions/{revision.id}/revert")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    undone = db.session.scalar(select(Revision).order_by(Revision.id.desc()))
    assert undone.concept_id == concept_id
    # Undoing a creation deletes the concept; anything else puts it back as it was.
    assert undone.action == ("delete" if revision.before is None else "revert")
    assert (db.session.get(Concept, concept_id) is None) == (revision.before is None)


def test_any_other_kind_of_revision_is_a_clear_400_and_changes_nothing(db, curator):
    session = db.session
    user = users.create_account(session, "mei", PASSWORD, "viewer", None)
    users.set_role(session, user.id, "curator", None)
    users.set_active(session, user.id, False, None)
    users.set_active(session, user.id, True, None)
    users.sign_out_everywhere(session, user.id, None)
    users.change_own_password(session, user, PASSWORD, "another long password")
    users.reset_password(session, user.id, PASSWORD, None)
    _, token = users.issue_token(session, user.id, "editor plugin", None)
    users.withdraw_token(session, token.id, None)
    rejected = reject_candidate(session, add_candidate(db, "肠道菌群", "gut microbiota").id, None)
    restore_candidate(session, rejected.id, None)
    article = "慢性应激激活下丘脑-垂体-肾上腺（hypothalamic-pituitary-adrenal，HPA）轴。".encode()
    mine_documents(session, read_documents([("article.txt", article)]))
    replace_well_known(session, ["DNA", "SPSS"], None)
    session.commit()
    others = session.scalars(select(Revision).where(Revision.concept_id.is_(None))).all()
    assert sorted({r.action for r in others}) == sorted(OTHER_KINDS)
    count = session.scalar(select(func.count()).select_from(Revision))
    for revision in others:
        response = curator.post(f"/revisions/{revision.id}/revert")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (revision.action, page[:300])
        assert f"Revision {revision.id} ({revision.action}) is not a change to a concept" in page
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Revision)) == count
    assert session.scalar(select(User.role).where(User.name == "mei")) == "curator"


def test_notes_and_links_in_a_concepts_history_are_refused_with_the_reason(db, curator):
    session = db.session
    first, second = add_concept(db, "催产素", "oxytocin"), add_concept(db, "神经肽", "neuropeptide")
    set_internal_note(session, first.id, "check the 2019 review", None)
    set_term_notes(session, first.id, [{"text": "oxytocin", "kind": "full", "note": "INN"}], None)
    link = add_relation(session, first.id, "broader", second.id, None)
    remove_relation(session, first.id, link.id, None)
    session.commit()
    for kind in CONCEPT_SIDE_KINDS:
        revision = newest(db, kind)
        response = curator.post(f"/revisions/{revision.id}/revert")
        assert response.status_code == 400, kind
        assert f"Revision {revision.id} ({kind}) is not a change to a concept" in response.get_data(as_text=True)


def test_an_unknown_revision_is_404(curator):
    assert curator.post("/revisions/999999/revert").status_code == 404


def test_every_kind_the_services_record_is_tested_here():
    """``action="..."`` (and ``action: str = "..."`` defaults, and both arms of a conditional) in the services."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in SERVICES.glob("*.py"))
    found = set()
    for match in re.finditer(r'action(?:: str)?\s*=\s*"([\w.]+)"(?: if [^"\n]+ else "([\w.]+)")?', source):
        found.update(kind for kind in match.groups() if kind)
    assert found == set(CONCEPT_KINDS) | set(CONCEPT_SIDE_KINDS) | set(OTHER_KINDS)
