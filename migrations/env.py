"""Alembic environment for the glossary, run through Flask-Migrate (`flask db ...`).

The engine and the metadata come from the running app, so migrations always
target the database that ``DATABASE_URL`` (or the test config) names.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not current_app.testing:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata


def skip_empty_autogenerate(_context, _revision, directives):
    """`flask db migrate` with no model change writes no empty revision file."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No schema change detected.")


def run_offline() -> None:
    url = migrate_ext.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    options = dict(migrate_ext.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    with migrate_ext.db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _enforce_foreign_keys(connection, False)
        try:
            context.configure(connection=connection, target_metadata=target_metadata, **options)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.rollback()  # whatever a failed revision left open
                _enforce_foreign_keys(connection, True)


def _enforce_foreign_keys(connection, on: bool) -> None:
    """Switch SQLite's foreign-key enforcement for this connection (the app turns it on).

    A batch migration rebuilds a table by copying it, dropping the original and
    renaming the copy; with enforcement on, dropping a parent table deletes its
    rows first and fires ON DELETE CASCADE / SET NULL on every child (see
    Alembic's batch documentation). The pragma is ignored inside a transaction,
    so it is set here, before the migrations' transactions begin; a revision
    that rebuilds tables checks the references itself before it commits.
    """
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
