"""OmegaT glossary files: UTF-8 text, one entry a line, three tab-separated columns.

OmegaT reads a glossary line by line: a line that starts with "#" is a comment
(the first line may name the encoding Emacs-style, ``-*- coding: utf-8 -*-``),
the rest is split on tabs and trimmed; the first column is the source term,
the second the target term, the optional third a comment. There is no quoting,
so tabs and line breaks inside values become spaces.

Export writes one line for every source-language term of a concept (and, for
zh→en, its traditional form on the next line) against the concept's main
target term: its preferred full term, never a deprecated one. The comment says
the rest, in parts OmegaT shows as they are and the import reads back::

    source: abbreviation admitted; target: …; traditional: 催產素; abbr: HPA | …;
    also: ocytocin [variant] | …; avoid: Pitocin | …; pinyin: …; domain: …; definition: …

``source`` and ``target`` give the kind and status of the line's terms when
they are not what the import would assume (a full or abbreviation-looking
term, preferred for the first of its kind), ``traditional`` the target's
traditional form; ``abbr`` lists preferred abbreviations, ``also`` the other
usable target terms (admitted full terms unless marked), ``avoid`` the
deprecated ones. Several terms are joined with " | " as in the CSV export
(``plain.join_values``), so a term containing ", " or "|" stays one term.
A mark in brackets gives an item's kind and status, and a Chinese term's
traditional form and pinyin: ``缩宫素 [traditional 縮宮素; pinyin suō gōng sù]``.

Import groups consecutive lines that share a target term into one concept.
A line whose source term an earlier concept already has, with a target of its
own and no comment in the export's form, is a second translation (as OmegaT
writes one) and joins that concept as an admitted term. Without marks, a
traditional-script source line becomes the traditional form of the
simplified term before it; any comment not in the export's form becomes the
concept's note.
"""

from __future__ import annotations

import re

from glossary.formats.plain import (
    Concept,
    FormatError,
    Glossary,
    ParsedGlossary,
    Term,
    empty_glossary,
    join_values,
    make_concept,
    make_term,
    split_values,
)
from glossary.text import has_cjk, looks_like_abbreviation, to_simplified, to_traditional

DIRECTIONS = ("zh-en", "en-zh")
HEADER = "# Chinese-English glossary, tab-separated: source, target, comment -*- coding: utf-8 -*-"
_SPACES = re.compile(r"[\t\r\n\v\f]+")
# The parts of a comment, in the order ``write_omegat`` writes them.
_COMMENT_KEYS = ("source", "target", "traditional", "abbr", "also", "avoid", "pinyin", "domain", "definition")
_COMMENT_KEY = re.compile(rf"(?:^|; )({'|'.join(_COMMENT_KEYS)}): ")
_KINDS = ("full", "abbreviation", "variant")
_STATUSES = ("preferred", "admitted", "deprecated")
# What an item of each list is unless its mark says otherwise: (kind, status).
_LIST_DEFAULTS = {"abbr": ("abbreviation", "preferred"), "also": ("full", "admitted"), "avoid": ("full", "deprecated")}
_MARKED_ITEM = re.compile(r"^(.*?) \[([^\[\]]+)\]$")


def write_omegat(data: Glossary, direction: str = "zh-en") -> bytes:
    """Serialize a plain glossary as an OmegaT glossary for ``direction`` (zh-en or en-zh)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    source_lang, target_lang = direction.split("-")
    lines = [HEADER]
    sources_so_far: set[str] = set()  # a source repeated in a later concept must not read as a 2nd translation
    for concept in data.get("concepts") or []:
        terms = concept.get("terms") or []
        target = _main_term([term for term in terms if term.get("status") != "deprecated"], target_lang)
        if target is None:
            continue
        shared = _shared_comment(concept, target, target_lang)
        written: set[str] = set()
        kinds: list[str] = []
        for term in (term for term in terms if term.get("lang") == source_lang):
            text = _flat(term["text"])
            if not text or text in written:
                continue
            default = _assumed(source_lang, text, kinds)
            kinds.append(term.get("kind") or "full")
            # The traditional form is not a mark here: it follows on a line of its own, for OmegaT to match.
            marks = _marks(term, default, with_forms=True, traditional=False)
            if not marks and text in sources_so_far:
                marks = _marks(term, None, with_forms=True, traditional=False)
            lines.append(_line(text, target, _join_parts([("source", marks)], shared)))
            written.add(text)
            hant = _flat(term.get("zh_hant") or "") if source_lang == "zh" else ""
            if hant and hant != text and hant not in written:
                lines.append(_line(hant, target, _join_parts([("source", "traditional")], shared)))
                written.add(hant)
        sources_so_far |= written
    return ("\n".join(lines) + "\n").encode("utf-8")


def _line(source: str, target: Term, comment: str) -> str:
    # OmegaT skips lines starting with "#" but trims columns afterwards.
    source = " " + source if source.startswith("#") else source
    return "\t".join((source, _flat(target["text"]), comment))


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _main_term(terms: list[Term], lang: str) -> Term | None:
    in_lang = [term for term in terms if term.get("lang") == lang]
    ranked = sorted(
        in_lang,
        key=lambda term: (term.get("status") != "preferred", term.get("kind") != "full"),
    )
    return ranked[0] if ranked else None


def _guess_kind(lang: str, text: str) -> str:
    return "abbreviation" if lang == "en" and looks_like_abbreviation(text) else "full"


def _assumed(lang: str, text: str, kinds_before: list[str]) -> tuple[str, str]:
    """What the import takes an unmarked source term for: the first of its kind is preferred."""
    kind = _guess_kind(lang, text)
    return kind, "admitted" if kind in kinds_before else "preferred"


def _marks(term: Term, default: tuple[str, str] | None, *, with_forms: bool, traditional: bool = True) -> str:
    """A term's kind and status where they differ from ``default`` (always with None), then its forms."""
    kind, status = term.get("kind") or "full", term.get("status") or "preferred"
    parts = [] if (kind, status) == default else [f"{kind} {status}"]
    if with_forms and term.get("lang") == "zh":
        for field, label in (("zh_hant", "traditional"), ("pinyin", "pinyin")):
            value = _flat(term.get(field) or "")
            if field == "zh_hant" and not traditional:
                continue
            if value and value != term["text"]:
                parts.append(f"{label} {value}")
    return "; ".join(parts)


