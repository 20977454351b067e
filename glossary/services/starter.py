"""Load the starter glossary into an empty database (``make run`` does this)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Concept, Evidence, Source
from .concepts import create_concept

STARTER_PATH = Path(__file__).resolve().parent.parent / "data" / "starter.json"


def database_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Concept))


def load_starter(session: Session, path: Path = STARTER_PATH) -> int:
    """Add the starter concepts with their sources and evidence; returns how many."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    sources: dict[str, Source] = {}
    for raw in data.get("sources", []):
        source = session.scalar(select(Source).where(Source.sha256 == raw["key"]))
        if source is None:
            source = Source(sha256=raw["key"], filename=raw["filename"], title=raw.get("title"))
            session.add(source)
        sources[raw["key"]] = source
    session.flush()
    for raw in data["concepts"]:
        concept = create_concept(session, raw, actor=None, action="starter")
        for item in raw.get("evidence", []):
            source = sources.get(item["source"])
            if source is None:
                continue
            session.add(Evidence(source_id=source.id, concept_id=concept.id, term=item.get("term", ""),
                                 sentence=item["sentence"], start=item["start"], end=item["end"]))
    session.flush()
    return len(data["concepts"])
