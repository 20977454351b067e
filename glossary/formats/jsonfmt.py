"""JSON: the plain glossary dict itself, for backup and restore.

The writer pretty-prints the dict as it is (UTF-8, Chinese unescaped). The
reader checks the structure field by field so that a hand-edited backup fails
with a message such as ``line 40: concepts[3].terms[1].status: 'prefered' is
not one of preferred, admitted, deprecated``; it fills optional fields that are
missing with their defaults and leaves fields it does not know untouched.
"""

from __future__ import annotations

import bisect
import json
import json.scanner
import re
from typing import Any

from glossary.formats.plain import (
    CONCEPT_STATUSES,
    FORMAT_NAME,
    FORMAT_VERSION,
    KINDS,
    LANGS,
    TERM_STATUSES,
    FormatError,
    Glossary,
    ParsedGlossary,
)


def write_json(data: Glossary) -> bytes:
    """Serialize a plain glossary as pretty-printed UTF-8 JSON."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_json(text: str) -> ParsedGlossary:
    """Parse and validate a JSON glossary; concept lines are where their objects start."""
    data, offsets = _decode_with_offsets(text)
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise FormatError('the JSON top level must be an object with a "concepts" list')
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise FormatError(f"this JSON is not a glossary export (format is {data.get('format')!r})")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= FORMAT_VERSION:
        raise FormatError(f"version {version!r} is not supported (this program reads version {FORMAT_VERSION})")
    data.setdefault("format", FORMAT_NAME)
    data.setdefault("version", FORMAT_VERSION)
    data.setdefault("exported_at", None)
    _expect(data["exported_at"], (str, type(None)), "exported_at", None)
    keys = _check_sources(data.setdefault("sources", []))
    newlines = [match.start() for match in re.finditer("\n", text)]
    lines = []
    for index, concept in enumerate(data["concepts"]):
        line = bisect.bisect_left(newlines, offsets[index]) + 1
        _check_concept(concept, f"concepts[{index}]", line, keys)
        lines.append(line)
    return ParsedGlossary(data, lines, "json")


def _decode_with_offsets(text: str) -> tuple[Any, list[int]]:
    """``json.loads`` that also says where each concept object starts (offsets into ``text``).

    The fast way reads the top-level object by hand and every value in it with
    the C decoder, noting where each element of "concepts" begins (a 100,000-
    concept backup in a second or two). Anything it does not expect goes the
    slow way, which gives the standard library's own error messages.
    """
    try:
        return _decode_fast(text)
    except (ValueError, IndexError):
        return _decode_slow(text)
    except RecursionError as exc:
        raise FormatError("the JSON is nested too deeply") from exc


_SPACE = re.compile(r"[ \t\n\r]*")


def _decode_fast(text: str) -> tuple[Any, list[int]]:
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        return _SPACE.match(text, at).end()  # type: ignore[union-attr]

    at = skip(0)
    if text[at] != "{":
        raise ValueError("not an object")
    data: dict[str, Any] = {}
    offsets: list[int] = []
    at = skip(at + 1)
    while text[at] != "}":
        if text[at] != '"':
            raise ValueError("a key must be a string")
        key, at = decoder.raw_decode(text, at)
        at = skip(at)
        if text[at] != ":":
            raise ValueError("expected a colon")
        at = skip(at + 1)
        if key == "concepts" and text[at] == "[":
            data[key], at, offsets = _decode_array(decoder, text, at, skip)
        else:
            data[key], at = decoder.raw_decode(text, at)
        at = skip(at)
        if text[at] == ",":
            at = skip(at + 1)
            if text[at] == "}":
                raise ValueError("a trailing comma")
        elif text[at] != "}":
            raise ValueError("expected a comma")
    if skip(at + 1) != len(text):
        raise ValueError("extra data")
    return data, offsets


def _decode_array(decoder: json.JSONDecoder, text: str, at: int, skip) -> tuple[list, int, list[int]]:
    """The list that starts at ``at`` ("["), where it ends, and where each of its elements starts."""
    items, offsets = [], []
    at = skip(at + 1)
    while text[at] != "]":
        offsets.append(at)
        item, at = decoder.raw_decode(text, at)
        items.append(item)
        at = skip(at)
        if text[at] == ",":
            at = skip(at + 1)
            if text[at] == "]":
                raise ValueError("a trailing comma")
        elif text[at] != "]":
            raise ValueError("expected a comma")
    return items, at + 1, offsets


def _decode_slow(text: str) -> tuple[Any, list[int]]:
    """The pure-Python scanner, whose ``parse_object`` hook is the standard library's only way to positions."""
    offsets: dict[int, int] = {}
    decoder = json.JSONDecoder()
    parse_object = decoder.parse_object

    def parse_object_at(s_and_end, *args):
        obj, end = parse_object(s_and_end, *args)
        offsets[id(obj)] = s_and_end[1] - 1
        return obj, end

    decoder.parse_object = parse_object_at
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"the file is not valid JSON: {exc.msg}", line=exc.lineno) from exc
    except RecursionError as exc:
        raise FormatError("the JSON is nested too deeply") from exc
    concepts = data.get("concepts") if isinstance(data, dict) else None
    return data, [offsets.get(id(concept), 0) for concept in concepts] if isinstance(concepts, list) else []


