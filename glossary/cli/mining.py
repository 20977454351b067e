"""The mine command: term pairs and abbreviations from articles into the review queue.

    flask --app app mine [--dry-run] [--format jsonl|table] FILE...

FILE is a PDF with a text layer, a Word ``.docx``, Markdown, HTML or plain
text, told apart by its bytes (:mod:`glossary.ingest`, as the page and the
API read them). With ``--dry-run`` it prints the candidates (one JSON object
a line, or a table) and touches no database. Otherwise it records the
sources, the evidence (with its page, for a PDF) and the new candidates,
idempotently, and commits once. Every file is read first, as the page and
the API read them: a refused one (scanned or encrypted PDF, ``.doc``, zip
bomb, empty or binary…) is reported with its reason and the others are
mined; the command then exits with status 1. On a terminal, progress goes to standard
error file by file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError

from ..database import is_busy
from ..errors import ServiceError
from ..extensions import db
from ..mining import Candidate as MinedCandidate
from ..services.mining import UploadPolicy, mine_documents, mine_documents_dry, read_uploads


def register(app: Flask) -> None:
    @app.cli.command("mine")
    @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Print the candidates; write nothing to the database.")
    @click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
                  help="How --dry-run prints the candidates.")  # fmt: skip
    @click.option("--strict", is_flag=True,
                  help="Mine nothing if any file is unreadable (default: mine the readable ones).")  # fmt: skip
    def mine_command(files: tuple[Path, ...], dry_run: bool, fmt: str, strict: bool) -> None:
        """Mine FILE... (PDF, .docx, .md, .html or .txt articles) for bilingual term pairs and abbreviations."""
        progress = _progress()
        loaded = []
        for number, path in enumerate(files, 1):
            progress(f"loading {number}/{len(files)}: {path}")
            loaded.append((str(path), path.read_bytes()))
        progress(f"reading {len(loaded)} file(s)…")
        policy = UploadPolicy.ALL_OR_NOTHING if strict else UploadPolicy.EACH_FILE  # the page's and the API's
        try:
            documents, refused = read_uploads(loaded, policy)
        except ServiceError as error:
            for message in error.details.get("files", [error.message]):
                click.echo(f"error: {message}", err=True)
            raise click.ClickException("nothing was mined.") from error
        for item in refused:
            click.echo(f"error: {item['message']}", err=True)
        if dry_run:
            progress(f"mining {len(documents)} file(s)…")
            _print_candidates(mine_documents_dry(documents), fmt)
            _refused_exit(refused)
            return
        try:
            report = mine_documents(db.session, documents, progress=progress)
            db.session.commit()
        except ServiceError as error:  # e.g. the same file stored by another run meanwhile
            db.session.rollback()
            raise click.ClickException(f"{error.message} Nothing was mined.") from error
        except OperationalError as error:
            db.session.rollback()  # nothing half-stored
            if not is_busy(error):
                raise
            raise click.ClickException(
                "the database stayed busy with another write; nothing was stored. Run the command again."
            ) from error
        except Exception:
            db.session.rollback()
            raise
        for file_report in report.files:
            click.echo(file_report.describe())
        click.echo(report.summary())
        _refused_exit(refused)


def _refused_exit(refused: list[dict[str, str]]) -> None:
    """The readable files were mined; a refused one still makes the command fail (exit status 1)."""
    if refused:
        names = ", ".join(item["filename"] for item in refused)
        raise click.ClickException(f"{len(refused)} file(s) refused, the others mined: {names}.")


def _progress():
    """Per-file progress on standard error, only when a person is watching."""
    if sys.stderr.isatty():
        return lambda message: click.echo(message, err=True)
    return lambda message: None


def _print_candidates(candidates: list[MinedCandidate], fmt: str) -> None:
    if fmt == "jsonl":
        for candidate in candidates:
            click.echo(json.dumps(candidate.to_dict(), ensure_ascii=False))
        return
    rows = [(f"{c.confidence:.2f}", str(c.count), c.zh, c.en, c.abbr) for c in candidates]
    header = ("conf", "count", "zh", "en", "abbr")
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo(
            "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    click.echo(f"{len(rows)} candidates", err=True)


def _width(text: str) -> int:
    """Display width: Han characters take two columns."""
    return sum(
        2 if "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff01" <= char <= "\uff60" else 1
        for char in text
    )
