"""Enqueue the periodic jobs when they are due (settings.PERIODIC_TASKS), every minute, for ever."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobs.scheduler import run_due


class Command(BaseCommand):
    help = (
        "Enqueue each periodic job (settings.PERIODIC_TASKS) once per period, checking every minute; the task "
        "worker (manage.py db_worker) runs them. Safe to run twice: a period's run is claimed in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=float, default=60, help="Seconds between checks (default 60).")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            for name in run_due():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            close_old_connections()
            time.sleep(interval)
