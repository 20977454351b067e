"""TBX reader for both editions (``martif``/``termEntry`` and ``tbx``/``conceptEntry``).

Tolerant of what other tools write: ``tig`` or ``ntig``, namespaces or none,
data categories in ``descripGrp``/``termGrp`` wrappers, missing term types or
statuses, script and regional language tags (``zh-Hans``, ``zh-CN``,
``zh-TW``, ``en-US``). Language sections other than Chinese and English are
skipped, and a warning per language says how many (the import's dry run shows
it). Traditional-script terms become the ``zh_hant`` of the simplified term
they cross-reference, or that OpenCC maps them to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from glossary.formats.plain import (
    Concept,
    FormatError,
    ParsedGlossary,
    Term,
    blank_to_none,
    empty_glossary,
    make_concept,
    make_source,
    make_term,
)
from glossary.formats.tbx import ADMIN_STATUSES, TERM_TYPES, XML_LANG
from glossary.text import to_simplified

_ROOTS = {"martif": "tbx", "tbx": "tbx3"}
_ENTRIES = {"termEntry", "conceptEntry"}
_LANGUAGE_SECTIONS = {"langSet", "langSec"}
_TERM_GROUPS = {"tig", "ntig", "termSec"}
# Elements that only group data categories: their children count as their parent's.
_WRAPPERS = {"descripGrp", "adminGrp", "termGrp", "termNoteGrp"}
# lxml's "{*}" matches a name in any namespace or none, and iter() with names skips the rest in C:
# a large file has millions of elements, and a Python look at each one cost most of the reading.
_ENTRY_TAGS = tuple(f"{{*}}{name}" for name in sorted(_ENTRIES))
_CONTEXT_HOLDER_TAGS = tuple(f"{{*}}{name}" for name in ("descripGrp", *sorted(_TERM_GROUPS)))
_KINDS = {value.lower(): kind for kind, value in TERM_TYPES.items()} | {
    "acronym": "abbreviation",
    "initialism": "abbreviation",
    "shortform": "abbreviation",
    "short form": "abbreviation",
    "abbreviated form": "abbreviation",
    "full form": "full",
}
_STATUSES = {value.lower(): status for status, value in ADMIN_STATUSES.items()} | {
    "preferred": "preferred",
    "admitted": "admitted",
    "deprecated": "deprecated",
    "supersededterm-admn-sts": "deprecated",
    "superseded": "deprecated",
    "standardizedterm-admn-sts": "preferred",
    "normativeauthorization": "preferred",
}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_tbx(text: str) -> ParsedGlossary:
    """Parse TBX text (either edition) into a plain glossary with entry line numbers."""
    root = parse_xml(text)
    name = etree.QName(root).localname
    if name not in _ROOTS:
        raise FormatError(
            f"this XML file is not TBX: its root element is <{name}>, expected <martif> (TBX 2008) or <tbx> (TBX v3)"
        )
    data = empty_glossary()
    parsed = ParsedGlossary(data, [], _ROOTS[name])
    skipped_languages: dict[str, int] = {}
    entries = list(root.iter(*_ENTRY_TAGS))
    for entry in entries:
        concept = _read_entry(entry, skipped_languages)
        if not concept["terms"]:
            parsed.warnings.append(f"line {entry.sourceline}: entry has no Chinese or English term; skipped")
            continue
        data["concepts"].append(concept)
        parsed.lines.append(entry.sourceline)
    if entries and not data["concepts"]:
        raise FormatError("the TBX file has no Chinese or English terms")
    for lang, count in sorted(skipped_languages.items()):
        sections = "1 language section" if count == 1 else f"{count} language sections"
        parsed.warnings.append(
            f"{sections} in {lang!r} skipped: only Chinese (zh, zh-Hans, zh-Hant…) and English (en…) are imported"
        )
    names = {ev["source"] for concept in data["concepts"] for ev in concept["evidence"]}
    data["sources"] = [make_source(None, name) for name in sorted(names - {None})]
    return parsed


def parse_xml(text: str) -> etree._Element:
    """Parse untrusted XML text without entities, DTDs or network access."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1).encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"the file is not well-formed XML: {exc.msg}", line=exc.lineno) from exc
    if root is None:
        raise FormatError("the XML file has no root element")
    return root


def _local(node: etree._Element) -> str:
    """The element's name without its namespace ("" for a comment or entity); a string split, not a QName."""
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(node: etree._Element) -> str:
    if not len(node):  # most elements hold just text: no iterator needed
        return (node.text or "").strip()
    return "".join(node.itertext()).strip()


def _language(tag: str | None) -> str | None:
    """Map an xml:lang value to "zh", "zh-Hant" or "en"; None for other languages."""
    tag = (tag or "").strip().lower().replace("_", "-")
    if tag.startswith("zh") or tag in ("chi", "zho", "cmn"):
        if any(mark in tag for mark in ("hant", "-tw", "-hk", "-mo")):
            return "zh-Hant"
        return "zh"
    if tag == "en" or tag.startswith("en-") or tag == "eng":
        return "en"
    return None


