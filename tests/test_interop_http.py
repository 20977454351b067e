"""Issue 17 through the doors people use: the export page, the API, the CLI and the import's dry run."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from lxml import etree
from sqlalchemy import select

from glossary.formats import COLUMNS, XCS_FILE, parse_glossary
from glossary.models import Revision
from glossary.services.concepts import create_concept
from glossary.services.interchange import export_glossary_data

from .test_web_support import logged_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Another tool's TBX with Spanish and Zulu sections beside Chinese and English.
FOREIGN_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="x1"><langSet xml:lang="zh-CN"><tig><term>雌激素</term></tig></langSet>
<langSet xml:lang="en"><tig><term>estrogen</term></tig></langSet>
<langSet xml:lang="es"><tig><term>estrógeno</term></tig></langSet>
<langSet xml:lang="zu"><tig><term>i-estrogen</term></tig></langSet></termEntry>
</body></text></martif>
""".encode()


@pytest.fixture()
def glossary(db):
    create_concept(db.session, {"domain": "neuroendocrinology", "terms": [
        {"lang": "zh", "text": "催产素", "zh_hant": "催產素"}, {"lang": "en", "text": "oxytocin"},
        {"lang": "en", "text": "OT", "kind": "abbreviation", "status": "admitted"},
        {"lang": "en", "text": "ocytocin", "kind": "variant", "status": "admitted"},
        {"lang": "en", "text": "CD4|CD8 ratio", "status": "admitted"},
        {"lang": "en", "text": "oxytocin, synthetic", "status": "admitted"}]}, None)  # fmt: skip
    create_concept(db.session, {"terms": [{"lang": "zh", "text": "核因子E2相关因子2"},
                                          {"lang": "en", "text": "Nrf2", "kind": "abbreviation"}]}, None)  # fmt: skip
    melatonin = [{"lang": "zh", "text": "褪黑素"}, {"lang": "en", "text": "melatonin"}]
    create_concept(db.session, {"note": "=SUM(A1:A2)", "terms": melatonin}, None)
    db.session.commit()


def terms_of(data: dict) -> list[list[tuple]]:
    return [sorted((t["lang"], t["text"], t["kind"], t["status"]) for t in c["terms"]) for c in data["concepts"]]


def filename(response) -> str:
    return re.fullmatch(r"attachment; filename=(.+)", response.headers["Content-Disposition"]).group(1)


# Point 6: XLSX on the API, the page and the CLI.


