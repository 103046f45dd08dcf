from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.inventory import END_MARKER, START_MARKER, render_markdown, with_inventory


class Command(BaseCommand):
    help = (
        f"Write the data inventory (accounts/inventory.py) into PRIVACY.md, between {START_MARKER} and {END_MARKER}. "
        "--check writes nothing and fails when the file is not current."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="write nothing; fail when the file is not current")
        parser.add_argument(
            "--path", type=Path, default=None, help="the file to write (default: PRIVACY.md at the project's root)"
        )

    def handle(self, *args, check=False, path=None, **options):
        path = path or Path(settings.BASE_DIR) / "PRIVACY.md"
        try:
            current = path.read_text(encoding="utf-8")
            wanted = with_inventory(current, render_markdown())
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        if wanted == current:
            self.stdout.write(f"{path} is current.")
        elif check:
            raise CommandError(f"{path} is not current: run `python manage.py write_privacy_inventory`.")
        else:
            path.write_text(wanted, encoding="utf-8")
            self.stdout.write(f"{path} written.")
