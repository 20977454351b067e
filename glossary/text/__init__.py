"""Shared text tools: pure functions over strings, no web framework, no database.

Every package that reads text (mining, search, formats, the writer's check)
asks the same questions here, so that they cannot disagree:

* :func:`looks_like_abbreviation` (``abbreviations.py``): is this token written
  like an abbreviation (``HPA``, ``Nrf2``, ``p53``, ``IL-1β``)?
* :func:`abbreviation_variant_key` (``abbreviations.py``): the one key of the
  spellings writers mix for one abbreviation (``SCFA``/``SCFAs``, ``NF-κB``/``NF-kB``);
* the script ranges (``scripts.py``): Han, Greek, Roman numerals.
"""

from __future__ import annotations

from .abbreviations import abbreviation_variant_key, looks_like_abbreviation
from .scripts import CJK, GREEK, GREEK_NAMES, GREEK_TO_LATIN, ROMAN

__all__ = [
    "CJK",
    "GREEK",
    "GREEK_NAMES",
    "GREEK_TO_LATIN",
    "ROMAN",
    "abbreviation_variant_key",
    "looks_like_abbreviation",
]
