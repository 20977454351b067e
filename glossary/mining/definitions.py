"""A draft's definitions as the miner reads them, with places in the draft as written.

The writer's check must find the same definitions the miner finds, so it asks
the miner's grammar (:func:`~glossary.mining.extract.find_mentions` over the
:func:`~glossary.mining.cleanup.clean_text` of the draft) rather than a second
pattern of its own: every order the miner knows (``中文（English，ABBR）``,
``中文 ABBR（English）``, ``English (ABBR)``, ``ABBR（中文）``, legends, ``又称``…),
full- and half-width brackets, traditional script. Offsets are mapped back
through the cleanup's offset maps, so they count code points of the text as
given, not of its cleaned copy.

The Chinese term of a ``zh_first`` definition is where the boundary stage
would cut the left context; the check does not run that stage (it needs the
bilingual lexicon), so such definitions carry the left context in ``left`` and
``zh`` stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import CJK, GREEK
from .cleanup import clean_text
from .extract import Mention, find_mentions

__all__ = ["Definition", "read_definitions"]


@dataclass(frozen=True)
class Definition:
    """One place in a text that defines a term, with code-point offsets into the original text.

    ``start``/``end`` span the whole definition; ``abbr_start``/``abbr_end`` the
    abbreviation as written (both -1 when the definition gives none, or names it
    only by reference, as a ``又称`` alias after a bracket does).
    """

    kind: str  # zh_first, en_first, keywords, legend, alias, coordinated
    zh: str
    en: str
    abbr: str
    start: int
    end: int
    abbr_start: int = -1
    abbr_end: int = -1
    left: str = ""  # zh_first: the context the Chinese term ends (its start is the boundary stage's call)

    @property
    def chinese(self) -> str:
        """The Chinese term if stated, else the left context that ends with it."""
        return self.zh or self.left


def _abbreviation_span(text: str, mention: Mention) -> tuple[int, int]:
    """Where, inside the mention's cleaned span, its abbreviation is written (the last bounded match)."""
    if not mention.abbr:
        return -1, -1
    word = f"A-Za-z0-9{GREEK}"
    pattern = re.compile(f"(?<![{word}]){re.escape(mention.abbr)}(?![{word}])")
    matches = list(pattern.finditer(text, mention.start, mention.end))
    return matches[-1].span() if matches else (-1, -1)


def read_definitions(text: str) -> list[Definition]:
    """Every definition the miner's grammar reads in ``text``, in order, offsets into ``text``."""
    clean = clean_text(text)
    definitions = []
    for mention in find_mentions(0, clean):
        start, end = clean.source_span(mention.start, mention.end)
        abbr_start, abbr_end = _abbreviation_span(clean.text, mention)
        if abbr_start >= 0:
            abbr_start, abbr_end = clean.source_span(abbr_start, abbr_end)
        left = re.sub(f"^[^{CJK}]+", "", mention.left) if mention.kind == "zh_first" else ""
        definitions.append(Definition(
            kind=mention.kind, zh=mention.zh, en=mention.en, abbr=mention.abbr, start=start, end=end,
            abbr_start=abbr_start, abbr_end=abbr_end, left=left,
        ))  # fmt: skip
    definitions.sort(key=lambda d: (d.start, d.abbr_start))
    return definitions
