"""Load the demo curriculum and the demo student, parent and staff logins."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Parent, Student, StudentParentLink, User
from curriculum import transfer

# The demo curriculum, in the import format (README, "Importing and exporting questions"): it is
# loaded through the importer, and doubles as the format's full example.
DEMO_CURRICULUM = Path(__file__).resolve().parents[2] / "demo_curriculum.json"

# Public on purpose: seed_demo prints it, and the README may too. Never use it for a real account.
DEMO_PASSWORD = "learn-quest-demo"  # noqa: S105
DEMO_STUDENT: dict[str, Any] = {"email": "student@example.com", "name": "Maya Lopez", "grade_level": 5}
DEMO_PARENT: dict[str, Any] = {"email": "parent@example.com", "name": "Ana Lopez"}
DEMO_STAFF: dict[str, Any] = {"email": "staff@example.com"}


class Command(BaseCommand):
    help = (
        "Load the demo curriculum (chapters and questions) and demo logins for a student, a parent and staff. "
        "Idempotent: content is brought up to date, existing accounts and their passwords are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        # The content is imported (all or nothing, in its own transaction) before the accounts are made.
        report = transfer.import_file(DEMO_CURRICULUM.read_bytes(), fmt="json", create_chapters=True, dry_run=dry_run)
        if not report.ok:  # the file ships with the code: a rejection is a bug in it
            raise CommandError("The demo curriculum does not import: " + "; ".join(map(str, report.rejected)))
        with transaction.atomic():
            accounts = load_accounts()
            if dry_run:
                transaction.set_rollback(True)

        prefix = "Would have: " if dry_run else ""
        for name, chapters in (("chapters", True), ("questions", False)):
            counts = {action: report.count(action, chapters=chapters) for action in ("created", "updated", "unchanged")}
            self.stdout.write(
                f"{prefix}{name}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
        self.stdout.write(f"{prefix}accounts: {sum(accounts.values())} created")
        if dry_run:
            return

        self.stdout.write(self.style.SUCCESS("\nDemo logins (e-mail / password):"))
        for role, email in (
            ("student", DEMO_STUDENT["email"]),
            ("parent", DEMO_PARENT["email"]),
            ("staff", DEMO_STAFF["email"]),
        ):
            if accounts[email] or User.objects.get(email=email).check_password(DEMO_PASSWORD):
                shown = DEMO_PASSWORD
            else:
                shown = "(an existing account: its password was not changed)"
            self.stdout.write(f"  {role:<8} {email} / {shown}")


def load_accounts() -> dict[str, bool]:
    """Create the demo accounts, profiles and link where missing; return {e-mail: whether its account was created}.

    An existing account keeps its password: re-running the seed never resets a login.
    """
    student_user, student_created = _get_or_create_user(DEMO_STUDENT["email"])
    parent_user, parent_created = _get_or_create_user(DEMO_PARENT["email"])
    staff_user, staff_created = _get_or_create_user(DEMO_STAFF["email"], is_staff=True, is_superuser=True)

    student, _ = Student.objects.get_or_create(
        user=student_user,
        defaults={
            "email": student_user.email,
            "name": DEMO_STUDENT["name"],
            "grade_level": DEMO_STUDENT["grade_level"],
        },
    )
    parent, _ = Parent.objects.get_or_create(
        user=parent_user, defaults={"email": parent_user.email, "name": DEMO_PARENT["name"]}
    )
    StudentParentLink.objects.get_or_create(student=student, parent=parent)
    return {student_user.email: student_created, parent_user.email: parent_created, staff_user.email: staff_created}


def _get_or_create_user(email: str, **extra_fields) -> tuple[User, bool]:
    user = User.objects.with_email(email).first()
    if user is not None:
        return user, False
    return User.objects.create_user(email, DEMO_PASSWORD, **extra_fields), True
