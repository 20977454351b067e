"""Search, term recognition and the abbreviation check: the glossary as readers use it.

A small public API over one module per job:

* ``search_concepts`` (``concept_search.py``): ranked concepts for a query in
  simplified or traditional Chinese, pinyin, English or an abbreviation;
* ``annotate_text`` / ``find_terms`` (``annotate.py``): glossary terms found in
  a text, with code-point offsets;
* ``check_draft`` (``abbreviation_check.py``): the writer's abbreviation report;
* ``expand_abbreviation`` and ``lookup_terms`` (``lookup.py``): exact look-ups
  for editor plugins;
* ``read_concept`` (``documents.py``): a concept's preferred names and ordered terms,
  as pages and API answers read them (the JSON shapes are in ``glossary.api.representations``).

Reads only: nothing here writes to the database.
"""

from .abbreviation_check import check_draft
from .annotate import MAX_ANNOTATE_CHARS, annotate_text, find_terms
from .concept_search import MATCH_KINDS, Hit, SearchPage, search_concepts
from .documents import ConceptReading, read_concept
from .lookup import MAX_LOOKUP_TERMS, expand_abbreviation, lookup_terms
from .query import LANG_FILTERS, MAX_QUERY_LENGTH, parse_query

__all__ = [
    "LANG_FILTERS",
    "MATCH_KINDS",
    "MAX_ANNOTATE_CHARS",
    "MAX_LOOKUP_TERMS",
    "MAX_QUERY_LENGTH",
    "ConceptReading",
    "Hit",
    "SearchPage",
    "annotate_text",
    "check_draft",
    "expand_abbreviation",
    "find_terms",
    "lookup_terms",
    "parse_query",
    "read_concept",
    "search_concepts",
]
