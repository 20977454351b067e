"""Search, term recognition and bulk-load speed on a synthetic glossary, beside raw-database anchors.

Builds the glossary (SQLite in a temporary file, or the PostgreSQL database
``--database-url`` names, whose tables it replaces) with Core ``insert()``
executemany, every key computed in bulk (pinyin per character once, OpenCC on
one joined string); the database's own search structures (FTS5 tables fed by
triggers; pg_trgm indexes) fill as the rows go in. Then it prints, per query
form, p50/p95 of ``search_concepts`` beside the p95 of the same look-up done
with the plain driver (``sqlite3`` / ``psycopg``: no ORM, no web) on the same
rows; annotate of 10,000 characters; lookup of 1,000 terms; and what a fresh
process pays for its first substring, fuzzy and annotate call and its peak
memory, once the term-recognition tables are saved (as ``flask recognizer``
does, or the first annotate on a new database).

    .venv/bin/python bench/search.py                     # 1,000,000 concepts (CPU-heavy: minutes)
    .venv/bin/python bench/search.py --concepts 100000
    .venv/bin/python bench/search.py --concepts 100000 --database-url postgresql://user@host/db

Goals (issue 13): p95 of exact, prefix, pinyin, abbreviation and substring
search ≤ 20× the anchor; fuzzy ≤ 20 ms; annotate ≤ 20 ms; lookup of 1,000
terms ≤ 100 ms; a fresh process answers its first substring or fuzzy query in
≤ 1 s and its first annotate in ≤ 3 s, at ≤ 400 MB; PostgreSQL within 2× of
SQLite.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text

from glossary import create_app
from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.models.search_index import WORDS_SQL, create_search_structures, drop_search_structures
from glossary.search import annotate_text, lookup_terms, search_concepts
from glossary.search.concept_search import _words_query
from glossary.search.query import parse_query, toneless_pinyin
from glossary.services.settle import settle_search_structures
from glossary.text import pinyin_forms, to_simplified, to_traditional

SYLLABLES = (
    "ox y to cin lac no spi ra ce ae neu ro pep tide hor mone re cep tor ki nase gly co pro tein "
    "lip id ami no ac car bo hy dra te en zy me phos pha sul fa chol es ter ol in ter leu fac "
    "tor nu cle ar cy to mi to chon dri al me ta bo lic im mu ne sig nal path way ad re nal "
    "hy po tha lam ic pi tu i ta ry gas tro in tes ti nal mi cro bi o ta short chain fat ty "
    "se ro to nin do pa mine glu ta mate gaba ca te chol ol fer ment ter min syn the sis"
).split()
DOMAINS = (
    "neuroendocrinology",
    "microbiology",
    "immunology",
    "pharmacology",
    "genetics",
    "metabolism",
    "cardiology",
    "oncology",
    "neuroscience",
    "psychiatry",
    "endocrinology",
    "nutrition",
)
FILLER = "的在和与及对于其中研究表明通过显示结果发现可能作用影响机制患者水平。，；"
FORMS = (
    "zh exact",
    "zh-Hant exact",
    "zh prefix",
    "zh substring",
    "pinyin toneless",
    "pinyin spaced",
    "pinyin tone marks",
    "pinyin tone numbers",
    "pinyin initials",
    "en exact",
    "en prefix",
    "en word prefix",
    "en fuzzy",
    "abbr exact",
    "abbr folded",
)


def common_characters(count: int = 3000) -> list[str]:
    """The most frequent simplified Han characters, weighted by jieba's word frequencies."""
    import jieba

    freq: Counter[str] = Counter()
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as handle:
        for line in handle:
            word, number, *_ = line.split(" ")
            for char in word:
                if "\u4e00" <= char <= "\u9fa5":
                    freq[char] += int(number)
    chars = [c for c, _ in freq.most_common(count * 2)]
    joined = to_simplified("\n".join(chars)).split("\n")
    return [c for c, s in zip(chars, joined, strict=True) if c == s][:count]


@dataclass
class Synthetic:
    """Rows ready for executemany, and the samples the timings query."""

    concepts: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    zh: list[dict] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    abbr: list[str] = field(default_factory=list)


