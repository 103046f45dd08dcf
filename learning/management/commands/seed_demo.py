"""Load the demo curriculum and the demo student, parent and staff logins."""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import children
from accounts.inventory import NOTICE_VERSION
from accounts.models import Consent, Parent, Student, StudentParentLink, User
from curriculum import transfer
from curriculum.models import Question

# The demo curriculum, in the import format (README, "Importing and exporting questions"): it is
# loaded through the importer, and doubles as the format's full example.
DEMO_CURRICULUM = Path(__file__).resolve().parents[3] / "curriculum" / "demo_curriculum.json"

# Our own pictures (drawn for this project), stored through the storage API like a staff upload.
DEMO_PICTURES_DIR = DEMO_CURRICULUM.parent / "demo_pictures"
DEMO_PICTURES = {
    "math-fractions-01": ("pizza-eighths.svg", "A pizza cut into 8 equal slices; 3 of the slices are gone."),
    "math-fractions-03": (
        "fraction-bars.svg",
        "Two bars of the same length: one cut into 3 equal parts with 1 part shaded, "
        "one cut into 5 equal parts with 1 part shaded.",
    ),
    "math-geometry-01": ("hexagon.svg", "A hexagon: a flat shape with straight sides."),
}

# Public on purpose: seed_demo prints it, and the README may too. Never use it for a real account.
DEMO_PASSWORD = "learn-quest-demo"  # noqa: S105
DEMO_STUDENT: dict[str, Any] = {"email": "student@example.com", "name": "Maya Lopez", "grade_level": 5}
DEMO_PARENT: dict[str, Any] = {"email": "parent@example.com", "name": "Ana Lopez"}
DEMO_STAFF: dict[str, Any] = {"email": "staff@example.com"}
# A child the demo parent made: no e-mail, signs in with the username.
DEMO_CHILD: dict[str, Any] = {"username": "leo.demo", "name": "Leo", "grade_level": 2}


class Command(BaseCommand):
    help = (
        "Load the demo curriculum (chapters and questions) and demo logins for a student, a parent and staff. "
        "Idempotent: content is brought up to date, existing accounts and their passwords are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, and change nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also bring existing demo chapters and questions back to the file (overwriting staff's edits).",
        )

    def handle(self, *args, dry_run=False, force=False, **options):
        # The content is imported (all or nothing, in its own transaction) before the accounts are made. What
        # exists is kept as staff left it, unless --force.
        report = transfer.import_file(
            DEMO_CURRICULUM.read_bytes(), fmt="json", create_chapters=True, dry_run=dry_run, keep_existing=not force
        )
        if not report.ok:  # the file ships with the code: a rejection is a bug in it
            raise CommandError("The demo curriculum does not import: " + "; ".join(map(str, report.rejected)))
        if not dry_run:
            pictured = attach_pictures(report, force=force)
            if pictured:
                self.stdout.write(f"demo pictures: {pictured} questions")
        with transaction.atomic():
            accounts = load_accounts(public_password=settings.DEBUG)
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run:
            answered = give_the_demo_student_a_history()
            if answered:
                self.stdout.write(f"demo history: {answered} answers over the last {HISTORY_DAYS} days")

        prefix = "Would have: " if dry_run else ""
        for name, chapters in (("chapters", True), ("questions", False)):
            counts = {
                action: report.count(action, chapters=chapters)
                for action in ("created", "updated", "unchanged", "kept")
            }
            kept = f", {counts['kept']} kept as they are (--force to reset them)" if counts["kept"] else ""
            self.stdout.write(
                f"{prefix}{name}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged{kept}"
            )
        self.stdout.write(f"{prefix}accounts: {sum(1 for password in accounts.values() if password)} created")
        if dry_run:
            return

        if settings.DEBUG:
            heading = "\nDemo logins (e-mail / password):"
        else:
            heading = (
                "\nDemo logins (e-mail / password). DEBUG is off: each new account has a random password, shown once:"
            )
        self.stdout.write(self.style.SUCCESS(heading))
        for role, email in (
            ("student", DEMO_STUDENT["email"]),
            ("parent", DEMO_PARENT["email"]),
            ("staff", DEMO_STAFF["email"]),
        ):
            shown = accounts[email] or "(an existing account: its password was not changed)"
            self.stdout.write(f"  {role:<8} {email} / {shown}")
        shown = accounts[DEMO_CHILD["username"]] or "(an existing account: its password was not changed)"
        self.stdout.write(
            f"  {'child':<8} {DEMO_CHILD['username']} (username, no e-mail; made by the parent) / {shown}"
        )