def test_xlsx_from_the_api_opens_with_chinese_and_text_cells(client, glossary):
    response = client.get("/api/v1/export?format=xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert filename(response).startswith("glossary-xlsx-approved-") and filename(response).endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(values_only=False)]
    assert rows[0] == list(COLUMNS)
    assert [row[COLUMNS.index("zh")] for row in rows[1:]] == ["催产素", "核因子E2相关因子2", "褪黑素"]
    note = sheet.cell(row=4, column=COLUMNS.index("note") + 1)
    assert (note.value, note.data_type) == ("=SUM(A1:A2)", "s"), "a formula-looking note stays text, unguarded"


def test_xlsx_from_the_page_and_the_cli(client, runner, glossary, tmp_path):
    page = client.get("/export").get_data(as_text=True)
    assert '<option value="xlsx">' in page
    response = client.get("/export?format=xlsx&status=approved")
    assert response.status_code == 200 and response.mimetype == XLSX
    target = tmp_path / "terms.xlsx"
    result = runner.invoke(args=["export", "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).active.max_row == 4


def test_an_xlsx_upload_is_refused_with_a_reason_and_writes_nothing(db, client, glossary):
    admin = logged_in(db, client, "admin")
    workbook = client.get("/api/v1/export?format=xlsx").data
    response = admin.post("/admin/import", data={"file": (io.BytesIO(workbook), "terms.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 422
    assert "save the sheet as CSV UTF-8" in response.get_data(as_text=True)


# Point 5: distinct OmegaT file names, and a TSV round trip through the database without loss.


def test_both_omegat_directions_have_their_own_file_name(client, glossary):
    api = {filename(client.get(f"/api/v1/export?format=tsv&direction={d}")) for d in ("zh-en", "en-zh")}
    page = {filename(client.get(f"/export?format=tsv-{d}&status=approved")) for d in ("zh-en", "en-zh")}
    assert len(api) == 2 and len(page) == 2
    assert any("-tsv-en-zh-" in name for name in api) and any("-tsv-zh-en-" in name for name in page)


@pytest.mark.parametrize("fmt", ["tsv-zh-en", "tsv-en-zh", "csv"])
def test_export_then_import_into_an_empty_database_keeps_every_term(client, runner, db, glossary, tmp_path, fmt):
    before = export_glossary_data(db.session)
    exported = tmp_path / "glossary.txt"
    exported.write_bytes(client.get(f"/export?format={fmt}&status=").data)
    db.session.remove()
    db.drop_all()
    db.create_all()
    result = runner.invoke(args=["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert terms_of(export_glossary_data(db.session)) == terms_of(before)


# Point 2, 3 and 9: TBX options on every door; the XCS the file names can be downloaded.


def test_tbx_language_tags_and_doctype_on_the_api(client, glossary):
    default = client.get("/api/v1/export?format=tbx").data
    assert b"<!DOCTYPE" not in default and b'xml:lang="zh-Hans"' in default and b'xml:lang="zh-Hant"' in default
    region = client.get("/api/v1/export?format=tbx3&zh_tags=region")
    assert b'xml:lang="zh-CN"' in region.data and b'xml:lang="zh-TW"' in region.data
    assert b"<?xml-model " in region.data and "-zh-CN-" in filename(region)
    with_doctype = client.get("/api/v1/export?format=tbx&doctype=true").data
    assert b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">' in with_doctype
    for query in ("format=tbx&zh_tags=zh", "format=tbx&doctype=yes"):
        bad = client.get(f"/api/v1/export?{query}")
        assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_parameter"


def test_tbx_options_on_the_page_and_the_cli(client, runner, glossary, tmp_path):
    page = client.get("/export?format=tbx&status=approved&zh_tags=region&doctype=y").data
    assert b"<!DOCTYPE martif" in page and b'xml:lang="zh-CN"' in page
    target = tmp_path / "g.tbx"
    result = runner.invoke(args=["export", "--format", "tbx", "--zh-tags", "region", "--doctype", "-o", str(target)])
    assert result.exit_code == 0, result.output
    langs = {node.get(XML_LANG) for node in etree.parse(str(target)).iter("langSet")}
    assert langs == {"zh-CN", "zh-TW", "en"}


def test_the_xcs_named_by_the_tbx_downloads_from_the_page(client, glossary):
    tbx = etree.fromstring(client.get("/api/v1/export?format=tbx").data)
    name = tbx.find("martifHeader/encodingDesc/p[@type='XCSURI']").text
    page = client.get("/export").get_data(as_text=True)
    assert f'href="/export/{name}"' in page
    response = client.get(f"/export/{name}")
    assert response.status_code == 200 and response.data == XCS_FILE.read_bytes()
    languages = {code.text for code in etree.fromstring(response.data).iter("langCode")}
    assert {node.get(XML_LANG) for node in tbx.iter("langSet")} <= languages


# Point 7: the dry run says which language sections it skips; the page says what TBX drops.


def test_the_dry_run_reports_skipped_languages_on_the_page(db, client):
    admin = logged_in(db, client, "admin")
    response = admin.post("/admin/import", data={"file": (io.BytesIO(FOREIGN_TBX), "sample.tbx")},
                          content_type="multipart/form-data")  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<details class="import-warnings" open>' in html
    assert "1 language section in &#39;es&#39; skipped" in html and "1 language section in &#39;zu&#39; skipped" in html


def test_the_cli_dry_run_reports_skipped_languages(runner, db, tmp_path):
    path = tmp_path / "sample.tbx"
    path.write_bytes(FOREIGN_TBX)
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "warning: 1 language section in 'es' skipped" in result.output
    assert "Dry run: nothing was written." in result.output


def test_a_tbx_round_trip_drops_evidence_and_the_page_says_so(client, runner, db, glossary, tmp_path):
    from glossary.models import Evidence, Source

    source = Source(sha256="b7" * 32, filename="review.txt", title=None, size=10)
    db.session.add(source)
    db.session.flush()
    db.session.add(Evidence(source_id=source.id, concept_id=1, term="催产素", sentence="催产素升高。", start=0, end=3))
    db.session.commit()
    path = tmp_path / "g.tbx"
    path.write_bytes(client.get("/api/v1/export?format=tbx").data)
    assert "催产素升高。" in path.read_text(encoding="utf-8"), "the sentence is in the file as a context"
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert "; 1 evidence sentences left out (no known source document)" in result.output, result.output
    page = client.get("/export").get_data(as_text=True)
    assert "does not restore evidence" in page and "JSON keeps everything" in page


# The export page says which format suits which tool.


def test_the_export_page_says_which_format_suits_which_tool(client):
    page = client.get("/export").get_data(as_text=True)
    guide = dict(re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", page, re.S))
    wanted = {"Trados": "TBX-Basic (2008)", "memoQ": "TBX-Basic (2008)", "OmegaT": "OmegaT glossary",
              "Excel": "XLSX", "LibreOffice": "XLSX", "scripts": "CSV", "backup": "JSON"}  # fmt: skip
    for tool, fmt in wanted.items():
        rows = [answer for who, answer in guide.items() if tool in who]
        assert rows and fmt in rows[0], (tool, guide)
    assert "OmegaT 3.6 cannot read TBX v3" in guide[next(who for who in guide if "OmegaT" in who)]
    assert "without a DOCTYPE" in page


def test_the_import_reads_what_the_export_tags(client, glossary):
    for query in ("format=tbx", "format=tbx3&zh_tags=region"):
        parsed = parse_glossary(client.get(f"/api/v1/export?{query}").data)
        first = parsed.concepts[0]["terms"][0]
        assert (first["lang"], first["text"], first["zh_hant"]) == ("zh", "催产素", "催產素")


@pytest.mark.parametrize("fmt", ["json", "tbx"])
@pytest.mark.parametrize("existing", [False, True])
def test_an_import_keeps_the_traditional_form_the_file_gives(client, runner, db, tmp_path, fmt, existing):
    """A curated traditional form (台灣, where OpenCC writes 臺灣) survives export and import, into an
    empty glossary and beside a concept the glossary has; a term the glossary already has keeps its own."""
    for zh, en in (("台湾同胞", "compatriots"), ("台湾", "Taiwan")):
        terms = [{"lang": "zh", "text": zh, "zh_hant": zh.replace("台湾", "台灣")}, {"lang": "en", "text": en}]
        create_concept(db.session, {"terms": terms}, None)
    db.session.commit()
    exported = tmp_path / f"curated.{fmt}"
    exported.write_bytes(client.get(f"/export?format={fmt}&status=").data)
    db.session.remove()
    db.drop_all()
    db.create_all()
    if existing:
        create_concept(db.session, {"terms": [{"lang": "zh", "text": "台湾"}, {"lang": "en", "text": "Taiwan"}]}, None)
        db.session.commit()
    result = runner.invoke(args=["import", str(exported)])
    assert result.exit_code == 0, result.output
    hant = {t["text"]: t.get("zh_hant") for c in export_glossary_data(db.session)["concepts"] for t in c["terms"]}
    assert hant["台湾同胞"] == "台灣同胞"
    assert hant["台湾"] == ("臺灣" if existing else "台灣")
    # The history of the new concept says what was written, curated form included.
    written = [t for after in db.session.scalars(select(Revision.after)) for t in (after or {}).get("terms", [])]
    assert any(t["text"] == "台湾同胞" and t.get("zh_hant") == "台灣同胞" for t in written)
