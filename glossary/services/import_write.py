"""Writing an import plan: into the caller's transaction, or staged and swapped in at once.

``write_plan`` adds the plan's rows to the caller's session in bulk (a few
statements per table, not a flush per concept); the caller commits. The
starter glossary and other small, direct imports use it.

A job instead stages the rows (``stage_plan``: short transactions into the
``import_staged_*`` tables, which nobody else reads) and then swaps them in
(``swap_plan``): one transaction that copies them into the glossary with
``INSERT … SELECT`` and updates the concepts it merges into. That
transaction is short (about a second for 30,000 concepts) and holds the write
lock (SQLite) or blocks other writers of concepts, terms, history and sources
(PostgreSQL) for just that long; curators' writes wait for it instead of for
the whole import. Until it commits nothing of the import is visible; a
cancelled or failed job leaves only staging rows, which ``discard_staged``
deletes.

Curators keep writing while a job plans and stages. Every change to a
concept records a revision, so the swap reads which concepts the history
names since the job began (its *watermark*), and any decision that read one
of them, or whose terms meet one of their terms now, is stale: it and
everything built on it (a concept the file created and later lines merged
into) is left out and reported as conflicting, to import again. The rest
goes in whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    CursorResult,
    Dialect,
    Insert,
    Integer,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from ..models import (
    Concept,
    Evidence,
    ImportJob,
    ImportJobOutcome,
    Revision,
    Source,
    StagedConcept,
    StagedEvidence,
    StagedRevision,
    StagedTerm,
    Term,
    User,
    term_search_keys,
    utcnow,
)
from ..models.rules import term_group
from .import_plan import ImportPlan, PlannedConcept, PlannedTerm, group_key

# Rows a statement (and a staging transaction): short transactions, few round trips.
WRITE_BATCH = 2000
STAGED = (StagedConcept, StagedTerm, StagedRevision, StagedEvidence)
STALE_DETAIL = (
    "the glossary changed here while the file was being imported; nothing was done, import the file again to take it in"
)


class StaleSwap(Exception):
    """A merged concept's version moved although its history says nothing: try the swap again."""


def parse_iso_time(value: Any) -> datetime | None:
    """A time from a JSON export ("2026-11-22T10:00:00Z") as naive UTC, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _chunks(rows: list, size: int = WRITE_BATCH) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def reserve_concept_ids(session: Session, count: int, floor: int = 0) -> list[int]:
    """``count`` new concept ids nobody else will be given, each above ``floor`` (0: just past the last).

    SQLite: the AUTOINCREMENT counter moves past them in the caller's
    transaction. PostgreSQL: taken from the sequence (moved past ``floor``
    first), at once and for good, as sequences are. Ids reserved and then not
    used (a cancelled import) are never handed out: a gap, never a reuse.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'concept', 0 "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'concept')"
            )
        )
        top = session.execute(
            text(
                "UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX(id), 0) FROM concept), :floor) "
                "+ :count WHERE name = 'concept' RETURNING seq"
            ),
            {"floor": floor, "count": count},
        ).scalar_one()
        return list(range(top - count + 1, top + 1))
    sequence = "pg_get_serial_sequence('concept', 'id')"
    if floor:
        session.execute(
            text(
                f"SELECT setval({sequence}, GREATEST(:floor, (SELECT COALESCE(MAX(id), 0) FROM concept), "
                f"COALESCE(pg_sequence_last_value({sequence}::regclass), 0)))"
            ),
            {"floor": floor},
        )
    if not count:
        return []
    return list(session.scalars(text(f"SELECT nextval({sequence}) FROM generate_series(1, :count)"), {"count": count}))


