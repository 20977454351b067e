"""The writer's check: the abbreviations an editor need not see spelled out (DNA, PCR, SPSS…).

An admin edits the list; until the first edit the check uses the default list
in ``services/well_known.py``. A removed entry stays as a row with ``active``
false, so an emptied list stays empty instead of falling back to the defaults.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from . import NEVER_REUSE_IDS, utcnow


class WellKnownAbbreviation(db.Model):
    """One abbreviation the check accepts without a definition (reported as info, never as an error)."""

    __tablename__ = "well_known_abbreviation"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(40))
    # abbreviation_variant_key(text): SCFA and SCFAs, NF-κB and NF-kB are one entry.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
