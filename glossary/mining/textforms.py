"""The mining stages' names for the shared text tools (:mod:`glossary.text`).

Terms are kept as written; these keys only decide what counts as "the same"
when occurrences and documents are merged. Nothing is defined here: script
ranges, conversion and keys all come from ``glossary.text``, under the names
the stages have always imported:

* ``fold`` is :func:`glossary.text.keys.fold_common`;
* ``zh_key`` is the stored Chinese key, :func:`glossary.text.keys.zh_key`;
* ``en_key`` is :func:`glossary.text.keys.english_merge_key`, the miner's
  looser English key: the stored ``english_key`` with Greek names and letters
  folded (its docstring says why the stored key does not do this).
"""

from __future__ import annotations

from ..text.convert import has_cjk, is_cjk, to_simplified
from ..text.keys import english_merge_key as en_key
from ..text.keys import fold_common as fold
from ..text.keys import zh_key
from ..text.scripts import CJK, GREEK, GREEK_NAMES, ROMAN

__all__ = ["CJK", "GREEK", "GREEK_NAMES", "ROMAN", "en_key", "fold", "has_cjk", "is_cjk", "to_simplified", "zh_key"]