class Zipf:
    """Draw from a list with Zipf-like weights (cumulative weights computed once)."""

    def __init__(self, items: list, rng: random.Random) -> None:
        self.items, self.rng = items, rng
        self.cumulative = list(accumulate(1 / (i + 1) ** 0.9 for i in range(len(items))))

    def __call__(self, size: int) -> list:
        return self.rng.choices(self.items, cum_weights=self.cumulative, k=size)


def generate(n: int, seed: int = 7, *, concept_offset: int = 0, term_offset: int = 0) -> Synthetic:
    """``n`` concepts: a Chinese term (3-10 characters), an English term (1-4 words), and for a third
    of them an abbreviation; ids start after the offsets (to add to a glossary that has rows)."""
    rng = random.Random(seed)
    chars = common_characters()
    # Pinyin per character, once: (tone marks, toneless, numbered, initial).
    char_pinyin = {c: pinyin_forms(c) for c in chars}
    pick_char = Zipf(chars, rng)
    morphemes = list({"".join(pick_char(rng.choice((1, 2, 2, 2, 3)))) for _ in range(60_000)})
    rng.shuffle(morphemes)
    # Word → the initials of its syllables, from which abbreviations are made (OXTR-style, not just
    # word initials: those collide by the thousand, which real abbreviations do not).
    syllable_initials: dict[str, str] = {}
    for _ in range(80_000):
        syllables = rng.choices(SYLLABLES, k=rng.choice((2, 3, 3, 4, 5)))
        syllable_initials.setdefault("".join(syllables), "".join(s[0] for s in syllables))
    words = list(syllable_initials)
    rng.shuffle(words)
    pick_morpheme = Zipf(morphemes, rng)
    zh_seen: set[str] = set()
    zh_texts: list[str] = []
    while len(zh_texts) < n:
        candidate = "".join(pick_morpheme(rng.choice((2, 2, 3, 3, 4))))[:10]
        if len(candidate) >= 3 and candidate not in zh_seen:
            zh_seen.add(candidate)
            zh_texts.append(candidate)
    zh_hant = to_traditional("\n".join(zh_texts)).split("\n")  # OpenCC once for the whole list
    now = datetime(2026, 1, 1)
    data = Synthetic()
    en_words = Zipf(words, rng)(n * 4)
    term_id = term_offset
    for i in range(n):
        concept_id = concept_offset + i + 1
        data.concepts.append(
            {
                "id": concept_id,
                "domain": DOMAINS[i % len(DOMAINS)],
                "status": "approved",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        count = int(rng.paretovariate(1.2))
        zh = zh_texts[i]
        forms = [char_pinyin[c] for c in zh]
        term_id += 1
        zh_row = {
            "id": term_id,
            "concept_id": concept_id,
            "lang": "zh",
            "text": zh,
            "key": zh,
            "kind": "full",
            "status": "preferred",
            "zh_hans": zh,
            "zh_hant": zh_hant[i],
            "pinyin": " ".join(f[0] for f in forms),
            "pinyin_key": "".join(f[1] for f in forms),
            "pinyin_numbered": "".join(f[2] for f in forms),
            "pinyin_initials": "".join(f[3] for f in forms),
            "count": count,
            "created_at": now,
        }
        data.terms.append(zh_row)
        word_count = rng.choice((1, 2, 2, 3, 3, 4))
        parts = en_words[i * 4 : i * 4 + word_count]
        en = (" " if rng.random() < 0.8 else "-").join(parts) + (f" {i}" if rng.random() < 0.05 else "")
        term_id += 1
        data.terms.append(_latin_row(term_id, concept_id, en, en.lower().replace("-", " "), "full", count, now))
        if i % 5 < 2 and word_count > 1:  # names of one word are rarely abbreviated
            abbr = "".join(syllable_initials[p][:2] for p in parts)[:5].upper()
            term_id += 1
            data.terms.append(_latin_row(term_id, concept_id, abbr, abbr.lower(), "abbreviation", count, now))
            if len(data.abbr) < 2000:
                data.abbr.append(abbr)
        if len(data.zh) < 2000:
            data.zh.append(zh_row)
            data.en.append(en)
    return data


def _latin_row(term_id: int, concept_id: int, written: str, key: str, kind: str, count: int, now) -> dict:
    return {
        "id": term_id,
        "concept_id": concept_id,
        "lang": "en",
        "text": written,
        "key": key,
        "kind": kind,
        "status": "preferred",
        "zh_hans": None,
        "zh_hant": None,
        "pinyin": None,
        "pinyin_key": None,
        "pinyin_numbered": None,
        "pinyin_initials": None,
        "count": count,
        "created_at": now,
    }


def bulk_load(data: Synthetic) -> None:
    """Core executemany in batches, the B-tree indexes built once at the end (faster than row by row).

    On SQLite the triggers fill the FTS5 tables as rows go in (as every import does); on PostgreSQL the
    trigram and pattern indexes are built after the rows, like the B-trees.
    """
    term_indexes = list(Term.__table__.indexes)
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.begin() as conn:
        if sqlite:
            conn.execute(text("PRAGMA synchronous=OFF"))
        else:
            drop_search_structures(conn)
        for index in term_indexes:
            index.drop(conn)
        for table, rows in ((Concept.__table__, data.concepts), (Term.__table__, data.terms)):
            for start in range(0, len(rows), 100_000):
                conn.execute(insert(table), rows[start : start + 100_000])
        for index in term_indexes:
            index.create(conn)
        if not sqlite:
            create_search_structures(conn)
            # Explicit ids went in: move the sequences past them, as a restore would.
            for table in ("concept", "term"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
        conn.execute(text("ANALYZE"))


def _typo(rng: random.Random, text_: str) -> str:
    """One edit in the longest word: drop, double or swap a letter."""
    words = text_.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        word = word[:at] + word[at + 1 :]
    elif edit == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    words[longest] = word
    return " ".join(words)


def make_query(form: str, zh: dict, en: str, abbr: str, rng: random.Random) -> str:
    """One query of the given form, built from existing terms."""
    simple = {
        "zh exact": zh["text"],
        "zh-Hant exact": zh["zh_hant"],
        "zh prefix": zh["text"][:3],
        "zh substring": zh["text"][1:4],
        "pinyin toneless": zh["pinyin_key"],
        "pinyin tone marks": zh["pinyin"],
        "pinyin tone numbers": zh["pinyin_numbered"],
        "pinyin initials": zh["pinyin_initials"],
        "en exact": en,
        "en prefix": en[: max(4, len(en) // 2)],
        "en word prefix": en.split(" ")[-1][:5] if " " in en else en[:5],
        "abbr exact": abbr,
        "abbr folded": abbr.lower(),
    }
    if form in simple:
        return simple[form]
    if form == "pinyin spaced":
        return " ".join(toneless_pinyin(s) or s for s in zh["pinyin"].split(" "))
    return _typo(rng, en.lower().replace("-", " "))


def queries(data: Synthetic, form: str, count: int, rng: random.Random) -> list[str]:
    """``count`` queries of one form."""
    return [
        make_query(form, rng.choice(data.zh), rng.choice(data.en), rng.choice(data.abbr), rng) for _ in range(count)
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def mixed_text(data: Synthetic, rng: random.Random, length: int = 10_000) -> str:
    """Chinese prose with glossary terms in both scripts, English terms and abbreviations."""
    parts: list[str] = []
    size = 0
    while size < length:
        roll = rng.random()
        zh = rng.choice(data.zh)
        piece = (
            zh["text"]
            if roll < 0.35
            else zh["zh_hant"]
            if roll < 0.45
            else f"（{rng.choice(data.en)}）"
            if roll < 0.6
            else f" {rng.choice(data.abbr)} "
            if roll < 0.7
            else "".join(rng.choices(FILLER, k=rng.randint(2, 8)))
        )
        parts.append(piece)
        size += len(piece)
    return "".join(parts)[:length]


_PREFIX = ("{col} >= ? AND {col} < ?", "{col} LIKE ?")


def anchor_statement(form: str, query: str, sqlite: bool) -> tuple[str, list] | None:
    """The one look-up a form needs, for the plain driver (no ORM, no ranking, no documents)."""
    keys = parse_query(query)
    top = "\U0010ffff"

    def prefix(col: str, value: str, where: str = "") -> tuple[str, list]:
        test = _PREFIX[0 if sqlite else 1].format(col=col)
        params = [value, value + top] if sqlite else [value.replace("%", "\\%") + "%"]
        return f"SELECT id, concept_id FROM term WHERE {where}{test} LIMIT 100", params

    if form in ("zh exact", "zh-Hant exact"):
        return "SELECT id, concept_id FROM term WHERE lang = 'zh' AND key = ?", [keys.zh]
    if form == "zh prefix":
        return prefix("key", keys.zh, "lang = 'zh' AND ")
    if form == "zh substring":
        if sqlite:
            return "SELECT rowid FROM term_trigram WHERE term_trigram MATCH ? LIMIT 100", [f'"{keys.zh}"']
        return "SELECT id, concept_id FROM term WHERE key LIKE ? LIMIT 100", [f"%{keys.zh}%"]
    if form.startswith("pinyin") and form != "pinyin initials":
        return prefix("pinyin_key", keys.pinyin)
    if form == "pinyin initials":
        return "SELECT id, concept_id FROM term WHERE pinyin_initials = ?", [keys.initials]
    if form == "en exact":
        return "SELECT id, concept_id FROM term WHERE lang = 'en' AND key = ?", [keys.en]
    if form == "en prefix":
        return prefix("key", keys.en, "lang = 'en' AND ")
    if form == "en word prefix":
        words = _words_query(keys.words, "sqlite" if sqlite else "postgresql")  # as the service asks
        if sqlite:
            return "SELECT rowid FROM term_words WHERE term_words MATCH ? LIMIT 100", [words]
        return (f"SELECT id, concept_id FROM term WHERE {WORDS_SQL} @@ to_tsquery('simple', ?) LIMIT 100", [words])
    if form == "abbr exact":
        return "SELECT id, concept_id FROM term WHERE kind = 'abbreviation' AND text = ?", [query]
    if form == "abbr folded":
        return ("SELECT id, concept_id FROM term WHERE lang = 'en' AND key = ? AND kind = 'abbreviation'", [keys.abbr])
    return None  # fuzzy: no single look-up to compare with


def raw_connection(url: str):
    """A plain DB-API connection to the same database."""
    if url.startswith("sqlite"):
        import sqlite3

        return sqlite3.connect(url.split("///", 1)[1])
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def anchor_p95(connection, form: str, chosen: list[str], sqlite: bool) -> float | None:
    timings = []
    for query in chosen:
        statement = anchor_statement(form, query, sqlite)
        if statement is None:
            return None
        sql, params = statement
        if not sqlite:
            sql = sql.replace("?", "%s")
        cursor = connection.cursor()
        start = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        timings.append((time.perf_counter() - start) * 1000)
        if not sqlite:
            connection.rollback()
    return percentiles(timings)[1]


_FRESH = """
import os, resource, sys, time
sys.path.insert(0, {root!r})
from glossary import create_app
from glossary.extensions import db
from glossary.search import annotate_text, search_concepts
app = create_app({{"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": {url!r}}})
with app.app_context():
    for label, call in (("substring", lambda: search_concepts(db.session, {substring!r})),
                        ("fuzzy", lambda: search_concepts(db.session, {fuzzy!r})),
                        ("annotate", lambda: annotate_text(db.session, {text!r}))):
        start = time.perf_counter()
        call()
        print(label, round(time.perf_counter() - start, 3))
        db.session.rollback()
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
    status = open("/proc/self/status").read() if os.path.exists("/proc/self/status") else ""
    peak = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    print("rss", int(peak[0]) // 1024 if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def fresh_process(url: str, substring: str, fuzzy: str, sample: str) -> dict[str, float]:
    """A new Python process on the same database: its first calls and its peak memory."""
    code = _FRESH.format(
        root=str(Path(__file__).resolve().parents[1]), url=url, substring=substring, fuzzy=fuzzy, text=sample
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    ).stdout
    return {label: float(value) for label, value in (line.split() for line in output.splitlines())}


def run(concepts: int, samples: int, database_url: str | None) -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="glossary-search-bench-") as tmp:
        os.environ["GLOSSARY_INSTANCE_PATH"] = tmp
        url = (
            database_url.replace("postgresql://", "postgresql+psycopg://", 1)
            if database_url
            else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        )
        sqlite = url.startswith("sqlite")
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            if not sqlite:
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
            db.create_all()
            started = time.perf_counter()
            data = generate(concepts)
            generated = time.perf_counter() - started
            bulk_load(data)
            loaded = time.perf_counter() - started
            print(
                f"{db.engine.dialect.name}: {concepts:,} concepts, {len(data.terms):,} terms in {loaded:.1f} s "
                f"(generating and keys {generated:.1f} s, inserts and indexes {loaded - generated:.1f} s)"
            )
            data.concepts, data.terms = [], []  # keep only the samples: millions of dicts slow every GC pass
            gc.collect()
            gc.freeze()  # as app.py does once a served process has loaded: full collections skip what lives on
            # What `flask optimize` does after a bulk load (the first annotate of a new database would build).
            merged, built = settle_search_structures(db.engine, db.session)
            print(f"search indexes merged in {merged:.1f} s; term-recognition tables built and saved in {built:.1f} s")
            db.engine.dispose()
            substring = make_query("zh substring", rng.choice(data.zh), "", "", rng)
            fuzzy = make_query("en fuzzy", data.zh[0], rng.choice(data.en), "", rng)
            fresh = fresh_process(url, substring, fuzzy, mixed_text(data, rng))
            print(
                f"fresh process: first substring {fresh['substring']:.2f} s, first fuzzy {fresh['fuzzy']:.2f} s, "
                f"first annotate {fresh['annotate']:.2f} s; peak memory {fresh['rss']:,.0f} MB "
                f"(goals: 1 s, 1 s, 3 s, 400 MB)"
            )
            session = db.session
            raw = raw_connection(url)
            print(f"\n{'form':22} {'p50 ms':>8} {'p95 ms':>8} {'anchor':>8} {'ratio':>6} {'found':>6}")
            for form in FORMS:
                timings, found = [], 0
                chosen = queries(data, form, samples, rng)
                for query in chosen:
                    start = time.perf_counter()
                    page = search_concepts(session, query)
                    timings.append((time.perf_counter() - start) * 1000)
                    found += bool(page.results)
                    session.rollback()  # end the read transaction, as a request would
                p50, p95 = percentiles(timings)
                anchor = anchor_p95(raw, form, chosen, sqlite)
                shown = f"{anchor:8.3f} {p95 / anchor:5.0f}×" if anchor else f"{'—':>8} {'':>6}"
                print(f"{form:22} {p50:8.2f} {p95:8.2f} {shown} {found / samples:6.0%}")
            raw.close()
            timings, matches = [], 0
            for _ in range(max(20, samples)):  # enough runs that the p95 is not one slow run of twenty
                sample = mixed_text(data, rng)
                start = time.perf_counter()
                matches = len(annotate_text(session, sample))
                timings.append((time.perf_counter() - start) * 1000)
                session.rollback()
            p50, p95 = percentiles(timings)
            print(f"\nannotate 10,000 mixed characters: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({matches} terms found)")
            timings, found = [], 0
            for _ in range(max(20, samples // 5)):
                terms = [
                    make_query(form, rng.choice(data.zh), rng.choice(data.en), rng.choice(data.abbr), rng)
                    for form in ("zh exact", "zh-Hant exact", "en exact", "abbr exact", "en fuzzy")
                    for _ in range(200)
                ]
                start = time.perf_counter()
                found = sum(bool(r["concepts"]) for r in lookup_terms(session, terms))
                timings.append((time.perf_counter() - start) * 1000)
                session.rollback()
            p50, p95 = percentiles(timings)
            print(f"lookup of 1,000 terms: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({found} of 1,000 found)")
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak memory of this (loading) process: {rss:,.0f} MB")
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200, help="queries per form")
    parser.add_argument("--database-url", help="a PostgreSQL database to fill (its public schema is replaced)")
    args = parser.parse_args()
    run(args.concepts, args.samples, args.database_url)


if __name__ == "__main__":
    main()
