"""Admin pages: users (create, role, deactivate, reset password, sign out
everywhere) and API tokens (create with an optional expiry, revoke).

A new token is shown once, in the response to the form that made it; it is
never put in the session or a redirect, since only its hash is stored.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..extensions import db
from ..models import ROLES, utcnow
from ..services.accounts import parse_lifetime
from ..services.users import (
    create_account,
    get_user,
    issue_token,
    list_tokens,
    list_users,
    reset_password,
    set_active,
    set_role,
    sign_out_everywhere,
    withdraw_token,
)
from ..services.well_known import parse_well_known, replace_well_known, well_known
from .access import commit_and_redirect, one_transaction, role_required
from .auth import stay_logged_in
from .forms import PasswordResetForm, RoleForm, TokenForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(
    user_form: UserForm | None = None,
    token_form: TokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
    well_known_text: str | None = None,
):
    users = list_users(db.session)
    token_form = token_form or TokenForm()
    token_form.user_id.choices = [SelectChoice(u.id, f"{u.name} ({u.role})") for u in users if u.active]
    return render_template(
        "admin/users.html",
        users=users,
        tokens=list_tokens(db.session),
        user_form=user_form or UserForm(),
        token_form=token_form,
        roles=ROLES,
        new_token=new_token,
        now=utcnow(),
        well_known=well_known_text or "\n".join(sorted(well_known(db.session).values(), key=str.lower)),
    ), status


def _perform(action: Callable[[], str]):
    return commit_and_redirect(action, url_for(".users"))


@bp.get("/users")
@role_required("admin")
def users():
    return _page()


@bp.post("/users")
@role_required("admin")
def create_user():
    form = UserForm()
    if not form.validate():
        return _page(user_form=form, status=422)
    with one_transaction() as outcome:
        user = create_account(db.session, form.name.data, form.password.data, form.role.data, current_user)
    if outcome.refused:
        return _page(user_form=form, status=outcome.status)
    flash(f"Created {user.role} {user.name}.", "success")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def change_role(user_id: int):
    form = RoleForm()
    if not form.validate():
        flash("Choose one of the roles.", "error")
        return redirect(url_for(".users"))

    def run() -> str:
        user = set_role(db.session, user_id, form.role.data, current_user)
        return f"{user.name} is now a {user.role}."

    return _perform(run)


@bp.post("/users/<int:user_id>/deactivate")
@role_required("admin")
def deactivate(user_id: int):
    return _perform(lambda: f"{set_active(db.session, user_id, False, current_user).name} can no longer log in.")


@bp.post("/users/<int:user_id>/activate")
@role_required("admin")
def activate(user_id: int):
    return _perform(lambda: f"{set_active(db.session, user_id, True, current_user).name} can log in again.")


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required("admin")
def reset_user_password(user_id: int):
    user = get_user(db.session, user_id)
    form = PasswordResetForm()
    status = 200
    if form.validate_on_submit():
        with one_transaction() as outcome:
            reset_password(db.session, user.id, form.new_password.data, current_user)
        status = outcome.status
        if not outcome.refused:
            if user.id == current_user.id:
                stay_logged_in(current_user)
            flash(f"New password set for {user.name}; their sessions have ended.", "success")
            return redirect(url_for(".users"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "auth/password.html",
        form=form,
        heading=f"New password for {user.name}",
        intro=f"{user.name} will be logged out everywhere and log in again with the new password.",
    ), status


@bp.post("/users/<int:user_id>/sign-out")
@role_required("admin")
def sign_out(user_id: int):
    return _perform(lambda: f"{sign_out_everywhere(db.session, user_id, current_user).name} is logged out everywhere.")


@bp.post("/tokens")
@role_required("admin")
def create_token():
    form = TokenForm()
    form.user_id.choices = [SelectChoice(u.id, u.name) for u in list_users(db.session)]
    if not form.validate():
        return _page(token_form=form, status=422)
    with one_transaction() as outcome:
        plain, _token = issue_token(
            db.session, form.user_id.data, form.label.data, current_user, parse_lifetime(form.expires.data)
        )
    if outcome.refused:
        return _page(token_form=form, status=outcome.status)
    response = make_response(_page(new_token=plain))
    response.headers["Cache-Control"] = "no-store"  # the one place the token is ever shown
    return response


@bp.post("/tokens/<int:token_id>/revoke")
@role_required("admin")
def revoke_token(token_id: int):
    return _perform(lambda: f"Token {withdraw_token(db.session, token_id, current_user).prefix}… revoked.")


@bp.post("/well-known-abbreviations")
@role_required("admin")
def save_well_known():
    """The writer's check: replace the list of abbreviations that need no definition (refused whole if bad)."""
    raw = request.form.get("abbreviations", "")
    with one_transaction() as outcome:
        saved = replace_well_known(db.session, parse_well_known(raw), current_user)
    if outcome.refused:
        return _page(status=outcome.status, well_known_text=raw)
    flash(f"The writer's check now accepts {len(saved)} well-known abbreviations without a definition.", "success")
    return redirect(url_for(".users") + "#well-known")