def _own_children(node: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """``(name, child)`` of each child element, looking through the ``*Grp`` wrappers that only group
    data categories."""
    for child in node:
        name = _local(child)
        if name in _WRAPPERS:
            yield from _own_children(child)
        elif name:
            yield name, child


def _read_entry(entry: etree._Element, skipped_languages: dict[str, int]) -> Concept:
    concept = make_concept(id=_concept_id(entry.get("id")))
    sections = []
    for name, child in _own_children(entry):
        kind = child.get("type")
        if name == "descrip" and kind == "subjectField" and concept["domain"] is None:
            concept["domain"] = blank_to_none(_text(child))
        elif name == "descrip" and kind == "definition" and concept["definition"] is None:
            concept["definition"] = blank_to_none(_text(child))
        elif name == "note":
            note = blank_to_none(_text(child))
            if note:
                concept["note"] = f"{concept['note']}\n{note}" if concept["note"] else note
        elif name in _LANGUAGE_SECTIONS:
            sections.append(child)
    traditional: list[tuple[Term, str | None]] = []
    ids: dict[str, Term] = {}
    for section in sections:
        raw_lang = section.get(XML_LANG) or section.get("lang")
        lang = _language(raw_lang)
        if lang is None:
            key = raw_lang or "(none)"
            skipped_languages[key] = skipped_languages.get(key, 0) + 1
            continue
        _read_section(section, lang, concept, traditional, ids)
    _attach_traditional(concept, traditional, ids)
    return concept


def _concept_id(value: str | None) -> int | None:
    match = re.fullmatch(r"c(\d{1,18})", value or "")
    return int(match.group(1)) if match else None


def _read_section(
    section: etree._Element,
    lang: str,
    concept: Concept,
    traditional: list[tuple[Term, str | None]],
    ids: dict[str, Term],
) -> None:
    groups = [child for child in section if _local(child) in _TERM_GROUPS]
    for position, group in enumerate(groups):
        text, kind, status, link, contexts = _read_term_group(group)
        if not text:
            continue
        status = status or ("preferred" if position == 0 else "admitted")
        term = make_term("zh" if lang == "zh-Hant" else lang, text, kind or "full", status)
        if lang == "zh-Hant":
            traditional.append((term, link))
            continue
        concept["terms"].append(term)
        if group.get("id"):
            ids[group.get("id")] = term
        for sentence, source in contexts:
            # TBX has no offsets into the source document, only the sentence.
            concept["evidence"].append(
                {"source": source, "term": text, "sentence": sentence, "start": None, "end": None}
            )
    for name, child in _own_children(section):
        if name == "descrip" and child.get("type") == "definition" and not concept["definition"]:
            concept["definition"] = blank_to_none(_text(child))


def _read_term_group(group: etree._Element):
    """Return ``(text, kind, status, cross_reference, contexts)`` of one tig/ntig/termSec."""
    text = kind = status = link = None
    contexts: list[tuple[str, str | None]] = []
    for name, child in _own_children(group):
        category = child.get("type")
        if name == "term" and text is None:
            text = _text(child)
        elif name == "termNote" and category == "termType":
            kind = _KINDS.get(_text(child).lower())
        elif name == "termNote" and category in ("administrativeStatus", "normativeAuthorization"):
            status = _STATUSES.get(_text(child).lower())
        elif name == "ref" and category == "crossReference":
            link = child.get("target")
    for wrapper in group.iter(*_CONTEXT_HOLDER_TAGS):
        for context in wrapper:
            if _local(context) == "descrip" and context.get("type") == "context" and _text(context):
                source = next(
                    (_text(s) for s in wrapper if _local(s) == "admin" and s.get("type") == "source"),
                    None,
                )
                contexts.append((_text(context), source or None))
    return text, kind, status, link, contexts


def _attach_traditional(concept: Concept, traditional: list[tuple[Term, str | None]], ids: dict[str, Term]) -> None:
    """Give each zh-Hant term to its simplified twin, or keep it as a Chinese term of its own."""
    for hant, link in traditional:
        twin = ids.get(link or "")
        if twin is None:
            simplified = to_simplified(hant["text"])
            twin = next(
                (
                    term
                    for term in concept["terms"]
                    if term["lang"] == "zh" and term["text"] == simplified and not term.get("zh_hant")
                ),
                None,
            )
        if twin is not None and twin["lang"] == "zh":
            twin["zh_hant"] = hant["text"]
            continue
        hant["zh_hant"] = hant["text"]
        hant["text"] = to_simplified(hant["text"])
        concept["terms"].append(hant)
