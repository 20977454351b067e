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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .boundary import Option, resolve_boundaries
from .cleanup import CleanText, clean_text
from .extract import Mention, find_mentions
from .learned import Learned, default_learned
from .lexicon import Lexicon, default_lexicon
from .occurrences import Context
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
    # Why this reading won: {"reasons": [str], "lexicon": [{"zh", "en"}], "recurrence": int}.
    # Each alternative carries the same dict under "evidence".
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``zh``, ``en``, ``abbr`` ("" when absent), confidence, count, sources, alternatives, evidence."""
        return {
            "zh": self.zh,
            "en": self.en,
            "abbr": self.abbr,
            "confidence": round(self.confidence, 3),
            "count": self.count,
            "sources": self.sources,
            "alternatives": self.alternatives,
            "evidence": self.evidence,
        }


def tidy_zh(zh: str) -> str:
    """A Chinese term as a glossary writes it: no spaces next to Han characters."""
    return SPACE_BY_CJK.sub("", zh.strip())


def tidy_en(en: str) -> str:
    """An English term with single spaces and no trailing punctuation."""
    return re.sub(r"\s+", " ", en).strip(" ,;:.")


def _confidence(options: list[Option], fit: float, kind: str) -> float:
    """How sure the miner is: the best option's share of the options' softmax, times the abbreviation's fit."""
    if kind == "keywords":
        return 0.6
    if not options:
        return 0.7 * (fit or 0.8)
    top = options[0].score
    value = 1.0 / sum(math.exp(max(-30.0, option.score - top)) for option in options)
    if len(options) == 1:
        value = 0.95
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
                "evidence": option.evidence(),
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
                    "evidence": {
                        "reasons": [f"the bracket is followed by {mention.after}"],
                        "lexicon": [],
                        "recurrence": 0,
                    },
                }
            )
    return alternatives


def read_mentions(docs: list[tuple[str, str]]) -> tuple[list[CleanText], list[Mention]]:
    """Clean each ``(name, text)`` document and find every place that defines a term."""
    cleaned = [clean_text(text) for _, text in docs]
    return cleaned, [m for index, clean in enumerate(cleaned) for m in find_mentions(index, clean)]


def boundary_contexts(mentions: list[Mention], learned: Learned | None = None) -> list[Context]:
    """``(left, en, abbr, fit)`` of each Chinese-first mention, for the boundary stage.

    A mention that gives only an abbreviation (``活性氧（ROS）``) borrows the English
    that the batch gives the same abbreviation elsewhere (an English abstract's
    ``reactive oxygen species (ROS)``), or else what the abbreviation stands for
    in other papers (:mod:`.learned`): the boundary is then aligned with
    words, not guessed from letters. The candidate itself keeps what its text says.
    """
    table = (default_learned() if learned is None else learned).expansions
    english: dict[str, str] = {}
    for m in mentions:
        if m.abbr and m.en and m.abbr_fit >= 1.0:
            english.setdefault(m.abbr, m.en)
    contexts = []
    for m in mentions:
        if m.kind != "zh_first":
            continue
        borrowed = "" if m.en or not m.abbr else english.get(m.abbr) or table.get(m.abbr)
        contexts.append((m.left, m.en or borrowed, m.abbr, m.abbr_fit or (1.0 if borrowed else 0.0)))
    return contexts


def stated_names(mentions: list[Mention]) -> list[tuple[str, str, str]]:
    """(zh, en, abbr) of the mentions whose Chinese side the text gives outright, not by a boundary guess."""
    return [(m.zh, m.en, m.abbr) for m in mentions if m.zh and m.kind != "zh_first"]


def batch_lexicon(mentions: list[Mention], known: list[tuple[str, str]], learned: Learned | None = None) -> Lexicon:
    """The lexicon for one batch: CC-CEDICT, plus what the glossary approved, the pairs the miner
    was sure of in other papers, and what the batch states outright.

    Keyword lists and Chinese written after the English pair both sides
    explicitly; they teach which Chinese words translate which English ones.
    """
    stated = [(m.zh, m.en) for m in mentions if m.zh and m.en]
    base = _learned_lexicon(default_learned() if learned is None else learned)
    return base.learn(known + stated) if known or stated else base


@lru_cache(maxsize=4)
def _learned_lexicon(learned: Learned) -> Lexicon:
    """CC-CEDICT and what the pairs from other papers teach: the same for every batch, so learned once."""
    return default_lexicon().learn(learned.pairs) if learned.pairs else default_lexicon()


GUESS_BELOW = 0.5  # with an abbreviation alone, a boundary this unsure is more often wrong than right
CONFIDENT_SHARE = 0.8  # a first reading this sure teaches the lexicon before the second reading


def rank_batch(
    mentions: list[Mention],
    contexts: list[Context],
    texts: list[str],
    known: list[tuple[str, str]],
    weights: dict[str, float] | None = None,
    learned: Learned | None = None,
) -> list[list[Option]]:
    """The ranked boundary options of every Chinese-first mention (``contexts``: their
    :func:`boundary_contexts`), read with :func:`reading_lexicon`."""
    lexicon = reading_lexicon(mentions, contexts, texts, known, weights, learned)
    return resolve_boundaries(
        contexts, texts, lexicon=lexicon, known=known, weights=weights, stated=stated_names(mentions)
    )