def release_concept_ids(session: Session, block: tuple[int, int] | None) -> None:
    """Hand back the unused end of the reserved ids, if no one reserved after them (SQLite).

    ``block`` is (counter before, counter after) the reservations; the counter
    goes back to the highest id in use but never below where they began, so
    no id that was ever given out comes round again. PostgreSQL's sequences
    keep their gaps, as they do after any rolled-back insert.
    """
    if block is None or session.get_bind().dialect.name != "sqlite":
        return
    before, top = block
    session.execute(
        text(
            "UPDATE sqlite_sequence SET seq = MAX((SELECT COALESCE(MAX(id), 0) FROM concept), :before) "
            "WHERE name = 'concept' AND seq = :top"
        ),
        {"before": before, "top": top},
    )


def next_concept_id(session: Session) -> int:
    """The id the next new concept would get now (a dry run's guess; nothing is reserved)."""
    if session.get_bind().dialect.name == "sqlite":
        return session.execute(
            text(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'concept'), 0), "
                "(SELECT COALESCE(MAX(id), 0) FROM concept)) + 1"
            )
        ).scalar_one()
    return session.execute(
        text("SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('concept', 'id')::regclass), 0) + 1")
    ).scalar_one()


def _concept_row(concept: PlannedConcept) -> dict[str, Any]:
    return {"concept_id": concept.id, "domain": concept.domain, "definition": concept.definition,
            "note": concept.note, "status": concept.status, "version": concept.version}  # fmt: skip


def _term_row(concept_id: int, term: PlannedTerm) -> dict[str, Any]:
    return {"concept_id": concept_id, "lang": term.lang, "text": term.text, "kind": term.kind, "status": term.status,
            "count": term.count,
            **term_search_keys(term.lang, term.kind, term.text, term.zh_hant_curated)}  # fmt: skip


class _JSONText(TypeDecorator[Any]):
    """A JSON column's value that is JSON text already (the plan's history snapshots): stored as it is.

    Parsing 100,000 snapshots only for the driver to serialize them again took seconds of a large import.
    """

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


# A revision row's snapshots come as JSON text, under these names rather than the columns' (``_revision_row``).
_JSON_TEXT_COLUMNS = {"before": "before_json", "after": "after_json"}


def _insert_revisions(table: Table) -> Insert:
    """INSERT into ``revision`` or its staging table with ``before``/``after`` given as JSON text."""
    return insert(table).values(
        **{column: bindparam(name, type_=_JSONText()) for column, name in _JSON_TEXT_COLUMNS.items()}
    )


def _revision_row(concept_id: int, action: str, before: str | None, after: str) -> dict[str, Any]:
    # No snapshot before (a new concept) is stored as JSON null, as the JSON type stores None.
    snapshots = {_JSON_TEXT_COLUMNS["before"]: before or "null", _JSON_TEXT_COLUMNS["after"]: after}
    return {"concept_id": concept_id, "action": action, **snapshots}


def _evidence_row(row: tuple[int, str, str, str, int, int]) -> dict[str, Any]:
    concept_id, key, term, sentence, start, end = row
    return {"concept_id": concept_id, "source_key": key, "term": term, "sentence": sentence, "start": start, "end": end}


def _source_ids(session: Session, plan: ImportPlan, alive: Callable[[int], bool]) -> dict[str, int]:
    """The id of every source the plan's evidence names, creating the missing ones."""
    wanted = [key for key, users in plan.source_users.items() if any(alive(user) for user in users)]
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(wanted)):
        found.update(
            (key, source_id)
            for key, source_id in session.execute(select(Source.sha256, Source.id).where(Source.sha256.in_(chunk)))
        )
    for key in wanted:
        if key not in found:
            raw = plan.sources[key]
            source = Source(sha256=key, filename=str(raw.get("filename") or key)[:255], title=raw.get("title"),
                            imported_at=parse_iso_time(raw.get("imported_at")) or utcnow())  # fmt: skip
            session.add(source)
            session.flush()
            found[key] = source.id
    return found


