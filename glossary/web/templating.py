"""What the templates call, registered once by :func:`register_template_helpers` from ``create_app``.

Every page may use any of them, whichever blueprints exist: the script the
reader chose, marking matches in evidence, a revision's changes as lines, and
a candidate's rationale read through the same cleaning as the API.
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request, session

from ..services.concepts import EDITABLE_FIELDS
from ..services.conflicts import term_identity
from ..services.rationale import alternative_readings, clean_rationale, is_explained
from ..text import to_simplified

SCRIPTS = ("zh-Hans", "zh-Hant")


def register_template_helpers(app: Flask) -> None:
    for function in (preferred_script, script_switch_url, highlight, snapshot_changes):
        app.add_template_global(function)
    app.add_template_filter(zh_lang, "zh_lang")
    # An old or odd rationale row shows nothing rather than breaking the queue.
    app.add_template_filter(clean_rationale, "rationale")
    app.add_template_filter(alternative_readings, "alternative_readings")
    app.add_template_test(is_explained, "explained")


def preferred_script() -> str:
    """The script the reader chose for Chinese: ``zh-Hant`` or ``zh-Hans`` (the default)."""
    return session.get("script") if session.get("script") in SCRIPTS else "zh-Hans"


def zh_lang(text: str | None) -> str:
    """The language tag of Chinese as written: ``zh-Hant`` when it is in traditional script, else ``zh-Hans``."""
    return "zh-Hant" if text and to_simplified(text) != text else "zh-Hans"


def script_switch_url(script: str) -> str:
    """This page again, with the other script chosen (a GET page; other arguments kept)."""
    args = request.args.to_dict()
    args["script"] = script
    return f"{request.path}?{urlencode(args)}" if request.method == "GET" else f"/?{urlencode({'script': script})}"


def highlight(sentence: str, needles: list[str] | tuple[str, ...]) -> list[tuple[str, bool]]:
    """Split ``sentence`` into (text, is_match) pieces; the template escapes each piece.

    Longest needles first, case-insensitive, so ``5-HT`` inside ``5-HTT`` and
    ``oxytocin`` inside ``Oxytocin receptor`` are marked the way a reader expects.
    """
    sentence = sentence or ""
    wanted = sorted({n.strip() for n in needles if n and n.strip()}, key=len, reverse=True)
    if not wanted:
        return [(sentence, False)]
    pattern = re.compile("|".join(re.escape(n) for n in wanted), re.IGNORECASE)
    pieces, at = [], 0
    for match in pattern.finditer(sentence):
        if match.start() > at:
            pieces.append((sentence[at : match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(sentence):
        pieces.append((sentence[at:], False))
    return pieces


def _text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff (Chinese has no spaces to split on): ('same'|'del'|'ins', text)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", old[a1:a2]))
            continue
        if a2 > a1:
            pieces.append(("del", old[a1:a2]))
        if b2 > b1:
            pieces.append(("ins", new[b1:b2]))
    return pieces


def _term_label(term: dict[str, Any]) -> str:
    lang, kind, text = term_identity(term)
    kind = "" if kind == "full" else f", {kind}"
    return f"{text} ({lang}{kind}, {term.get('status') or 'preferred'})"


def snapshot_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What a revision changed, as readable lines: field, before, after, and an inline diff."""
    before, after = before or {}, after or {}
    changes = []
    for field in (*EDITABLE_FIELDS, "internal_note"):
        old, new = before.get(field) or "", after.get(field) or ""
        if old != new:
            diff = _text_diff(old, new) if old and new else None
            changes.append({"field": field, "before": old, "after": new, "diff": diff})
    for label, note in (after.get("term_notes") or {}).items():
        changes.append(
            {"field": f"note of {label}", "before": (before.get("term_notes") or {}).get(label, ""), "after": note}
        )
    link = after if "relation" in after else before if "relation" in before else None
    if link:
        if link["relation"] == "broader":
            text = f"concept {link.get('broader_id')} is broader than concept {link.get('narrower_id')}"
        else:
            text = f"concept {link.get('concept_id')} see also concept {link.get('target_id')}"
        changes.append(
            {
                "field": "related concepts",
                "before": "" if link is after else text,
                "after": text if link is after else "",
            }
        )
    old_terms = {term_identity(t): t for t in before.get("terms") or []}
    new_terms = {term_identity(t): t for t in after.get("terms") or []}
    for identity, term in old_terms.items():
        if identity not in new_terms:
            changes.append({"field": "term removed", "before": _term_label(term), "after": ""})
        elif new_terms[identity].get("status") != term.get("status"):
            changes.append(
                {"field": "term status", "before": _term_label(term), "after": _term_label(new_terms[identity])}
            )
        if identity in new_terms and new_terms[identity].get("zh_hant") != term.get("zh_hant"):
            changes.append(
                {
                    "field": f"traditional form of {identity[2]}",
                    "before": term.get("zh_hant") or "",
                    "after": new_terms[identity].get("zh_hant") or "(converted)",
                }
            )
    for identity, term in new_terms.items():
        if identity not in old_terms:
            changes.append({"field": "term added", "before": "", "after": _term_label(term)})
    return changes
