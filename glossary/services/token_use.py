"""When an API token was last used: written at most once a minute, and never in the request's transaction.

Checking a token sets ``ApiToken.last_used_at``. Left in the request's
session, that made every authenticated call a write: a read took SQLite's
write lock to note the time, and a write request queued behind a long mining
run to update the token row before doing anything of its own. The admin page
only needs the time to the minute, so the write happens at most once a minute
per token, on a connection of its own that commits at once; if the database
is busy, this use is simply not noted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import inspect, or_, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import History, set_committed_value

from ..database import is_busy
from ..models import ApiToken

TOKEN_USE_INTERVAL = timedelta(minutes=1)
log = logging.getLogger(__name__)


def record_token_use(session: Session) -> None:
    """Take the ``last_used_at`` that authentication set out of ``session``; note it if a minute has passed."""
    tokens = [obj for obj in list(session.identity_map.values()) if isinstance(obj, ApiToken)]
    for token in tokens:
        history: History = inspect(token).attrs.last_used_at.history
        if not history.added:
            continue
        used_at = history.added[0]
        previous = history.deleted[0] if history.deleted else None
        # The request's own transaction no longer writes the token row.
        set_committed_value(token, "last_used_at", previous)
        if used_at is None or (previous is not None and used_at - previous < TOKEN_USE_INTERVAL):
            continue
        if _note_use(session, token.id, used_at):
            set_committed_value(token, "last_used_at", used_at)


def _note_use(session: Session, token_id: int, used_at: datetime) -> bool:
    """One short transaction of its own; another worker that noted the same minute makes it a no-op."""
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= used_at - TOKEN_USE_INTERVAL)
    try:
        bind = session.get_bind()
        engine = bind.engine if isinstance(bind, Connection) else bind
        with engine.begin() as connection:
            connection.execute(update(ApiToken).where(ApiToken.id == token_id, stale).values(last_used_at=used_at))
    except OperationalError as error:
        if not is_busy(error):
            raise
        log.info("database busy: the use of API token %s was not noted", token_id)
        return False
    return True
