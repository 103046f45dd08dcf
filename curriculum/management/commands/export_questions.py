"""Export questions as JSON or CSV, in the format import_questions reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curriculum import transfer


class Command(BaseCommand):
    help = (
        "Export all questions (or one chapter's) as JSON (with the chapters) or CSV, to stdout or a file. "
        "import_questions reads the file back to the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chapter", metavar="ID", help="Only this chapter's questions.")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=transfer.EXPORT_FORMATS,
            help="Default: from the --output file's extension, else json.",
        )
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of stdout.")

    def handle(self, *args, chapter=None, fmt=None, output=None, **options):
        fmt = fmt or (output and transfer.format_for(output)) or "json"
        if fmt not in transfer.EXPORT_FORMATS:
            raise CommandError(f"Cannot export {fmt}: pass --format json or --format csv.")
        try:
            content = transfer.export_questions(fmt, chapter_id=chapter)
        except transfer.TransferError as error:
            raise CommandError(str(error)) from error
        if output is None:
            self.stdout.write(content, ending="")
            return
        try:
            Path(output).write_text(content, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