def _update_merged(session: Session, plan: ImportPlan, alive: Callable[[int], bool], now: datetime) -> None:
    """Fields filled, versions moved on and counts raised in stored concepts the file merges into."""
    merged = [c for c in plan.changed_concepts() if alive(c.id)]
    rows = [{"b_id": c.id, "b_seen": c.stored_version, "domain": c.domain, "definition": c.definition,
             "note": c.note, "version": c.version, "updated_at": now} for c in merged]  # fmt: skip
    table = Concept.__table__
    for chunk in _chunks(rows):
        result = cast(
            "CursorResult[Any]",
            session.execute(
                update(table).where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_seen")), chunk
            ),
        )
        if result.rowcount != len(chunk):
            raise StaleSwap("a concept changed without a trace in its history")
    counts = [
        {"b_id": term_id, "b_count": count} for concept_id, term_id, count in plan.raised_counts() if alive(concept_id)
    ]
    terms = Term.__table__
    for chunk in _chunks(counts):
        session.execute(
            update(terms)
            .where(terms.c.id == bindparam("b_id"), terms.c.count < bindparam("b_count"))
            .values(count=bindparam("b_count")),
            chunk,
        )


def write_plan(session: Session, plan: ImportPlan, actor: User | None, action: str) -> None:
    """Add the plan's rows to the caller's transaction, in bulk; the caller commits or rolls back."""
    now = utcnow()
    session.flush()
    sources = _source_ids(session, plan, lambda _id: True)
    for chunk in _chunks(plan.created):
        session.execute(
            insert(Concept.__table__),
            [
                {
                    "id": c.id,
                    "domain": c.domain,
                    "definition": c.definition,
                    "note": c.note,
                    "status": c.status,
                    "version": c.version,
                    "created_at": now,
                    "updated_at": now,
                }
                for c in chunk
            ],
        )
    for chunk in _chunks(plan.terms):
        session.execute(insert(Term.__table__), [{**_term_row(cid, term), "created_at": now} for cid, term in chunk])
    _update_merged(session, plan, lambda _id: True, now)
    user = {"user_id": actor.id if actor else None, "user_name": actor.name if actor else "system", "created_at": now}
    for chunk in _chunks(plan.revisions):
        session.execute(
            _insert_revisions(Revision.__table__),
            [{**_revision_row(cid, action, before, after), **user} for cid, before, after in chunk],
        )
    for chunk in _chunks(plan.evidence):
        session.execute(
            insert(Evidence.__table__),
            [
                {
                    "source_id": sources[key],
                    "concept_id": cid,
                    "term": term,
                    "sentence": sentence,
                    "start": start,
                    "end": end,
                }
                for cid, key, term, sentence, start, end in chunk
            ],
        )
    if plan.fixed_ids and session.get_bind().dialect.name == "postgresql":
        # Explicit ids leave the sequence behind; move it past them, never back.
        reserve_concept_ids(session, 0, floor=max(plan.fixed_ids))
    session.expire_all()  # the session's objects no longer show what the statements above changed


def stage_plan(
    session: Session, job_id: int, plan: ImportPlan, action: str, after_batch: Callable[[int, int], None]
) -> None:
    """Write the plan's new rows to the staging tables, one short transaction a batch.

    The search keys of new terms (pinyin, traditional forms) are computed here,
    a batch at a time and before its transaction begins.
    """
    batches: list[
        tuple[type[StagedConcept | StagedTerm | StagedRevision | StagedEvidence], Iterable[dict[str, Any]]]
    ] = []
    batches += [(StagedConcept, [_concept_row(c) for c in chunk]) for chunk in _chunks(plan.created)]
    batches += [(StagedTerm, (_term_row(cid, term) for cid, term in chunk)) for chunk in _chunks(plan.terms)]
    batches += [
        (StagedRevision, (_revision_row(cid, action, before, after) for cid, before, after in chunk))
        for chunk in _chunks(plan.revisions)
    ]
    batches += [(StagedEvidence, (_evidence_row(row) for row in chunk)) for chunk in _chunks(plan.evidence)]
    total = len(plan.created) + len(plan.terms) + len(plan.revisions) + len(plan.evidence)
    done = 0
    copying = session.get_bind().dialect.name == "postgresql"
    for model, rows in batches:
        prepared = [{**row, "job_id": job_id} for row in rows]
        table = model.__table__
        if copying:
            _copy_rows(session, table, prepared)
        else:
            session.execute(_insert_revisions(table) if model is StagedRevision else insert(table), prepared)
        session.commit()
        done += len(prepared)
        after_batch(done, total)


