"""The application shell: home page, health check, errors, configuration."""

import pytest
from flask_migrate import upgrade

from glossary import create_app


def test_home_page_has_a_search_box(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b'name="q"' in response.data


def test_healthz_reports_database_and_revision(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert body["schema_revision"] == body["expected_revision"] is not None


def test_healthz_says_when_schema_is_missing(make_app):
    app = make_app(schema=False)
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert "flask db upgrade" in body["message"]


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_page_errors_are_html(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"404" in response.data and response.mimetype == "text/html"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)  # as under gunicorn
    monkeypatch.setenv("GLOSSARY_ENV", "production")
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


@pytest.mark.parametrize("cli", [False, True])
def test_production_refuses_the_development_key(monkeypatch, tmp_path, cli):
    monkeypatch.setenv("SECRET_KEY", "dev-only-not-secret")
    if cli:
        monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    else:
        monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    monkeypatch.setenv("GLOSSARY_ENV", "production")
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


def test_commands_run_without_a_key_on_a_fresh_clone(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("GLOSSARY_ENV", "production")
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    first = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}).config["SECRET_KEY"]
    assert len(first) == 64 and first != second  # random, one-off, never the development key


def test_secret_key_file_in_instance_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("GLOSSARY_ENV", "production")
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "secret_key").write_text("a-long-random-key-from-make-run\n")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] == "a-long-random-key-from-make-run"


def test_database_url_and_upload_limit_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@localhost/glossary")
    monkeypatch.setenv("GLOSSARY_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("GLOSSARY_ENV", "development")
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@localhost/glossary"
    assert app.config["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024


def test_sqlite_runs_in_wal_with_foreign_keys(db):
    from sqlalchemy import text

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


@pytest.mark.parametrize("path", ["/concepts/2147483648", "/concepts/3788165236895378", "/concepts/2147483647"])
def test_ids_beyond_the_database_integer_are_simply_unknown(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/concepts/3788165236895378", "/api/v1/concepts/2147483648"])
def test_api_ids_beyond_the_database_integer_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_template_helpers_need_no_blueprint():
    """Registered once from create_app, not as a side effect of importing some blueprint."""
    from flask import Flask, render_template_string

    from glossary.web.templating import register_template_helpers

    bare = Flask("bare")
    bare.secret_key = "x"
    register_template_helpers(bare)
    with bare.test_request_context("/?script=zh-Hant"):
        page = render_template_string(
            "{% for piece, hit in highlight('催产素受体', ['催产素']) %}{{ '[' if hit }}{{ piece }}{{ ']' if hit }}"
            "{% endfor %} {{ '催產素' | zh_lang }} {{ preferred_script() }} {{ {} | rationale }}"
        )
    assert page.startswith("[催产素]受体 zh-Hant zh-Hans")
