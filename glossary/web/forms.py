"""The curation pages' forms, the role check that guards every write, and the commit-then-redirect step.

Forms only parse and validate input; the services decide. Every form is a
``FlaskForm`` so that it carries a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, flash, redirect
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from ..errors import ServiceError
from ..extensions import db, login_manager
from ..models import CONCEPT_STATUSES, ROLES, TERM_KINDS, TERM_STATUSES
from ..services.accounts import MAX_PASSWORD, MIN_PASSWORD
from ..services.concepts import MAX_TERM_LENGTH, MAX_TERMS

BLANK_TERM_ROWS = 3


def role_required(role: str) -> Callable:
    """Anonymous users go to the log-in page; logged-in users below ``role`` get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(role):
                abort(403, f"This needs the {role} role; you are a {current_user.role}.")
            return view(*args, **kwargs)

        return guarded

    return decorator


def commit_and_redirect(action: Callable[[], str], target: str):
    """Run one service call; commit and flash its message, or roll back and flash the refusal."""
    try:
        message = action()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(target)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class TermForm(Form):
    """One row of the concept form (a sub-form: the outer form carries the token)."""

    lang = SelectField("Language", default="",
                       choices=[SelectChoice("", "auto"), SelectChoice("zh", "中文"), SelectChoice("en", "English")])
    text = StringField("Term", filters=[_strip], validators=[Optional(), Length(max=MAX_TERM_LENGTH)])
    kind = SelectField("Kind", choices=[SelectChoice(k) for k in TERM_KINDS], default="full")
    status = SelectField("Status", choices=[SelectChoice(s) for s in TERM_STATUSES], default="preferred")
    remove = BooleanField("Delete")


class ConceptForm(FlaskForm):
    """A whole concept: its fields and its terms; ``version`` is the one the curator opened."""

    version = HiddenField()
    domain = StringField("Domain", filters=[_strip], validators=[Length(max=100)])
    definition = TextAreaField("Definition", filters=[_strip], validators=[Length(max=20000)])
    note = TextAreaField("Note", filters=[_strip], validators=[Length(max=20000)])
    status = SelectField("Concept status", choices=[SelectChoice(s) for s in CONCEPT_STATUSES], default="approved")
    terms = FieldList(FormField(TermForm), min_entries=1, max_entries=MAX_TERMS + BLANK_TERM_ROWS)
    # New concepts only: without it, one whose Chinese and English terms an existing concept has is refused.
    homonym = BooleanField("A homonym: another concept with the same Chinese and English terms as an existing one")

    def add_blank_rows(self, count: int = BLANK_TERM_ROWS) -> None:
        for _ in range(count):
            self.terms.append_entry()

    def concept_data(self) -> dict[str, Any]:
        """The edit as the services take it: blank and deleted rows left out."""
        terms = []
        for row in self.terms:
            if row.remove.data or not row.text.data:
                continue
            term = {"text": row.text.data, "kind": row.kind.data, "status": row.status.data}
            if row.lang.data:
                term["lang"] = row.lang.data
            terms.append(term)
        return {"domain": self.domain.data, "definition": self.definition.data, "note": self.note.data,
                "status": self.status.data, "terms": terms}

    def expected_version(self) -> int | None:
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() else None


class DeleteConceptForm(FlaskForm):
    version = HiddenField()
    confirm = BooleanField("Yes, delete this concept and all its terms",
                           validators=[DataRequired("Tick the box to confirm.")])


class CandidateForm(FlaskForm):
    """Edit-then-approve: the corrected text, and optionally the concept's domain and definition."""

    zh = StringField("中文", filters=[_strip], validators=[Length(max=MAX_TERM_LENGTH)])
    en = StringField("English", filters=[_strip], validators=[Length(max=MAX_TERM_LENGTH)])
    abbr = StringField("Abbreviation", filters=[_strip], validators=[Length(max=100)])
    domain = StringField("Domain", filters=[_strip], validators=[Length(max=100)])
    definition = TextAreaField("Definition", filters=[_strip], validators=[Length(max=20000)])

    def edits(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in ("zh", "en", "abbr", "domain", "definition")}


class MergeForm(FlaskForm):
    concept_id = IntegerField("Concept id", validators=[InputRequired("Give the concept's id."),
                                                        NumberRange(min=1)])


class UploadForm(FlaskForm):
    files = MultipleFileField("Text files (.txt)")


class UserForm(FlaskForm):
    name = StringField("User name", filters=[_strip], validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])
    role = SelectField("Role", choices=[SelectChoice(r) for r in ROLES], default="curator")


class PasswordResetForm(FlaskForm):
    """A new password, typed twice (an admin setting someone's)."""

    new_password = PasswordField("New password", render_kw={"autocomplete": "new-password"},
                                 validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])
    confirm = PasswordField("New password again", render_kw={"autocomplete": "new-password"},
                            validators=[DataRequired(), EqualTo("new_password", "The two new passwords differ.")])


class PasswordChangeForm(PasswordResetForm):
    """One's own new password: the current one first, so a borrowed session cannot take the account."""

    current_password = PasswordField("Current password", render_kw={"autocomplete": "current-password"},
                                     validators=[DataRequired(), Length(max=MAX_PASSWORD)])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r) for r in ROLES])


class TokenForm(FlaskForm):
    user_id = SelectField("For user", coerce=int, choices=[])
    label = StringField("What it is for", filters=[_strip], validators=[DataRequired(), Length(max=80)])
    # Lifetimes in the syntax of `flask create-token --expires`, read by the same parser.
    expires = SelectField("Expires", default="", choices=[
        SelectChoice("", "never (until revoked)"), SelectChoice("7d", "in 7 days"),
        SelectChoice("30d", "in 30 days"), SelectChoice("90d", "in 90 days"), SelectChoice("365d", "in a year")])