def _copy_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: ``rows`` into ``table`` by ``COPY … FROM STDIN`` in the session's transaction (the bulk
    load PostgreSQL is made for: no statement per row to parse, nor a plan). A column a row leaves out
    gets its scalar default, else NULL, as an ``INSERT`` would give it."""
    columns = [column for column in table.columns if not column.primary_key]
    quote = session.get_bind().dialect.identifier_preparer.quote
    fields = [(_JSON_TEXT_COLUMNS.get(c.name, c.name), _scalar_default(c)) for c in columns]
    connection: Any = session.connection().connection.dbapi_connection
    names = ", ".join(quote(c.name) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(name, default) for name, default in fields])


def _scalar_default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


def discard_staged(session: Session, job_id: int, *, outcomes: bool = False) -> None:
    """Delete a job's staging rows (and its report rows), a batch a transaction."""
    for model in (*STAGED, *((ImportJobOutcome,) if outcomes else ())):
        while True:
            ids = select(model.id).where(model.job_id == job_id).limit(WRITE_BATCH * 5).scalar_subquery()
            result = cast("CursorResult[Any]", session.execute(delete(model).where(model.id.in_(ids))))
            gone = result.rowcount
            session.commit()
            if not gone:
                break


def history_watermark(session: Session) -> int:
    """The newest revision id now; every later change to a concept gets a higher one.

    On PostgreSQL ids are drawn before commit, so a write still in flight could
    commit a lower id after this is read: a moment's SHARE lock on the history
    waits for such writers, so that none is missed.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE revision IN SHARE MODE"))
    mark = session.execute(select(func.coalesce(func.max(Revision.id), 0))).scalar_one()  # an aggregate: one row
    session.commit()
    return int(mark)


def lock_for_swap(session: Session) -> None:
    """Begin the swap's transaction holding what other writers need, so the check and the copy agree."""
    session.commit()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection is None:  # session.connection() just handed out a live connection
            raise RuntimeError("the swap's connection has no DBAPI connection")
        if not dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, waiting the busy timeout for it
        return
    # Readers go on; writers of these tables wait (lock_timeout) until the swap commits.
    connection.exec_driver_sql("LOCK TABLE concept, term, revision, source IN SHARE ROW EXCLUSIVE MODE")


def stale_positions(session: Session, plan: ImportPlan, watermark: int) -> tuple[set[int], set[int]]:
    """Decisions made stale by changes since ``watermark``, and the concepts they would have written.

    A decision is stale if it read a concept changed since (merged into it,
    conflicted with it, or wanted its id), if its terms meet a term a changed
    concept has now (a concept created meanwhile), or if it builds on the
    concept of a stale decision. Every decision writing a concept that one
    stale decision writes is stale too, so a concept is written whole or not.
    """
    changed = {
        concept_id
        for concept_id in session.scalars(
            select(Revision.concept_id).distinct().where(Revision.id > watermark, Revision.concept_id.is_not(None))
        )
        if concept_id is not None  # the query leaves None out; this tells mypy
    }
    if not changed:
        return set(), set()
    now_keys: set[str] = set()
    for chunk in _chunks(sorted(changed)):
        rows = session.execute(select(Term.lang, Term.kind, Term.key).where(Term.concept_id.in_(chunk)))
        now_keys.update(group_key(term_group(lang, kind), key) for lang, kind, key in rows)
    dead: set[int] = set(changed)
    stale: set[int] = set()
    grew = True
    while grew:
        grew = False
        for position, decision in enumerate(plan.decisions):
            if position in stale:
                continue
            if (decision.keys & now_keys) or any(concept_id in dead for concept_id in decision.touched):
                stale.add(position)
                if decision.writes is not None and decision.writes not in dead:
                    dead.add(decision.writes)
                    grew = True
    return stale, dead


