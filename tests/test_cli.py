"""Set-up and account commands through Flask's CLI runner."""

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path
from select import select as select_fd

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from glossary.cli import accounts as cli_accounts
from glossary.models import ApiToken, Concept, Evidence, Revision, Source, User
from glossary.services.accounts import create_user, hash_token
from glossary.services.starter import STARTER_PATH

ROOT = Path(__file__).resolve().parents[1]


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


def test_set_password_reads_standard_input_when_not_a_terminal(runner, db):
    runner.invoke(args=["create-user", "mei", "--role", "curator"], input="s3cret-pass\ns3cret-pass\n")
    result = runner.invoke(args=["set-password", "mei"], input="another-pass\n")
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output and "another-pass" not in result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.name == "mei"))
    assert check_password_hash(user.password_hash, "another-pass")
    revision = db.session.scalar(select(Revision).where(Revision.action == "user.password_reset"))
    assert revision.user_name == "system" and revision.after["user"] == "mei"


def test_set_password_asks_twice_at_a_terminal(runner, db, monkeypatch):
    runner.invoke(args=["create-user", "mei", "--role", "curator"], input="s3cret-pass\ns3cret-pass\n")
    monkeypatch.setattr(cli_accounts, "_stdin_is_terminal", lambda: True)
    result = runner.invoke(args=["set-password", "mei"], input="first-try-1\nfirst-try-2\nagreed-pass\nagreed-pass\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("New password: ") == 2 and "do not match" in result.output
    db.session.expire_all()
    assert check_password_hash(db.session.scalar(select(User.password_hash)), "agreed-pass")


def test_set_password_refuses_short_passwords_and_unknown_users(runner, db):
    runner.invoke(args=["create-user", "mei", "--role", "curator"], input="s3cret-pass\ns3cret-pass\n")
    short = runner.invoke(args=["set-password", "mei"], input="short\n")
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    empty = runner.invoke(args=["set-password", "mei"], input="")
    assert empty.exit_code != 0
    db.session.expire_all()
    assert check_password_hash(db.session.scalar(select(User.password_hash)), "s3cret-pass")
    assert not db.session.scalar(select(Revision).where(Revision.action == "user.password_reset"))
    unknown = runner.invoke(args=["set-password", "nobody"], input="long-enough-pass\n")
    assert unknown.exit_code != 0 and "No user named" in unknown.output


def _read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        ready, _, _ = select_fd([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"waited for {wanted!r}, got {bytes(seen)!r}")
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            raise AssertionError(f"ended before {wanted!r}: {bytes(seen)!r}")
        seen.extend(chunk)


def test_set_password_at_a_real_terminal_prompts_twice_without_echo(db, tmp_path):
    """`flask set-password` in a pseudo-terminal, as an admin would type it."""
    create_user(db.session, "mei", "s3cret-pass", "curator")
    db.session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "GLOSSARY_INSTANCE_PATH": str(tmp_path / "instance"),
        "GLOSSARY_ENV": "development",
    }
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "set-password", "mei"],
        cwd=ROOT,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    seen = bytearray()
    try:
        _read_until(controller, b"New password", seen)
        os.write(controller, b"typed-at-a-tty\n")
        _read_until(controller, b"Repeat the new password", seen)
        os.write(controller, b"typed-at-a-tty\n")
        _read_until(controller, b"sessions have ended", seen)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    assert b"typed-at-a-tty" not in seen  # not echoed
    db.session.expire_all()
    assert check_password_hash(db.session.scalar(select(User.password_hash)), "typed-at-a-tty")
