"""Users, sessions and API tokens: slow password hashes, tokens stored only as SHA-256.

A session or remember-me cookie is signed but lives in the browser, so it
cannot be withdrawn by itself. Instead each cookie names the user's session
generation (``User.get_id``) and is honoured only while that generation is
current: rotating it ends every cookie issued before.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import NotFound, Unauthorized, ValidationFailed
from ..models import ROLES, ApiToken, User, new_session_generation, utcnow

TOKEN_PREFIX = "gl_"
MIN_PASSWORD = 8
MAX_PASSWORD = 500  # as the forms allow; hashing megabytes per attempt would be a cheap denial of service
# Token lifetimes as typed on the command line and the admin page: 12h, 30d, 8w.
_LIFETIME = re.compile(r"\s*(\d{1,6})\s*([hdw])\s*", re.IGNORECASE)
_LIFETIME_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
MAX_TOKEN_LIFETIME = timedelta(days=3660)
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
    check_new_password(password)
    if session.scalar(select(User).where(User.name == name)):
        raise ValidationFailed(f"The user {name!r} already exists.", code="exists", status=409)
    user = User(name=name, role=role, password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def check_new_password(password: str | None) -> None:
    """Refuse a password too short to resist guessing, or too long to hash cheaply."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise ValidationFailed(f"A password has at most {MAX_PASSWORD} characters.")


def end_all_sessions(user: User) -> None:
    """Every session and remember-me cookie issued to ``user`` so far stops working."""
    user.session_generation = new_session_generation()


def set_password(user: User, password: str) -> None:
    """A new password; the sessions that the old one opened end with it."""
    check_new_password(password)
    user.password_hash = generate_password_hash(password)
    end_all_sessions(user)


def password_matches(user: User, password: str | None) -> bool:
    """Whether ``password`` is the user's: the one check that log-in and a password change share."""
    return check_password_hash(user.password_hash, password or "")


def user_for_session(session: Session, session_id: str) -> User | None:
    """The active user a cookie names, if the cookie's session generation is still current."""
    user_id, _, generation = (session_id or "").partition(":")
    if not user_id.isdigit() or not generation:
        return None  # also cookies from before generations existed: they name the id alone
    user = session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(generation.encode(), (user.session_generation or "").encode()):
        return None
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.active or not password_matches(user, password):
        return None
    return user


def parse_lifetime(text: str | None) -> timedelta | None:
    """``12h``, ``30d`` or ``8w`` as a timedelta; empty means a token that never expires."""
    if text is None or not text.strip():
        return None
    match = _LIFETIME.fullmatch(text)
    if not match:
        raise ValidationFailed(f"A lifetime is a number and h, d or w (12h, 30d, 8w), not {text!r}.")
    lifetime = timedelta(**{_LIFETIME_UNITS[match.group(2).lower()]: int(match.group(1))})
    if not timedelta(hours=1) <= lifetime <= MAX_TOKEN_LIFETIME:
        raise ValidationFailed("A token lives at least an hour and at most ten years.")
    return lifetime


def create_token(session: Session, user: User, name: str, expires_in: timedelta | None = None) -> tuple[str, ApiToken]:
    """Make a token; the plain text is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=(name or "token").strip()[:80],
        token_hash=hash_token(plain),
        prefix=plain[:10],
        expires_at=utcnow() + expires_in if expires_in else None,
    )
    session.add(token)
    session.flush()
    return plain, token


def authenticate_token(session: Session, plain: str) -> User:
    """The active user owning a live token; otherwise Unauthorized, saying why."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain))) if plain else None
    if token is None:
        raise Unauthorized("The API token is unknown.", invalid_token=True)
    if token.revoked_at is not None:
        raise Unauthorized("The API token was revoked; ask an admin for a new one.", invalid_token=True)
    if token.expires_at is not None and token.expires_at <= utcnow():
        raise Unauthorized(
            f"The API token expired on {token.expires_at:%Y-%m-%d %H:%M} UTC; ask an admin for a new one.",
            code="token_expired",
            invalid_token=True,
        )
    if not token.user.active:
        raise Unauthorized("The API token's user is deactivated.", invalid_token=True)
    token.last_used_at = utcnow()
    return token.user


def user_for_token(session: Session, plain: str) -> User | None:
    """The active user owning a live token, or None."""
    try:
        return authenticate_token(session, plain)
    except Unauthorized:
        return None


def revoke_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No API token has id {token_id}.")
    token.revoked_at = token.revoked_at or utcnow()
    session.flush()
    return token
