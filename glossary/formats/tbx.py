"""TBX-Basic writer, in the 2008 edition (ISO 30042:2008) and in TBX v3 (ISO 30042:2019).

One entry per concept: subject field, definition and note at concept level,
then a language section for simplified Chinese, one for English and, when some
Chinese term's traditional form differs, one for traditional Chinese whose
terms point back to their simplified term with a ``ref type="crossReference"``.
The traditional section comes last because tools that see a two-language file
(translate-toolkit among them) take the first two sections as source and target.

Chinese is tagged by script, ``zh-Hans`` and ``zh-Hant`` (BCP 47), or with
``zh_tags="region"`` as ``zh-CN`` and ``zh-TW`` for tools that only know those.
The 2008 edition names its XCS, ``TBXBasic-zh-en.xcs`` (shipped beside this
module and served by the export page), which declares these languages; it has
no DOCTYPE unless asked (``doctype=True``), because a parser that resolves
the relative ``TBXBasiccoreStructV02.dtd`` fails without the DTD beside the
file. The v3 edition names the official TBX-Basic RelaxNG and Schematron in
``<?xml-model?>`` lines, as the official samples do.

Every term carries its term type and administrative status; up to
``MAX_CONTEXTS_PER_TERM`` evidence sentences go into ``descripGrp`` elements
(a ``context`` with the ``source`` file name), as TBX-Basic allows since 2009.
The reader is ``glossary.formats.tbx_reader``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from glossary.formats.plain import Concept, Glossary, Term

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
TBX2008_DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
XCS_FILE = Path(__file__).with_name("TBXBasic-zh-en.xcs")
_TBX3_SCHEMAS = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
TBX3_XML_MODELS = (
    f'<?xml-model href="{_TBX3_SCHEMAS}TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    f'<?xml-model href="{_TBX3_SCHEMAS}TBX-Basic_DCA.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)
# How Chinese is tagged: by script (BCP 47, the default) or by region for tools that want zh-CN/zh-TW.
ZH_TAGS = {
    "script": {"zh": "zh-Hans", "zh-Hant": "zh-Hant"},
    "region": {"zh": "zh-CN", "zh-Hant": "zh-TW"},
}
MAX_CONTEXTS_PER_TERM = 3

TERM_TYPES = {"full": "fullForm", "abbreviation": "abbreviation", "variant": "variant"}
ADMIN_STATUSES = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
# Characters XML 1.0 cannot carry at all; a stray one must not sink an export.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Edition:
    """Element names of one TBX edition."""

    name: str
    root: str
    header: str
    entry: str
    language: str
    term_group: str
    namespace: str | None


TBX2008 = Edition("tbx", "martif", "martifHeader", "termEntry", "langSet", "tig", None)
TBX2019 = Edition("tbx3", "tbx", "tbxHeader", "conceptEntry", "langSec", "termSec", TBX3_NAMESPACE)
EDITIONS = {edition.name: edition for edition in (TBX2008, TBX2019)}


def write_tbx(data: Glossary, edition: str = "tbx", *, zh_tags: str = "script", doctype: bool = False) -> bytes:
    """Serialize a plain glossary as TBX-Basic; ``edition`` is "tbx" (2008) or "tbx3" (2019).

    ``zh_tags`` is "script" (zh-Hans, zh-Hant) or "region" (zh-CN, zh-TW);
    ``doctype`` adds the 2008 edition's relative DOCTYPE.
    """
    writer = _TbxWriter(EDITIONS[edition], data, ZH_TAGS[zh_tags], doctype)
    return writer.serialize()


class _TbxWriter:
    def __init__(self, edition: Edition, data: Glossary, tags: dict[str, str], doctype: bool) -> None:
        self.edition = edition
        self.data = data
        self.tags = tags | {"en": "en"}
        self.doctype = doctype
        self.source_names = {
            source.get("key"): source.get("filename") or source.get("title") for source in data.get("sources") or []
        }

    def element(self, parent: etree._Element | None, name: str, text: str | None = None, **attrs: str):
        tag = f"{{{self.edition.namespace}}}{name}" if self.edition.namespace else name
        if parent is None:
            node = etree.Element(tag, nsmap={None: self.edition.namespace} if self.edition.namespace else None)
        else:
            node = etree.SubElement(parent, tag)
        for key, value in attrs.items():
            node.set(XML_LANG if key == "lang" else key, value)
        if text is not None:
            node.text = _XML_INVALID.sub("", text)
        return node

    def serialize(self) -> bytes:
        root = self.element(None, self.edition.root)
        root.set("type", "TBX-Basic")
        if self.edition is TBX2019:
            root.set("style", "dca")
        root.set(XML_LANG, "en")
        self.write_header(root)
        body = self.element(self.element(root, "text"), "body")
        for index, concept in enumerate(self.data.get("concepts") or [], start=1):
            self.write_entry(body, concept, index)
        etree.indent(root, space="  ")
        declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
        if self.edition is TBX2019:
            declaration += TBX3_XML_MODELS
        doctype = TBX2008_DOCTYPE if self.edition is TBX2008 and self.doctype else None
        body = etree.tostring(root.getroottree(), encoding="UTF-8", doctype=doctype)
        return declaration.encode("utf-8") + body + b"\n"

    def write_header(self, root: etree._Element) -> None:
        header = self.element(root, self.edition.header)
        file_desc = self.element(header, "fileDesc")
        title_stmt = self.element(file_desc, "titleStmt")
        self.element(title_stmt, "title", "Chinese-English biomedical glossary")
        source_desc = self.element(file_desc, "sourceDesc")
        exported_at = self.data.get("exported_at")
        when = f" on {exported_at}" if exported_at else ""
        self.element(source_desc, "p", f"Exported from the zh-en terminology service{when}")
        if self.edition is TBX2008:
            encoding_desc = self.element(header, "encodingDesc")
            self.element(encoding_desc, "p", XCS_FILE.name, type="XCSURI")

    def write_entry(self, body: etree._Element, concept: Concept, index: int) -> None:
        concept_id = concept.get("id")
        entry_id = f"c{concept_id}" if isinstance(concept_id, int) else f"e{index}"
        entry = self.element(body, self.edition.entry, id=entry_id)
        if concept.get("domain"):
            self.element(entry, "descrip", concept["domain"], type="subjectField")
        if concept.get("definition"):
            self.element(entry, "descrip", concept["definition"], type="definition")
        if concept.get("note"):
            self.element(entry, "note", concept["note"])
        terms = concept.get("terms") or []
        contexts = _contexts_by_term(concept, self.source_names)
        term_ids: list[tuple[Term, str]] = []
        for lang in ("zh", "en"):
            in_lang = [term for term in terms if term.get("lang") == lang]
            if not in_lang:
                continue
            section = self.element(entry, self.edition.language, lang=self.tags[lang])
            for number, term in enumerate(in_lang, start=1):
                term_id = f"{entry_id}-{lang}{number}"
                group = self.write_term(section, term, term["text"], term_id)
                for sentence, source_name in contexts.get(id(term), []):
                    self.write_context(group, sentence, source_name)
                term_ids.append((term, term_id))
        traditional = [
            (term, term_id)
            for term, term_id in term_ids
            if term.get("lang") == "zh" and term.get("zh_hant") and term["zh_hant"] != term["text"]
        ]
        if traditional:
            section = self.element(entry, self.edition.language, lang=self.tags["zh-Hant"])
            for term, term_id in traditional:
                group = self.write_term(section, term, term["zh_hant"], f"{term_id}-hant")
                self.element(group, "ref", term["text"], type="crossReference", target=term_id)

    def write_term(self, section: etree._Element, term: Term, text: str, term_id: str):
        group = self.element(section, self.edition.term_group, id=term_id)
        self.element(group, "term", text)
        self.element(group, "termNote", TERM_TYPES.get(term.get("kind"), "fullForm"), type="termType")
        status = ADMIN_STATUSES.get(term.get("status"), ADMIN_STATUSES["preferred"])
        self.element(group, "termNote", status, type="administrativeStatus")
        return group

    def write_context(self, group: etree._Element, sentence: str, source_name: str | None) -> None:
        context = self.element(group, "descripGrp")
        self.element(context, "descrip", sentence, type="context")
        if source_name:
            self.element(context, "admin", source_name, type="source")


def _contexts_by_term(
    concept: Concept, source_names: dict[str | None, str | None]
) -> dict[int, list[tuple[str, str | None]]]:
    """Evidence sentences keyed by the ``id()`` of the term they illustrate.

    Evidence names its term by text; one whose term is not in the concept goes
    to the first term that occurs in the sentence, or nowhere.
    """
    terms = concept.get("terms") or []
    result: dict[int, list[tuple[str, str | None]]] = {}
    for evidence in concept.get("evidence") or []:
        sentence = evidence.get("sentence")
        if not sentence:
            continue
        named = [term for term in terms if term.get("text") == evidence.get("term")]
        named = named or [term for term in terms if term.get("text") and term["text"] in sentence]
        if not named:
            continue
        slot = result.setdefault(id(named[0]), [])
        if len(slot) < MAX_CONTEXTS_PER_TERM:
            slot.append((sentence, source_names.get(evidence.get("source"))))
    return result
