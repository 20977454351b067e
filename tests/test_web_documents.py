"""The documents page: upload articles to mine, bad uploads refused, rejected candidates stay rejected."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

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
from .test_web_support import logged_in

ARTICLE = (
    " 褪黑素与睡眠节律\n"
    "褪黑素（melatonin，MT）主要由松果体（pineal gland）在夜间分泌，其合成受到视交叉上核"
    "（suprachiasmatic nucleus，SCN）的控制。\n"
)
SECOND = (
    " 轮班工作与睡眠\n"
    "轮班工作者的松果体（pineal gland）分泌节律常被打乱，"
    "多导睡眠图（polysomnography，PSG）可客观记录睡眠结构。\n"
)


@pytest.fixture()
def curator(db, client):
    return logged_in(db, client, "curator")


def upload(client, *files, json=False):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    headers = {"Accept": "application/json"} if json else {}
    return client.post("/documents", data=data, content_type="multipart/form-data", headers=headers)


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_upload_mines_into_the_queue_and_lists_the_source(db, curator):
    response = upload(curator, ("sleep.txt", ARTICLE.encode("utf-8")))
    assert response.status_code == 302
    source = db.session.scalar(select(Source))
    assert source.filename == "sleep.txt" and source.title == "褪黑素与睡眠节律"
    page = curator.get("/documents").get_data(as_text=True)
    assert "褪黑素与睡眠节律" in page and f"/review?source={source.id}" in page
    assert f"sleep.txt (text, {len(ARTICLE)} characters): 3 candidates, 3 waiting for review." in page
    queue = curator.get(f"/review?source={source.id}").get_data(as_text=True)
    assert "suprachiasmatic nucleus" in queue and "<mark>松果体</mark>" in queue


def test_script_upload_answers_json_per_file(db, curator):
    response = upload(curator, ("sleep.txt", ARTICLE.encode("gb18030")), json=True)
    result = response.get_json()["results"][0]
    assert response.status_code == 200 and result["ok"] and result["filename"] == "sleep.txt"
    assert result["review_url"] == f"/review?source={result['source_id']}"
    assert db.session.get(Source, result["source_id"]).encoding == "gb18030"


def test_the_same_file_twice_adds_nothing(db, curator):
    upload(curator, ("sleep.txt", ARTICLE.encode("utf-8")))
    before = count(db, Evidence)
    again = upload(curator, ("copy.txt", ARTICLE.encode("utf-8")), json=True).get_json()["results"][0]
    assert again["ok"] and "already mined" in again["message"]
    assert count(db, Source) == 1 and count(db, Evidence) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_bad_uploads_say_why_and_store_nothing(db, curator, content, reason):
    response = upload(curator, ("bad.txt", content))
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert count(db, Source) == count(db, Candidate) == count(db, Evidence) == 0


def test_a_bad_file_does_not_stop_the_good_one(db, curator):
    response = upload(curator, ("empty.txt", b""), ("sleep.txt", ARTICLE.encode("utf-8")), json=True)
    first, second = response.get_json()["results"]
    assert not first["ok"] and "empty" in first["message"]
    assert second["ok"] and count(db, Source) == 1


def test_no_file_chosen(db, curator):
    response = curator.post("/documents", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose at least one" in response.get_data(as_text=True)


def test_too_big_an_upload_is_a_413_page(make_app):
    app = make_app(MAX_CONTENT_LENGTH=2048)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        logged_in(db, client, "curator")
        response = upload(client, ("big.txt", ("催产素" * 2000).encode("utf-8")))
        assert response.status_code == 413
        assert "too large" in response.get_data(as_text=True)
        assert count(db, Source) == 0


def test_rejected_candidates_stay_rejected_after_re_mining(db, curator):
    upload(curator, ("sleep.txt", ARTICLE.encode("utf-8")))
    gland = db.session.scalar(select(Candidate).where(Candidate.en == "pineal gland"))
    curator.post(f"/review/{gland.id}/reject")
    # Another article proposes the same pair again.
    upload(curator, ("shift.txt", SECOND.encode("utf-8")))
    db.session.expire_all()
    assert db.session.get(Candidate, gland.id).status == "rejected"
    assert count(db, Source) == 2
    assert db.session.scalar(select(func.count()).select_from(Candidate).where(Candidate.en == "pineal gland")) == 1
    queue = curator.get("/review").get_data(as_text=True).split('id="queue"')[1]
    assert '<span class="en" lang="en">polysomnography</span>' in queue
    assert '<span class="en" lang="en">pineal gland</span>' not in queue


def test_several_types_at_once_and_the_source_list_shows_type_pages_and_characters(db, curator):
    built = build_pdf(columns=2)
    response = upload(
        curator,
        ("review.pdf", built.data),
        ("notes.docx", build_docx()),
        ("article.md", build_markdown().encode()),
        ("saved.html", build_html().encode()),
    )
    assert response.status_code == 302
    sources = {source.kind: source for source in db.session.scalars(select(Source))}
    assert set(sources) == {"pdf", "docx", "markdown", "html"}
    assert sources["pdf"].pages == len({page for page, _ in built.lines}) >= 2
    assert sources["docx"].pages is None and sources["html"].characters == len(article_text().strip())
    page = curator.get("/documents").get_data(as_text=True)
    assert "review.pdf (PDF, 2 pages, " in page and "saved.html (HTML, " in page
    for source in sources.values():
        row = page[page.index(f"/review?source={source.id}") - 1500 : page.index(f"/review?source={source.id}")]
        kind = row[row.rindex('class="source-kind">') :]
        assert {"pdf": ">PDF<", "docx": ">Word<", "markdown": ">Markdown<", "html": ">HTML<"}[source.kind] in kind
        assert f'class="source-characters">{source.characters:,}<' in kind
        assert f'class="source-pages">{source.pages or "—"}<' in kind


def test_the_page_accepts_the_new_types(db, curator):
    page = curator.get("/documents").get_data(as_text=True)
    assert 'accept=".pdf,.docx,.md,.markdown,.html,.htm,.txt"' in page and 'id="drop-zone"' in page


@pytest.mark.parametrize(("filename", "build", "reason"), BAD_UPLOADS, ids=[case[0] for case in BAD_UPLOADS])
def test_bad_documents_say_why_and_store_nothing(app, db, curator, filename, build, reason):
    app.config["INGEST_MAX_PDF_PAGES"] = LONG_PDF_LIMIT
    response = upload(curator, (filename, build()), json=True)
    assert response.status_code == 422
    (result,) = response.get_json()["results"]
    assert not result["ok"] and result["message"].startswith(f"{filename}: ") and reason in result["message"]
    page = upload(curator, (filename, build()))
    assert page.status_code == 422 and reason in page.get_data(as_text=True)
    assert count(db, Source) == count(db, Candidate) == count(db, Evidence) == 0
