"""The mine command: dry-run output, idempotent storing, rejected proposals, bad input."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from glossary.models import Candidate, Evidence, Revision, Source
from glossary.services.candidates import reject_candidate

from .ingest.documents import (
    BAD_UPLOADS,
    LONG_PDF_LIMIT,
    article_text,
    build_docx,
    build_html,
    build_markdown,
    build_pdf,
)

ARTICLE = "研究发现，心房颤动（atrial fibrillation，AF）是最常见的心律失常。\n同时检测了丙氨酸氨基转移酶（ALT）水平。\n"
OTHER = (
    "此外，心房颤\n\n动（atrial fibrillation，AF）患者常合并高血压，血清C反应蛋白（C-reactive protein，CRP）升高。\n"
)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_dry_run_on_the_corpus_reaches_the_f1_floor(runner, db, shared_dir, tmp_path):
    corpus = sorted(str(p) for p in (shared_dir / "corpus").glob("*.txt"))
    result = runner.invoke(args=["mine", "--dry-run", "--format", "jsonl", *corpus])
    assert result.exit_code == 0, result.output
    mined = tmp_path / "mined.jsonl"
    mined.write_text(result.stdout, encoding="utf-8")
    gold = sorted(str(p) for p in (shared_dir / "eval" / "gold").glob("*.tsv"))
    score = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), str(mined), *gold,
                            "--min-f1", "0.95"], capture_output=True, text=True, check=False)  # fmt: skip
    assert score.returncode == 0, score.stdout + score.stderr
    assert count(db, Source) == 0 and count(db, Candidate) == 0


def test_dry_run_prints_json_lines_and_writes_nothing(runner, db, tmp_path):
    result = runner.invoke(args=["mine", "--dry-run", write(tmp_path, "a.txt", ARTICLE.encode())])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["zh"], r["en"], r["abbr"]) for r in rows} == {
        ("心房颤动", "atrial fibrillation", "AF"),
        ("丙氨酸氨基转移酶", "", "ALT"),
    }
    assert all({"confidence", "count", "sources"} <= set(r) for r in rows)
    assert count(db, Source) == 0 and count(db, Candidate) == 0 and count(db, Evidence) == 0


def test_table_format(runner, tmp_path):
    result = runner.invoke(args=["mine", "--dry-run", "--format", "table", write(tmp_path, "a.txt", ARTICLE.encode())])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["conf", "count", "zh", "en", "abbr"]
    assert any("心房颤动" in line and "AF" in line for line in lines[1:])


def test_mining_stores_sources_evidence_and_new_candidates(runner, db, tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE.encode())
    result = runner.invoke(args=["mine", path])
    assert result.exit_code == 0, result.output
    assert "2 new candidates" in result.output
    source = db.session.scalar(select(Source))
    assert (source.filename, source.encoding, source.size) == ("a.txt", "utf-8", len(ARTICLE.encode()))
    af = db.session.scalar(select(Candidate).where(Candidate.abbr == "AF"))
    assert (af.zh, af.en, af.status, af.count) == ("心房颤动", "atrial fibrillation", "new", 1)
    [evidence] = af.evidence
    assert ARTICLE[evidence.start : evidence.end] == "心房颤动（atrial fibrillation，AF）"
    assert "心房颤动" in evidence.sentence
    [revision] = db.session.scalars(select(Revision).where(Revision.action == "mine")).all()
    assert revision.user_name == "system" and revision.after["filename"] == "a.txt"
    assert revision.after["new_candidates"] == 2


def test_mining_the_same_file_twice_adds_nothing(runner, db, tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE.encode())
    runner.invoke(args=["mine", path])
    before = (count(db, Source), count(db, Candidate), count(db, Evidence))
    again = runner.invoke(args=["mine", path])
    assert again.exit_code == 0, again.output
    assert "already mined" in again.output
    assert (count(db, Source), count(db, Candidate), count(db, Evidence)) == before


def test_known_candidate_gains_evidence_from_a_new_file(runner, db, tmp_path):
    runner.invoke(args=["mine", write(tmp_path, "a.txt", ARTICLE.encode())])
    result = runner.invoke(args=["mine", write(tmp_path, "b.txt", OTHER.encode())])
    assert result.exit_code == 0, result.output
    af = db.session.scalar(select(Candidate).where(Candidate.abbr == "AF"))
    assert af.count == 2 and len(af.evidence) == 2
    assert count(db, Candidate) == 3


def test_rejected_candidate_is_not_proposed_again(runner, db, tmp_path):
    runner.invoke(args=["mine", write(tmp_path, "a.txt", ARTICLE.encode())])
    af = db.session.scalar(select(Candidate).where(Candidate.abbr == "AF"))
    reject_candidate(db.session, af.id, None)
    db.session.commit()
    result = runner.invoke(args=["mine", write(tmp_path, "b.txt", OTHER.encode())])
    assert result.exit_code == 0, result.output
    assert "1 once rejected" in result.output
    db.session.expire_all()
    af = db.session.get(Candidate, af.id)
    assert af.status == "rejected" and len(af.evidence) == 1
    assert db.session.scalar(select(func.count()).select_from(Candidate).where(Candidate.abbr == "AF")) == 1


def test_legacy_encodings_are_mined(runner, db, tmp_path):
    gb = write(tmp_path, "gb.txt", ARTICLE.encode("gb18030"))
    big5 = write(tmp_path, "big5.txt", "血清C反應蛋白（C-reactive protein，CRP）升高。".encode("big5"))
    result = runner.invoke(args=["mine", gb, big5])
    assert result.exit_code == 0, result.output
    encodings = set(db.session.scalars(select(Source.encoding)))
    assert encodings == {"gb18030", "big5hkscs"}
    assert db.session.scalar(select(Candidate).where(Candidate.abbr == "CRP")).zh == "C反應蛋白"


def test_empty_or_binary_files_are_reported_and_the_others_mined(runner, db, tmp_path):
    good = write(tmp_path, "good.txt", ARTICLE.encode())
    empty = write(tmp_path, "empty.txt", b"")
    binary = write(tmp_path, "scan.pdf.txt", b"%PDF-1.7\n\x00\x01\x02binary")
    result = runner.invoke(args=["mine", good, empty, binary])
    assert result.exit_code != 0  # something was refused
    assert "empty.txt: the file is empty" in result.output
    assert "scan.pdf.txt" in result.output and "Traceback" not in result.output
    assert "2 file(s) refused, the others mined:" in result.output
    assert db.session.scalars(select(Source.filename)).all() == ["good.txt"] and count(db, Candidate) > 0
    alone = runner.invoke(args=["mine", empty])
    assert alone.exit_code != 0 and "nothing was mined" in alone.output


def test_large_file_is_mined(runner, db, tmp_path):
    big = write(tmp_path, "big.txt", (ARTICLE * 5_000).encode())  # about 400 kB, 10,000 definitions
    result = runner.invoke(args=["mine", big])
    assert result.exit_code == 0, result.output
    af = db.session.scalar(select(Candidate).where(Candidate.abbr == "AF"))
    assert af.count == 5_000
    assert 0 < len(af.evidence) <= 20  # a few sentences to review, the count keeps the total


def test_pdf_word_markdown_and_html_are_mined_with_pages(runner, db, tmp_path):
    built = build_pdf(columns=2, page_height=160)
    files = [
        write(tmp_path, "review.pdf", built.data),
        write(tmp_path, "notes.docx", build_docx()),
        write(tmp_path, "article.md", build_markdown().encode()),
        write(tmp_path, "saved.html", build_html().encode()),
    ]
    result = runner.invoke(args=["mine", *files])
    assert result.exit_code == 0, result.output
    assert "4 of 4 files mined" in result.output
    kinds = {source.filename: (source.kind, source.pages) for source in db.session.scalars(select(Source))}
    pages = len({page for page, _ in built.lines})
    assert kinds == {
        "review.pdf": ("pdf", pages),
        "notes.docx": ("docx", None),
        "article.md": ("markdown", None),
        "saved.html": ("html", None),
    }
    pdf_pages = {e.page for e in db.session.scalars(select(Evidence).join(Source).where(Source.kind == "pdf"))}
    assert len(pdf_pages) >= 2 and pdf_pages <= set(range(1, pages + 1))
    assert {e.page for e in db.session.scalars(select(Evidence).join(Source).where(Source.kind != "pdf"))} == {None}


def test_dry_run_reads_a_pdf_as_its_text(runner, tmp_path):
    from_pdf = runner.invoke(args=["mine", "--dry-run", write(tmp_path, "a.pdf", build_pdf(columns=2).data)])
    from_text = runner.invoke(args=["mine", "--dry-run", write(tmp_path, "a.txt", article_text().encode())])
    assert from_pdf.exit_code == from_text.exit_code == 0

    def pairs(output: str) -> set[tuple[str, str, str]]:
        return {(row["zh"], row["en"], row["abbr"]) for row in map(json.loads, output.splitlines())}

    assert pairs(from_pdf.stdout) == pairs(from_text.stdout) and len(pairs(from_text.stdout)) >= 6
    pages = {source["page"] for row in map(json.loads, from_pdf.stdout.splitlines()) for source in row["sources"]}
    assert pages == {1, 2}
    assert all(
        "page" not in source for row in map(json.loads, from_text.stdout.splitlines()) for source in row["sources"]
    )


def test_dry_run_offsets_point_into_the_markdown_as_written(runner, tmp_path):
    markdown = build_markdown()
    result = runner.invoke(args=["mine", "--dry-run", write(tmp_path, "a.md", markdown.encode())])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    oxytocin = next(row for row in rows if row["en"] == "oxytocin")
    (source,) = oxytocin["sources"]
    span = markdown[source["start"] : source["end"]]
    assert source["file"].endswith("a.md") and span.startswith("催产素") and "*oxytocin*" in span


@pytest.mark.parametrize(("filename", "build", "reason"), BAD_UPLOADS, ids=[case[0] for case in BAD_UPLOADS])
def test_bad_documents_stop_the_run_with_the_reason(app, runner, db, tmp_path, filename, build, reason):
    app.config["INGEST_MAX_PDF_PAGES"] = LONG_PDF_LIMIT
    bad = write(tmp_path, filename, build())
    result = runner.invoke(args=["mine", bad])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{filename}: " in result.output and reason in result.output and "nothing was mined" in result.output
    assert count(db, Source) == count(db, Candidate) == count(db, Evidence) == 0
    # Beside a good file, as on the page and in the API: the good one is mined, the run still fails.
    good = write(tmp_path, "good.txt", ARTICLE.encode())
    mixed = runner.invoke(args=["mine", good, bad])
    assert mixed.exit_code != 0 and f"{filename}: " in mixed.output and "the others mined" in mixed.output
    assert db.session.scalars(select(Source.filename)).all() == ["good.txt"]
