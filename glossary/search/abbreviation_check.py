"""The writer's abbreviation check: what a draft defines and uses, against itself and the glossary.

Definitions are read by the miner's grammar (:func:`glossary.mining.definitions.read_definitions`),
so the check and the miner agree on every order, bracket width and script. A
*use* is a token the shared predicate (:func:`glossary.text.looks_like_abbreviation`)
calls an abbreviation, or any spelling of a defined one; spellings are one
abbreviation when their :func:`~glossary.text.abbreviation_variant_key` agree
(``SCFA``/``SCFAs``, ``NF-κB``/``NF-kB``). Labels, units, formulas, numerals,
strain names (:mod:`glossary.text.notation`) and parts of a defined abbreviation
are not uses; the admin's well-known list (DNA, PCR…) is reported as info.

Each part of the draft (:func:`glossary.text.drafts.draft_parts`: an abstract
per language, the body) is checked on its own; titles and references are not.
Every item has a severity, a kind, code-point offsets into the draft as sent
(the page and the API agree), the line and column people read, and
``related``: the other place in the draft, or the glossary concept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..errors import ServiceError
from ..mining.definitions import read_definitions
from ..text import CJK, GREEK, abbreviation_variant_key, looks_like_abbreviation
from ..text.drafts import DraftPart, draft_parts, keyword_lines
from ..text.notation import is_notation, label_spans
from .check_glossary import GlossaryView, read_glossary
from .well_known import well_known

__all__ = ["CHECKED_PARTS", "ISSUE_KINDS", "SEVERITIES", "check_draft"]

SEVERITIES = ("error", "warning", "info")
ISSUE_KINDS = {
    "used_before_definition": "error",
    "expansion_of_other": "error",  # the glossary gives this expansion to another abbreviation
    "near_miss": "warning",  # a letter off the glossary's abbreviation for this expansion
    "differs_from_glossary": "warning",  # the glossary knows the abbreviation with other senses
    "defined_twice": "warning",
    "undefined": "warning",
    "unused": "info",
    "mixed_variants": "info",
    "well_known": "info",
}
CHECKED_PARTS = ("abstract", "body")
_WORD = f"A-Za-z0-9{GREEK}"
TOKEN = re.compile(f"(?<![{_WORD}\\-\u2010\u2011])[{_WORD}]+(?:[-\u2010\u2011\u2013/][{_WORD}]+)*")
WORD_TAIL = re.compile(r"[-\u2010\u2011\u2013][a-z]{3,}$")  # NF-κB-mediated, IL-6-induced
OPENING = re.compile(r"[(（]")
CHINESE_HEAD = re.compile(f"[{CJK}]+$")
# Section headings and labels some drafts write in capitals.
HEADINGS = frozenset(
    "ABSTRACT BACKGROUND OBJECTIVE OBJECTIVES AIM AIMS PURPOSE METHODS METHOD RESULTS RESULT CONCLUSION "
    "CONCLUSIONS INTRODUCTION DISCUSSION REFERENCES KEYWORDS FINDINGS TABLE FIGURE NOTE".split()
)


@dataclass(frozen=True)
class Place:
    abbr: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Defined(Place):
    en: str = ""
    chinese: str = ""


class _Report:
    """Issues of one draft, with the draft's line starts for people's line and column."""

    def __init__(self, text: str) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.issues: list[dict[str, Any]] = []

    def where(self, pos: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    def place(self, place: Place) -> dict[str, Any]:
        line, column = self.where(place.start)
        return {"type": "place", "abbr": place.abbr, "start": place.start, "end": place.end,
                "line": line, "column": column}  # fmt: skip

    def add(self, kind: str, at: Place, message: str, related: list[dict[str, Any]], part: DraftPart) -> None:
        line, column = self.where(at.start)
        self.issues.append({
            "severity": ISSUE_KINDS[kind], "kind": kind, "abbr": at.abbr, "message": message,
            "start": at.start, "end": at.end, "line": line, "column": column,
            "part": {"kind": part.kind, "lang": part.lang}, "related": related,
        })  # fmt: skip


def _definitions(text: str, part: DraftPart) -> tuple[list[Defined], list[tuple[int, int]]]:
    """The part's abbreviation definitions (absolute offsets) and the spans uses are not read in."""
    piece = text[part.start : part.end]
    found, shielded, seen = [], [], set()
    for d in read_definitions(piece):
        start, end = part.start + d.start, part.start + d.end
        if d.kind in ("zh_first", "alias"):
            opening = [m.start() for m in OPENING.finditer(piece, d.start, d.end)]
            shielded.append((part.start + opening[-1], end) if opening else (start, end))
        else:
            shielded.append((start, end))
        if not d.abbr or d.abbr_start < 0 or d.kind == "keywords":
            continue
        span = (part.start + d.abbr_start, part.start + d.abbr_end)
        shielded.append(span)
        if span in seen:
            continue
        seen.add(span)
        found.append(Defined(d.abbr, abbreviation_variant_key(d.abbr), *span, en=d.en, chinese=d.chinese))
    return sorted(found, key=lambda d: d.start), shielded


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted and joined where they overlap, so one binary search tells whether a token is inside one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _tokens(text: str, part: DraftPart, shielded: list[tuple[int, int]]):
    """``(abbr, start, end)`` of every abbreviation-shaped token in the part, outside definitions and labels."""
    piece = text[part.start : part.end]
    lists = label_spans(piece) + keyword_lines(piece)
    blocked = _merged(shielded + [(part.start + a, part.start + b) for a, b in lists])
    blocked_starts = [a for a, _ in blocked]
    for match in TOKEN.finditer(piece):
        start, end = part.start + match.start(), part.start + match.end()
        index = bisect_right(blocked_starts, start) - 1
        if index >= 0 and end <= blocked[index][1]:
            continue
        token = match.group(0)
        while WORD_TAIL.search(token) and not looks_like_abbreviation(token):
            token = WORD_TAIL.sub("", token)
        yield token, start, start + len(token)


