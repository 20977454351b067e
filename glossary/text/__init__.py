"""Shared text tools: pure functions over strings, no web framework, no database.

Every package that reads text (mining, search, formats, the writer's check)
asks the same questions here, so that they cannot disagree:

* :func:`looks_like_abbreviation` (``abbreviations.py``): is this token written
  like an abbreviation (``HPA``, ``Nrf2``, ``p53``, ``IL-1β``)?
* :func:`abbreviation_variant_key` (``abbreviations.py``): the one key of the
  spellings writers mix for one abbreviation (``SCFA``/``SCFAs``, ``NF-κB``/``NF-kB``);
* the script ranges (``scripts.py``): Han, Greek, Roman numerals, and the one
  Greek table (names, letters, Latin spellings);
* script conversion (``convert.py``): :func:`to_simplified`, :func:`to_traditional`,
  :func:`has_cjk`, one OpenCC converter per configuration, built on first use;
* match keys (``keys.py``): :func:`zh_key`, :func:`english_key`, :func:`abbr_key`
  (stored), the miner's looser :func:`english_merge_key`, :func:`fold_common`,
  :func:`pinyin_forms`, and the invisible characters a term never holds.
"""

from __future__ import annotations

from .abbreviations import abbreviation_variant_key, looks_like_abbreviation
from .convert import has_cjk, to_simplified, to_traditional
from .keys import (
    abbr_key,
    bidi_control_in,
    drop_invisible,
    drop_zero_width,
    english_key,
    english_merge_key,
    fold_common,
    greek_names_to_letters,
    pinyin_forms,
    zh_key,
)
from .scripts import CJK, GREEK, GREEK_NAMES, GREEK_TO_LATIN, ROMAN

__all__ = [
    "CJK",
    "GREEK",
    "GREEK_NAMES",
    "GREEK_TO_LATIN",
    "ROMAN",
    "abbr_key",
    "abbreviation_variant_key",
    "bidi_control_in",
    "drop_invisible",
    "drop_zero_width",
    "english_key",
    "english_merge_key",
    "fold_common",
    "greek_names_to_letters",
    "has_cjk",
    "looks_like_abbreviation",
    "pinyin_forms",
    "to_simplified",
    "to_traditional",
    "zh_key",
]
