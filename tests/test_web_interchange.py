"""Import page (admins: dry-run report, then apply all or nothing) and export page (everyone)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from glossary.formats import FORMATS, parse_glossary
from glossary.models import Concept, Revision, Term

from .test_web_support import PASSWORD, add_concept, add_user, csrf_token_from, logged_in, login

CSV = "zh,en,abbr,domain\n催产素,oxytocin,,neuroendocrinology\n褪黑素,melatonin,MT,sleep\n"


@pytest.fixture()
def admin(db, client):
    return logged_in(db, client, "admin")


def preview(client, content: bytes, name: str = "terms.csv", **fields):
    data = {"file": (io.BytesIO(content), name), **fields}
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


def apply_from(client, page: bytes):
    """Post the page's "Apply" form as a browser would."""
    html = page.decode()
    fields = dict(re.findall(r'<input id="(upload_id|sha256)" name="\1" type="hidden" value="([0-9a-f]+)">', html))
    assert set(fields) == {"upload_id", "sha256"}, "no Apply form in the page"
    return client.post("/admin/import/apply", data=fields)


def count(db, model=Concept) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def waiting_files(app) -> list[str]:
    folder = Path(app.instance_path) / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def test_dry_run_shows_the_report_and_writes_nothing(db, admin, app):
    add_concept(db, "催产素", "oxytocin")
    response = preview(admin, CSV.encode("utf-8"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing has been written yet" in html
    row = r'<tr class="outcome-(\w+)">\s*<td data-label="Line">(\d+)</td>.*?<td lang="zh-Hans">([^<]+)</td>'
    rows = re.findall(row, html, re.S)
    assert rows == [("merged", "2", "催产素 / oxytocin"), ("new", "3", "褪黑素 / melatonin")]
    assert "domain added" in html
    assert '<li class="outcome-new"><span class="count">1</span> new</li>' in html
    assert count(db) == 1 and count(db, Revision) == 1
    assert len(waiting_files(app)) == 2  # the file and its description, until applied


def test_apply_imports_in_one_go_and_the_file_is_gone(db, admin, app):
    page = preview(admin, CSV.encode("utf-8")).data
    applied = apply_from(admin, page)
    assert applied.status_code == 200 and "Imported: 2 new" in applied.get_data(as_text=True)
    assert count(db) == 2 and db.session.scalar(select(Term).where(Term.text == "MT")).kind == "abbreviation"
    assert {r.user_name for r in db.session.scalars(select(Revision))} == {"ada"}
    assert waiting_files(app) == []
    again = apply_from(admin, page)
    assert again.status_code == 404 and "unknown or was already applied" in again.get_data(as_text=True)
    assert count(db) == 2


def test_mapping_names_the_columns_and_a_bad_one_is_explained(db, admin):
    raw = "Chinese,English,Abbrev\n褪黑素,melatonin,MT\n".encode()
    response = preview(admin, raw, mapping="zh=Chinese,en=English,abbr=Abbrev")
    assert response.status_code == 200 and "褪黑素 / melatonin" in response.get_data(as_text=True)
    bad = preview(admin, raw, mapping="zh=Chinese,en=Englisch")
    assert bad.status_code == 422
    assert "&#39;Englisch&#39; (mapped to en) is not in the header" in bad.get_data(as_text=True)


@pytest.mark.parametrize(("raw", "name", "message"), [
    ("zh,en\n催产素,oxytocin\n褪黑素,melatonin,extra\n".encode(), "bad.csv",
     ["(line 3)", "expected 2 cells as in the header, found 3"]),
    (b'<?xml version="1.0"?>\n<html><body>not a glossary</body></html>', "page.xml", ["this XML file is not TBX"]),
    (b"", "empty.csv", ["the file is empty"]),
    (bytes(range(256)) * 4, "data.bin", ["binary file"]),
    (b'{"concepts": [', "backup.json", ["(line 1)", "not valid JSON"]),
])  # fmt: skip
def test_a_bad_file_is_explained_and_nothing_is_written(db, admin, app, raw, name, message):
    add_concept(db, "催产素", "oxytocin")
    response = preview(admin, raw, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported" in html
    assert all(fragment in html for fragment in message), html
    assert name in html and count(db) == 1 and waiting_files(app) == []


def test_malformed_entries_are_listed_by_line_and_cannot_be_applied(db, admin, app):
    raw = "zh,en\n催产素,oxytocin\nnot chinese,melatonin\n".encode()
    response = preview(admin, raw)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "1 malformed entry" in html and "Apply" not in html
    assert re.search(r'<tr class="outcome-error">\s*<td data-label="Line">3</td>', html)
    assert "must contain Chinese characters" in html
    assert count(db) == 0 and waiting_files(app) == []


def test_gb18030_csv_imports_correctly(db, admin):
    raw = "中文,英文,缩写\n促肾上腺皮质激素,adrenocorticotropic hormone,ACTH\n".encode("gb18030")
    page = preview(admin, raw)
    assert "gb18030" in page.get_data(as_text=True)
    assert apply_from(admin, page.data).status_code == 200
    concept = db.session.scalar(select(Concept))
    assert {t.text for t in concept.terms} == {"促肾上腺皮质激素", "adrenocorticotropic hormone", "ACTH"}


def test_every_value_is_escaped(db, admin):
    raw = 'zh,en,note\n催产素,"<script>alert(1)</script>",x\n'.encode()
    html = preview(admin, raw, "<b>name</b>.csv").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>name</b>" not in html


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"upload_id": "0" * 32, "sha256": "0" * 64}, 404, "unknown or was already applied"),
    ({"upload_id": "../../secret_key", "sha256": "0" * 64}, 400, "not one of ours"),
    ({}, 400, "not one of ours"),
])  # fmt: skip
def test_unknown_upload_ids_are_refused(db, admin, fields, status, message):
    response = admin.post("/admin/import/apply", data=fields)
    assert response.status_code == status and message in response.get_data(as_text=True)


