"""OmegaT glossary files: UTF-8 text, one entry a line, three tab-separated columns.

OmegaT reads a glossary line by line: a line that starts with "#" is a comment
(the first line may name the encoding Emacs-style, ``-*- coding: utf-8 -*-``),
the rest is split on tabs and trimmed; the first column is the source term,
the second the target term, the optional third a comment. There is no quoting,
so tabs and line breaks inside values become spaces.

Export writes one line for every usable source-language term of a concept
(preferred, admitted, variants, abbreviations and, for zh→en, traditional
forms) against the concept's preferred target term; the comment names the
abbreviations, the other target terms, the deprecated ones to avoid, the
domain and the definition. Import groups consecutive lines that share a
target term into one concept, takes a traditional-script source line as the
traditional form of the simplified term before it, and reads a comment in the
form the export writes (``abbr: HPA; also: …; avoid: …; domain: …``) back into
terms and fields; any other comment becomes the concept's note.
"""

from __future__ import annotations

import re

from glossary.formats.chinese import to_simplified
from glossary.formats.plain import (
    Concept,
    FormatError,
    Glossary,
    ParsedGlossary,
    Term,
    empty_glossary,
    make_concept,
    make_term,
)
from glossary.textkeys import to_traditional

DIRECTIONS = ("zh-en", "en-zh")
HEADER = "# Chinese-English glossary, tab-separated: source, target, comment -*- coding: utf-8 -*-"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[\t\r\n\v\f]+")
# The parts of a comment written by ``_comment``, in the order it writes them.
_COMMENT_KEYS = ("abbr", "also", "avoid", "pinyin", "domain", "definition")
_COMMENT_KEY = re.compile(rf"(?:^|; )({'|'.join(_COMMENT_KEYS)}): ")


