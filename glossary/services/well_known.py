"""The well-known abbreviations: what the writer's check accepts without a definition.

Editors do not ask for DNA or PCR to be spelled out, and which others go
without saying depends on the journal, so the list is the admin's to edit.
Until the first edit the defaults below apply; an edit stores the whole list
(removed entries kept as inactive rows), and is audited as a revision.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import User, WellKnownAbbreviation
from ..search.well_known import DEFAULT_WELL_KNOWN, well_known
from ..text import CJK, abbreviation_variant_key
from .revisions import record_revision

__all__ = ["DEFAULT_WELL_KNOWN", "MAX_ENTRIES", "parse_well_known", "replace_well_known", "well_known"]

MAX_ENTRIES = 500
MAX_LENGTH = 40
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def parse_well_known(raw: str) -> list[str]:
    """The abbreviations in what an admin typed (one per line, or separated by commas); refused whole if one is bad."""
    entries: dict[str, str] = {}
    for text in _SEPARATORS.split(raw or ""):
        if not text:
            continue
        too_long = len(text) > MAX_LENGTH or len(abbreviation_variant_key(text)) > MAX_LENGTH
        if too_long or re.search(f"[{CJK}]", text) or not re.search(r"[A-Za-z]", text):
            raise ValidationFailed(
                f"“{text[:MAX_LENGTH]}” is not an abbreviation: at most {MAX_LENGTH} "
                "characters, Latin letters, no Chinese.",
                code="bad_abbreviation",
            )
        entries.setdefault(abbreviation_variant_key(text), text)
    if len(entries) > MAX_ENTRIES:
        raise ValidationFailed(f"At most {MAX_ENTRIES} well-known abbreviations.", code="too_many")
    return list(entries.values())


def replace_well_known(session: Session, texts: list[str], actor: User | None) -> list[str]:
    """Make ``texts`` the list (flushed, not committed); returns it sorted, as the page shows it."""
    before = sorted(well_known(session).values(), key=str.lower)
    rows = {row.key: row for row in session.scalars(select(WellKnownAbbreviation))}
    wanted = {abbreviation_variant_key(text): text for text in texts}
    for key, row in rows.items():
        row.active = key in wanted
        if key in wanted:
            row.text = wanted[key]
    for key, text in wanted.items():
        if key not in rows:
            session.add(WellKnownAbbreviation(key=key, text=text, active=True))
    session.flush()
    after = sorted(wanted.values(), key=str.lower)
    if before != after:
        record_revision(
            session,
            concept_id=None,
            actor=actor,
            action="well_known.update",
            before={"well_known": before},
            after={"well_known": after},
        )
    return after
