from django.core.management.base import BaseCommand

from accounts.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Delete records that have served their purpose: expired sessions, rate-limit hits and wrong family codes "
        "older than their limits' windows, finished background tasks. The scheduler runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, dry_run=False, **options):
        for label, count in purge_expired(dry_run=dry_run).items():
            self.stdout.write(f"{label}: {count} {'to delete' if dry_run else 'deleted'}")
