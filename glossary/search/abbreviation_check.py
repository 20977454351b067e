"""The writer's abbreviation check: what a draft uses, defines, and how.

Definitions are read in the three shapes Chinese biomedical writing uses:
``中文（English，ABBR）``, ``中文（ABBR）`` and ``English words (ABBR)``, with
either full-width or ASCII brackets and commas. A *use* is any abbreviation-
shaped token (two or more capitals, digits and Greek allowed: ``HPA``,
``IL-1β``, ``NF-κB``, ``SCFAs``) outside a definition's brackets.

The report lists, each with code-point offsets into the text and a message:
``undefined`` (used, never defined), ``used_before_definition``,
``defined_twice``, ``differs_from_glossary`` (the glossary knows the
abbreviation, but neither the Chinese nor the English given matches it) and
``unused`` (defined, never used afterwards). Finding definitions and uses is
pure; only the glossary comparison reads the database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Term
from ..textkeys import abbr_key, english_key, zh_key

__all__ = ["ISSUE_KINDS", "Definition", "Use", "check_abbreviations", "find_definitions", "find_uses"]

ISSUE_KINDS = ("undefined", "used_before_definition", "defined_twice", "differs_from_glossary", "unused")
_ABBR = r"[A-Za-z0-9\u0370-\u03ff][A-Za-z0-9\u0370-\u03ff\-/+]{0,14}"
_DEFINITION_RE = re.compile(
    r"(?P<before>[\u3400-\u9fff\w\-\s,’'/]{0,80}?)"
    r"[（(]\s*(?:(?P<en>[A-Za-z][^（）()，,；;。]{1,120}?)\s*[，,；;]\s*)?"
    rf"(?P<abbr>{_ABBR})\s*[）)]"
)
_TOKEN_RE = re.compile(rf"(?<![A-Za-z0-9\u0370-\u03ff\-]){_ABBR}(?![A-Za-z0-9\u0370-\u03ff])")
_CJK_TAIL_RE = re.compile(r"[\u3400-\u9fff0-9A-Za-z\u0370-\u03ff\-]+$")
_EN_TAIL_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-\s,’']*$")
# Abbreviations no biomedical editor asks to be spelled out.
_WELL_KNOWN = frozenset({"DNA", "RNA", "mRNA", "PCR", "ATP", "USA", "UK", "WHO", "AIDS", "HIV", "II", "III", "IV",
                         "VI", "VII", "VIII", "IX", "XI", "XII", "OK", "CI", "SD", "OR", "HR"})


def _is_abbreviation(token: str) -> bool:
    capitals = sum(1 for c in token if "A" <= c <= "Z")
    return capitals >= 2 or (capitals >= 1 and any(c.isdigit() or "\u0370" <= c <= "\u03ff" for c in token))


@dataclass(frozen=True)
class Definition:
    abbr: str
    start: int
    end: int
    zh: str
    en: str


@dataclass(frozen=True)
class Use:
    abbr: str
    start: int
    end: int


def _expansion_words(before: str, abbr: str) -> str:
    """The English words before ``(ABBR)``: as many word parts as the abbreviation has letters."""
    tail = _EN_TAIL_RE.search(before)
    if not tail:
        return ""
    words = tail.group(0).replace(",", " ").split()
    wanted = max(1, sum(1 for c in abbr if c.isalpha() and c.isupper()))
    kept: list[str] = []
    parts = 0
    while words and parts < wanted:
        word = words.pop()
        kept.insert(0, word)
        parts += len([p for p in word.split("-") if p])
    return " ".join(kept)


def find_definitions(text: str) -> list[Definition]:
    """Every ``…（English，ABBR）`` / ``…（ABBR）`` / ``English (ABBR)`` in the text, in order."""
    found = []
    for m in _DEFINITION_RE.finditer(text):
        abbr = m.group("abbr").rstrip("-/+")
        if not _is_abbreviation(abbr):
            continue
        before = m.group("before") or ""
        zh_tail = _CJK_TAIL_RE.search(before.rstrip())
        zh = zh_tail.group(0) if zh_tail and re.search(r"[\u3400-\u9fff]", zh_tail.group(0)) else ""
        en = (m.group("en") or "").strip()
        if not en and not zh:
            en = _expansion_words(before, abbr)
        if not (zh or en):
            continue
        found.append(Definition(abbr, m.start("abbr"), m.start("abbr") + len(abbr), zh, en))
    return found


def find_uses(text: str, definitions: list[Definition]) -> list[Use]:
    """Abbreviation-shaped tokens that are not the abbreviation of a definition."""
    defined_at = {d.start for d in definitions}
    uses = []
    for m in _TOKEN_RE.finditer(text):
        token = m.group(0).rstrip("-/+")
        if m.start() in defined_at or token in _WELL_KNOWN or not _is_abbreviation(token):
            continue
        uses.append(Use(token, m.start(), m.start() + len(token)))
    return uses


def _glossary_expansions(session: Session, abbreviations: set[str]) -> dict[str, dict[str, set[str]]]:
    """abbr key → {"zh": zh keys, "en": en keys, "texts": expansions as written} from the glossary."""
    keys = {abbr_key(a) for a in abbreviations}
    if not keys:
        return {}
    rows = session.execute(select(Term.key, Term.concept_id).where(
        Term.kind == "abbreviation", Term.key.in_(list(keys)))).all()
    concept_keys: dict[int, str] = {r.concept_id: r.key for r in rows}
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"zh": set(), "en": set(), "texts": set()})
    if concept_keys:
        for term in session.execute(select(Term.concept_id, Term.lang, Term.kind, Term.key, Term.text).where(
                Term.concept_id.in_(list(concept_keys)), Term.kind != "abbreviation")):
            entry = found[concept_keys[term.concept_id]]
            entry[term.lang].add(term.key)
            entry["texts"].add(term.text)
    return found


def _issue(kind: str, abbr: str, start: int, end: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "abbreviation": abbr, "start": start, "end": end, "message": message, **extra}


def _matches_glossary(definition: Definition, known: dict[str, set[str]]) -> bool:
    if definition.zh and any(zh_key(definition.zh).endswith(k) for k in known["zh"]):
        return True
    en = english_key(definition.en)
    return bool(en) and any(en == k or en.endswith(" " + k) for k in known["en"])


def check_abbreviations(session: Session, text: str) -> list[dict[str, Any]]:
    """The report for a draft: issues in text order, each with offsets and a plain message."""
    definitions = find_definitions(text)
    uses = find_uses(text, definitions)
    by_abbr: dict[str, list[Definition]] = defaultdict(list)
    for d in definitions:
        by_abbr[d.abbr].append(d)
    glossary = _glossary_expansions(session, {d.abbr for d in definitions} | {u.abbr for u in uses})
    issues: list[dict[str, Any]] = []
    first_use: dict[str, Use] = {}
    for use in uses:
        first_use.setdefault(use.abbr, use)
    for abbr, use in first_use.items():
        defs = by_abbr.get(abbr)
        if not defs:
            known = glossary.get(abbr_key(abbr))
            hint = f" The glossary has: {'; '.join(sorted(known['texts']))}." if known else ""
            issues.append(_issue("undefined", abbr, use.start, use.end,
                                 f"{abbr} is used but never defined in this text.{hint}"))
        elif use.start < defs[0].start:
            issues.append(_issue("used_before_definition", abbr, use.start, use.end,
                                 f"{abbr} is used here before its definition further on.",
                                 definition_start=defs[0].start))
    for abbr, defs in by_abbr.items():
        for again in defs[1:]:
            issues.append(_issue("defined_twice", abbr, again.start, again.end,
                                 f"{abbr} is defined again here; it was already defined earlier.",
                                 first_definition_start=defs[0].start))
        known = glossary.get(abbr_key(abbr))
        for d in defs:
            if known and not _matches_glossary(d, known):
                given = "，".join(x for x in (d.zh, d.en) if x)
                issues.append(_issue("differs_from_glossary", abbr, d.start, d.end,
                                     f"{abbr} is defined here as “{given}”, but the glossary has: "
                                     f"{'; '.join(sorted(known['texts']))}.", glossary=sorted(known["texts"])))
        if not any(u.abbr == abbr and u.start > defs[0].end for u in uses):
            issues.append(_issue("unused", abbr, defs[0].start, defs[0].end,
                                 f"{abbr} is defined but never used afterwards; the definition could go."))
    issues.sort(key=lambda i: (i["start"], ISSUE_KINDS.index(i["kind"])))
    return issues
