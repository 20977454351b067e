"""Candidates: merged term pairs with confidence, sources and alternatives.

Each mention becomes a candidate (zh, en, abbr); the same candidate found again,
in the same or another document, is merged: its count grows, its sources
accumulate, its confidence rises. A mention that gives only an abbreviation
(``5-羟色胺（5-HT）``) joins the candidate that also has the English, when one
exists. Keys fold traditional to simplified, so both scripts merge.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .boundary import Option, resolve_boundaries
from .cleanup import CleanText, clean_text
from .extract import Mention, find_mentions
from .textforms import CJK, en_key, zh_key

__all__ = ["Candidate", "mine_texts"]

# Heads that often follow the bracket: …（hypothalamic-pituitary-adrenal，HPA）轴.
HEAD_NOUNS = {
    "轴": "axis",
    "受体": "receptor",
    "基因": "gene",
    "通路": "pathway",
    "蛋白": "protein",
    "细胞": "cell",
    "因子": "factor",
    "酶": "enzyme",
    "病": "disease",
    "症": "syndrome",
}
ALTERNATIVE_MARGIN = 4.0
SPACE_BY_CJK = re.compile(f"(?<=[{CJK}]) +| +(?=[{CJK}])")


@dataclass
class Candidate:
    """A proposed glossary entry and the evidence for it."""

    zh: str
    en: str
    abbr: str
    confidence: float
    count: int = 1
    sources: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``zh``, ``en``, ``abbr`` ("" when absent), confidence, count, sources, alternatives."""
        return {
            "zh": self.zh,
            "en": self.en,
            "abbr": self.abbr,
            "confidence": round(self.confidence, 3),
            "count": self.count,
            "sources": self.sources,
            "alternatives": self.alternatives,
        }


def tidy_zh(zh: str) -> str:
    """A Chinese term as a glossary writes it: no spaces next to Han characters."""
    return SPACE_BY_CJK.sub("", zh.strip())


def tidy_en(en: str) -> str:
    """An English term with single spaces and no trailing punctuation."""
    return re.sub(r"\s+", " ", en).strip(" ,;:.")


def _confidence(options: list[Option], fit: float, kind: str) -> float:
    if kind == "keywords":
        return 0.6
    if not options:
        return 0.7 * (fit or 0.8)
    top = options[0].score
    second = options[1].score if len(options) > 1 else top - 3.0
    value = 1.0 / (1.0 + math.exp(-(top + (top - second)) / 2.5))
    if fit:
        value *= 0.8 + 0.2 * fit
    return min(0.99, max(0.05, value))


def _source(name: str, clean: CleanText, start: int, end: int) -> dict[str, Any]:
    source_start, source_end = clean.source_span(start, end)
    return {"file": name, "start": source_start, "end": source_end, "sentence": clean.sentence_at(start, end)}


def _alternatives(mention: Mention, options: list[Option], confidence: float) -> list[dict[str, Any]]:
    alternatives = []
    top = options[0].score if options else 0.0
    for option in options[1:4]:
        if option.score < top - ALTERNATIVE_MARGIN:
            break  # far below the best: noise, not an alternative a reviewer should weigh
        alternatives.append(
            {
                "zh": tidy_zh(option.zh),
                "en": tidy_en(mention.en),
                "abbr": mention.abbr,
                "confidence": round(confidence * math.exp(-(top - option.score) / 2.0), 3),
            }
        )
    if options and mention.after:
        head = mention.after.lstrip("-\u2010\u2011\u2013")
        english_head = HEAD_NOUNS.get(head) or (head if head[:1].isdigit() else "")
        if english_head:
            joiner = "-" if mention.after[:1] in "-\u2010\u2011\u2013" else " "
            alternatives.append(
                {
                    "zh": tidy_zh(options[0].zh) + mention.after,
                    "en": (tidy_en(mention.en) + joiner + english_head) if mention.en else "",
                    "abbr": mention.abbr,
                    "confidence": round(confidence * 0.6, 3),
                }
            )
    return alternatives


def mine_texts(docs: list[tuple[str, str]]) -> list[Candidate]:
    """Mine ``(name, text)`` documents together: evidence crosses documents."""
    cleaned = [clean_text(text) for _, text in docs]
    mentions = [m for index, clean in enumerate(cleaned) for m in find_mentions(index, clean)]
    chinese_first = [m for m in mentions if m.kind == "zh_first"]
    ranked = resolve_boundaries([(m.left, m.en, m.abbr, m.abbr_fit) for m in chinese_first], [c.text for c in cleaned])
    options_of = {id(m): options for m, options in zip(chinese_first, ranked, strict=True)}
    merged: dict[tuple[str, str, str], Candidate] = {}
    for mention in mentions:
        name, clean = docs[mention.doc][0], cleaned[mention.doc]
        options = options_of.get(id(mention), [])
        if mention.kind == "zh_first":
            if not options:
                continue
            zh, start = options[0].zh, mention.start + options[0].start
        else:
            zh, start = mention.zh, mention.start
        confidence = _confidence(options, mention.abbr_fit, mention.kind)
        candidate = Candidate(
            zh=tidy_zh(zh),
            en=tidy_en(mention.en),
            abbr=mention.abbr,
            confidence=confidence,
            sources=[_source(name, clean, start, mention.end)],
            alternatives=_alternatives(mention, options, confidence),
        )
        _merge(merged, candidate)
    return _fold_partial_candidates(list(merged.values()))


def _key(candidate: Candidate) -> tuple[str, str, str]:
    return zh_key(candidate.zh), en_key(candidate.en), candidate.abbr


def _merge(merged: dict[tuple[str, str, str], Candidate], candidate: Candidate) -> None:
    key = _key(candidate)
    existing = merged.get(key)
    if existing is None:
        merged[key] = candidate
        return
    existing.count += candidate.count
    existing.sources.extend(candidate.sources)
    existing.confidence = min(0.99, 1 - (1 - existing.confidence) * (1 - candidate.confidence))
    seen = {(a["zh"], a["en"], a["abbr"]) for a in existing.alternatives}
    existing.alternatives.extend(a for a in candidate.alternatives if (a["zh"], a["en"], a["abbr"]) not in seen)


def _absorb(target: Candidate, candidate: Candidate) -> None:
    target.count += candidate.count
    target.sources.extend(candidate.sources)
    target.confidence = min(0.99, 1 - (1 - target.confidence) * (1 - candidate.confidence))


def _fold_partial_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """A candidate missing a part joins the one that has it: one concept, one line.

    ``5-羟色胺（5-HT）`` joins ``5-羟色胺（5-hydroxytryptamine, 5-HT）``, and a keyword
    pair (心房颤动, atrial fibrillation) joins the same pair defined with ``AF``.
    """
    by_zh_abbr: dict[tuple[str, str], Candidate] = {}
    by_zh_en: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        if candidate.en and candidate.zh and candidate.abbr:
            by_zh_abbr.setdefault((zh_key(candidate.zh), candidate.abbr), candidate)
            by_zh_en.setdefault((zh_key(candidate.zh), en_key(candidate.en)), candidate)
    kept = []
    for candidate in candidates:
        target = None
        if candidate.zh and candidate.abbr and not candidate.en:
            target = by_zh_abbr.get((zh_key(candidate.zh), candidate.abbr))
        elif candidate.zh and candidate.en and not candidate.abbr:
            target = by_zh_en.get((zh_key(candidate.zh), en_key(candidate.en)))
        if target is not None:
            _absorb(target, candidate)
        else:
            kept.append(candidate)
    kept.sort(key=lambda c: (-c.confidence, zh_key(c.zh), c.en))
    return kept
