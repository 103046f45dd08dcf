import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import dataset


class Command(BaseCommand):
    help = (
        "Generate a realistic, internally consistent dataset (students, answers, progress, daily analytics, "
        "parents) with COPY, into a database with no students yet. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=1000)
        parser.add_argument("--chapters", type=int, default=40)
        parser.add_argument("--questions-per-chapter", type=int, default=20)
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--parents", type=int, default=None, help="default: a tenth of the students")
        parser.add_argument("--answers-per-student", type=int, default=100, help="the mean over the period")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_dataset writes with COPY: set DATABASE_URL to a PostgreSQL database.")
        sizes = dataset.Sizes(
            students=options["students"],
            chapters=options["chapters"],
            questions_per_chapter=options["questions_per_chapter"],
            days=options["days"],
            parents=options["students"] // 10 if options["parents"] is None else options["parents"],
            answers_per_student=options["answers_per_student"],
            seed=options["seed"],
        )
        started = time.monotonic()
        try:
            counts = dataset.generate(sizes)
        except ValueError as error:
            raise CommandError(str(error)) from error
        with connection.cursor() as cursor:
            # VACUUM too: it marks the pages all-visible, so index-only scans need no table reads.
            # (Not possible inside a transaction, as in the tests: then statistics only.)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{name}: {count:,}" for name, count in counts.items())
        self.stdout.write(f"{summary} in {elapsed:.1f}s")
        self.stdout.write(f"Every generated account's password: {dataset.BENCH_PASSWORD}")
