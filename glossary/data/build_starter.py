"""Build the starter glossary from mined candidates and a terminologist's review.

Inputs: the miner's JSONL (one candidate a line: zh, en, abbr, count, sources
with file, sentence, start, end) and ``starter_review.tsv``, which holds one
decision for every mined candidate:

    mined_zh  mined_en  mined_abbr  decision  zh  en  abbr  domain  note

``approve`` keeps the candidate as mined, ``edit`` replaces it with the
corrected zh/en/abbr, ``reject`` drops it (the note says why). A comment line
``#source<TAB>file name<TAB>title`` names a source whose first line is not its
title (a journal masthead, say). Approved
entries that share a Chinese term, an English term or an abbreviation become
one concept (e.g. 5-羟色胺/5-HT and 5-羟色胺/5-hydroxytryptamine/5-HT); the
most frequent form of each is preferred. Every concept keeps the sentences it
was mined from and the names of their sources.

Run from the repository root (the corpus gives each source's checksum and title):

    .venv/bin/flask --app app mine --dry-run --format jsonl ../shared/corpus/*.txt > glossary/data/starter_mined.jsonl
    .venv/bin/python -m glossary.data.build_starter glossary/data/starter_mined.jsonl \\
        glossary/data/starter_review.tsv --corpus ../shared/corpus -o glossary/data/starter.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from glossary.mining import read_document
from glossary.text import abbr_key, english_key, has_cjk, zh_key

COLUMNS = ["mined_zh", "mined_en", "mined_abbr", "decision", "zh", "en", "abbr", "domain", "note"]
DECISIONS = ("approve", "edit", "reject")
EVIDENCE_PER_CONCEPT = 8


class ReviewError(ValueError):
    """The review file does not fit the mined candidates; the message lists every problem."""


def _identity(zh: str, en: str, abbr: str) -> tuple[str, str, str]:
    return zh_key(zh), english_key(en), abbr.strip()


def read_mined(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_review(path: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The decisions, and the source titles given on ``#source`` lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row]
    titles = {row[1]: row[2] for row in rows if row[0] == "#source" and len(row) >= 3}
    rows = [row for row in rows if not row[0].startswith("#")]
    if not rows or rows[0] != COLUMNS:
        raise ReviewError(f"{path}: the first line must be the header {' '.join(COLUMNS)}")
    decisions = [
        dict(zip(COLUMNS, (cell.strip() for cell in row + [""] * len(COLUMNS)), strict=False)) for row in rows[1:]
    ]
    return decisions, titles


def check_review(mined: list[dict[str, Any]], review: list[dict[str, str]]) -> list[str]:
    """Every candidate reviewed exactly once, every decision well-formed; returns the problems."""
    problems = []
    mined_ids = {_identity(c["zh"], c["en"], c["abbr"]) for c in mined}
    seen: set[tuple[str, str, str]] = set()
    for line, row in enumerate(review, start=2):
        identity = _identity(row["mined_zh"], row["mined_en"], row["mined_abbr"])
        where = f"line {line} ({row['mined_zh']} | {row['mined_en']} | {row['mined_abbr']})"
        if identity not in mined_ids:
            problems.append(f"{where}: not a mined candidate")
        if identity in seen:
            problems.append(f"{where}: reviewed twice")
        seen.add(identity)
        decision = row["decision"]
        if decision not in DECISIONS:
            problems.append(f"{where}: decision must be one of {', '.join(DECISIONS)}")
            continue
        if decision == "reject":
            continue
        corrected = (row["zh"], row["en"], row["abbr"])
        as_mined = (row["mined_zh"], row["mined_en"], row["mined_abbr"])
        if decision == "approve" and corrected != as_mined:
            problems.append(f"{where}: 'approve' must repeat the mined text; use 'edit' to correct it")
        if decision == "edit" and corrected == as_mined:
            problems.append(f"{where}: 'edit' without a correction")
        if not row["zh"] or not has_cjk(row["zh"]):
            problems.append(f"{where}: an approved entry needs a Chinese term")
        if not (row["en"] or row["abbr"]):
            problems.append(f"{where}: an approved entry needs an English term or an abbreviation")
        if not row["domain"]:
            problems.append(f"{where}: an approved entry needs a domain")
    for candidate in mined:
        if _identity(candidate["zh"], candidate["en"], candidate["abbr"]) not in seen:
            problems.append(f"not reviewed: {candidate['zh']} | {candidate['en']} | {candidate['abbr']}")
    return problems


def group_entries(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Entries sharing a zh, en or abbreviation key are one concept (union-find)."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(entries):
        keys = [("zh", zh_key(entry["zh"])), ("en", english_key(entry["en"])), ("abbr", abbr_key(entry["abbr"]))]
        for key in keys:
            if not key[1]:
                continue
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, entry in enumerate(entries):
        groups[root(i)].append(entry)
    return list(groups.values())


def _terms(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The most frequent form of each kind is preferred; the other forms are admitted."""
    terms = []
    for lang, field, kind, key in (
        ("zh", "zh", "full", zh_key),
        ("en", "en", "full", english_key),
        ("en", "abbr", "abbreviation", abbr_key),
    ):
        counts: dict[str, int] = defaultdict(int)
        spelling: dict[str, str] = {}
        for entry in group:
            text = entry[field]
            if text:
                counts[key(text)] += entry["count"]
                spelling.setdefault(key(text), text)
        ranked = sorted(counts, key=lambda k: (-counts[k], spelling[k]))
        for rank, k in enumerate(ranked):
            variant = kind if rank == 0 or kind == "abbreviation" else "variant"
            terms.append(
                {
                    "lang": lang,
                    "text": spelling[k],
                    "kind": variant,
                    "status": "preferred" if rank == 0 else "admitted",
                    "count": counts[k],
                }
            )
    return terms


