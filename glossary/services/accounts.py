"""Users and API tokens: slow password hashes, tokens stored only as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import NotFound, ValidationFailed
from ..models import ROLES, ApiToken, User, utcnow

TOKEN_PREFIX = "gl_"
MIN_PASSWORD = 8
# Checked against when the user is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, name: str, password: str, role: str = "viewer") -> User:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed("A user name is 1 to 80 characters.")
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}.")
    if len(password or "") < MIN_PASSWORD:
        raise ValidationFailed(f"A password needs at least {MIN_PASSWORD} characters.")
    if session.scalar(select(User).where(User.name == name)):
        raise ValidationFailed(f"The user {name!r} already exists.", code="exists", status=409)
    user = User(name=name, role=role, password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.active or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def create_token(session: Session, user: User, name: str) -> tuple[str, ApiToken]:
    """Make a token; the plain text is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=(name or "token").strip()[:80],
                     token_hash=hash_token(plain), prefix=plain[:10])
    session.add(token)
    session.flush()
    return plain, token


def user_for_token(session: Session, plain: str) -> User | None:
    """The active user owning a live token, or None."""
    if not plain:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user


def revoke_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No API token has id {token_id}.")
    token.revoked_at = token.revoked_at or utcnow()
    session.flush()
    return token
