"""Bilingual lexicon evidence: is a Chinese word accounted for by the English of its term?

The boundary stage asks, for each word of a candidate Chinese term, whether the
English says it too (外侧 in 外侧膝状体 / lateral geniculate nucleus stays) or
not (context such as 血浆 before a term whose English lacks "plasma"). The
answer comes from CC-CEDICT: each headword (simplified or traditional) maps to
the stemmed content words of its definitions (:mod:`.cedict`, :mod:`.stemming`),
and English forms are compared loosely (:mod:`.senses`: derivatives, Latin
endings, British spellings, Latin and Greek adjectives and combining forms), so
that one dictionary entry covers many spellings of the English.

Words CC-CEDICT lacks are read piece by piece (known sub-words, then single
characters), and Latin letters or numbers inside a Chinese word match
themselves. :meth:`Lexicon.learn` adds associations from approved glossary
pairs (:mod:`.associations`).

:func:`default_lexicon` builds the CC-CEDICT lexicon once per process. Parsing
takes a few seconds, so :func:`configure_cache` names a folder where a compact
form is kept (:mod:`.lexicon_cache`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

# `from .x import NAME as NAME`: re-exported, so that every name importable from here before the
# lexicon was split into these modules still is.
from .associations import Associations
from .cedict import CEDICT_FILE as CEDICT_FILE
from .cedict import CEDICT_PACKAGE as CEDICT_PACKAGE
from .cedict import CHARACTER_MIN_COUNT as CHARACTER_MIN_COUNT
from .cedict import CHARACTER_MIN_DICE as CHARACTER_MIN_DICE
from .cedict import cedict_lines as _cedict_lines
from .cedict import derive_character_senses, parse_cedict, parse_verbs
from .cedict import gloss_stems as gloss_stems
from .lexicon_cache import CACHE_FORMAT as CACHE_FORMAT
from .lexicon_cache import cache_name as _cache_name
from .lexicon_cache import read_cache, write_cache
from .senses import DERIVATIONAL_TAILS as DERIVATIONAL_TAILS
from .senses import LATIN_ENDINGS as LATIN_ENDINGS
from .senses import MIN_PREFIX as MIN_PREFIX
from .senses import PROTEIN_ENDINGS as PROTEIN_ENDINGS
from .senses import SENSE_GROUPS as SENSE_GROUPS
from .senses import Senses
from .stemming import FUNCTION_WORDS as FUNCTION_WORDS
from .stemming import GLUE_WORDS as GLUE_WORDS
from .stemming import SPELLINGS as SPELLINGS
from .stemming import TOKEN_RE, english_stems, english_words, known_stems, split_glued
from .stemming import stem as stem_word
from .textforms import CJK, fold, has_cjk, is_cjk, to_simplified

__all__ = ["Lexicon", "configure_cache", "default_lexicon", "english_stems"]

EXPLAINED = 0.5  # a match this strong accounts for a word


class Lexicon:
    """Which English words account for a Chinese word: CC-CEDICT plus associations learned from pairs."""

    def __init__(
        self,
        glosses: Mapping[str, str],
        characters: Mapping[str, str] | None = None,
        vocabulary: str | Iterable[str] = "",
        learned: Mapping[str, Mapping[str, float]] | None = None,
        *,
        senses: Senses | None = None,
        verbs: str | Iterable[str] = "",
    ) -> None:
        """``glosses``: headword → space-separated stems (see :func:`parse_cedict`);
        ``characters``: character → stems it takes in compounds; ``vocabulary``: all gloss stems;
        ``learned``: simplified word → {stem: weight}."""
        self._glosses = glosses
        self._characters = characters or {}
        if senses is None:
            words = vocabulary.split() if isinstance(vocabulary, str) else vocabulary
            senses = Senses(frozenset(words) or frozenset(s for v in glosses.values() for s in v.split()))
        self._senses = senses
        self._verbs = frozenset(verbs.split() if isinstance(verbs, str) else verbs)
        self._learned = {word: dict(stems) for word, stems in (learned or {}).items()}
        self._match = lru_cache(maxsize=200_000)(self._score)
        self._pieces = lru_cache(maxsize=50_000)(self._cover)

    @classmethod
    def load(cls, cache_directory: str | os.PathLike[str] | None = None) -> Lexicon:
        """The CC-CEDICT lexicon, from the cache file in ``cache_directory`` when there is one."""
        data = _load_data(Path(cache_directory) if cache_directory is not None else None)
        return cls(data["glosses"], data["characters"], data["vocabulary"], verbs=data["verbs"])  # type: ignore[arg-type]

    @classmethod
    def from_cedict_lines(cls, lines: Iterable[str]) -> Lexicon:
        """A lexicon from CC-CEDICT formatted lines (``TRAD SIMP [pin1 yin1] /gloss/gloss/``)."""
        lines = list(lines)
        glosses = parse_cedict(lines)
        return cls(glosses, derive_character_senses(glosses), verbs=parse_verbs(lines))

    def glosses(self, zh: str) -> frozenset[str]:
        """Stems of the content words defining ``zh`` (simplified or traditional headword); empty if unknown."""
        return frozenset(self._glosses.get(zh, "").split())

    def is_verb(self, zh: str) -> bool:
        """Whether CC-CEDICT's first sense of the word is a verb (``to …``)."""
        return zh in self._verbs

    def knows(self, zh: str) -> bool:
        """Whether CC-CEDICT or the learned pairs have the word."""
        return zh in self._glosses or bool(self._learned_for(zh))

    def match(self, zh: str, en_stems: Sequence[str]) -> float:
        """How far the English stems account for the Chinese word, 0.0 to 1.0.

        A known word scores 1.0 when one of its glosses loosely equals an English
        stem (a learned association: its weight); an unknown one scores the
        share of its characters matched, read as known sub-words and single
        characters; Latin letters and numbers match themselves.
        """
        return self._match(zh, tuple(en_stems))

    def split_glued(self, word: str) -> tuple[str, ...]:
        """A word a converter glued together, cut into English words: ``secretorycomponent`` →
        (``secretory``, ``component``); the word itself when it is known or no cut explains it.
        A capital glued to a word (``Gprotein``, ``Tcells``) is a letter that names: G protein, T cells."""
        lowered = word.lower()
        if re.fullmatch("[B-HJ-Z][a-z]{3,}", word) and stem_word(lowered) not in self._senses.vocabulary:
            if stem_word(lowered[1:]) in self._senses.vocabulary:
                return (word[0], lowered[1:])
        return self._split(lowered)

    @lru_cache(maxsize=20_000)  # noqa: B019 - one default instance per process
    def _split(self, word: str) -> tuple[str, ...]:
        return split_glued(word, self._senses.vocabulary)

    def explained(self, zh: str, en: str) -> list[tuple[str, str]]:
        """(Chinese word, English word) pairs that match, for showing a curator why."""
        english = english_words(en)
        return [
            (word, written)
            for word in _segment(zh)
            for written, stem in english
            if self.match(word, (stem,)) >= EXPLAINED
        ]

    def learn(self, pairs: Iterable[tuple[str, str]]) -> Lexicon:
        """A lexicon that also knows what approved (zh, en) pairs teach.

        In each pair the words CC-CEDICT explains are aligned; the Chinese words
        left over are associated with the English stems left over (see
        :class:`~glossary.mining.associations.Associations`).
        """
        associations = Associations(guesses=True)
        for zh, en in pairs:
            stems = tuple(dict.fromkeys(english_stems(en)))
            words = [to_simplified(word) for word in _segment(zh)]
            left_en = [stem for stem in stems if not any(self.match(word, (stem,)) >= EXPLAINED for word in words)]
            left_zh = [word for word in words if has_cjk(word) and self.match(word, stems) < EXPLAINED]
            if len(left_en) == 1 and len(left_zh) > 1 and "".join(left_zh) in "".join(words):
                left_zh = ["".join(left_zh)]  # 瘦|素 left over for one English word: one word 瘦素
            associations.add(left_zh, left_en)
        learned = {word: dict(stems) for word, stems in self._learned.items()}
        for word, associated in associations.weights(min_count=2, min_dice=0.3).items():
            known = learned.setdefault(word, {})
            for stem, weight in associated.items():
                known[stem] = max(weight, known.get(stem, 0.0))
        return Lexicon(self._glosses, self._characters, learned=learned, senses=self._senses, verbs=self._verbs)

    # -- scoring --

    def _learned_for(self, zh: str) -> dict[str, float]:
        if not self._learned:
            return {}
        return self._learned.get(zh) or self._learned.get(to_simplified(zh)) or {}

    def _score(self, zh: str, en: tuple[str, ...]) -> float:
        if not zh or not en:
            return 0.0
        known = self._known_score(zh, en)
        return known if known is not None else self._share_of_pieces(zh, en)

    def _known_score(self, zh: str, en: tuple[str, ...]) -> float | None:
        stems, learned = self._glosses.get(zh), self._learned_for(zh)
        if len(zh) == 1 and stems != "" and zh in self._characters:  # "": a function word
            stems = f"{stems or ''} {self._characters[zh]}"
        if stems is None and not learned:
            return None
        if stems and any(self._senses.explains(stems, stem) for stem in en):
            return 1.0
        best = 0.0
        for stem, weight in learned.items():
            if weight > best and any(self._senses.explains(stem, english) for english in en):
                best = weight
        return best

    def _share_of_pieces(self, zh: str, en: tuple[str, ...]) -> float:
        total = matched = 0.0
        for piece in self._pieces(fold(zh)):
            if not has_cjk(piece):
                stems = english_stems(piece)
                total += bool(stems)
                matched += bool(stems) and all(stem in en for stem in stems)
                continue
            total += len(piece)
            matched += (self._known_score(piece, en) or 0.0) * len(piece)
        return matched / total if total else 0.0

    def _cover(self, text: str) -> tuple[str, ...]:
        """Latin runs, and Han runs as the fewest known words (single characters where none fits)."""
        pieces: list[str] = []
        for run in re.finditer(rf"[{CJK}]+|[0-9A-Za-z\u0370-\u03ff]+", text):
            part = run.group()
            if not is_cjk(part[0]):
                pieces.append(part)
                continue
            best: list[tuple[str, ...] | None] = [()] + [None] * len(part)
            for start in range(len(part)):
                done = best[start]
                if done is None:
                    continue
                for end in range(start + 1, min(len(part), start + 8) + 1):
                    word = part[start:end]
                    if end - start == 1 or self.knows(word):
                        if best[end] is None or len(done) + 1 < len(best[end]):  # type: ignore[arg-type]
                            best[end] = (*done, word)
            pieces.extend(best[-1] or ())
        return tuple(pieces)


