"""Uploading articles to mine through the API."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import delete, func, select

from glossary.models import Candidate, Evidence, Source

from .ingest.documents import (
    BAD_UPLOADS,
    LONG_PDF_LIMIT,
    article_text,
    build_docx,
    build_html,
    build_markdown,
    build_pdf,
)
from .test_api_concepts import token_for
from .test_api_openapi import assert_conforms

ARTICLE = (
    "肠道菌群与焦虑\n\n研究表明，催产素（oxytocin）可以缓解焦虑。肠道菌群产生短链脂肪酸"
    "（short-chain fatty acids，SCFAs），SCFAs 影响下丘脑-垂体-肾上腺轴（HPA）。\n"
)


def upload(client, headers, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/api/v1/documents", data=data, headers=headers, content_type="multipart/form-data")


def test_upload_mines_into_the_review_queue(client, db):
    curator = token_for(db, "curator")
    response = upload(client, curator, ("review.txt", ARTICLE.encode("gb18030")))
    assert response.status_code == 200
    assert_conforms(response, "/documents", "post")
    report = response.get_json()
    assert report["files"][0]["status"] == "mined" and report["new_candidates"] >= 2
    queue = client.get("/api/v1/candidates", headers=curator).get_json()
    assert {"oxytocin", "short-chain fatty acids"} <= {c["en"] for c in queue["results"]}
    again = upload(client, curator, ("copy.txt", ARTICLE.encode("gb18030"))).get_json()
    assert again["files"][0]["status"] == "already mined" and again["new_candidates"] == 0


def test_upload_errors(client, db):
    assert upload(client, {}, ("a.txt", b"x")).status_code == 401
    assert upload(client, token_for(db, "viewer"), ("a.txt", b"x")).status_code == 403
    curator = token_for(db, "curator", "cura")
    response = client.post("/api/v1/documents", headers=curator, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert_conforms(response, "/documents", "post")
    response = upload(client, curator, ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)))
    assert response.status_code == 422
    assert_conforms(response, "/documents", "post")
    assert client.get("/api/v1/candidates", headers=curator).get_json()["total"] == 0


@pytest.fixture()
def pdf_limit(app):
    app.config["INGEST_MAX_PDF_PAGES"] = LONG_PDF_LIMIT


def candidate_pairs(db) -> set[tuple[str, str, str]]:
    return {(c.zh, c.en, c.abbr) for c in db.session.scalars(select(Candidate))}


@pytest.mark.parametrize(
    ("filename", "build", "kind"),
    [
        ("two-column.pdf", lambda: build_pdf(columns=2).data, "pdf"),
        ("article.docx", build_docx, "docx"),
        ("article.md", lambda: build_markdown().encode(), "markdown"),
        ("saved.html", lambda: build_html().encode(), "html"),
    ],
)
def test_every_type_mines_what_its_plain_text_mines(client, db, filename, build, kind):
    curator = token_for(db, "curator")
    response = upload(client, curator, (filename, build()))
    assert response.status_code == 200, response.get_json()
    assert_conforms(response, "/documents", "post")
    (report,) = response.get_json()["files"]
    assert report["kind"] == kind and report["status"] == "mined" and report["characters"] > 300
    source = db.session.scalar(select(Source))
    assert (source.kind, source.characters) == (kind, report["characters"])
    from_document = candidate_pairs(db)
    # The same article as .txt, into an empty glossary: the same pairs.
    db.session.execute(delete(Evidence))
    db.session.execute(delete(Candidate))
    db.session.execute(delete(Source))
    db.session.commit()
    assert upload(client, curator, ("article.txt", article_text().encode())).status_code == 200
    assert candidate_pairs(db) == from_document and len(from_document) >= 6


def test_pdf_evidence_carries_its_page(client, db):
    built = build_pdf(columns=2, page_height=160)
    response = upload(client, token_for(db, "curator"), ("review.pdf", built.data))
    (report,) = response.get_json()["files"]
    assert report["kind"] == "pdf" and report["pages"] == len({page for page, _ in built.lines}) >= 3
    source = db.session.scalar(select(Source))
    assert source.pages == report["pages"]
    pages_seen = set()
    for evidence in db.session.scalars(select(Evidence)):
        candidate = evidence.candidate
        # The page the builder drew the pair on, when one page holds all of it.
        drawn = built.page_of(f"{candidate.zh}（{candidate.en}")
        assert drawn is None or evidence.page == drawn, (candidate.zh, evidence.page, drawn)
        pages_seen.add(drawn)
    assert len(pages_seen - {None}) >= 2


@pytest.mark.parametrize(("filename", "build", "reason"), BAD_UPLOADS, ids=[case[0] for case in BAD_UPLOADS])
def test_bad_documents_are_refused_with_the_reason_and_nothing_stored(client, db, pdf_limit, filename, build, reason):
    curator = token_for(db, "curator")
    alone = upload(client, curator, (filename, build()))
    assert alone.status_code == 422
    assert_conforms(alone, "/documents", "post")
    error = alone.get_json()["error"]
    assert filename in error["message"] and reason in error["message"]
    assert [refusal["filename"] for refusal in error["refused"]] == [filename]
    assert db.session.scalar(select(func.count()).select_from(Source)) == 0
    assert db.session.scalar(select(func.count()).select_from(Candidate)) == 0
    # Beside a good file, as on the page: the good one is mined, the bad one reported with its reason.
    both = upload(client, curator, ("good.txt", article_text().encode()), (filename, build()))
    assert both.status_code == 200
    assert_conforms(both, "/documents", "post")
    files = {item["filename"]: item for item in both.get_json()["files"]}
    assert files["good.txt"]["status"] == "mined" and files["good.txt"]["new_candidates"] > 0
    assert files[filename]["status"] == "refused" and files[filename]["code"]
    assert reason in f"{filename}: {files[filename]['reason']}" or reason in files[filename]["code"]
    assert db.session.scalars(select(Source.filename)).all() == ["good.txt"]


def test_markdown_and_html_evidence_points_into_the_file_as_written(client, db):
    curator = token_for(db, "curator")
    markdown, page = build_markdown(), build_html()
    assert upload(client, curator, ("a.md", markdown.encode()), ("b.html", page.encode())).status_code == 200
    originals = {"a.md": markdown, "b.html": page}
    spans = {}
    for evidence in db.session.scalars(select(Evidence).join(Candidate).where(Candidate.en == "oxytocin")):
        spans[evidence.source.filename] = originals[evidence.source.filename][evidence.start : evidence.end]
        assert evidence.page is None
    assert spans["a.md"].startswith("催产素**") and "*oxytocin*" in spans["a.md"]
    assert spans["b.html"].startswith("催产素") and "oxytocin" in spans["b.html"]
    # A sentence after an entity and a table still maps to its own characters.
    (tph,) = db.session.scalars(
        select(Evidence).join(Source).join(Candidate).where(Source.filename == "b.html", Candidate.abbr == "TPH")
    )
    assert page[tph.start : tph.end].startswith("色氨酸羟化酶") and "&#xFF0C;" in page[tph.start : tph.end]


def test_the_page_reaches_the_candidates_api_and_the_review_queue(client, db):
    built = build_pdf(columns=2, page_height=160)
    curator = token_for(db, "curator")
    assert upload(client, curator, ("review.pdf", built.data)).status_code == 200
    answer = client.get("/api/v1/candidates", headers=curator)
    assert answer.status_code == 200
    assert_conforms(answer, "/candidates")
    pages = {e["page"] for c in answer.get_json()["results"] for e in c["evidence"]}
    assert pages and all(isinstance(page, int) and page >= 1 for page in pages)
    from .test_web_support import logged_in

    queue = logged_in(db, client, "curator", name="reviewer").get("/review").get_data(as_text=True)
    assert re.search(r"review\.pdf\)?</span>, p\. \d+</cite>", queue)
