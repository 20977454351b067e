"""Configuration: the only module that reads environment variables.

Everything has a safe default for a laptop (SQLite in ``instance/``); a
production deployment sets ``DATABASE_URL`` and ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-only-not-secret"


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from exc


def _read_secret_file(instance_path: Path) -> str | None:
    """``make run`` writes a random key to instance/secret_key on first start."""
    path = instance_path / "secret_key"
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        return key or None
    return None


def instance_folder(default: Path) -> Path:
    """Where the instance files live (the SQLite file, the secret key, caches): ``GLOSSARY_INSTANCE_PATH``,
    else ``default`` (``instance/`` beside the package)."""
    return Path(os.environ.get("GLOSSARY_INSTANCE_PATH", "").strip() or default)


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from the environment."""
    database_url = os.environ.get("DATABASE_URL", "").strip()
    if not database_url:
        database_url = f"sqlite:///{instance_path / 'glossary.sqlite3'}"
    elif database_url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy only knows the long scheme.
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]

    secret = os.environ.get("SECRET_KEY", "").strip() or _read_secret_file(instance_path)
    upload_mb = _int_env("GLOSSARY_MAX_UPLOAD_MB", 25)
    remember_days = _int_env("GLOSSARY_REMEMBER_DAYS", 30)
    if remember_days < 1:
        raise RuntimeError(f"GLOSSARY_REMEMBER_DAYS must be 1 or more, got {remember_days}")
    secure_cookies = os.environ.get("GLOSSARY_SECURE_COOKIES", "") == "1"
    import_workers = _int_env("GLOSSARY_IMPORT_WORKERS", 2)
    if import_workers < 1:
        raise RuntimeError(f"GLOSSARY_IMPORT_WORKERS must be 1 or more, got {import_workers}")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Pooled connections are tested before use where a server can drop them (create_app: not
        # SQLite's, a file that cannot go away under a connection; the test cost a statement a request).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SECRET_KEY": secret,
        "MAX_CONTENT_LENGTH": upload_mb * 1024 * 1024,
        "GLOSSARY_ENV": os.environ.get("GLOSSARY_ENV", "production").strip() or "production",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        # "Keep me logged in" lasts this long (Flask-Login's own default is a year).
        "REMEMBER_COOKIE_DURATION": timedelta(days=remember_days),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        # Where the log-in limit keeps its counts: memory is per worker process; a shared
        # store (redis://…, memcached://…) makes the limit hold for the whole service.
        "RATELIMIT_STORAGE_URI": os.environ.get("GLOSSARY_RATELIMIT_STORAGE_URI", "").strip() or "memory://",
        # How long a write waits for another one to finish before the answer is 503 with
        # Retry-After (glossary/database.py): SQLite's busy timeout, PostgreSQL's lock_timeout.
        "SQLITE_BUSY_TIMEOUT_MS": _int_env("GLOSSARY_SQLITE_BUSY_TIMEOUT_MS", 15000),
        "POSTGRES_LOCK_TIMEOUT_MS": _int_env("GLOSSARY_POSTGRES_LOCK_TIMEOUT_MS", 15000),
        # PostgreSQL: the hot reads (search, terms in a query, concepts of a batch) run as statements
        # prepared once per connection, with one plan kept (glossary/search/prepared.py). Off ("0") behind a
        # pooler that hands one client's statements to other server connections (PgBouncer's transaction mode).
        "POSTGRES_PREPARED_STATEMENTS": os.environ.get("GLOSSARY_POSTGRES_PREPARED_STATEMENTS", "1").strip() != "0",
        # SQLite reads this much of the database file through memory mapping (glossary/database.py).
        "SQLITE_MMAP_MB": _int_env("GLOSSARY_SQLITE_MMAP_MB", 256),
        # Large imports run as jobs in threads of the worker process that received them: at most this many
        # at once per process (services/import_jobs.py).
        "IMPORT_WORKERS": import_workers,
        # Reading uploaded documents (glossary/ingest): a PDF with more pages, or whose text takes longer to
        # extract, is refused rather than half mined; a .docx that would unpack larger in total, or any of whose
        # parts unpacks more times larger than it is stored (a zip bomb), is refused before it is unpacked.
        "INGEST_MAX_PDF_PAGES": _int_env("GLOSSARY_MAX_PDF_PAGES", 300),
        "INGEST_MAX_PDF_SECONDS": _int_env("GLOSSARY_MAX_PDF_SECONDS", 60),
        "INGEST_MAX_DOCX_MB": _int_env("GLOSSARY_MAX_DOCX_MB", 200),
        "INGEST_MAX_ZIP_RATIO": _int_env("GLOSSARY_MAX_ZIP_RATIO", 100),
    }


def check_secret_key(config: dict, debug: bool) -> None:
    """Refuse to run a real deployment with no key or with the development key."""
    if config.get("TESTING") or debug or config.get("GLOSSARY_ENV") == "development":
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = DEV_SECRET_KEY
        return
    key = config.get("SECRET_KEY")
    if not key and os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        # A `flask …` command (mine, import, backup…) signs no cookies: a one-off random
        # key lets it run on a fresh clone without weakening a served deployment.
        config["SECRET_KEY"] = secrets.token_hex(32)
        return
    if not key or key == DEV_SECRET_KEY:
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_hex(32))'), or set "
            "GLOSSARY_ENV=development on a machine of your own."
        )