def test_an_expired_or_altered_upload_is_refused(make_app):
    app = make_app(IMPORT_UPLOAD_MAX_AGE=-1)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        logged_in(db, client, "admin")
        page = preview(client, CSV.encode()).data
        expired = apply_from(client, page)
        assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
        app.config["IMPORT_UPLOAD_MAX_AGE"] = 3600
        page = preview(client, CSV.encode()).data
        upload_id = re.search(rb'name="upload_id" type="hidden" value="(\w+)"', page).group(1).decode()
        with (Path(app.instance_path) / "imports" / f"{upload_id}.upload").open("ab") as stored:
            stored.write("胰岛素,insulin,,\n".encode())
        altered = apply_from(client, page)
        assert altered.status_code == 409 and "changed since the preview" in altered.get_data(as_text=True)
        assert count(db) == 0 and waiting_files(app) == []


def test_only_admins_import(db, client, app):
    assert client.get("/admin/import").status_code == 302  # to the log-in page
    for role in ("viewer", "curator"):
        user = app.test_client()
        logged_in(db, user, role)
        assert user.get("/admin/import").status_code == 403
        assert preview(user, CSV.encode()).status_code == 403
        assert user.post("/admin/import/apply", data={"upload_id": "0" * 32, "sha256": "0" * 64}).status_code == 403
        assert 'href="/admin/import"' not in user.get("/").get_data(as_text=True)
    assert count(db) == 0


def test_another_admin_cannot_apply_my_upload(make_app):
    # Its own app, with no app context held across requests: Flask-Login keeps the user in ``g``.
    app = make_app()
    with app.app_context():
        from glossary.extensions import db

        add_user(db, "ada", "admin")
        add_user(db, "bo", "admin")
    mine, theirs = app.test_client(), app.test_client()
    login(mine, "ada")
    login(theirs, "bo")
    page = preview(mine, CSV.encode()).data
    refused = apply_from(theirs, page)
    assert refused.status_code == 403 and "another admin" in refused.get_data(as_text=True)
    assert apply_from(mine, page).status_code == 200
    with app.app_context():
        assert count(db) == 2