def _drop_stale(session: Session, job_id: int, plan: ImportPlan, stale: set[int], dead: set[int]) -> None:
    """Leave the stale decisions' rows out of the swap and say so in the report."""
    for model in STAGED:
        for chunk in _chunks(sorted(dead)):
            session.execute(delete(model).where(model.job_id == job_id, model.concept_id.in_(chunk)))
    report = plan.report
    report.evidence_added -= sum(1 for row in plan.evidence if row[0] in dead)
    for position in sorted(stale):
        item = report.outcomes[position]
        item.detail = "; ".join(
            part for part in (item.detail if item.outcome == "conflicting" else "", STALE_DETAIL) if part
        )
        if item.outcome == "new":
            item.concept_id = None  # its reserved id stays unused
        item.outcome = "conflicting"
        session.execute(
            update(ImportJobOutcome)
            .where(ImportJobOutcome.job_id == job_id, ImportJobOutcome.position == position)
            .values(outcome="conflicting", detail=item.detail, concept_id=item.concept_id)
        )


def swap_plan(session: Session, job: ImportJob, plan: ImportPlan, watermark: int) -> None:
    """Copy the staged rows into the glossary in one transaction (begun by ``lock_for_swap``); not committed."""
    now, job_id = utcnow(), job.id
    stale, dead = stale_positions(session, plan, watermark)
    if stale:
        _drop_stale(session, job_id, plan, stale, dead)

    def alive(concept_id: int) -> bool:
        return concept_id not in dead

    sources = _source_ids(session, plan, alive)
    at = literal(now)
    sc, st, sr, se = (model.__table__ for model in STAGED)
    session.execute(
        insert(Concept.__table__).from_select(
            ["id", "domain", "definition", "note", "status", "version", "created_at", "updated_at"],
            select(sc.c.concept_id, sc.c.domain, sc.c.definition, sc.c.note, sc.c.status, sc.c.version, at, at)
            .where(sc.c.job_id == job_id)
            .order_by(sc.c.id),
        )
    )
    keys = ["key", "zh_hans", "zh_hant", "pinyin", "pinyin_key", "pinyin_numbered", "pinyin_initials"]
    session.execute(
        insert(Term.__table__).from_select(
            ["concept_id", "lang", "text", "kind", "status", "count", *keys, "created_at"],
            select(
                st.c.concept_id,
                st.c.lang,
                st.c.text,
                st.c.kind,
                st.c.status,
                st.c.count,
                *(st.c[name] for name in keys),
                at,
            )
            .where(st.c.job_id == job_id)
            .order_by(st.c.id),
        )
    )
    _update_merged(session, plan, alive, now)
    session.execute(
        insert(Revision.__table__).from_select(
            ["concept_id", "user_id", "user_name", "action", "before", "after", "created_at"],
            select(
                sr.c.concept_id,
                literal(job.user_id, Integer),
                literal(job.user_name),
                sr.c.action,
                sr.c.before,
                sr.c.after,
                at,
            )
            .where(sr.c.job_id == job_id)
            .order_by(sr.c.id),
        )
    )
    if sources:
        source = Source.__table__
        session.execute(
            insert(Evidence.__table__).from_select(
                ["source_id", "concept_id", "term", "sentence", "start", "end"],
                select(source.c.id, se.c.concept_id, se.c.term, se.c.sentence, se.c.start, se.c.end)
                .join(source, source.c.sha256 == se.c.source_key)
                .where(se.c.job_id == job_id)
                .order_by(se.c.id),
            )
        )
