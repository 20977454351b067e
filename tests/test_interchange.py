"""Export and import through the database and the CLI: round trips, merging, all-or-nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from glossary.models import Concept, Evidence, Revision, Source, Term
from glossary.services.concepts import create_concept, delete_concept
from glossary.services.interchange import export_glossary_data, import_glossary

KEY = "a3f1" * 16


def seed(session) -> None:
    """Three concepts (one a draft), a gap in the ids, a source with evidence."""
    source = Source(sha256=KEY, filename="oxytocin-review.txt", title="催产素综述", size=120)
    session.add(source)
    session.flush()
    oxytocin = create_concept(session, {
        "domain": "neuroendocrinology", "definition": "A neuropeptide hormone.",
        "note": "<script>alert('x')</script> & \"q\"",
        "terms": [
            {"lang": "zh", "text": "催产素", "count": 3},
            {"lang": "zh", "text": "缩宫素", "status": "admitted"},
            {"lang": "en", "text": "oxytocin", "count": 5},
            {"lang": "en", "text": "Pitocin", "status": "deprecated"},
        ],
    }, None)  # fmt: skip
    gone = create_concept(session, {"terms": [{"lang": "en", "text": "placeholder"}]}, None)
    create_concept(session, {
        "domain": "neuroendocrinology",
        "terms": [
            {"lang": "zh", "text": "下丘脑-垂体-肾上腺轴"},
            {"lang": "zh", "text": "下丘脑垂体肾上腺轴", "kind": "variant", "status": "deprecated"},
            {"lang": "en", "text": "hypothalamic-pituitary-adrenal axis"},
            {"lang": "en", "text": "HPA", "kind": "abbreviation"},
        ],
    }, None)  # fmt: skip
    create_concept(session, {
        "domain": "neuroscience", "status": "draft",
        "terms": [
            {"lang": "zh", "text": "5-羟色胺"},
            {"lang": "en", "text": "serotonin"},
            {"lang": "en", "text": "5-HT", "kind": "abbreviation"},
            {"lang": "en", "text": "5HT", "kind": "abbreviation", "status": "deprecated"},
        ],
    }, None)  # fmt: skip
    delete_concept(session, gone.id, None)
    session.add(Evidence(source_id=source.id, concept_id=oxytocin.id, term="催产素",
                         sentence="分娩时催产素水平升高。", start=40, end=43))  # fmt: skip
    session.commit()


def empty_database(db) -> None:
    db.session.remove()
    db.drop_all()
    db.create_all()


def concept_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Concept))


def content(data: dict, with_status: bool = True) -> list[dict]:
    """What a lossy format must keep, per concept, in order."""
    return [
        {
            "domain": c["domain"], "definition": c["definition"], "note": c["note"],
            "status": c["status"] if with_status else None,
            "terms": sorted((t["lang"], t["text"], t["kind"], t["status"]) for t in c["terms"]),
        }
        for c in data["concepts"]
    ]  # fmt: skip


def test_json_export_import_into_empty_database_export_is_identical(runner, db, tmp_path):
    seed(db.session)
    backup = tmp_path / "backup.json"
    result = runner.invoke(args=["export", "--format", "json", "-o", str(backup)])
    assert result.exit_code == 0, result.output
    first = json.loads(backup.read_text(encoding="utf-8"))
    assert [c["id"] for c in first["concepts"]] == [1, 3, 4]
    assert first["concepts"][0]["evidence"][0]["source"] == KEY and first["sources"][0]["key"] == KEY

    empty_database(db)
    result = runner.invoke(args=["import", str(backup)])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 merged" in result.output

    second = export_glossary_data(db.session)
    first.pop("exported_at"), second.pop("exported_at")
    assert second == first
    # The sequence moved past the restored ids: a new concept does not collide.
    create_concept(db.session, {"terms": [{"lang": "en", "text": "melatonin"}]}, None)
    db.session.commit()


@pytest.mark.parametrize("fmt", ["tbx", "tbx3", "csv"])
def test_tbx_and_csv_round_trips_through_the_database(runner, db, tmp_path, fmt):
    seed(db.session)
    before = export_glossary_data(db.session)
    exported = tmp_path / f"glossary.{fmt}"
    assert runner.invoke(args=["export", "--format", fmt, "-o", str(exported)]).exit_code == 0

    empty_database(db)
    result = runner.invoke(args=["import", str(exported)])
    assert result.exit_code == 0, result.output
    after = export_glossary_data(db.session)
    keeps_status = fmt == "csv"  # TBX has no concept status: imports get the default, approved
    assert content(after, keeps_status) == content(before, keeps_status)
    abbreviations = {t["text"] for c in after["concepts"] for t in c["terms"] if t["kind"] == "abbreviation"}
    assert abbreviations == {"HPA", "5-HT", "5HT"}


def test_reimporting_an_own_export_changes_nothing(runner, db, tmp_path):
    seed(db.session)
    exported = tmp_path / "glossary.tbx"
    runner.invoke(args=["export", "--format", "tbx", "-o", str(exported)])
    revisions = db.session.scalar(select(func.count()).select_from(Revision))
    result = runner.invoke(args=["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 merged, 3 unchanged, 0 conflicting, 0 error" in result.output
    assert concept_count(db) == 3
    assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions


MERGE_CSV = """zh,en,abbr,domain
催产素,Oxytocin,OT,
下丘脑-垂体-肾上腺轴,,HPA,
,hypothalamic pituitary adrenal axis,HPA,
褪黑素,melatonin,,
催产素,ocytocin,,
5-羟色胺,serotonin,,pharmacology
褪黑素,Melatonin,MT,
"""


def test_import_merges_by_terms_and_reports_each_line(runner, db, tmp_path):
    seed(db.session)
    path = tmp_path / "merge.csv"
    path.write_text(MERGE_CSV, encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "line 2: merged 催产素 / Oxytocin → concept 1 (term 'OT' added)"
    assert lines[1].startswith("line 3: unchanged 下丘脑-垂体-肾上腺轴 / HPA → concept 3")
    assert lines[2] == "line 4: unchanged hypothalamic pituitary adrenal axis → concept 3"
    assert lines[3].startswith("line 5: new 褪黑素 / melatonin → concept 5")
    assert lines[4] == "line 6: conflicting 催产素 / ocytocin (shares only some terms with 1; resolve by hand)"
    assert lines[5].startswith("line 7: conflicting 5-羟色胺 / serotonin → concept 4 (domain is 'neuroscience' here")
    assert lines[6] == "line 8: merged 褪黑素 / Melatonin → concept 5 (term 'MT' added)"
    assert concept_count(db) == 4
    oxytocin = db.session.get(Concept, 1)
    assert {(t.text, t.kind) for t in oxytocin.terms} >= {("OT", "abbreviation")}
    assert db.session.get(Concept, 4).domain == "neuroscience"


def test_dry_run_reports_and_writes_nothing(runner, db, tmp_path):
    seed(db.session)
    path = tmp_path / "merge.csv"
    path.write_text(MERGE_CSV, encoding="utf-8")
    revisions = db.session.scalar(select(func.count()).select_from(Revision))
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "line 5: new 褪黑素 / melatonin" in result.output
    assert "1 new, 2 merged, 2 unchanged, 2 conflicting, 0 error" in result.output
    assert "Dry run: nothing was written." in result.output
    assert concept_count(db) == 3
    assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions


@pytest.mark.parametrize(
    ("raw", "args", "message"),
    [
        ("zh,en,status\n褪黑素,melatonin,approved\n催产素,oxytocin,maybe\n".encode(), [], "line 3: unknown status"),
        ("zh,en\n褪黑素,melatonin\n催产素\n".encode(), [], "line 3: expected 2 cells"),
        ("zh,en\n褪黑素,melatonin\nmelatonin,褪黑素\n".encode(), [], "line 3: error"),
        (b"<html><body>not a glossary</body></html>", [], "not TBX"),
        (b"", [], "the file is empty"),
        (bytes(range(256)) * 20, [], "not text"),
        ("Chinese,English\n褪黑素,melatonin\n".encode(), ["--map", "zh=中文"], "column '中文'"),
    ],
)
def test_bad_imports_write_nothing(runner, db, tmp_path, raw, args, message):
    seed(db.session)
    path = tmp_path / "bad.csv"
    path.write_bytes(raw)
    result = runner.invoke(args=["import", str(path), *args])
    assert result.exit_code != 0
    assert message in result.output and "Nothing was imported" in result.output
    assert concept_count(db) == 3
    assert not db.session.scalar(select(func.count()).select_from(Term).where(Term.text == "褪黑素"))


def test_gb18030_csv_imports_correctly(runner, db, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("中文,英文,缩写\n褪黑素,melatonin,MT\n下丘脑,hypothalamus,\n".encode("gb18030"))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "(csv, gb18030): 2 new" in result.output
    data = export_glossary_data(db.session)
    assert [[t["text"] for t in c["terms"]] for c in data["concepts"]] == [
        ["褪黑素", "melatonin", "MT"],
        ["下丘脑", "hypothalamus"],
    ]


def test_export_filters_by_status_and_writes_omegat_to_stdout(runner, db):
    seed(db.session)
    result = runner.invoke(args=["export", "--format", "tsv", "--direction", "en-zh", "--status", "approved"])
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8")
    assert "oxytocin\t催产素\t" in text and "HPA\t下丘脑-垂体-肾上腺轴\t" in text
    assert "serotonin" not in text


def test_service_report_as_data(db):
    seed(db.session)
    report = import_glossary(db.session, {"concepts": [{"terms": [{"lang": "en", "text": "oxytocin"}]}]},
                             dry_run=True, lines=[7])  # fmt: skip
    assert report.as_dict()["outcomes"] == [
        {"line": 7, "outcome": "unchanged", "label": "oxytocin", "concept_id": 1, "detail": ""}
    ]
    assert report.ok and report.dry_run
    db.session.rollback()


def test_starter_glossary_tbx_is_read_by_translate_toolkit(runner, db, tmp_path):
    tbx = pytest.importorskip("translate.storage.tbx")
    from glossary.services.starter import load_starter

    load_starter(db.session)
    db.session.commit()
    exported = tmp_path / "starter.tbx"
    assert runner.invoke(args=["export", "--format", "tbx", "-o", str(exported)]).exit_code == 0
    store = tbx.tbxfile.parsestring(exported.read_bytes(), sourcelanguage="zh-Hans", targetlanguage="en")
    data = export_glossary_data(db.session)
    assert len(store.units) == len(data["concepts"]) > 0
    for unit, concept in zip(store.units, data["concepts"], strict=True):
        assert unit.getid() == f"c{concept['id']}"
        assert [t.text for t in unit.get_source_terms()] == [t["text"] for t in concept["terms"] if t["lang"] == "zh"]
        assert [t.text for t in unit.get_target_terms()] == [t["text"] for t in concept["terms"] if t["lang"] == "en"]


@pytest.mark.parametrize("direction", ["zh-en", "en-zh"])
def test_reimporting_an_own_omegat_export_of_the_starter_changes_nothing(db, direction):
    from glossary.formats import export_glossary, parse_glossary
    from glossary.services.starter import load_starter

    load_starter(db.session)
    db.session.commit()
    parsed = parse_glossary(export_glossary(export_glossary_data(db.session), "tsv", direction), "tsv")
    report = import_glossary(db.session, parsed.data, dry_run=True, lines=parsed.lines)
    db.session.rollback()
    counts = report.counts
    # Issue 17: the comment's marks carry every term's kind and status (variants, "Nrf2" an abbreviation).
    assert counts["new"] == counts["merged"] == counts["error"] == counts["conflicting"] == 0, report.summary()
    assert counts["unchanged"] == len(parsed.concepts) > 0
