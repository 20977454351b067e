"""The well-known abbreviations as the writer's check reads them (the admin edits them through
:mod:`glossary.services.well_known`): the defaults until the first edit, then the stored list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import WellKnownAbbreviation
from ..text import abbreviation_variant_key

__all__ = ["DEFAULT_WELL_KNOWN", "well_known"]

DEFAULT_WELL_KNOWN = (
    "DNA", "RNA", "mRNA", "cDNA", "miRNA", "ATP", "ADP", "PCR", "qPCR", "RT-PCR", "ELISA", "SPSS", "ANOVA",
    "HIV", "AIDS", "WHO", "USA", "UK", "SD", "SEM", "CI", "OR", "HR", "IQR", "SPF",
)  # fmt: skip


def well_known(session: Session) -> dict[str, str]:
    """Variant key → abbreviation as written, for every active entry (the defaults before the first edit)."""
    rows = session.execute(
        select(WellKnownAbbreviation.key, WellKnownAbbreviation.text, WellKnownAbbreviation.active)
    ).all()
    if not rows:
        return {abbreviation_variant_key(text): text for text in DEFAULT_WELL_KNOWN}
    return {row.key: row.text for row in rows if row.active}
