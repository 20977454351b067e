"""Logging in and out of the pages, and changing one's own password.

Every cookie names the user's session generation (see ``services.accounts``):
logging out, a new password and deactivation rotate it, so a cookie copied
before then is refused after.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..extensions import db, limiter, login_manager
from ..models import User
from ..services.accounts import MAX_PASSWORD, authenticate, user_for_session
from ..services.users import change_own_password, log_out
from .access import one_transaction
from .forms import PasswordChangeForm

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return user_for_session(db.session, session_id)


class LoginForm(FlaskForm):
    name = StringField("User name", render_kw={"autocomplete": "username"}, validators=[DataRequired(), Length(max=80)])
    password = PasswordField(
        "Password",
        render_kw={"autocomplete": "current-password"},
        validators=[DataRequired(), Length(max=MAX_PASSWORD)],
    )
    remember = BooleanField("Keep me logged in")


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the log-in page cannot bounce users elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


def _new_csrf_token() -> None:
    """Drop the CSRF secret, so forms issued before a log-in or log-out are refused after it.

    Flask-WTF keeps one secret per browser session; without this, a token
    read from the log-in page (or planted there) would keep working for the
    logged-in user.
    """
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def stay_logged_in(user: User) -> None:
    """Re-issue this browser's cookies in the user's new session generation, so only the others end."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(user, remember=remembered)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.name.data, form.password.data)
        if user is not None:
            _new_csrf_token()
            login_user(user, remember=form.remember.data)
            flash(f"Logged in as {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong user name or password.", "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    log_out(db.session, current_user)
    db.session.commit()
    logout_user()
    _new_csrf_token()
    flash("Logged out.", "success")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])  # it checks a password, like the log-in
def change_password():
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        with one_transaction() as outcome:
            change_own_password(db.session, current_user, form.current_password.data, form.new_password.data)
        status = outcome.status
        if not outcome.refused:
            stay_logged_in(current_user)
            flash("Password changed. Your other sessions have ended.", "success")
            return redirect(url_for("main.index"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "auth/password.html",
        form=form,
        heading="Change your password",
        intro="Every other browser logged in as you will be logged out.",
    ), status


@bp.app_context_processor
def inject_user():
    return {"current_user": current_user}
