"""The curation pages' forms (the role check and the transaction step are in :mod:`.access`).

Forms only parse and validate input; the services decide. Every form is a
``FlaskForm`` so that it carries a CSRF token.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ..models import CONCEPT_STATUSES, ROLES, TERM_KINDS, TERM_STATUSES
from ..models.rules import FIELD_LIMITS, MAX_TERMS
from ..services.accounts import MAX_PASSWORD, MIN_PASSWORD

BLANK_TERM_ROWS = 3


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _limit(field: str) -> Length:
    """The rulebook's limit of ``field``; the refusal names it, as the services' do."""
    limit = FIELD_LIMITS[field]
    return Length(max=limit, message=f"At most {limit} characters.")


class TermForm(Form):
    """One row of the concept form (a sub-form: the outer form carries the token)."""

    lang = SelectField(
        "Language",
        default="",
        choices=[SelectChoice("", "auto"), SelectChoice("zh", "中文"), SelectChoice("en", "English")],
    )
    text = StringField("Term", filters=[_strip], validators=[Optional(), _limit("term")])
    # Chinese terms only: a traditional form chosen by a curator (Taiwan usage); empty: converted.
    zh_hant = StringField("繁體", filters=[_strip], validators=[Optional(), _limit("zh_hant")])
    # Public: where the term comes from or how it is used (services/term_notes.py).
    note = StringField("Note or source", filters=[_strip], validators=[Optional(), _limit("term_note")])
    kind = SelectField("Kind", choices=[SelectChoice(k) for k in TERM_KINDS], default="full")
    status = SelectField("Status", choices=[SelectChoice(s) for s in TERM_STATUSES], default="preferred")
    remove = BooleanField("Delete")


class ConceptForm(FlaskForm):
    """A whole concept: its fields and its terms; ``version`` is the one the curator opened."""

    version = HiddenField()
    domain = SelectField("Domain", choices=[], default="")
    definition = TextAreaField("Definition (public)", filters=[_strip], validators=[_limit("definition")])
    note = TextAreaField("Note (public: usage, source)", filters=[_strip], validators=[_limit("note")])
    # Kept apart (services/internal_notes.py): shown to curators only, never exported.
    internal_note = TextAreaField(
        "Internal note (curators only; never shown to the public or exported)",
        filters=[_strip],
        validators=[_limit("internal_note")],
    )
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
            if row.zh_hant.data:
                term["zh_hant"] = row.zh_hant.data
            if row.lang.data:
                term["lang"] = row.lang.data
            terms.append(term)
        return {
            "domain": self.domain.data,
            "definition": self.definition.data,
            "note": self.note.data,
            "status": self.status.data,
            "terms": terms,
        }

    def term_notes(self) -> list[dict[str, str]]:
        """Each kept row's note, named by its term (an empty note removes one)."""
        return [
            {"text": row.text.data, "kind": row.kind.data, "lang": row.lang.data, "note": row.note.data or ""}
            for row in self.terms
            if row.text.data and not row.remove.data
        ]

    def expected_version(self) -> int | None:
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() else None


def offer_domains(field: SelectField, names: list[str], keep: str | None = None) -> None:
    """The managed list as the choices of a domain field; ``keep``, the stored domain, stays choosable.

    Any other name is refused ("Not a valid choice"): admins add domains on /admin/domains.
    """
    choices = [SelectChoice("", "— none —")] + [SelectChoice(name) for name in names]
    if keep and keep not in names:
        choices.append(SelectChoice(keep, f"{keep} (not on the list)"))
    field.choices = choices


class DeleteConceptForm(FlaskForm):
    version = HiddenField()
    confirm = BooleanField(
        "Yes, delete this concept and all its terms", validators=[DataRequired("Tick the box to confirm.")]
    )


class CandidateForm(FlaskForm):
    """Edit-then-approve: the corrected text, and optionally the concept's domain and definition."""

    zh = StringField("中文 (simplified)", filters=[_strip], validators=[_limit("term")])
    zh_hant = StringField("繁體 (traditional; empty: converted)", filters=[_strip], validators=[_limit("zh_hant")])
    en = StringField("English", filters=[_strip], validators=[_limit("term")])
    abbr = StringField("Abbreviation", filters=[_strip], validators=[_limit("abbreviation")])
    domain = SelectField("Domain", choices=[], default="")
    definition = TextAreaField("Definition", filters=[_strip], validators=[_limit("definition")])

    def edits(self) -> dict[str, str]:
        names = ("zh", "zh_hant", "en", "abbr", "domain", "definition")
        return {name: getattr(self, name).data or "" for name in names}


class UploadForm(FlaskForm):
    files = MultipleFileField("Text files (.txt)")


class UserForm(FlaskForm):
    name = StringField("User name", filters=[_strip], validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])
    role = SelectField("Role", choices=[SelectChoice(r) for r in ROLES], default="curator")


class PasswordResetForm(FlaskForm):
    """A new password, typed twice (an admin setting someone's)."""

    new_password = PasswordField(
        "New password",
        render_kw={"autocomplete": "new-password"},
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "New password again",
        render_kw={"autocomplete": "new-password"},
        validators=[DataRequired(), EqualTo("new_password", "The two new passwords differ.")],
    )


class PasswordChangeForm(PasswordResetForm):
    """One's own new password: the current one first, so a borrowed session cannot take the account."""

    current_password = PasswordField(
        "Current password",
        render_kw={"autocomplete": "current-password"},
        validators=[DataRequired(), Length(max=MAX_PASSWORD)],
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r) for r in ROLES])


class TokenForm(FlaskForm):
    user_id = SelectField("For user", coerce=int, choices=[])
    label = StringField("What it is for", filters=[_strip], validators=[DataRequired(), Length(max=80)])
    # Lifetimes in the syntax of `flask create-token --expires`, read by the same parser.
    expires = SelectField(
        "Expires",
        default="",
        choices=[
            SelectChoice("", "never (until revoked)"),
            SelectChoice("7d", "in 7 days"),
            SelectChoice("30d", "in 30 days"),
            SelectChoice("90d", "in 90 days"),
            SelectChoice("365d", "in a year"),
        ],
    )
