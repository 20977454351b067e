"""Export and import commands: glossary files for CAT tools, spreadsheets and backups.

    flask --app app export --format tbx|tbx3|csv|xlsx|tsv|json [--direction zh-en|en-zh] [--status approved]
                           [--zh-tags script|region] [--doctype] [-o FILE]
    flask --app app import FILE [--format …] [--map zh=Chinese,en=English,abbr=Abbrev] [--dry-run]
    flask --app app import --apply ID [FILE]
    flask --app app import --cancel ID

An import is all or nothing: a malformed file or concept writes nothing, and a
dry run reports what would happen and writes nothing. It runs as an import job
(the import page lists it and can stop it): on a terminal its progress goes
to standard error, and Ctrl-C (or the terminal closing) stops it, leaving
nothing behind.

A dry run without errors keeps the file, as the import page does, under the
id it prints (``services/pending_imports.py``); ``--apply ID`` then imports
exactly the bytes previewed, with the options of the dry run, and refuses if
they changed since, if FILE (when given) is no longer the file previewed, or
if the preview has expired.
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
from ..services.import_jobs import describe_progress
from ..services.interchange import export_file
from ..services.pending_imports import (
    StartedImport,
    UploadUnavailable,
    apply_import,
    cancel_import,
    describe_upload,
    import_at_once,
    pending_imports,
    preview_import,
)

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
    @click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--format", "fmt", help="tbx, tbx3, csv, tsv (OmegaT) or json; guessed from the content if omitted.")
    @click.option("--map", "mapping", help="Columns of a CSV/TSV file, e.g. zh=Chinese,en=English,abbr=Abbrev.")
    @click.option("--direction", type=click.Choice(DIRECTIONS), help="Columns of an OmegaT file (guessed if omitted).")
    @click.option("--dry-run", is_flag=True,
                  help="Report what would be imported and write nothing; the file then waits for --apply.")  # fmt: skip
    @click.option("--apply", "apply_id", metavar="ID",
                  help="Import the file a dry run kept under ID, exactly as previewed (FILE, if given, must still "
                  "be that file).")  # fmt: skip
    @click.option("--cancel", "cancel_id", metavar="ID", help="Forget the file a dry run kept under ID.")
    def import_command(
        file: Path | None,
        fmt: str | None,
        mapping: str | None,
        direction: str | None,
        dry_run: bool,
        apply_id: str | None,
        cancel_id: str | None,
    ) -> None:
        """Import a glossary FILE, merging into existing concepts; all or nothing.

        Or in two steps: `import FILE --dry-run` reports and keeps the file under
        an id, `import --apply ID` imports exactly what was previewed.
        """
        if cancel_id is not None:
            if file or fmt or mapping or direction or dry_run or apply_id:
                raise click.UsageError("--cancel takes only the id of a dry run.")
            _cancel(cancel_id)
            return
        if apply_id is not None:
            if fmt or mapping or direction or dry_run:
                raise click.UsageError(
                    "--apply imports the file with the options of its dry run; give --format, --map "
                    "and --direction to the dry run."
                )
            _apply(apply_id, file)
            return
        if file is None:
            raise click.UsageError("Give the FILE to import (or --apply ID, or --cancel ID).")
        raw = file.read_bytes()
        pending = describe_upload(raw, file.name, None, fmt=fmt, mapping=mapping or "", direction=direction)
        try:
            if mapping:
                parse_mapping(mapping)
            step = preview_import if dry_run else import_at_once
            started = _run(lambda: step(db.session, current_app, raw, pending, None, progress=_progress()))
        except FormatError as exc:
            raise click.ClickException(f"{file.name}: {exc}. Nothing was imported.") from exc
        _report(file.name, started, "Dry run: nothing was written." if dry_run else "Imported.")
        if started.upload_id:
            minutes = pending_imports(current_app).max_age // 60
            click.echo(
                f"Kept as {started.upload_id} for {minutes} minutes. To import exactly this file: "
                f"flask import --apply {started.upload_id}"
            )


def _apply(upload_id: str, file: Path | None) -> None:
    """The second step: the bytes kept by a dry run, refused if they (or FILE) changed or expired."""
    waiting = pending_imports(current_app).waiting(upload_id)
    if waiting is None:
        raise click.ClickException(
            f"no dry run waits under the id {upload_id!r} (unknown, already applied, cancelled or expired). "
            "Run the dry run again. Nothing was imported."
        )
    if file is not None and hashlib.sha256(file.read_bytes()).hexdigest() != waiting.sha256:
        raise click.ClickException(
            f"{file.name} has changed since its dry run ({upload_id}). Run the dry run again. Nothing was imported."
        )
    try:
        started = _run(
            lambda: apply_import(db.session, current_app, upload_id, waiting.sha256, None, progress=_progress())
        )
    except UploadUnavailable as exc:
        raise click.ClickException(f"{waiting.filename}: {exc.message} Nothing was imported.") from exc
    except FormatError as exc:
        raise click.ClickException(f"{waiting.filename}: {exc}. Nothing was imported.") from exc
    _report(waiting.filename, started, "Imported.", put_back=upload_id)


def _cancel(upload_id: str) -> None:
    try:
        cancelled = cancel_import(current_app, upload_id, None)
    except UploadUnavailable as exc:
        raise click.ClickException(exc.message) from exc
    if not cancelled:
        raise click.ClickException(f"no dry run waits under the id {upload_id!r}.")
    click.echo(f"Forgotten: {upload_id} can no longer be applied.")


def _run(step) -> StartedImport:
    """One step as an import job in this process, stopped cleanly by Ctrl-C or a closed terminal."""
    try:
        with _stop_on_hangup():
            return step()
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        raise click.ClickException(BUSY) from exc


def _report(name: str, started: StartedImport, done: str, put_back: str | None = None) -> None:
    """The job's warnings, each concept's outcome and the summary; exit 1 unless it ended as ``done``."""
    db.session.expire_all()
    job = db.session.get(ImportJob, started.job_id)
    for warning in job.warnings or []:
        click.echo(f"warning: {warning}", err=True)
    report = started.report
    again = f" The dry run still waits: import --apply {put_back} to try again." if put_back else ""
    if report is None:  # cancelled from the page, or interrupted here
        raise click.ClickException(f"{name}: {job.error} Nothing was imported.{again}")
    for item in report.outcomes:
        click.echo(item.describe())
    click.echo(f"{name} ({job.file_format}, {job.encoding}): {report.summary()}")
    if not report.ok:
        raise click.ClickException("the file has errors (listed above). Nothing was imported.")
    click.echo(done)


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