def _split_pathway(token: str, start: int) -> list[tuple[str, int]]:
    """``PI3K/Akt`` → its parts, each an abbreviation of its own; ``C57BL/6J`` and ``db/db`` stay whole."""
    if "/" not in token or is_notation(token):
        return [(token, start)]
    parts, offset = [], start
    for part in token.split("/"):
        parts.append((part, offset))
        offset += len(part) + 1
    return parts


def _read_part(text: str, part: DraftPart, known: dict[str, str]):
    """Definitions, uses of defined abbreviations, and the other abbreviation-shaped tokens of one part."""
    definitions, shielded = _definitions(text, part)
    defined = {d.key for d in definitions}
    pieces = {abbreviation_variant_key(p) for d in definitions for p in re.split(r"[-\u2010\u2011\u2013]", d.abbr)}
    pieces -= defined  # κB of a defined NF-κB is no abbreviation of its own
    uses, undefined, familiar = [], [], []
    for token, start, end in _tokens(text, part, shielded):
        for abbr, at in _split_pathway(token, start):
            key = abbreviation_variant_key(abbr)
            place = Place(abbr, key, at, at + len(abbr))
            if key in defined:
                uses.append(place)
            elif not looks_like_abbreviation(abbr) or abbr in HEADINGS or key in pieces:
                continue
            elif is_notation(abbr, text[at + len(abbr) : end + 3]):
                continue
            elif key in known:
                familiar.append(place)
            else:
                undefined.append(place)
    return definitions, uses, undefined, familiar


def _bare(abbr: str) -> str:
    return CHINESE_HEAD.sub("", abbr)


def _quote(definition: Defined) -> str:
    """What the draft gives as the expansion: the English, else the Chinese just before the bracket."""
    return definition.en or f"…{definition.chinese[-12:]}"


def _one_letter_apart(one: str, other: str) -> bool:
    """Whether one is the other with a letter more: ACH and ACTH (a different letter is another abbreviation)."""
    short, long = sorted((one, other), key=len)
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _against_glossary(report: _Report, part: DraftPart, d: Defined, glossary: GlossaryView) -> None:
    own = {c.concept_id for c in glossary.abbreviated(d.key)}
    # The English and the Chinese are checked apart: 下丘脑-垂体-甲状腺轴 may be HPT's while the
    # English given beside it is HPA's.
    sides = [side for side in (glossary.named_in_english(d.en), glossary.named_in_chinese(d.chinese)) if side]
    conflicting = set().union(*(side - own for side in sides if not side & own), set())
    others = [glossary.concepts[c] for c in sorted(conflicting) if glossary.concepts[c].abbreviations]
    near = [(c, a) for c in others for a in c.abbreviations if _one_letter_apart(d.key, abbreviation_variant_key(a))]
    wrong = [c for c in others if c not in [n for n, _ in near]]
    given = _quote(d)
    if wrong:
        concept = wrong[0]
        report.add(
            "expansion_of_other",
            d,
            f"{d.abbr} is defined as “{given}”, but the glossary gives that "
            f"expansion to {concept.abbreviations[0]}: {concept.label()}. One of the two is wrong.",
            [c.related() for c in wrong] + [c.related() for c in glossary.abbreviated(d.key)],
            part,
        )
    elif near:
        concept, abbr = near[0]
        report.add(
            "near_miss",
            d,
            f"{d.abbr} is defined as “{given}”, which the glossary abbreviates {abbr}: did you mean {abbr}?",
            [concept.related()],
            part,
        )
    elif own and not any(side & own for side in sides):
        senses = "; ".join(c.label() for c in glossary.abbreviated(d.key))
        report.add(
            "differs_from_glossary",
            d,
            f"{d.abbr} is defined here as “{given}”; in the glossary {d.abbr} stands for: {senses}.",
            [c.related() for c in glossary.abbreviated(d.key)],
            part,
        )