def write_omegat(data: Glossary, direction: str = "zh-en") -> bytes:
    """Serialize a plain glossary as an OmegaT glossary for ``direction`` (zh-en or en-zh)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    source_lang, target_lang = direction.split("-")
    lines = [HEADER]
    for concept in data.get("concepts") or []:
        terms = [term for term in concept.get("terms") or [] if term.get("status") != "deprecated"]
        target = _main_term(terms, target_lang)
        if target is None:
            continue
        comment = _comment(concept, target, target_lang)
        for source in _source_texts(terms, source_lang):
            # OmegaT skips lines starting with "#" but trims columns afterwards.
            source = " " + source if source.startswith("#") else source
            lines.append("\t".join((source, _flat(target["text"]), comment)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _main_term(terms: list[Term], lang: str) -> Term | None:
    in_lang = [term for term in terms if term.get("lang") == lang]
    ranked = sorted(
        in_lang,
        key=lambda term: (term.get("status") != "preferred", term.get("kind") != "full"),
    )
    return ranked[0] if ranked else None


def _source_texts(terms: list[Term], lang: str) -> list[str]:
    texts: list[str] = []
    for term in terms:
        if term.get("lang") != lang:
            continue
        texts.append(_flat(term["text"]))
        if lang == "zh" and term.get("zh_hant"):
            texts.append(_flat(term["zh_hant"]))
    return list(dict.fromkeys(text for text in texts if text))


def _comment(concept: Concept, target: Term, lang: str) -> str:
    terms = concept.get("terms") or []
    others = [t for t in terms if t.get("lang") == lang and t is not target]
    parts = []
    abbreviations = [t["text"] for t in others if t.get("kind") == "abbreviation" and t.get("status") != "deprecated"]
    alternatives = [t["text"] for t in others if t.get("kind") != "abbreviation" and t.get("status") != "deprecated"]
    avoid = [t["text"] for t in others if t.get("status") == "deprecated"]
    if abbreviations:
        parts.append("abbr: " + ", ".join(abbreviations))
    if alternatives:
        parts.append("also: " + ", ".join(alternatives))
    if avoid:
        parts.append("avoid: " + ", ".join(avoid))
    if lang == "zh" and target.get("pinyin"):
        parts.append("pinyin: " + target["pinyin"])
    for field in ("domain", "definition"):
        if concept.get(field):
            parts.append(f"{field}: {concept[field]}")
    return _flat("; ".join(parts))


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
    comments: dict[tuple[int, str], Concept] = {}  # each concept's distinct comments, read after its sources
    for number, source, target, comment in entries:
        if target != previous_target:
            concept = make_concept()
            concept["terms"].append(_read_term(target_lang, target, "preferred"))
            data["concepts"].append(concept)
            parsed.lines.append(number)
            previous_target = target
        _add_source(concept, source_lang, source)
        if comment:
            comments.setdefault((len(data["concepts"]), comment), concept)
    for (_, comment), concept in comments.items():
        _read_comment(concept, comment, target_lang)
    return parsed


def _read_comment(concept: Concept, comment: str, lang: str) -> None:
    """Take the terms and fields out of a comment this module wrote; keep any other comment as a note."""
    parts = _comment_parts(comment)
    if parts is None:
        concept["note"] = f"{concept['note']}\n{comment}" if concept["note"] else comment
        return
    for field in ("domain", "definition"):
        if parts.get(field) and not concept[field]:
            concept[field] = parts[field]
    target = concept["terms"][0]
    if lang == "zh" and parts.get("pinyin") and not target.get("pinyin"):
        target["pinyin"] = parts["pinyin"]
    texts = {term["text"] for term in concept["terms"] if term["lang"] == lang}
    for key, kind, status in (("abbr", "abbreviation", "preferred"), ("also", "full", "admitted"),
                              ("avoid", None, "deprecated")):  # fmt: skip
        for text in filter(None, (item.strip() for item in parts.get(key, "").split(", "))):
            if text not in texts:
                term = make_term(lang, text, kind, status) if kind else _read_term(lang, text, status)
                concept["terms"].append(term)
                texts.add(text)


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
    return {key: comment[end:stop].strip() for (_, end, key), stop in zip(bounds, ends, strict=True)}


def _guess_direction(entries: list[tuple[int, str, str, str]]) -> str:
    sample = entries[:50]
    source_cjk = sum(bool(_CJK.search(source)) for _, source, _, _ in sample)
    target_cjk = sum(bool(_CJK.search(target)) for _, _, target, _ in sample)
    return "en-zh" if target_cjk > source_cjk else "zh-en"


def _read_term(lang: str, text: str, status: str) -> Term:
    return make_term(lang, text, "abbreviation" if lang == "en" and looks_like_abbreviation(text) else "full", status)


def _add_source(concept: Concept, lang: str, text: str) -> None:
    same_lang = [term for term in concept["terms"] if term["lang"] == lang]
    if any(term["text"] == text or term.get("zh_hant") == text for term in same_lang):
        return
    if lang == "zh" and same_lang:
        # The export writes a term's traditional form (OpenCC s2twp, Taiwan phrasing) right after it.
        simplified = to_simplified(text)
        twin = next((t for t in same_lang if t["text"] == simplified and not t.get("zh_hant")), None)
        if twin is None and to_traditional(same_lang[-1]["text"]) == text and not same_lang[-1].get("zh_hant"):
            twin = same_lang[-1]
        if twin is not None and twin["text"] != text:
            twin["zh_hant"] = text
            return
    term = _read_term(lang, text, "preferred")
    # The first term of its kind (say the first abbreviation) is the preferred one, the others admitted.
    if any(other["kind"] == term["kind"] for other in same_lang):
        term["status"] = "admitted"
    concept["terms"].append(term)


def looks_like_abbreviation(text: str) -> bool:
    """Guess whether an English term is an abbreviation (HPA, 5-HT, NF-κB, mRNA)."""
    if len(text) > 15 or any(char.isspace() for char in text):
        return False
    letters = [char for char in text if char.isalpha()]
    upper = sum(char.isupper() for char in letters)
    return upper >= 2 and upper * 2 >= len(letters)
