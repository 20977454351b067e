"""Account commands: create users and API tokens."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import ROLES, User
from ..services.accounts import create_token, create_user


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("name")
    @click.option("--role", type=click.Choice(ROLES), default="curator", show_default=True)
    @click.password_option(help="Asked for when not given.")
    def create_user_command(name: str, role: str, password: str) -> None:
        """Create a user who can log in to the pages."""
        try:
            create_user(db.session, name, password, role)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(f"Created {role} {name}.")

    @app.cli.command("create-token")
    @click.argument("name")
    @click.option("--label", default="cli", help="What the token is for.")
    def create_token_command(name: str, label: str) -> None:
        """Create an API token for user NAME and print it once."""
        user = db.session.scalar(select(User).where(User.name == name))
        if user is None:
            raise click.ClickException(f"No user named {name!r}. Create one with create-user first.")
        plain, _ = create_token(db.session, user, label)
        db.session.commit()
        click.echo(plain)