def test_import_refuses_a_post_without_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        add_user(db, "ada", "admin")
        token = csrf_token_from(client.get("/login").data)
        client.post("/login", data={"name": "ada", "password": PASSWORD, "csrf_token": token})
        refused = preview(client, CSV.encode())
        assert refused.status_code == 400 and "Form refused" in refused.get_data(as_text=True)
        token = csrf_token_from(client.get("/admin/import").data)
        page = preview(client, CSV.encode(), csrf_token=token)
        assert page.status_code == 200
        upload_id = re.search(rb'name="upload_id" type="hidden" value="(\w+)"', page.data).group(1).decode()
        assert client.post("/admin/import/apply", data={"upload_id": upload_id}).status_code == 400
        assert count(db) == 0


def test_too_big_a_file_gets_the_413_page(make_app):
    app = make_app(MAX_CONTENT_LENGTH=2048)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        logged_in(db, client, "admin")
        response = preview(client, ("催产素,oxytocin\n" * 200).encode())
        assert response.status_code == 413 and "too large" in response.get_data(as_text=True)
        assert count(db) == 0 and waiting_files(app) == []


@pytest.fixture()
def glossary(db):
    add_concept(db, "催产素", "oxytocin", domain="neuroendocrinology")
    add_concept(db, "褪黑素", "melatonin", "MT", domain="sleep")
    add_concept(db, "草稿术语", "draft term", status="draft")


@pytest.mark.parametrize("choice", ["tbx", "tbx3", "csv", "tsv-zh-en", "tsv-en-zh", "json"])
def test_export_downloads_each_format_and_it_reads_back(glossary, client, choice):
    response = client.get(f"/export?format={choice}&status=approved")
    fmt, _, direction = choice.partition("-")
    info = FORMATS[fmt]
    assert response.status_code == 200 and response.headers["Content-Type"] == info.media_type
    disposition = response.headers["Content-Disposition"]
    name = rf"glossary-[\w-]+-approved-\d{{4}}-\d\d-\d\d\.{info.extension}"
    assert re.fullmatch(f"attachment; filename={name}", disposition), disposition
    parsed = parse_glossary(response.data, fmt, direction=direction or None)
    pairs = {tuple(sorted(t["text"] for t in c["terms"] if t["kind"] == "full")) for c in parsed.concepts}
    assert pairs == {("oxytocin", "催产素"), ("melatonin", "褪黑素")}


def test_export_page_form_filters_and_bad_choices(glossary, client):
    page = client.get("/export").get_data(as_text=True)
    assert 'name="format"' in page and "OmegaT" in page and 'href="/export"' in page
    everything = parse_glossary(client.get("/export?format=json&status=").data, "json")
    assert len(everything.concepts) == 3
    bad = client.get("/export?format=docx")
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)


def test_a_json_export_restores_through_the_import_page(glossary, db, admin):
    backup = admin.get("/export?format=json&status=").data
    ids = {c.id for c in db.session.scalars(select(Concept))}
    db.session.execute(Term.__table__.delete())
    db.session.execute(Concept.__table__.delete())
    db.session.commit()
    page = preview(admin, backup, "backup.json")
    assert page.status_code == 200 and "Read as json" in page.get_data(as_text=True)
    assert apply_from(admin, page.data).status_code == 200
    assert {c.id for c in db.session.scalars(select(Concept))} == ids
    assert json.loads(admin.get("/export?format=json&status=").data)["concepts"] == json.loads(backup)["concepts"]


def test_importing_a_duplicate_creates_no_second_concept_and_names_the_existing_one(db, admin):
    existing = add_concept(db, "催产素", "oxytocin", domain="neuroendocrinology")
    csv = "zh,en,domain\n催產素,Oxytocin,neuroendocrinology\n催产素,oxytocin,obstetrics\n"
    page = preview(admin, csv.encode("utf-8"))
    html = page.get_data(as_text=True)
    outcomes = re.findall(r'<tr class="outcome-(\w+)">.*?href="/concepts/(\d+)"', html, re.S)
    assert outcomes == [("unchanged", str(existing.id)), ("conflicting", str(existing.id))]
    assert apply_from(admin, page.data).status_code == 200
    assert count(db) == 1
