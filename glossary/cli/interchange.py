"""Export and import commands: glossary files for CAT tools, spreadsheets and backups.

    flask --app app export --format tbx|tbx3|csv|tsv|json [--direction zh-en|en-zh] [--status approved] [-o FILE]
    flask --app app import FILE [--format …] [--map zh=Chinese,en=English,abbr=Abbrev] [--dry-run]

An import is all or nothing: a malformed file or concept writes nothing, and a
dry run reports what would happen and rolls back.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from ..extensions import db
from ..formats import DIRECTIONS, FORMATS, FormatError, export_glossary, parse_glossary, parse_mapping
from ..models import CONCEPT_STATUSES
from ..services.interchange import export_glossary_data, import_glossary


def register(app: Flask) -> None:
    @app.cli.command("export")
    @click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="json", show_default=True,
                  help="tbx: TBX-Basic 2008; tbx3: TBX v3 (2019); csv: spreadsheet; tsv: OmegaT; json: backup.")
    @click.option("--direction", type=click.Choice(DIRECTIONS), help="Source → target for tsv (default zh-en).")
    @click.option("--status", type=click.Choice(CONCEPT_STATUSES), help="Only concepts with this status.")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write to this file instead of standard output.")  # fmt: skip
    def export_command(fmt: str, direction: str | None, status: str | None, output: Path | None) -> None:
        """Export the glossary for CAT tools, spreadsheets or a backup."""
        data = export_glossary_data(db.session, status=status)
        raw = export_glossary(data, fmt, direction)
        if output is None:
            click.echo(raw, nl=False)  # bytes go to the binary stream as they are
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        partial.write_bytes(raw)
        partial.replace(output)  # a reader never sees half a file under the final name
        click.echo(f"Exported {len(data['concepts'])} concepts to {output} ({FORMATS[fmt].label}).", err=True)

    @app.cli.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--format", "fmt", help="tbx, tbx3, csv, tsv (OmegaT) or json; guessed from the content if omitted.")
    @click.option("--map", "mapping", help="Columns of a CSV/TSV file, e.g. zh=Chinese,en=English,abbr=Abbrev.")
    @click.option("--direction", type=click.Choice(DIRECTIONS), help="Columns of an OmegaT file (guessed if omitted).")
    @click.option("--dry-run", is_flag=True, help="Report what would be imported and write nothing.")
    def import_command(file: Path, fmt: str | None, mapping: str | None, direction: str | None, dry_run: bool) -> None:
        """Import a glossary FILE, merging into existing concepts; all or nothing."""
        try:
            parsed = parse_glossary(file.read_bytes(), fmt, parse_mapping(mapping) if mapping else None, direction)
        except FormatError as exc:
            raise click.ClickException(f"{file.name}: {exc}. Nothing was imported.") from exc
        for warning in parsed.warnings:
            click.echo(f"warning: {warning}", err=True)
        report = import_glossary(db.session, parsed.data, dry_run, lines=parsed.lines,
                                 keep_ids=parsed.format == "json")  # fmt: skip
        for item in report.outcomes:
            click.echo(item.describe())
        click.echo(f"{file.name} ({parsed.format}, {parsed.encoding}): {report.summary()}")
        if not report.ok:
            db.session.rollback()
            raise click.ClickException("the file has errors (listed above). Nothing was imported.")
        if dry_run:
            db.session.rollback()
            click.echo("Dry run: nothing was written.")
            return
        db.session.commit()
        click.echo("Imported.")