def _evidence(group: list[dict[str, Any]], keys_by_file: dict[str, str]) -> list[dict[str, Any]]:
    evidence, seen = [], set()
    for entry in sorted(group, key=lambda e: -e["count"]):
        for source in entry["sources"]:
            key = keys_by_file[Path(source["file"]).name]
            if (key, source["sentence"]) in seen:
                continue
            seen.add((key, source["sentence"]))
            evidence.append(
                {
                    "source": key,
                    "term": entry["mined_term"],
                    "sentence": source["sentence"],
                    "start": source["start"],
                    "end": source["end"],
                }
            )
    return evidence[:EVIDENCE_PER_CONCEPT]


def describe_sources(mined: list[dict[str, Any]], corpus: Path, titles: dict[str, str]) -> list[dict[str, str]]:
    """Checksum, file name and title (given, or the article's first line) of every file the candidates cite."""
    names = sorted({Path(s["file"]).name for c in mined for s in c["sources"]})
    sources = []
    for name in names:
        data = (corpus / name).read_bytes()
        text = read_document(data, name)
        title = titles.get(name) or next((line.strip() for line in text.splitlines() if line.strip()), name)
        sources.append({"key": hashlib.sha256(data).hexdigest(), "filename": name, "title": title})
    return sources


def build(
    mined: list[dict[str, Any]], review: list[dict[str, str]], corpus: Path, titles: dict[str, str] | None = None
) -> dict[str, Any]:
    problems = check_review(mined, review)
    if problems:
        raise ReviewError("\n".join(problems))
    by_identity = {_identity(c["zh"], c["en"], c["abbr"]): c for c in mined}
    entries = []
    for row in review:
        if row["decision"] == "reject":
            continue
        candidate = by_identity[_identity(row["mined_zh"], row["mined_en"], row["mined_abbr"])]
        entries.append(
            {
                "zh": row["zh"],
                "en": row["en"],
                "abbr": row["abbr"],
                "domain": row["domain"],
                "note": row["note"],
                "count": candidate.get("count", 1),
                "sources": candidate["sources"],
                "mined_term": candidate["zh"] or candidate["en"],
            }
        )
    sources = describe_sources(mined, corpus, titles or {})
    keys_by_file = {s["filename"]: s["key"] for s in sources}
    concepts = []
    for group in group_entries(entries):
        domains = sorted({e["domain"] for e in group})
        if len(domains) > 1:
            print(f"warning: one concept, several domains {domains}: {[e['zh'] for e in group]}", file=sys.stderr)
        notes = [e["note"] for e in group if e["note"]]
        concepts.append(
            {
                "domain": max(domains, key=lambda d: sum(e["count"] for e in group if e["domain"] == d)),
                "definition": None,
                "note": "; ".join(dict.fromkeys(notes)) or None,
                "status": "approved",
                "terms": _terms(group),
                "evidence": _evidence(group, keys_by_file),
            }
        )
    concepts.sort(key=lambda c: (c["domain"], c["terms"][0]["text"]))
    return {"format": "zh-en-glossary", "version": 1, "sources": sources, "concepts": concepts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mined", type=Path, help="the miner's JSONL output")
    parser.add_argument("review", type=Path, help="starter_review.tsv")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).with_name("starter.json"))
    args = parser.parse_args(argv)
    try:
        decisions, titles = read_review(args.review)
        glossary = build(read_mined(args.mined), decisions, args.corpus, titles)
    except ReviewError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = json.dumps(glossary, ensure_ascii=False, indent=1)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{len(glossary['concepts'])} concepts from {len(glossary['sources'])} sources → {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
