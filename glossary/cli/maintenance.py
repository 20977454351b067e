"""Maintenance commands: a consistent online backup of the SQLite database; after a bulk load, the
search structures merged and the term-recognition tables built ahead of the first request."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import Flask

from ..extensions import db


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(destination: Path) -> None:
        """Copy the live SQLite database to DESTINATION, consistent even while in use."""
        if db.engine.dialect.name != "sqlite":
            raise click.ClickException(
                "backup copies the SQLite database; for PostgreSQL use pg_dump (see the README's Backups section)."
            )
        if destination.exists():
            raise click.ClickException(f"{destination} exists; choose a new file name.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        raw = db.engine.raw_connection()
        try:
            target = sqlite3.connect(partial)
            try:
                # The backup API copies page by page under SQLite's own locking, so writers
                # may go on meanwhile and the copy is still one consistent snapshot.
                raw.driver_connection.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
        partial.replace(destination)  # never leave a half-written file under the final name
        click.echo(f"Backed up to {destination} ({destination.stat().st_size:,} bytes).")

    @app.cli.command("optimize")
    def optimize_command() -> None:
        """After a bulk load: merge the full-text search indexes, refresh the planner's statistics and
        build the term-recognition tables, so that no request pays for any of it."""
        from ..services.settle import settle_search_structures

        merged, built = settle_search_structures(db.engine, db.session)
        click.echo(f"Search indexes merged and statistics refreshed in {merged:.1f} s.")
        click.echo(f"Term-recognition tables built and saved in {built:.1f} s; every worker opens them.")
