"""Managing users, their passwords, sessions and API tokens, each change audited.

Builds on ``accounts`` (hashing, session generations, token generation) and
records a revision (with no concept) for every change, so the audit trail also
says who gave whom which role, who changed or reset whose password, and who
issued or revoked which token. The pages and the CLI call the same functions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound, ValidationFailed
from ..models import ROLES, ApiToken, User
from .accounts import create_token, create_user, end_all_sessions, password_matches, revoke_token, set_password
from .revisions import record_revision


def _user_state(user: User) -> dict[str, Any]:
    return {"user": user.name, "role": user.role, "active": user.active}


def _token_state(token: ApiToken) -> dict[str, Any]:
    state = {
        "token": token.prefix,
        "label": token.name,
        "user": token.user.name,
        "revoked": token.revoked_at is not None,
    }
    if token.expires_at is not None:
        state["expires"] = token.expires_at.isoformat(timespec="minutes")
    return state


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, live ones first, newest first."""
    stmt = (
        select(ApiToken)
        .options(selectinload(ApiToken.user))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(stmt))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user has id {user_id}.")
    return user


def find_user(session: Session, name: str) -> User:
    """The user with this name (as the CLI names them), or NotFound."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        raise NotFound(f"No user named {name!r}. Create one with create-user first.")
    return user


def _active_admins(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))) or 0
    )


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise ValidationFailed("This is the last active admin; make another admin first.")


def create_account(session: Session, name: str, password: str, role: str, actor: User | None) -> User:
    """Create a user who can log in, and record who created it."""
    user = create_user(session, name, password, role)
    record_revision(session, concept_id=None, actor=actor, action="user.create", before=None, after=_user_state(user))
    return user


def set_role(session: Session, user_id: int, role: str, actor: User | None) -> User:
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}.")
    user = get_user(session, user_id)
    if role == user.role:
        return user
    if role != "admin":
        _keep_an_admin(session, user)
    before = _user_state(user)
    user.role = role
    session.flush()
    record_revision(session, concept_id=None, actor=actor, action="user.role", before=before, after=_user_state(user))
    return user


def set_active(session: Session, user_id: int, active: bool, actor: User | None) -> User:
    """Deactivate (the user can no longer log in or use tokens) or reactivate."""
    user = get_user(session, user_id)
    if user.active == active:
        return user
    if not active:
        if actor is not None and actor.id == user.id:
            raise ValidationFailed("You cannot deactivate yourself.")
        _keep_an_admin(session, user)
    before = _user_state(user)
    user.active = active
    if not active:
        # Ended for good, not suspended: reactivating revives no old cookie and no old token.
        end_all_sessions(user)
    session.flush()
    record_revision(
        session,
        concept_id=None,
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        before=before,
        after=_user_state(user),
    )
    if not active:
        for token in user.tokens:
            if token.revoked_at is None:
                withdraw_token(session, token.id, actor)
    return user


def log_out(session: Session, user: User) -> None:
    """End the user's sessions: the cookie being logged out may have been copied.

    Cookies are not stored server-side, so one of them cannot be ended alone;
    logging out therefore ends the user's other sessions too. Not audited:
    nothing about the account changes.
    """
    end_all_sessions(user)
    session.flush()


def sign_out_everywhere(session: Session, user_id: int, actor: User | None) -> User:
    """An admin ends every session and remember-me cookie of a user (a lost laptop, say)."""
    user = get_user(session, user_id)
    end_all_sessions(user)
    session.flush()
    record_revision(session, concept_id=None, actor=actor, action="user.sign_out", before=None, after=_user_state(user))
    return user


def change_own_password(session: Session, user: User, current_password: str, new_password: str) -> User:
    """A user replaces their password, proving they know the current one; other sessions end."""
    if not password_matches(user, current_password):
        raise ValidationFailed("The current password is not right.", code="wrong_password")
    set_password(user, new_password)
    session.flush()
    record_revision(
        session, concept_id=None, actor=user, action="user.password_change", before=None, after=_user_state(user)
    )
    return user


def reset_password(session: Session, user_id: int, new_password: str, actor: User | None) -> User:
    """An admin (or ``flask set-password``) sets a user's password; every session of theirs ends."""
    user = get_user(session, user_id)
    set_password(user, new_password)
    session.flush()
    record_revision(
        session, concept_id=None, actor=actor, action="user.password_reset", before=None, after=_user_state(user)
    )
    return user


def issue_token(
    session: Session, user_id: int, label: str, actor: User | None, expires_in: timedelta | None = None
) -> tuple[str, ApiToken]:
    """A new API token for a user, optionally expiring; the plain text is returned once and never stored."""
    user = get_user(session, user_id)
    if not user.active:
        raise ValidationFailed(f"{user.name} is deactivated; reactivate the user first.")
    plain, token = create_token(session, user, label, expires_in)
    record_revision(
        session, concept_id=None, actor=actor, action="token.create", before=None, after=_token_state(token)
    )
    return plain, token


def withdraw_token(session: Session, token_id: int, actor: User | None) -> ApiToken:
    token = revoke_token(session, token_id)
    record_revision(
        session, concept_id=None, actor=actor, action="token.revoke", before=None, after=_token_state(token)
    )
    return token
