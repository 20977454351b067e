"""What the glossary says about a draft's abbreviations and expansions: the reads behind the writer's check.

Two questions, asked together in one query (the rulebook's ``concepts_sharing``)
plus one for the concepts' terms: which concepts an abbreviation names (its spellings folded by
:func:`~glossary.text.abbreviation_variant_key`), and which concepts an
expansion names (the English as the glossary keys it, singular or plural; the
Chinese as any ending of the text before the bracket, since where a Chinese
term starts is not marked).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Term, term_match_key
from ..models.rules import concepts_sharing, ordered_terms
from ..text import abbreviation_variant_key

__all__ = ["ConceptNames", "GlossaryView", "read_glossary"]

MAX_ZH_SUFFIX = 30  # longer Chinese terms are rare; the suffixes are looked up in one query


@dataclass
class ConceptNames:
    """A concept's names as the check quotes them: preferred first."""

    concept_id: int
    abbreviations: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)

    def label(self) -> str:
        """``HPA (下丘脑-垂体-肾上腺轴, hypothalamic-pituitary-adrenal axis)``, as much as is known."""
        names = ", ".join(n for n in (self.zh[:1] + self.en[:1]) if n)
        head = "/".join(self.abbreviations[:2]) or names
        return f"{head} ({names})" if self.abbreviations and names else head

    def related(self) -> dict:
        return {"type": "concept", "concept_id": self.concept_id, "abbreviations": self.abbreviations,
                "zh": self.zh[0] if self.zh else "", "en": self.en[0] if self.en else ""}  # fmt: skip


@dataclass
class GlossaryView:
    """The glossary's answers for one draft."""

    by_abbreviation: dict[str, set[int]]  # variant key → concepts that abbreviation names
    by_key: dict[tuple[str, str], set[int]]  # (lang, stored key) → concepts with that name
    concepts: dict[int, ConceptNames]

    def abbreviated(self, key: str) -> list[ConceptNames]:
        return [self.concepts[c] for c in sorted(self.by_abbreviation.get(key, ()))]

    def named_in_english(self, english: str) -> set[int]:
        return set().union(*(self.by_key.get(("en", k), set()) for k in english_keys(english)))

    def named_in_chinese(self, chinese: str) -> set[int]:
        return set().union(*(self.by_key.get(("zh", k), set()) for k in chinese_keys(chinese)))


def english_keys(english: str) -> set[str]:
    """The stored key of an English expansion, singular and plural: ``short-chain fatty acids``."""
    if not english.strip():
        return set()
    key = term_match_key("en", "full", english)
    keys = {key}
    if key.endswith("s") and not key.endswith("ss"):
        keys.add(key[:-1])
    elif key:
        keys.add(key + "s")
    return keys


def chinese_keys(chinese: str) -> set[str]:
    """Every ending of the text before a bracket, as a stored key: one of them may be the term."""
    if not chinese.strip():
        return set()
    key = term_match_key("zh", "full", chinese)
    return {key[-n:] for n in range(2, min(len(key), MAX_ZH_SUFFIX) + 1)}


def _abbreviation_lookup_keys(abbr: str) -> set[str]:
    keys = set()
    for form in {abbr, abbreviation_variant_key(abbr)}:
        key = term_match_key("en", "abbreviation", form)
        keys.update({key, key + "s", key[:-1] if key.endswith("s") else key})
    return {k for k in keys if k}


def read_glossary(
    session: Session, abbreviations: Iterable[str], english: Iterable[str], chinese: Iterable[str]
) -> GlossaryView:
    """Which concepts the draft's abbreviations and expansions name, with those concepts' names."""
    wanted = {abbreviation_variant_key(a) for a in abbreviations}
    abbr_keys = set().union(*(_abbreviation_lookup_keys(a) for a in abbreviations), set())
    name_keys = {("en", k) for e in english for k in english_keys(e)}
    name_keys |= {("zh", k) for c in chinese for k in chinese_keys(c)}
    by_abbreviation: dict[str, set[int]] = defaultdict(set)
    by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
    # Both questions in one read: the rulebook's concepts sharing a term.
    for concept_id, terms in concepts_sharing(session, {("abbr", k) for k in abbr_keys} | name_keys).items():
        for term in terms:
            group, key = term.group_key
            if group != "abbr":
                by_key[(group, key)].add(concept_id)
            elif (variant := abbreviation_variant_key(term.text)) in wanted:
                by_abbreviation[variant].add(concept_id)
    ids = set().union(*by_abbreviation.values(), *by_key.values(), set())
    return GlossaryView(dict(by_abbreviation), dict(by_key), _concept_names(session, ids))


def _concept_names(session: Session, ids: set[int]) -> dict[int, ConceptNames]:
    names = {concept_id: ConceptNames(concept_id) for concept_id in ids}
    if not ids:
        return names
    rows = session.execute(
        select(Term.concept_id, Term.lang, Term.kind, Term.text, Term.status, Term.id).where(
            Term.concept_id.in_(sorted(ids)), Term.status != "deprecated"
        )
    )
    for concept_id, lang, kind, text, _status, _id in ordered_terms(list(rows)):
        entry = names[concept_id]
        target = entry.abbreviations if kind == "abbreviation" else entry.zh if lang == "zh" else entry.en
        if text not in target:
            target.append(text)
    return names
