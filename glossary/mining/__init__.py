"""Term mining: bilingual term pairs and abbreviations from Chinese review articles.

A pure text library (no Flask, no database): bytes in, dataclasses out. The
stages, one module each, run in this order::

    reading → cleanup → extract → boundary → candidates
                          ↘ abbreviations ↗

Cleanup reduces converter markup (:mod:`.markup`; LaTeX fragments in
:mod:`.latex`). The boundary stage weighs evidence from a bilingual lexicon
(:mod:`.lexicon`): CC-CEDICT read by :mod:`.cedict`, English words and stems in
:mod:`.stemming`, loose matching of English senses in :mod:`.senses`, counts
over pairs in :mod:`.associations`, the parsed dictionary kept on disk by
:mod:`.lexicon_cache`.

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
from .reading import UnreadableDocument, decode_document, decode_with_encoding

__all__ = [
    "Candidate",
    "CleanText",
    "UnreadableDocument",
    "abbreviation_fits",
    "clean_text",
    "decode_with_encoding",
    "find_full_form",
    "looks_like_abbreviation",
    "mine_files",
    "mine_texts",
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