def _shared_comment(concept: Concept, target: Term, lang: str) -> list[tuple[str, str]]:
    """The comment's parts every line of the concept shares, in ``_COMMENT_KEYS`` order."""
    parts = [("target", _marks(target, (_guess_kind(lang, _flat(target["text"])), "preferred"), with_forms=False))]
    if lang == "zh" and target.get("zh_hant") and target["zh_hant"] != target["text"]:
        parts.append(("traditional", target["zh_hant"]))
    lists: dict[str, list[str]] = {key: [] for key in _LIST_DEFAULTS}
    for term in concept.get("terms") or []:
        if term.get("lang") != lang or term is target or not _flat(term.get("text") or ""):
            continue
        kind, status = term.get("kind") or "full", term.get("status") or "preferred"
        key = "avoid" if status == "deprecated" else "abbr" if (kind, status) == _LIST_DEFAULTS["abbr"] else "also"
        marks = _marks(term, _LIST_DEFAULTS[key], with_forms=True)
        lists[key].append(f"{_flat(term['text'])} [{marks}]" if marks else _flat(term["text"]))
    parts += [(key, join_values(items)) for key, items in lists.items() if items]
    if lang == "zh" and target.get("pinyin"):
        parts.append(("pinyin", target["pinyin"]))
    parts += [(field, concept[field]) for field in ("domain", "definition") if concept.get(field)]
    return parts


def _join_parts(first: list[tuple[str, str]], rest: list[tuple[str, str]]) -> str:
    return _flat("; ".join(f"{key}: {value}" for key, value in first + rest if value))


