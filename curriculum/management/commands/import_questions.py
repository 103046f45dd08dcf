"""Import questions from a JSON, CSV or Moodle GIFT file, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curriculum import transfer


class Command(BaseCommand):
    help = (
        "Import questions from a JSON, CSV or Moodle GIFT (multiple choice) file in one transaction: "
        "existing questions are updated by quiz_id, new ones created; any rejected row means nothing is "
        "written and the command fails. The formats are described in the README."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import (UTF-8).")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=transfer.FORMATS,
            help="The file's format. Default: from its extension (.json, .csv, .gift or .txt for GIFT).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report everything, write nothing.")
        parser.add_argument(
            "--chapter",
            metavar="ID",
            help="GIFT only: the chapter of the questions whose $CATEGORY does not name an existing chapter.",
        )
        parser.add_argument(
            "--create-chapters",
            action="store_true",
            help="Create the chapters the file needs (CSV, GIFT: named after their id, subject "
            f'"{transfer.IMPORTED_SUBJECT}", locked) and upsert a JSON file\'s "chapters".',
        )

    def handle(self, *args, file, fmt=None, dry_run=False, chapter=None, create_chapters=False, **options):
        fmt = fmt or transfer.format_for(file)
        if fmt is None:
            raise CommandError(f"Cannot tell the format of {file} from its extension: pass --format.")
        if chapter is not None and fmt != "gift":
            raise CommandError("--chapter is for GIFT files: JSON and CSV name each question's chapter.")
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error

        report = transfer.import_file(
            content, fmt=fmt, chapter_id=chapter, dry_run=dry_run, create_chapters=create_chapters
        )

        if options["verbosity"] >= 1:
            for outcome in report.outcomes:
                self.stdout.write(str(outcome))
        for note in report.notes:
            self.stdout.write(note)
        for rejection in report.rejections_shown:
            self.stderr.write(f"{rejection}")
        if report.rejections_not_shown:
            self.stderr.write(f"… and {report.rejections_not_shown} more rejections.")
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{report.rejected_rows} row(s) rejected: nothing was imported.")
