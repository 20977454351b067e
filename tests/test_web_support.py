"""Shared helpers for the page tests (no tests here): users, log-in, candidates, concepts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select

from glossary.models import Candidate, Evidence, Source
from glossary.services.accounts import create_user
from glossary.services.candidates import candidate_dedupe_key
from glossary.services.concepts import create_concept

PASSWORD = "correct horse battery"


def add_user(db, name: str, role: str):
    user = create_user(db.session, name, PASSWORD, role)
    db.session.commit()
    return user


def login(client, name: str) -> None:
    response = client.post("/login", data={"name": name, "password": PASSWORD})
    assert response.status_code == 302, response.data


def csrf_token_from(html: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1).decode()


class _FormReader(HTMLParser):
    """Collects what a browser would post from the page's forms with class ``concept-form``."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.values, self._select, self._textarea = False, {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = "concept-form" in (a.get("class") or "")
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value") or "y"
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.values):
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # Like a browser, drop the one line break that follows <textarea>.
            first = not self.values[self._textarea]
            self.values[self._textarea] += data.removeprefix("\r\n").removeprefix("\n") if first else data


def concept_form_values(html: str) -> dict[str, str]:
    """The concept edit form's fields as the page shows them (what saving it would post)."""
    reader = _FormReader()
    reader.feed(html)
    return reader.values


def add_source(db, filename: str = "article.txt", title: str | None = "测试文章") -> Source:
    source = Source(filename=filename, title=title, sha256=f"{len(filename):x}{filename}".ljust(64, "0")[:64])
    db.session.add(source)
    db.session.flush()
    return source


def add_candidate(
    db,
    zh: str = "",
    en: str = "",
    abbr: str = "",
    *,
    confidence: float = 0.9,
    count: int = 1,
    sentence: str | None = None,
    source: Source | None = None,
    alternatives=None,
) -> Candidate:
    source = source or db.session.scalar(select(Source).order_by(Source.id)) or add_source(db)
    inner = ", ".join(v for v in (en, abbr) if v)
    candidate = Candidate(
        zh=zh,
        en=en,
        abbr=abbr,
        dedupe_key=candidate_dedupe_key(zh, en, abbr),
        confidence=confidence,
        count=count,
        alternatives=alternatives or [],
    )
    text = sentence or f"研究表明{zh}（{inner}）在其中起重要作用。"
    candidate.evidence.append(Evidence(source=source, term=zh or en, sentence=text, start=0, end=len(text)))
    db.session.add(candidate)
    db.session.commit()
    return candidate


def add_concept(db, zh: str = "", en: str = "", abbr: str = "", **fields):
    terms = [{"lang": "zh", "text": zh}] if zh else []
    if en:
        terms.append({"lang": "en", "text": en})
    if abbr:
        terms.append({"lang": "en", "text": abbr, "kind": "abbreviation"})
    concept = create_concept(db.session, {"terms": terms, **fields}, None)
    db.session.commit()
    return concept


def logged_in(db, client, role: str, name: str | None = None):
    """The test client, logged in as a new user with this role."""
    name = name or {"viewer": "vic", "curator": "cora", "admin": "ada"}[role]
    add_user(db, name, role)
    login(client, name)
    return client
