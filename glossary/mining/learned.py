"""Evidence the miner learns from other papers: what abbreviations stand for, and pairs it was sure of.

``活性氧（ROS）`` gives the abbreviation alone: only its letters and the
lexicon's glosses can say where the Chinese term starts, and a verb before it
may supply a letter by chance (降低 *reduce* for the R). Another paper that
wrote ``活性氧（reactive oxygen species，ROS）`` says what ROS stands for; with
that English the boundary is aligned word by word instead.

An expansion is learned only from a definition whose English the
abbreviation's letters fit (``abbr_fit`` 1.0), and kept only when one English
form clearly dominates (PG is prostaglandin in one field, peptidoglycan in
another: both seen, neither is taken). The miner ships a table learned from
the texts it was fitted on (``weights/learned.json``, written with the
boundary weights by :mod:`glossary.mining.weights.fit`); a batch's own
definitions come first.

The same file holds the (Chinese, English) pairs the miner was sure of in
those texts. They teach the lexicon words CC-CEDICT lacks or glosses
otherwise (基质 for *matrix* in 基质金属蛋白酶), as approved glossary pairs do
(:meth:`~glossary.mining.lexicon.Lexicon.learn`).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..text.abbreviations import abbreviation_variant_key
from .stemming import english_stems

__all__ = ["Expansions", "Learned", "default_learned", "learn_expansions"]

DOMINANT = 0.75  # the share of its definitions one English form needs to stand for an abbreviation
SAME_CONCEPT = 0.5  # two English forms sharing this share of their words name one concept (NF-κB's two spellings)
MIN_FIT = 0.5  # letters from inside words count (GSH, glutathione)
# A member of a family: the family's abbreviation and a number or Greek letter (MMP-2, TGF-β, IL-10, Th17).
MEMBER = re.compile(r"^(?P<family>.*?[A-Za-z])(?P<member>-?(?:\d+[A-Za-z]?|[α-ωΑ-Ω]\d*))$")


class Expansions:
    """Abbreviation → the English it stands for, by variant key (``SCFAs`` ~ ``SCFA``, ``NF-kB`` ~ ``NF-κB``)."""

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self._table = dict(table or {})

    def __len__(self) -> int:
        return len(self._table)

    def get(self, abbr: str) -> str:
        """The English ``abbr`` stands for, or "" when unknown or ambiguous.

        A family member the table lacks is read from its family: MMP-2 is matrix metalloproteinase-2.
        """
        if not abbr:
            return ""
        found = self._table.get(abbreviation_variant_key(abbr), "")
        member = MEMBER.match(abbr.strip()) if not found else None
        if member and len(member.group("family")) >= 2:
            family = self._table.get(abbreviation_variant_key(member.group("family")), "")
            if family:
                suffix = member.group("member")
                return family + (suffix if suffix.startswith("-") else f" {suffix}")
        return found

    def as_dict(self) -> dict[str, str]:
        return dict(sorted(self._table.items()))


def learn_expansions(definitions: Iterable[tuple[str, str, float]]) -> Expansions:
    """An :class:`Expansions` from ``(abbr, English, fit)`` definitions; unfit and ambiguous ones are left out."""
    seen: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    written: dict[tuple[str, ...], str] = {}
    for abbr, en, fit in definitions:
        if not abbr or not en or fit < MIN_FIT:
            continue
        stems = tuple(english_stems(en))
        if not stems:
            continue
        seen[abbreviation_variant_key(abbr)][stems] += 1
        written.setdefault(stems, en.strip())
    table = {}
    for key, forms in seen.items():
        (stems, _), total = forms.most_common(1)[0], sum(forms.values())
        agreeing = sum(count for other, count in forms.items() if _shared(stems, other) >= SAME_CONCEPT)
        if agreeing / total >= DOMINANT:
            table[key] = written[stems]
    return Expansions(table)


def _shared(first: tuple[str, ...], second: tuple[str, ...]) -> float:
    """The share of the shorter form's words the other has too."""
    return len(set(first) & set(second)) / min(len(set(first)), len(set(second)))


@dataclass(frozen=True)
class Learned:
    """What the miner brings from the papers it learned on: abbreviation expansions and sure pairs."""

    expansions: Expansions = field(default_factory=Expansions)
    pairs: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=1)
def default_learned() -> Learned:
    """The shipped evidence (``weights/learned.json``); nothing if the file is missing."""
    source = resources.files("glossary.mining.weights").joinpath("learned.json")
    if not source.is_file():
        return Learned()
    data = json.loads(source.read_text(encoding="utf-8"))
    return Learned(Expansions(data["expansions"]), tuple((zh, en) for zh, en in data["pairs"]))