def reading_lexicon(
    mentions: list[Mention],
    contexts: list[Context],
    texts: list[str],
    known: list[tuple[str, str]],
    weights: dict[str, float] | None = None,
    learned: Learned | None = None,
) -> Lexicon:
    """The lexicon for the batch's final reading: :func:`batch_lexicon`, then what a first reading teaches.

    The first reading's confident pairs (one option far ahead of the rest)
    teach the lexicon what this batch's words mean (黏膜 for *mucosal* in
    ``黏膜免疫（mucosal immunity）``); the final reading uses that.
    """
    stated = stated_names(mentions)
    lexicon = batch_lexicon(mentions, known, learned)
    first = resolve_boundaries(contexts, texts, lexicon=lexicon, known=known, weights=weights, stated=stated)
    confident = [
        (options[0].zh, en)
        for (_, en, _, _), options in zip(contexts, first, strict=True)
        if en and options and _share(options) >= CONFIDENT_SHARE
    ]
    return lexicon.learn(confident) if confident else lexicon


def _evidence(mention: Mention, options: list[Option], borrowed: str) -> dict[str, Any]:
    """What the review queue shows of why: the chosen reading's evidence, and any English borrowed."""
    if not options:
        return {"reasons": [f"written as a {mention.kind} definition"], "lexicon": [], "recurrence": 0}
    evidence = options[0].evidence()
    if borrowed:
        evidence["reasons"] = [f"{mention.abbr} is defined elsewhere as {borrowed}", *options[0].reasons]
    return evidence


def _share(options: list[Option]) -> float:
    top = options[0].score
    return 1.0 / sum(math.exp(max(-30.0, option.score - top)) for option in options)


def mine_texts(
    docs: list[tuple[str, str]],
    *,
    known_pairs: Iterable[tuple[str, str]] = (),
    weights: dict[str, float] | None = None,
    learned: Learned | None = None,
) -> list[Candidate]:
    """Mine ``(name, text)`` documents together: evidence crosses documents.

    ``known_pairs`` are (zh, en) pairs a curator has approved; the miner learns
    from them which Chinese words translate which English words. ``weights``
    replaces the shipped boundary weights and ``learned`` the shipped evidence
    from other papers (:mod:`.learned`; the fitting script sets both).
    """
    cleaned, mentions = read_mentions(docs)
    chinese_first = [m for m in mentions if m.kind == "zh_first"]
    known = list(known_pairs)
    contexts = boundary_contexts(mentions, learned)
    ranked = rank_batch(mentions, contexts, [c.text for c in cleaned], known, weights, learned)
    options_of = {id(m): options for m, options in zip(chinese_first, ranked, strict=True)}
    # The English an abbreviation alone borrowed (from the batch or other papers): a curator is told.
    borrowed = {id(m): en for m, (_, en, _, _) in zip(chinese_first, contexts, strict=True) if en != m.en}
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
        if mention.kind == "zh_first" and not mention.en and confidence < GUESS_BELOW:
            continue  # an abbreviation alone whose Chinese start is a guess: not worth a curator's time
        candidate = Candidate(
            zh=tidy_zh(zh),
            en=tidy_en(mention.en),
            abbr=mention.abbr,
            confidence=confidence,
            sources=[_source(name, clean, start, mention.end)],
            alternatives=_alternatives(mention, options, confidence),
            evidence=_evidence(mention, options, borrowed.get(id(mention), "")),
        )
        for part in split_coordination(candidate):
            _merge(merged, part)
    return _fold_partial_candidates(list(merged.values()))


ZH_CONJUNCTION = re.compile(f"(?<=[{CJK}A-Za-z0-9])(?:与|與|和|及|或|、)(?=[{CJK}])")
EN_CONJUNCTION = re.compile(r"\s+(?:and|or|&)\s+|\s*/\s*(?=[A-Za-z])", re.IGNORECASE)


def split_coordination(candidate: Candidate) -> list[Candidate]:
    """``受精与着床 (Fertilization and Implantation)`` names two concepts: one candidate each.

    Only where both sides coordinate the same number of parts and no
    abbreviation names the whole (``食品与药物管理局 (Food and Drug
    Administration, FDA)`` is one body).
    """
    if candidate.abbr or not candidate.en or not candidate.zh:
        return [candidate]
    zh_parts = ZH_CONJUNCTION.split(candidate.zh)
    en_parts = EN_CONJUNCTION.split(candidate.en)
    if len(zh_parts) < 2 or len(zh_parts) != len(en_parts) or any(len(part) < 2 for part in zh_parts + en_parts):
        return [candidate]
    return [
        Candidate(
            zh=zh,
            en=en,
            abbr="",
            confidence=candidate.confidence * 0.9,
            count=candidate.count,
            sources=list(candidate.sources),
            alternatives=[],
            evidence={
                **candidate.evidence,
                "reasons": [*candidate.evidence.get("reasons", []), f"split from the coordination {candidate.zh}"],
            },
        )
        for zh, en in zip(zh_parts, en_parts, strict=True)
    ]


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
