"""A student's data rights: the export of everything stored about them, and their erasure.

Staff use both from the admin (accounts.admin); the reverse relations name every table
that holds a row of the student's, so this module needs no import from the apps above.
"""

import itertools
from collections.abc import Iterator

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts import ranks
from accounts.models import Consent, Parent, Student, StudentParentLink, User
from edtech import cache

# The profile fields a student's export holds: listed, so that a new column (like family_code) is never exported unseen.
EXPORT_PROFILE_FIELDS = (
    "id",
    "name",
    "email",
    "grade_level",
    "time_zone",
    "on_leaderboard",
    "total_xp",
    "current_streak",
    "best_streak",
    "last_active_on",
    "created_at",
    "updated_at",
)
EXPORT_BATCH = 1000


def student_export(student: Student) -> Iterator[str]:
    """Everything stored about one student, as one JSON document yielded in pieces.

    The profile (no family code), the login account (e-mail or username, and dates: no password
    hash, no public id; a reserved address is null), the consent record, the child's classes, own due
    dates and what teachers did to the account, the linked parents (id
    and name only: the rest is the parents' own data), then every answer, progress row and daily
    analytics row, each list read with a server-side cursor a batch at a time. Each part is its
    own query: an answer recorded during the export may appear in one part and not another.
    """
    encoder = DjangoJSONEncoder()
    account = student.user
    profile = {field: getattr(student, field) for field in EXPORT_PROFILE_FIELDS}
    # A child without an e-mail: the reserved address is ours, not theirs (exported as null).
    email = account.email if account.has_email else None
    profile["email"] = email
    consent = Consent.objects.filter(student=student).values("basis", "granted_at", "notice_version", "revoked_at")
    head = {
        "exported_at": timezone.now(),
        "student": profile,
        "account": {
            "email": email,
            "username": account.username,
            "date_joined": account.date_joined,
            "last_login": account.last_login,
        },
        "consent": consent.first(),
        # The classes app's rows about the child, through their relations' names (no import from above).
        "classes": list(
            student.enrollments.order_by("id").values(
                "made_by_class", "on_class_board", "joined_at", class_name=F("school_class__name")
            )
        ),
        "assignment_extensions": list(
            student.extensions.order_by("id").values("due_on", "excused", title=F("assignment__title"))
        ),
        "teacher_actions": list(
            student.teacher_actions.order_by("at").values("kind", "class_name", "at", teacher_name=F("teacher__name"))
        ),
        "parents": list(
            student.parent_links.order_by("id").values("parent_id", name=F("parent__name"), linked_at=F("created_at"))
        ),
    }
    lists = {
        "answers": student.submissions.order_by("id").values(
            "selected_answer_index",
            "is_correct",
            "xp_earned",
            "time_taken_seconds",
            "submitted_at",
            quiz_id=F("question__quiz_id"),
            chapter_id=F("question__chapter_id"),
        ),
        "progress": student.progress.order_by("chapter_id").values(
            "chapter_id", "mastery_score", "questions_completed", "questions_correct", "last_answered_at"
        ),
        "daily_analytics": student.daily_analytics.order_by("analytics_date").values(
            "analytics_date",
            "questions_answered",
            "questions_correct",
            "xp_earned",
            "time_spent_seconds",
            "time_spent_minutes",
            "streak_count",
        ),
    }
    yield "{" + ", ".join(f"{encoder.encode(key)}: {encoder.encode(value)}" for key, value in head.items())
    for key, rows in lists.items():
        yield f", {encoder.encode(key)}: ["
        batches = itertools.batched(rows.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH, strict=False)
        for number, batch in enumerate(batches):
            yield ("," if number else "") + ",".join(encoder.encode(row) for row in batch)
        yield "]"
    yield "}\n"


def export_download(student: Student) -> StreamingHttpResponse:
    """The export as a JSON file to download (staff in the admin, a parent from the child's page)."""
    response = StreamingHttpResponse(student_export(student), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="student-{student.pk}.json"'
    return response


def erasure_counts(student: Student) -> dict[str, int]:
    """The rows that go with the student when they are erased (the profile and login account aside)."""
    return {
        "answers": student.submissions.count(),
        "progress": student.progress.count(),
        "daily_analytics": student.daily_analytics.count(),
        "parent_links": student.parent_links.count(),
    }


def erase_student(student: Student) -> None:
    """Delete the student's login account: the database's ON DELETE CASCADEs remove the student row
    and every row of theirs (answers, progress, daily analytics, parent links) in the same statement.

    The admin's history of changes to the child goes too. A concurrent answer holds the student's
    row lock; the delete waits for it, and an answer
    arriving after the delete fails on its foreign key. Their cached numbers, the leaderboard
    (which shows names) and their place in its ranking (accounts.ranks) are dropped after the commit.
    """
    student_id, version = student.pk, student.cache_version

    def forget() -> None:
        cache.forget_student(student_id, version, erased=True)
        cache.delete(cache.leaderboard_entry())

    with transaction.atomic():
        _forget_admin_history(student)
        User.objects.filter(public_id=student.user_id).delete()
        transaction.on_commit(forget)
        ranks.remove(student_id)


def _forget_admin_history(student: Student) -> None:
    """The admin's history names what staff changed (the child's name, their account, their parent links):
    those entries go with the child."""
    objects = {
        Student: [student.pk],
        User: User.objects.filter(public_id=student.user_id).values_list("pk", flat=True),
        StudentParentLink: student.parent_links.values_list("pk", flat=True),
    }
    for model, ids in objects.items():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
        ).delete()


def erase_parent(parent: Parent) -> None:
    """Delete the parent's login account: the cascades remove the parent row, their links to children and
    their weekly-summary records. The children stay (their accounts are their own)."""
    User.objects.filter(public_id=parent.user_id).delete()


def may_erase(staff: User, account: User) -> bool:
    """Whether this staff member may erase (delete) this login account: erasure deletes the account, so
    it needs the permission to delete accounts, and only a superuser erases a staff account."""
    if not staff.has_perm("accounts.delete_user"):
        return False
    return staff.is_superuser or not (account.is_staff or account.is_superuser)
