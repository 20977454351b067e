"""Set-up and account commands through Flask's CLI runner."""

from sqlalchemy import func, select

from glossary.models import ApiToken, Concept, User
from glossary.services.accounts import hash_token


def test_load_starter_only_into_an_empty_database(runner, db):
    result = runner.invoke(args=["load-starter"])
    assert result.exit_code == 0, result.output
    loaded = db.session.scalar(select(func.count()).select_from(Concept))
    assert loaded > 0
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