def read_omegat(text: str, direction: str | None = None) -> ParsedGlossary:
    """Parse an OmegaT glossary; ``direction`` None means guess it from the scripts used."""
    entries: list[tuple[int, str, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise FormatError("expected a source term and a target term separated by a tab", line=number)
        entries.append((number, cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    if not entries:
        raise FormatError("the glossary has no entries")
    direction = direction or _guess_direction(entries)
    if direction not in DIRECTIONS:
        raise FormatError(f"direction must be zh-en or en-zh, not {direction!r}")
    source_lang, target_lang = direction.split("-")
    data = empty_glossary()
    parsed = ParsedGlossary(data, [], "tsv")
    previous_target = None
    concept: Concept = make_concept()
    by_source: dict[str, Concept] = {}
    shared: dict[int, tuple[Concept, dict[str, str]]] = {}  # the export's comment parts, once per concept
    notes: dict[tuple[int, str], Concept] = {}  # any other comment, once per concept
    for number, source, target, comment in entries:
        parts = _comment_parts(comment) if comment else None
        earlier = by_source.get(source)
        if target == previous_target:
            pass
        elif earlier is not None and parts is None:
            # One source, two translations (OmegaT writes each as a line): the second joins the first.
            concept = earlier
            if not any(term["lang"] == target_lang and term["text"] == target for term in concept["terms"]):
                concept["terms"].append(make_term(target_lang, target, _guess_kind(target_lang, target), "admitted"))
        else:
            concept = make_concept()
            concept["terms"].append(make_term(target_lang, target, _guess_kind(target_lang, target), "preferred"))
            data["concepts"].append(concept)
            parsed.lines.append(number)
        previous_target = target
        if parts is None:
            _add_source(concept, source_lang, source, None)
            if comment:
                notes.setdefault((id(concept), comment), concept)
        else:
            _add_source(concept, source_lang, source, parts.pop("source", None))
            shared.setdefault(id(concept), (concept, parts))
        by_source.setdefault(source, concept)
    for each, parts in shared.values():
        _read_comment(each, parts, target_lang)
    for (_, comment), each in notes.items():
        each["note"] = f"{each['note']}\n{comment}" if each["note"] else comment
    return parsed


def _read_comment(concept: Concept, parts: dict[str, str], lang: str) -> None:
    """Take the terms and fields out of a comment in the export's form."""
    for field in ("domain", "definition"):
        if parts.get(field) and not concept[field]:
            concept[field] = parts[field]
    target = concept["terms"][0]
    _apply_marks(target, parts.get("target"))
    if lang == "zh":
        for field, key in (("zh_hant", "traditional"), ("pinyin", "pinyin")):
            if parts.get(key) and not target.get(field):
                target[field] = parts[key]
    texts = {term["text"] for term in concept["terms"] if term["lang"] == lang}
    for key, (kind, status) in _LIST_DEFAULTS.items():
        for item in split_values(parts.get(key, "")) if parts.get(key) else []:
            text, marks = _split_mark(item)
            if text and text not in texts:
                term = make_term(lang, text, kind, status)
                _apply_marks(term, marks)
                concept["terms"].append(term)
                texts.add(text)


def _split_mark(item: str) -> tuple[str, str | None]:
    """``("缩宫素", "traditional 縮宮素")`` for ``缩宫素 [traditional 縮宮素]``; a bracket that is no mark stays."""
    match = _MARKED_ITEM.match(item)
    if match and _parse_marks(match.group(2)) is not None:
        return match.group(1).strip(), match.group(2)
    return item, None


def _parse_marks(marks: str) -> dict[str, str] | None:
    """``{"kind", "status", "zh_hant", "pinyin"}`` from ``variant admitted; traditional …``; None if not marks."""
    found: dict[str, str] = {}
    for part in (part.strip() for part in marks.split("; ")):
        label, _, value = part.partition(" ")
        if label in ("traditional", "pinyin") and value.strip():
            found["zh_hant" if label == "traditional" else "pinyin"] = value.strip()
            continue
        for word in part.split():
            if word in _KINDS:
                found["kind"] = word
            elif word in _STATUSES:
                found["status"] = word
            else:
                return None
    return found


def _apply_marks(term: Term, marks: str | None) -> None:
    for field, value in (_parse_marks(marks) or {}).items() if marks else ():
        if field in ("zh_hant", "pinyin") and term["lang"] != "zh":
            continue
        term[field] = value


def _comment_parts(comment: str) -> dict[str, str] | None:
    """``{"abbr": "HPA", "domain": …}`` for a comment in the export's form, else None."""
    bounds: list[tuple[int, int, str]] = []
    for match in _COMMENT_KEY.finditer(comment):
        # Keys come in the writer's order; one out of order is text inside a value (a definition's).
        if not bounds or _COMMENT_KEYS.index(match.group(1)) > _COMMENT_KEYS.index(bounds[-1][2]):
            bounds.append((match.start(), match.end(), match.group(1)))
    if not bounds or bounds[0][0] != 0:
        return None
    ends = [start for start, _, _ in bounds[1:]] + [len(comment)]
    parts = {key: comment[end:stop].strip() for (_, end, key), stop in zip(bounds, ends, strict=True)}
    # "source: Wikipedia" is somebody's note, not our marks.
    if parts.get("source", "traditional") != "traditional" and _parse_marks(parts["source"]) is None:
        return None
    if "target" in parts and _parse_marks(parts["target"]) is None:
        return None
    return parts


def _guess_direction(entries: list[tuple[int, str, str, str]]) -> str:
    sample = entries[:50]
    source_cjk = sum(has_cjk(source) for _, source, _, _ in sample)
    target_cjk = sum(has_cjk(target) for _, _, target, _ in sample)
    return "en-zh" if target_cjk > source_cjk else "zh-en"


def _add_source(concept: Concept, lang: str, text: str, marks: str | None) -> None:
    same_lang = [term for term in concept["terms"] if term["lang"] == lang]
    if marks == "traditional" and lang == "zh" and same_lang:
        same_lang[-1]["zh_hant"] = text  # the export writes a term's traditional form right after it
        return
    if any(term["text"] == text or term.get("zh_hant") == text for term in same_lang):
        return
    if lang == "zh" and same_lang and marks is None:
        # Another tool's file: a traditional form (OpenCC s2twp, Taiwan phrasing) right after its term.
        simplified = to_simplified(text)
        twin = next((t for t in same_lang if t["text"] == simplified and not t.get("zh_hant")), None)
        if twin is None and to_traditional(same_lang[-1]["text"]) == text and not same_lang[-1].get("zh_hant"):
            twin = same_lang[-1]
        if twin is not None and twin["text"] != text:
            twin["zh_hant"] = text
            return
    kind = _guess_kind(lang, text)
    # The first term of its kind (say the first abbreviation) is the preferred one, the others admitted.
    status = "admitted" if any(other["kind"] == kind for other in same_lang) else "preferred"
    term = make_term(lang, text, kind, status)
    _apply_marks(term, marks)
    concept["terms"].append(term)
