"""Term mining: bilingual term pairs and abbreviations from Chinese review articles.

A pure text library (no Flask, no database): bytes in, dataclasses out. The
stages run in this order::

    reading → cleanup → extract → boundary → candidates
                          ↘ abbreviations ↗

* reading: bytes in any of the usual encodings to text (:mod:`.reading`);
* cleanup: PDF artefacts repaired (:mod:`.cleanup`), converter markup read as
  text (:mod:`.markup`, LaTeX fragments in :mod:`.latex`), with offset maps
  (:mod:`.offsets`);
* extract: every place that defines a term (:mod:`.extract`, with
  :mod:`.chinese`, :mod:`.english`, :mod:`.keywords`, :mod:`.legends`,
  :mod:`.synonyms`, :mod:`.nondefinitions`; abbreviations checked by
  :mod:`.abbreviations`);
* boundary: where a Chinese term starts (:mod:`.boundary`: words from
  :mod:`.words`, their alignment with the English in :mod:`.alignment`,
  names heard in :mod:`.transliteration`, evidence across the batch in
  :mod:`.occurrences`), weighed by learned weights (:mod:`.weights`) with a
  bilingual lexicon (:mod:`.lexicon`: CC-CEDICT read by :mod:`.cedict`,
  English stems in :mod:`.stemming`, loose English senses in :mod:`.senses`,
  counts over pairs in :mod:`.associations`, the parsed dictionary kept on
  disk by :mod:`.lexicon_cache`);
* candidates: merged, with confidence, alternatives and evidence
  (:mod:`.candidates`).

``read_definitions`` (:mod:`.definitions`) gives a draft's definitions as the
extract stage reads them, with offsets into the draft as written: the writer's
check reads definitions with the miner's grammar, not a second one.

``mine_files`` and ``mine_texts`` run all the stages; evidence is pooled across the
documents given together, so mining a set of articles at once is better than
one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path

from .abbreviations import abbreviation_fits, find_full_form, looks_like_abbreviation
from .candidates import Candidate, mine_texts
from .cleanup import CleanText, clean_text
from .definitions import Definition, read_definitions
from .reading import UnreadableDocument, decode_document, decode_with_encoding

__all__ = [
    "Candidate",
    "CleanText",
    "Definition",
    "UnreadableDocument",
    "abbreviation_fits",
    "clean_text",
    "decode_with_encoding",
    "find_full_form",
    "looks_like_abbreviation",
    "mine_files",
    "mine_texts",
    "read_definitions",
    "read_document",
]


def read_document(data: bytes, name: str) -> str:
    """Decode an article's bytes (UTF-8/16, GB18030, Big5…); :class:`UnreadableDocument` if it is not text."""
    return decode_document(data, name)


def mine_files(paths: Iterable[str | PathLike[str]]) -> list[Candidate]:
    """Read and mine files together; the first unreadable one raises :class:`UnreadableDocument`."""
    docs = []
    for path in paths:
        name = str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise UnreadableDocument(name, error.strerror or str(error)) from error
        docs.append((name, read_document(data, name)))
    return mine_texts(docs)
