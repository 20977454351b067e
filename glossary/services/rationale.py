"""Why the miner chose a reading: the one home of its JSON shape.

The miner explains each reading it proposes, the chosen one and every
alternative, as ``{"reasons": [str], "lexicon": [{"zh", "en"}], "recurrence": int}``
(it calls it ``evidence``; a candidate's ``evidence`` here is its sentences, so the
column and the API say ``rationale``). The dict may be missing or empty (rows
mined before it was recorded) and, being stored JSON, anything at all: storage,
the review pages and the API all read it through :func:`clean_rationale`, so
they agree on what a curator sees and none of them breaks on an odd row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..models import MAX_DB_INT
from .candidates import candidate_dedupe_key

# Enough to explain a reading at a glance; a runaway miner must not bloat every row.
MAX_REASONS = 12
MAX_LEXICON = 20
MAX_PHRASE = 200
MAX_ALTERNATIVES = 8


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def clean_rationale(raw: Any) -> dict[str, Any]:
    """Always the full shape: reasons (unique, in order), lexicon pairs with both sides, recurrence ≥ 0."""
    raw = raw if isinstance(raw, Mapping) else {}
    reasons = list(dict.fromkeys(r for r in (_string(v)[:MAX_PHRASE] for v in _items(raw.get("reasons"))) if r))
    pairs = (
        (_string(p.get("zh"))[:MAX_PHRASE], _string(p.get("en"))[:MAX_PHRASE])
        for p in _items(raw.get("lexicon"))
        if isinstance(p, Mapping)
    )
    lexicon = [{"zh": zh, "en": en} for zh, en in dict.fromkeys(p for p in pairs if all(p))]
    recurrence = raw.get("recurrence")
    if not isinstance(recurrence, int) or isinstance(recurrence, bool):
        recurrence = 0
    return {
        "reasons": reasons[:MAX_REASONS],
        "lexicon": lexicon[:MAX_LEXICON],
        "recurrence": min(max(recurrence, 0), MAX_DB_INT),
    }


def is_explained(rationale: Any) -> bool:
    """True when there is anything to show: a reason, a lexicon match or a recurrence."""
    cleaned = clean_rationale(rationale)
    return bool(cleaned["reasons"] or cleaned["lexicon"] or cleaned["recurrence"])


def combine_rationales(known: Any, fresh: Any) -> dict[str, Any]:
    """A reading mined again: the newest reasons first, lexicon matches pooled, recurrence counts added."""
    old, new = clean_rationale(known), clean_rationale(fresh)
    return clean_rationale(
        {
            "reasons": new["reasons"] + old["reasons"],
            "lexicon": new["lexicon"] + old["lexicon"],
            "recurrence": min(old["recurrence"] + new["recurrence"], MAX_DB_INT),
        }
    )


def _reading_key(alternative: Mapping[str, Any]) -> str:
    return candidate_dedupe_key(*(_string(alternative.get(part)) for part in ("zh", "en", "abbr")))


def stored_alternatives(raw: Any) -> list[dict[str, Any]]:
    """The miner's alternatives as the candidate row keeps them: each with its ``evidence`` cleaned."""
    return [
        {**alt, "evidence": clean_rationale(alt.get("evidence"))} for alt in _items(raw) if isinstance(alt, Mapping)
    ][:MAX_ALTERNATIVES]


def combine_alternatives(known: Any, fresh: Any) -> list[dict[str, Any]]:
    """Known readings keep their place, their evidence combined and the higher confidence; new ones follow."""
    combined = [dict(alt) if isinstance(alt, Mapping) else alt for alt in _items(known)]
    position = {_reading_key(alt): i for i, alt in enumerate(combined) if isinstance(alt, Mapping)}
    for alt in stored_alternatives(fresh):
        index = position.get(_reading_key(alt))
        if index is None:
            if len(combined) < MAX_ALTERNATIVES:
                position[_reading_key(alt)] = len(combined)
                combined.append(alt)
            continue
        existing = combined[index]
        existing["evidence"] = combine_rationales(existing.get("evidence"), alt["evidence"])
        confidences = (_confidence(existing.get("confidence")), _confidence(alt.get("confidence")))
        scores = [score for score in confidences if score is not None]
        if scores:
            existing["confidence"] = max(scores)
    return combined


def _confidence(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def alternative_readings(raw: Any) -> list[dict[str, Any]]:
    """Alternatives as the API and the pages show them: zh, en, abbr, confidence (or None), rationale."""
    return [
        {
            "zh": _string(alt.get("zh")),
            "en": _string(alt.get("en")),
            "abbr": _string(alt.get("abbr")),
            "confidence": _confidence(alt.get("confidence")),
            "rationale": clean_rationale(alt.get("evidence")),
        }
        for alt in _items(raw)
        if isinstance(alt, Mapping)
    ]
