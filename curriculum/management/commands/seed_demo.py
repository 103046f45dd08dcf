"""Load the demo curriculum and the demo student, parent and staff logins."""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import models, transaction

from accounts.models import Parent, Student, StudentParentLink, User
from curriculum import demo_content
from curriculum.models import Chapter, Question


class Command(BaseCommand):
    help = (
        "Load the demo curriculum (chapters and questions) and demo logins for a student, a parent and staff. "
        "Idempotent: content is brought up to date, existing accounts and their passwords are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            content = load_content(demo_content.CHAPTERS)
            accounts = load_accounts()
            if dry_run:
                transaction.set_rollback(True)

        prefix = "Would have: " if dry_run else ""
        for model_name in ("chapters", "questions"):
            counts = content[model_name]
            self.stdout.write(
                f"{prefix}{model_name}: {counts['created']} created, "
                f"{counts['updated']} updated, {counts['unchanged']} unchanged"
            )
        self.stdout.write(f"{prefix}accounts: {sum(accounts.values())} created")
        if dry_run:
            return

        self.stdout.write(self.style.SUCCESS("\nDemo logins (e-mail / password):"))
        for role, email in (
            ("student", demo_content.DEMO_STUDENT["email"]),
            ("parent", demo_content.DEMO_PARENT["email"]),
            ("staff", demo_content.DEMO_STAFF["email"]),
        ):
            if accounts[email] or User.objects.get(email=email).check_password(demo_content.DEMO_PASSWORD):
                shown = demo_content.DEMO_PASSWORD
            else:
                shown = "(an existing account: its password was not changed)"
            self.stdout.write(f"  {role:<8} {email} / {shown}")


def load_content(chapters: list[dict]) -> dict[str, Counter]:
    """Create or update the given chapters and their questions; return how many were created/updated/unchanged."""
    counts = {"chapters": Counter(), "questions": Counter()}
    chapter_ids = [chapter["id"] for chapter in chapters]
    existing_chapters = Chapter.objects.in_bulk(chapter_ids)
    quiz_ids = [question["quiz_id"] for chapter in chapters for question in chapter["questions"]]
    existing_questions = Question.objects.in_bulk(quiz_ids, field_name="quiz_id")

    for chapter_data in chapters:
        chapter_id = chapter_data["id"]
        values = {key: value for key, value in chapter_data.items() if key not in {"id", "questions"}}
        outcome = _upsert(Chapter, existing_chapters.get(chapter_id), {"id": chapter_id}, values)
        counts["chapters"][outcome] += 1
        for question_data in chapter_data["questions"]:
            quiz_id = question_data["quiz_id"]
            values = {key: value for key, value in question_data.items() if key != "quiz_id"}
            values["chapter_id"] = chapter_id
            outcome = _upsert(Question, existing_questions.get(quiz_id), {"quiz_id": quiz_id}, values)
            counts["questions"][outcome] += 1
    return counts


def _upsert(model: type[models.Model], obj: models.Model | None, key: dict, values: dict) -> str:
    """Create the row, or save the fields that differ (none on a second run): 'created', 'updated' or 'unchanged'."""
    if obj is None:
        model.objects.create(**key, **values)
        return "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return "unchanged"
    for field in changed:
        setattr(obj, field, values[field])
    obj.save(update_fields=changed)
    return "updated"


def load_accounts() -> dict[str, bool]:
    """Create the demo accounts, profiles and link where missing; return {e-mail: whether its account was created}.

    An existing account keeps its password: re-running the seed never resets a login.
    """
    student_user, student_created = _get_or_create_user(demo_content.DEMO_STUDENT["email"])
    parent_user, parent_created = _get_or_create_user(demo_content.DEMO_PARENT["email"])
    staff_user, staff_created = _get_or_create_user(demo_content.DEMO_STAFF["email"], is_staff=True, is_superuser=True)

    student_data = demo_content.DEMO_STUDENT
    student, _ = Student.objects.get_or_create(
        user=student_user,
        defaults={
            "email": student_user.email,
            "name": student_data["name"],
            "grade_level": student_data["grade_level"],
        },
    )
    parent_data = demo_content.DEMO_PARENT
    parent, _ = Parent.objects.get_or_create(
        user=parent_user,
        defaults={"email": parent_user.email, "name": parent_data["name"], "phone": parent_data["phone"]},
    )
    StudentParentLink.objects.get_or_create(student=student, parent=parent)
    return {
        student_user.email: student_created,
        parent_user.email: parent_created,
        staff_user.email: staff_created,
    }


def _get_or_create_user(email: str, **extra_fields) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    return User.objects.create_user(email, demo_content.DEMO_PASSWORD, **extra_fields), True