@lru_cache(maxsize=1)
def _jieba_cut():
    import jieba  # lazily: its dictionary takes half a second to load

    jieba.setLogLevel(60)
    return jieba.lcut


def _segment(zh: str) -> list[str]:
    """Words of ``zh`` as written (jieba on the simplified form, no HMM guesses); spaces and punctuation dropped."""
    simplified = to_simplified(zh)
    if len(simplified) != len(zh):
        simplified = zh
    words, offset = [], 0
    for word in _jieba_cut()(simplified, HMM=False):
        written = zh[offset : offset + len(word)]
        offset += len(word)
        if TOKEN_RE.search(written) or has_cjk(written):
            words.append(written)
    return words


# -- the default instance --------------------------------------------------------

_cache_directory: Path | None = None
_default: Lexicon | None = None
_default_lock = threading.Lock()


def configure_cache(directory: str | os.PathLike[str] | None) -> None:
    """Keep the parsed lexicon in ``directory`` (created if missing); ``None``: write no cache file.

    Call it before the first :func:`default_lexicon`, which reads or writes the file once.
    """
    global _cache_directory
    _cache_directory = Path(directory) if directory is not None else None


def _build_data() -> dict[str, object]:
    """CC-CEDICT parsed afresh, as the cache file holds it (tests replace this and ``_cedict_lines`` here)."""
    glosses = parse_cedict(_cedict_lines())
    vocabulary = {stem for stems in glosses.values() for stem in stems.split()}
    return {
        "glosses": glosses,
        "characters": derive_character_senses(glosses),
        "verbs": " ".join(sorted(parse_verbs(_cedict_lines()))),
        "vocabulary": " ".join(sorted(vocabulary)),
        "stems": known_stems(),
    }


def _load_data(directory: Path | None) -> dict[str, object]:
    """The parsed CC-CEDICT: from the cache file when there is one, else parsed (and cached if configured)."""
    path = directory / _cache_name() if directory is not None else None
    data = read_cache(path) if path is not None else None
    if data is None:
        data = _build_data()
        if path is not None:
            write_cache(path, data)
    return data


def default_lexicon() -> Lexicon:
    """The CC-CEDICT lexicon, built once per process on first use (thread-safe)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Lexicon.load(_cache_directory)
    return _default
