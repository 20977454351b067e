"""Migration b16d0c5e7a21 (document types): sources mined before it are plain text, and it downgrades."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from glossary.extensions import db

BEFORE = "e3b7a1c94d20"
DOCUMENT_TYPES = "b16d0c5e7a21"


def test_older_sources_become_text_of_unknown_length_and_the_downgrade_drops_the_columns(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO source (filename, title, sha256, encoding, size, imported_at) "
                    "VALUES ('old.txt', '旧文献', :sha, 'gb18030', 120, CURRENT_TIMESTAMP)"
                ),
                {"sha": "cd" * 32},
            )
            conn.execute(
                text(
                    'INSERT INTO evidence (source_id, term, sentence, start, "end") '
                    "VALUES (1, '催产素', '催产素（oxytocin）缓解焦虑。', 0, 3)"
                )
            )
        upgrade(revision=DOCUMENT_TYPES)
        with db.engine.begin() as conn:
            source = conn.execute(text("SELECT filename, kind, pages, characters FROM source")).one()
            assert tuple(source) == ("old.txt", "text", None, None)
            assert conn.execute(text("SELECT page FROM evidence")).scalar_one() is None
            conn.execute(
                text(
                    "INSERT INTO source (filename, sha256, size, kind, pages, characters, imported_at) "
                    "VALUES ('new.pdf', :sha, 9000, 'pdf', 12, 34567, CURRENT_TIMESTAMP)"
                ),
                {"sha": "ef" * 32},
            )
        downgrade(revision=BEFORE)
        columns = {column["name"] for column in inspect(db.engine).get_columns("source")}
        assert not columns & {"kind", "pages", "characters"}
        assert "page" not in {column["name"] for column in inspect(db.engine).get_columns("evidence")}
        with db.engine.connect() as conn:
            assert sorted(conn.scalars(text("SELECT filename FROM source"))) == ["new.pdf", "old.txt"]