def _expect(value: Any, types: type | tuple[type, ...], path: str, line: int | None) -> None:
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise FormatError(f"{path}: expected {_type_names(types)}, found {value!r}", line=line)
    if not isinstance(value, types):
        raise FormatError(f"{path}: expected {_type_names(types)}, found {type(value).__name__}", line=line)


def _type_names(types: type | tuple[type, ...]) -> str:
    names = {"str": "text", "int": "a whole number", "NoneType": "null", "list": "a list", "dict": "an object"}
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(names.get(kind.__name__, kind.__name__) for kind in types)


def _expect_choice(value: Any, choices: tuple[str, ...], path: str, line: int | None) -> None:
    if value not in choices:
        raise FormatError(f"{path}: {value!r} is not one of {', '.join(choices)}", line=line)


def _check_sources(sources: Any) -> set[str]:
    _expect(sources, list, "sources", None)
    keys = set()
    for index, source in enumerate(sources):
        path = f"sources[{index}]"
        _expect(source, dict, path, None)
        _expect(source.get("key"), str, f"{path}.key", None)
        _expect(source.get("filename"), str, f"{path}.filename", None)
        for field in ("title", "imported_at"):
            _expect(source.setdefault(field, None), (str, type(None)), f"{path}.{field}", None)
        keys.add(source["key"])
    return keys


def _check_concept(concept: Any, path: str, line: int, source_keys: set[str]) -> None:
    _expect(concept, dict, path, line)
    _expect(concept.setdefault("id", None), (int, type(None)), f"{path}.id", line)
    for field in ("domain", "definition", "note"):
        _expect(concept.setdefault(field, None), (str, type(None)), f"{path}.{field}", line)
    status = concept.setdefault("status", None)
    if status is not None:
        _expect_choice(status, CONCEPT_STATUSES, f"{path}.status", line)
    terms = concept.setdefault("terms", [])
    _expect(terms, list, f"{path}.terms", line)
    if not terms:
        raise FormatError(f"{path}: the concept has no terms", line=line)
    for index, term in enumerate(terms):
        _check_term(term, f"{path}.terms[{index}]", line)
    evidence = concept.setdefault("evidence", [])
    _expect(evidence, list, f"{path}.evidence", line)
    for index, item in enumerate(evidence):
        _check_evidence(item, f"{path}.evidence[{index}]", line, source_keys)


def _check_term(term: Any, path: str, line: int) -> None:
    _expect(term, dict, path, line)
    _expect_choice(term.get("lang"), LANGS, f"{path}.lang", line)
    _expect(term.get("text"), str, f"{path}.text", line)
    if not term["text"].strip():
        raise FormatError(f"{path}.text: the term is empty", line=line)
    _expect_choice(term.setdefault("kind", "full"), KINDS, f"{path}.kind", line)
    _expect_choice(term.setdefault("status", "preferred"), TERM_STATUSES, f"{path}.status", line)
    _expect(term.setdefault("count", 0), int, f"{path}.count", line)
    if term["count"] < 0:
        raise FormatError(f"{path}.count: must not be negative", line=line)
    if term["lang"] == "zh":
        for field in ("zh_hant", "pinyin"):
            _expect(term.setdefault(field, None), (str, type(None)), f"{path}.{field}", line)


def _check_evidence(item: Any, path: str, line: int, source_keys: set[str]) -> None:
    _expect(item, dict, path, line)
    source = item.setdefault("source", None)
    _expect(source, (str, type(None)), f"{path}.source", line)
    if source is not None and source not in source_keys:
        raise FormatError(f"{path}.source: {source!r} is not the key of any source", line=line)
    for field in ("term", "sentence"):
        _expect(item.get(field), str, f"{path}.{field}", line)
    for field in ("start", "end"):
        _expect(item.setdefault(field, None), (int, type(None)), f"{path}.{field}", line)
