"""Export and import commands: glossary files for CAT tools, spreadsheets and backups.

    flask --app app export --format tbx|tbx3|csv|xlsx|tsv|json [--direction zh-en|en-zh] [--status approved]
                           [--zh-tags script|region] [--doctype] [-o FILE]
    flask --app app import FILE [--format …] [--map zh=Chinese,en=English,abbr=Abbrev] [--dry-run]

An import is all or nothing: a malformed file or concept writes nothing, and a
dry run reports what would happen and writes nothing. It runs as an import job
(the import page lists it and can stop it): on a terminal its progress goes
to standard error, and Ctrl-C (or the terminal closing) stops it, leaving
nothing behind.
"""

from __future__ import annotations

import hashlib
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.exc import OperationalError

from ..database import is_busy
from ..extensions import db
from ..formats import DIRECTIONS, FORMATS, ZH_TAGS, FormatError, parse_mapping
from ..models import CONCEPT_STATUSES, ImportJob
from ..services.import_jobs import create_job, describe_progress
from ..services.import_workers import import_workers
from ..services.interchange import export_file

BUSY = "the database stayed busy with other writes; nothing was imported. Run the command again."


def register(app: Flask) -> None:
    @app.cli.command("export")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(list(FORMATS)),
        default="json",
        show_default=True,
        help="tbx: TBX-Basic 2008; tbx3: TBX v3 (2019); xlsx: Excel/LibreOffice; csv: scripts; "
        "tsv: OmegaT; json: backup.",
    )
    @click.option("--direction", type=click.Choice(DIRECTIONS), help="Source → target for tsv (default zh-en).")
    @click.option("--status", type=click.Choice(CONCEPT_STATUSES), help="Only concepts with this status.")
    @click.option(
        "--zh-tags",
        type=click.Choice(list(ZH_TAGS)),
        default="script",
        show_default=True,
        help="TBX language tags for Chinese: script (zh-Hans, zh-Hant) or region (zh-CN, zh-TW).",
    )
    @click.option("--doctype", is_flag=True, help="TBX 2008: add the relative DOCTYPE (keep the DTD beside the file).")
    @click.option("-o", "--output", type=click.Path(path_type=Path),
                  help="Write to this file (or folder, under the download name).")  # fmt: skip
    def export_command(
        fmt: str, direction: str | None, status: str | None, zh_tags: str, doctype: bool, output: Path | None
    ) -> None:
        """Export the glossary for CAT tools, spreadsheets or a backup."""
        exported = export_file(db.session, fmt, direction, status, zh_tags=zh_tags, doctype=doctype)
        raw = exported.data
        if output is None:
            click.echo(raw, nl=False)  # bytes go to the binary stream as they are
            return
        if output.is_dir():
            output = output / exported.filename  # the name the export page and the API give
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        partial.write_bytes(raw)
        partial.replace(output)  # a reader never sees half a file under the final name
        click.echo(f"Exported {exported.concepts} concepts to {output} ({FORMATS[fmt].label}).", err=True)

    @app.cli.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--format", "fmt", help="tbx, tbx3, csv, tsv (OmegaT) or json; guessed from the content if omitted.")
    @click.option("--map", "mapping", help="Columns of a CSV/TSV file, e.g. zh=Chinese,en=English,abbr=Abbrev.")
    @click.option("--direction", type=click.Choice(DIRECTIONS), help="Columns of an OmegaT file (guessed if omitted).")
    @click.option("--dry-run", is_flag=True, help="Report what would be imported and write nothing.")
    def import_command(file: Path, fmt: str | None, mapping: str | None, direction: str | None, dry_run: bool) -> None:
        """Import a glossary FILE, merging into existing concepts; all or nothing."""
        raw = file.read_bytes()
        try:
            if mapping:
                parse_mapping(mapping)
            job_id = _new_job(
                file.name,
                raw,
                {"fmt": fmt, "mapping": mapping or "", "direction": direction, "default_status": "approved"},
                dry_run,
            )
            with _stop_on_hangup():
                report = import_workers(current_app).run_here(job_id, raw, progress=_progress(), reraise=True)
        except FormatError as exc:
            raise click.ClickException(f"{file.name}: {exc}. Nothing was imported.") from exc
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            raise click.ClickException(BUSY) from exc
        db.session.expire_all()
        job = db.session.get(ImportJob, job_id)
        for warning in job.warnings or []:
            click.echo(f"warning: {warning}", err=True)
        if report is None:  # cancelled from the page, or interrupted here
            raise click.ClickException(f"{file.name}: {job.error} Nothing was imported.")
        for item in report.outcomes:
            click.echo(item.describe())
        click.echo(f"{file.name} ({job.file_format}, {job.encoding}): {report.summary()}")
        if not report.ok:
            raise click.ClickException("the file has errors (listed above). Nothing was imported.")
        click.echo("Dry run: nothing was written." if dry_run else "Imported.")


def _new_job(name: str, raw: bytes, options: dict, dry_run: bool) -> int:
    job = create_job(db.session, kind="preview" if dry_run else "apply", filename=name,
                     sha256=hashlib.sha256(raw).hexdigest(), options=options, actor=None, watched=False,
                     worker=import_workers(current_app).worker_id)  # fmt: skip
    db.session.commit()
    return job.id


def _progress():
    """The job's progress on standard error, only when a person is watching."""
    if not sys.stderr.isatty():
        return None
    return lambda job: click.echo(describe_progress(job), err=True)


@contextmanager
def _stop_on_hangup() -> Iterator[None]:
    """SIGTERM or SIGHUP (the terminal closed) stop the import like Ctrl-C: cleanly, leaving nothing."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {number: signal.signal(number, interrupt) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
