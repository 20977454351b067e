"""Set-up commands: load the starter glossary."""

from __future__ import annotations

import click
from flask import Flask

from ..extensions import db
from ..services.starter import database_is_empty, load_starter


def register(app: Flask) -> None:
    @app.cli.command("load-starter")
    @click.option("--force", is_flag=True, help="Load even if the glossary already has concepts.")
    def load_starter_command(force: bool) -> None:
        """Load the starter glossary if the database has no concepts yet."""
        if not force and not database_is_empty(db.session):
            click.echo("The glossary already has concepts; starter glossary not loaded.")
            return
        count = load_starter(db.session)
        db.session.commit()
        click.echo(f"Loaded {count} starter concepts.")
