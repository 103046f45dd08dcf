"""Recompute XP, streaks, mastery and daily analytics from quiz_submissions, and repair drift."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Student
from analytics.rebuild import rebuild_student

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Recompute students' XP and streaks, student_progress and daily_analytics from quiz_submissions "
        "(the source of truth) and rewrite what differs, one student per transaction (safe while students "
        "answer). With --check, change nothing: list each difference and exit with status 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report drift and change nothing; exit status 1 on any drift."
        )
        parser.add_argument(
            "--student",
            action="append",
            default=[],
            metavar="ID",
            help="Only this student id (repeatable, or a comma-separated list). Default: every student.",
        )

    def handle(self, *args, check=False, student=(), **options):
        verbosity = options["verbosity"]
        fix = not check
        checked = fixed = drifted = drift_count = rows_changed = 0
        for student_id in self._student_ids(student):
            report = rebuild_student(student_id, fix=fix)
            if report is None:  # deleted meanwhile
                continue
            checked += 1
            rows_changed += report.rows_changed
            if report.drifts:
                drifted += 1
                drift_count += len(report.drifts)
                fixed += int(fix)
            if check or verbosity >= 2:
                for drift in report.drifts:
                    self.stdout.write(str(drift))

        if check:
            self.stdout.write(
                f"Students checked: {checked}; with drift: {drifted}; differences: {drift_count}; "
                f"rows that would change: {rows_changed}"
            )
            if drifted:
                raise CommandError(f"Drift found for {drifted} student(s).", returncode=1)
        else:
            self.stdout.write(f"Students checked: {checked}; students fixed: {fixed}; rows changed: {rows_changed}")

    def _student_ids(self, requested: list[str]):
        """The requested ids (validated up front), or every student's id in batches of BATCH_SIZE."""
        if requested:
            try:
                ids = sorted({int(part) for value in requested for part in value.split(",") if part.strip()})
            except ValueError as error:
                raise CommandError(f"--student takes student ids: {error}") from error
            unknown = set(ids) - set(Student.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if unknown:
                raise CommandError(f"No student with id {', '.join(map(str, sorted(unknown)))}.")
            yield from ids
            return
        last = 0
        while True:
            batch = list(Student.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
            if not batch:
                return
            yield from batch
            last = batch[-1]