def load_accounts(*, public_password: bool) -> dict[str, str | None]:
    """Create the demo accounts, profiles and link where missing; return {e-mail: the new account's password,
    or None for an account that existed}.

    The password is the public DEMO_PASSWORD only in development (public_password); otherwise every new
    account gets its own random one (seed_demo prints it once): a site with DEBUG off never has a staff
    login whose password is in the source. An existing account keeps its password: re-running the seed
    never resets a login.
    """

    def password() -> str:
        return DEMO_PASSWORD if public_password else secrets.token_urlsafe(12)

    student_user, student_password = _get_or_create_user(DEMO_STUDENT["email"], password())
    parent_user, parent_password = _get_or_create_user(DEMO_PARENT["email"], password())
    staff_user, staff_password = _get_or_create_user(DEMO_STAFF["email"], password(), is_staff=True, is_superuser=True)

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
    Consent.objects.get_or_create(
        student=student,
        defaults={"basis": Consent.Basis.SELF, "granted_by": student_user, "notice_version": NOTICE_VERSION},
    )
    child_password = None
    if not User.objects.with_username(DEMO_CHILD["username"]).exists():
        child_password = password()
        children.make_family_child(
            parent=parent,
            name=DEMO_CHILD["name"],
            username=DEMO_CHILD["username"],
            password=child_password,
            grade_level=DEMO_CHILD["grade_level"],
        )
    return {
        student_user.email: student_password,
        parent_user.email: parent_password,
        staff_user.email: staff_password,
        DEMO_CHILD["username"]: child_password,
    }


HISTORY_DAYS = 14


def attach_pictures(report: transfer.ImportReport, *, force: bool) -> int:
    """The demo pictures, on the questions this import created (or on all of them with --force): a
    question staff have kept keeps its picture, or its lack of one."""
    created = {outcome.key for outcome in report.questions if outcome.action == "created"}
    attached = 0
    for quiz_id, (filename, alt) in DEMO_PICTURES.items():
        question = Question.objects.filter(quiz_id=quiz_id).first()
        if question is None or not (force or quiz_id in created):
            continue
        old = str(question.image or "")
        with (DEMO_PICTURES_DIR / filename).open("rb") as picture, transaction.atomic():
            question.image.save(filename, File(picture), save=False)
            question.image_alt = alt
            question.save(update_fields=["image", "image_alt"])
        if old:
            default_storage.delete(old)
        attached += 1
    return attached


def give_the_demo_student_a_history() -> int:
    """Two weeks of answers for the demo student (once: nothing when they have any), recorded by
    record_answer as if given on those days, so the dashboards, the chart, the review and the parent's
    page show something on `make run`. Seeded: the same history every time."""
    import datetime
    import random
    import uuid

    from django.utils import timezone

    from curriculum.models import Question, QuizSubmission
    from learning.services import record_answer

    student = Student.objects.filter(user__in=User.objects.with_email(DEMO_STUDENT["email"])).first()
    if student is None or QuizSubmission.objects.filter(student=student).exists():
        return 0
    rng = random.Random(14)  # noqa: S311 - a demo history, not a secret
    questions = list(Question.objects.active().filter(chapter__is_locked=False).select_related("chapter"))
    now = timezone.now()
    answered = 0
    for days_ago in range(HISTORY_DAYS, 0, -1):
        if days_ago in (9, 5):  # two days off: the streak shows a break
            continue
        day_start = now - datetime.timedelta(days=days_ago)
        for n, question in enumerate(rng.sample(questions, k=min(len(questions), rng.randint(3, 6)))):
            at = day_start + datetime.timedelta(minutes=2 * n)
            right = rng.random() < 0.75
            index = (
                question.correct_answer_index if right else (question.correct_answer_index + 1) % len(question.options)
            )
            record_answer(
                student=Student.objects.get(pk=student.pk),
                question=question,
                selected_index=index,
                served_at=at - datetime.timedelta(seconds=rng.randint(8, 40)),
                form_token=uuid.uuid4(),
                now=at,
            )
            answered += 1
    return answered


def _get_or_create_user(email: str, password: str, **extra_fields: Any) -> tuple[User, str | None]:
    user = User.objects.with_email(email).first()
    if user is not None:
        return user, None
    return User.objects.create_user(email, password, **extra_fields), password
