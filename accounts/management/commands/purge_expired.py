from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts import family
from accounts.models import FamilyCodeAttempt, ThrottleHit


class Command(BaseCommand):
    help = (
        "Delete records that have served their purpose: expired sessions, rate-limit hits and wrong family "
        "codes older than their limits' windows. Run it daily (e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        stale = {
            "expired sessions": Session.objects.filter(expire_date__lt=now),
            "rate-limit hits": ThrottleHit.objects.expired(now),
            "wrong family codes": FamilyCodeAttempt.objects.filter(attempted_at__lt=now - family.WRONG_CODE_WINDOW),
        }
        for label, queryset in stale.items():
            count = queryset.count() if dry_run else queryset.delete()[0]
            self.stdout.write(f"{label}: {count} {'to delete' if dry_run else 'deleted'}")
