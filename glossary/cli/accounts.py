"""Account commands: create users, set passwords, create API tokens.

They call the same services as the admin pages, so a change made here is
checked and audited the same way (the actor is recorded as "system").
"""

from __future__ import annotations

import sys

import click
from flask import Flask

from ..errors import ServiceError
from ..extensions import db
from ..models import ROLES
from ..services.accounts import parse_lifetime
from ..services.users import create_account, find_user, issue_token, reset_password


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_new_password() -> str:
    """Asked twice at a terminal; otherwise the first line of standard input (for scripts)."""
    if _stdin_is_terminal():
        return click.prompt("New password", hide_input=True, confirmation_prompt="Repeat the new password")
    return sys.stdin.readline().rstrip("\r\n")


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("name")
    @click.option("--role", type=click.Choice(ROLES), default="curator", show_default=True)
    @click.password_option(help="Asked for when not given.")
    def create_user_command(name: str, role: str, password: str) -> None:
        """Create a user who can log in to the pages."""
        try:
            create_account(db.session, name, password, role, None)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(f"Created {role} {name}.")

    @app.cli.command("set-password")
    @click.argument("name")
    def set_password_command(name: str) -> None:
        """Set user NAME's password and end every session they have.

        At a terminal the password is asked for twice; otherwise it is the
        first line of standard input (`printf '%s\\n' "$PW" | flask set-password NAME`).
        """
        try:
            user = find_user(db.session, name)
            reset_password(db.session, user.id, _read_new_password(), None)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(f"New password set for {name}; their sessions have ended.")

    @app.cli.command("create-token")
    @click.argument("name")
    @click.option("--label", default="cli", help="What the token is for.")
    @click.option(
        "--expires",
        default="",
        metavar="LIFETIME",
        help="Refuse the token after this long: 12h, 30d, 8w. Default: until revoked.",
    )
    def create_token_command(name: str, label: str, expires: str) -> None:
        """Create an API token for user NAME and print it once."""
        try:
            user = find_user(db.session, name)
            plain, token = issue_token(db.session, user.id, label, None, parse_lifetime(expires))
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(plain)
        if token.expires_at is not None:
            click.echo(f"It expires on {token.expires_at:%Y-%m-%d %H:%M} UTC.", err=True)
