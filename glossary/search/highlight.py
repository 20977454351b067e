"""What the search page shows for a hit, with the part that matched marked.

Pure presentation data: each field becomes a list of ``(text, marked)`` pieces
that the template prints with autoescaping, wrapping marked pieces in
``<mark>``. Matching positions are found on a folded copy of the displayed text
that has the same length (case, dashes, simplified script), so a mark always
lands on the characters the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text import to_simplified
from .annotate import fold_for_matching
from .concept_search import Hit
from .documents import ConceptReading, read_concept
from .query import parse_query

__all__ = ["ResultView", "mark", "result_views"]

Pieces = list[tuple[str, bool]]


def mark(display: str | None, needle: str, fold=fold_for_matching) -> Pieces:
    """``display`` split around the first place where ``needle`` occurs (after folding both)."""
    if not display:
        return []
    folded = fold(display)
    at = folded.find(needle) if needle and len(folded) == len(display) else -1
    if at < 0:
        return [(display, False)]
    end = at + len(needle)
    return [(p, m) for p, m in ((display[:at], False), (display[at:end], True), (display[end:], False)) if p]


def _whole(display: str | None, marked: bool) -> Pieces:
    return [(display, marked)] if display else []


def _zh_fold(text: str) -> str:
    simplified = to_simplified(text)
    return fold_for_matching(simplified if len(simplified) == len(text) else text)


@dataclass(frozen=True)
class ResultView:
    concept: ConceptReading
    match_kind: str
    zh: Pieces
    other_script: Pieces
    pinyin: Pieces
    en: Pieces
    abbreviations: list[Pieces]
    matched_elsewhere: str | None


def result_views(hits: list[Hit], query: str, script: str = "zh-Hans") -> list[ResultView]:
    """One view per hit; ``script="zh-Hant"`` shows Chinese in traditional script first."""
    keys = parse_query(query)
    views = []
    for hit in hits:
        doc = read_concept(hit.concept)
        traditional = script == "zh-Hant"
        zh_text, other = (doc.zh_hant, doc.zh) if traditional else (doc.zh, doc.zh_hant)
        field = hit.field
        zh = mark(zh_text, keys.zh, _zh_fold) if field == "zh" else _whole(zh_text, False)
        en_needle = (
            fold_for_matching(keys.text) if hit.match_kind != "word_prefix" else (keys.words[0] if keys.words else "")
        )
        en = mark(doc.en, en_needle) if field == "en" and hit.match_kind != "fuzzy" else _whole(doc.en, field == "en")
        abbreviations = [
            _whole(a, field == "abbr" and hit.matched_term is not None and a == hit.matched_term.text)
            for a in doc.abbreviations
        ]
        matched = hit.matched_term.text if hit.matched_term is not None else None
        shown = {doc.zh, doc.zh_hant, doc.en, *doc.abbreviations}
        views.append(
            ResultView(
                concept=doc,
                match_kind=hit.match_kind,
                zh=zh,
                other_script=_whole(other, False) if other != zh_text else [],
                pinyin=_whole(doc.pinyin, field in ("pinyin", "initials")),
                en=en,
                abbreviations=abbreviations,
                matched_elsewhere=matched if matched and matched not in shown else None,
            )
        )
    return views
