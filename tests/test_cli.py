"""Set-up and account commands through Flask's CLI runner."""

import json

from sqlalchemy import func, select

from glossary.models import ApiToken, Concept, Evidence, Revision, Source, User
from glossary.services.accounts import hash_token
from glossary.services.starter import STARTER_PATH


def test_load_starter_only_into_an_empty_database(runner, db):
    starter = json.loads(STARTER_PATH.read_text(encoding="utf-8"))
    result = runner.invoke(args=["load-starter"])
    assert result.exit_code == 0, result.output
    loaded = db.session.scalar(select(func.count()).select_from(Concept))
    assert loaded == len(starter["concepts"]) == 63
    assert f"Loaded {loaded} starter concepts" in result.output
    evidence = sum(len(concept["evidence"]) for concept in starter["concepts"])
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == evidence
    assert set(db.session.scalars(select(Source.sha256))) == {source["key"] for source in starter["sources"]}
    assert set(db.session.scalars(select(Revision.action))) == {"starter"}
    again = runner.invoke(args=["load-starter"])
    assert "already has concepts" in again.output
    assert db.session.scalar(select(func.count()).select_from(Concept)) == loaded


def test_create_user_and_token(runner, db):
    result = runner.invoke(args=["create-user", "mei", "--role", "curator"], input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.name == "mei"))
    assert user.role == "curator" and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    token = runner.invoke(args=["create-token", "mei"]).output.strip()
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash


def test_create_user_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-user", "li", "--role", "admin", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output


def test_create_token_for_unknown_user(runner):
    result = runner.invoke(args=["create-token", "nobody"])
    assert result.exit_code != 0 and "No user named" in result.output