def _check_part(report: _Report, part: DraftPart, read, glossary: GlossaryView, known: dict[str, str]) -> None:
    definitions, uses, undefined, familiar = read
    first_definition: dict[str, Defined] = {}
    for d in definitions:
        first = first_definition.setdefault(d.key, d)
        if first is not d:
            line, column = report.where(first.start)
            report.add(
                "defined_twice",
                d,
                f"{d.abbr} is defined again here; it was first defined at line {line}, column {column}.",
                [report.place(first)],
                part,
            )
    uses_of: dict[str, list[Place]] = defaultdict(list)
    for use in uses:
        uses_of[use.key].append(use)
    for key, d in first_definition.items():
        _against_glossary(report, part, d, glossary)
        mine = uses_of[key]
        early = [u for u in mine if u.start < d.start]
        if early:
            report.add(
                "used_before_definition",
                early[0],
                f"{early[0].abbr} is used here before its definition (line {report.where(d.start)[0]}).",
                [report.place(d)],
                part,
            )
        if not any(u.start > d.end for u in mine):
            report.add(
                "unused", d, f"{d.abbr} is defined but not used again in this part; the definition could go.", [], part
            )
    by_key: dict[str, list[Place]] = defaultdict(list)
    for place in undefined:
        by_key[place.key].append(place)
    for key, places in by_key.items():
        concepts = glossary.abbreviated(key)
        hint = f" The glossary has: {'; '.join(c.label() for c in concepts)}." if concepts else ""
        times = f" ({len(places)} times)" if len(places) > 1 else ""
        report.add(
            "undefined",
            places[0],
            f"{places[0].abbr} is used{times} but never defined in this part.{hint}",
            [c.related() for c in concepts],
            part,
        )
    for key in dict.fromkeys(p.key for p in familiar):
        place = next(p for p in familiar if p.key == key)
        report.add(
            "well_known",
            place,
            f"{place.abbr} is on the list of well-known abbreviations; it may stay unexpanded.",
            [],
            part,
        )
    spellings: dict[str, list[Place]] = defaultdict(list)
    for place in sorted([*definitions, *uses], key=lambda p: p.start):
        # NKT细胞 and NKT are one spelling: the Chinese head noun is not part of it
        if all(_bare(place.abbr) != _bare(p.abbr) for p in spellings[place.key]):
            spellings[place.key].append(place)
    for places in spellings.values():
        if len(places) > 1:
            written = " and ".join(p.abbr for p in places)
            report.add(
                "mixed_variants",
                places[1],
                f"{written} are written for one abbreviation in this part; one spelling reads better.",
                [report.place(places[0])],
                part,
            )


def check_draft(session: Session, text: str) -> dict[str, Any]:
    """The report: ``results`` (errors first, then warnings, then info; in text order within each),
    ``counts`` by severity and the draft's ``parts``. An empty draft is refused (400)."""
    if not text.strip():
        raise ServiceError("The draft is empty: paste the text to check.", code="empty_draft")
    known = well_known(session)
    parts = draft_parts(text)
    checked = [(part, _read_part(text, part, known)) for part in parts if part.kind in CHECKED_PARTS]
    definitions = [d for _, (defs, *_rest) in checked for d in defs]
    undefined = [p.abbr for _, (_d, _u, undef, _f) in checked for p in undef]
    glossary = read_glossary(
        session,
        [d.abbr for d in definitions] + undefined,
        [d.en for d in definitions if d.en],
        [d.chinese for d in definitions if d.chinese],
    )
    report = _Report(text)
    for part, read in checked:
        _check_part(report, part, read, glossary, known)
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    report.issues.sort(key=lambda i: (order[i["severity"]], i["start"], i["kind"]))
    counts = {severity: sum(1 for i in report.issues if i["severity"] == severity) for severity in SEVERITIES}
    return {
        "results": report.issues, "total": len(report.issues), "counts": counts,
        "parts": [{"kind": p.kind, "lang": p.lang, "start": p.start, "end": p.end,
                   "checked": p.kind in CHECKED_PARTS} for p in parts],
    }  # fmt: skip
