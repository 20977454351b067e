"""The web edge's two rules: who may do what, and one transaction per request.

``role_required`` guards every page that writes: anonymous users go to the
log-in page, logged-in users below the role get 403. ``one_transaction`` runs a
request's service calls as one unit: committed when they succeed; rolled back,
with the refusal flashed, when a service refuses (a :class:`ServiceError`).
Every page that writes goes through them, so none forgets the rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, flash, redirect
from flask_login import current_user

from ..errors import ServiceError
from ..extensions import db, login_manager

__all__ = ["Outcome", "commit_and_redirect", "one_transaction", "role_required"]


def role_required(role: str) -> Callable:
    """Anonymous users go to the log-in page; logged-in users below ``role`` get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(role):
                abort(403, f"This needs the {role} role; you are a {current_user.role}.")
            return view(*args, **kwargs)

        return guarded

    return decorator


@dataclass
class Outcome:
    """What became of a transaction: ``refused`` holds the service's refusal, if any."""

    refused: ServiceError | None = None

    @property
    def status(self) -> int:
        return self.refused.status if self.refused else 200


@contextmanager
def one_transaction(*, flash_refusal: bool = True) -> Iterator[Outcome]:
    """Commit what the block wrote; on a service's refusal roll it all back and flash why.

    The refusal does not propagate: the caller reads ``outcome.refused`` and
    answers (the form again, with ``outcome.status``). Other exceptions roll
    back and propagate.
    """
    outcome = Outcome()
    try:
        yield outcome
    except ServiceError as exc:
        db.session.rollback()
        if flash_refusal:
            flash(exc.message, "error")
        outcome.refused = exc
    except BaseException:
        db.session.rollback()
        raise
    else:
        db.session.commit()


def commit_and_redirect(action: Callable[[], str], target: str):
    """Run one service call in :func:`one_transaction`; flash its message when it succeeds; redirect."""
    with one_transaction() as outcome:
        message = action()
    if not outcome.refused:
        flash(message, "success")
    return redirect(target)
