"""Where children stand on the work set for them: the one status function, the "needs help" rule, the
class grid (and its CSV), a child's own assignments, the chapters assignments open, the class boards.

Every page that shows an assignment's status (the child's /assignments/ and dashboard, the parent's
child page, the teacher's grid and the CSV) gets it from status_of, fed by assignment_progress.
"""

import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import formats, timezone

from accounts.models import Student, User
from analytics import rules
from analytics.models import StudentProgress
from classes.models import Assignment, AssignmentChapter, Enrollment, Extension, SchoolClass, due_at
from curriculum.models import Question, QuizSubmission
from edtech import cache

HELP_WINDOW = datetime.timedelta(days=7)
HELP_LAST = 5
HELP_WRONG = 3


class Status(enum.StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    LATE = "late"
    EXCUSED = "excused"


@dataclass(frozen=True)
class ItemStatus:
    status: Status
    answered: int  # questions of the assignment's chapters with a counted answer since it started
    total: int
    due: datetime.datetime  # the child's own due instant (an extension moves it)
    done_late: bool = False  # done, but after the due instant (late is marked, never blocked)

    @property
    def label(self) -> str:
        return "done late" if self.done_late else str(self.status)

    @property
    def css(self) -> str:
        return self.status.name.lower().replace("_", "-")


def status_of(
    *,
    now: datetime.datetime,
    due: datetime.datetime,
    excused: bool,
    answered: int,
    total: int,
    done_at: datetime.datetime | None,
) -> ItemStatus:
    """The one status rule. Excused wins; done when every question has a counted answer (marked late if
    that came after the due instant); otherwise late once due has passed; else in progress or not started."""
    if excused:
        return ItemStatus(Status.EXCUSED, answered, total, due)
    if total and answered >= total:
        return ItemStatus(Status.DONE, answered, total, due, done_late=bool(done_at and done_at > due))
    if now > due:
        return ItemStatus(Status.LATE, answered, total, due)
    return ItemStatus(Status.IN_PROGRESS if answered else Status.NOT_STARTED, answered, total, due)


@dataclass(frozen=True)
class Answer:
    at: datetime.datetime
    chapter: str  # the chapter's name
    is_correct: bool


@dataclass(frozen=True)
class HelpReason:
    wrong: int
    of: int
    chapters: tuple[str, ...]
    since: datetime.datetime

    def words(self, zone: datetime.tzinfo, now: datetime.datetime) -> str:
        """ "3 of the last 5 wrong in Fractions since 10:02" (a weekday before the time on another day)."""
        local = self.since.astimezone(zone)
        when = formats.time_format(local, "H:i")
        if local.date() != now.astimezone(zone).date():
            when = f"{formats.date_format(local, 'D j M')}, {when}"
        return f"{self.wrong} of the last {self.of} wrong in {' and '.join(self.chapters)} since {when}"


def needs_help(answers: Iterable[Answer], *, now: datetime.datetime) -> HelpReason | None:
    """At least 3 wrong among the last 5 counted answers within 7 days, not followed by 2 right in a row.
    Never for work not tried: no answers, no badge."""
    recent = sorted((a for a in answers if now - HELP_WINDOW <= a.at <= now), key=lambda a: a.at)[-HELP_LAST:]
    wrong = [a for a in recent if not a.is_correct]
    if len(wrong) < HELP_WRONG:
        return None
    if len(recent) >= 2 and recent[-1].is_correct and recent[-2].is_correct:
        return None  # recovering: the last two were right
    chapters = tuple(dict.fromkeys(a.chapter for a in wrong))
    return HelpReason(wrong=len(wrong), of=len(recent), chapters=chapters, since=recent[0].at)


def starts_at(assignment: Assignment, zone: datetime.tzinfo) -> datetime.datetime:
    """Answers count for an assignment from the start of its first day (or from when it was set)."""
    if assignment.starts_on is None:
        return assignment.created_at
    return datetime.datetime.combine(assignment.starts_on, datetime.time.min, tzinfo=zone)


_PROGRESS_SQL = """
    SELECT per_question.assignment_id, per_question.student_id, COUNT(*), MAX(per_question.first_at)
    FROM (
        SELECT a.id AS assignment_id, s.student_id, s.question_id, MIN(s.submitted_at) AS first_at
        FROM classes_assignment a
        JOIN classes_assignmentchapter ac ON ac.assignment_id = a.id
        JOIN questions q ON q.chapter_id = ac.chapter_id AND NOT q.is_retired
        JOIN quiz_submissions s ON s.question_id = q.id AND s.is_counted
        WHERE a.id = ANY(%(assignments)s) AND s.student_id = ANY(%(students)s)
          AND s.submitted_at >= COALESCE(
              (a.starts_on::timestamp AT TIME ZONE %(zone)s), a.created_at)
        GROUP BY a.id, s.student_id, s.question_id
    ) AS per_question
    GROUP BY per_question.assignment_id, per_question.student_id
"""


def assignment_progress(
    school_class: SchoolClass, assignments: Sequence[Assignment], student_ids: Sequence[int]
) -> dict[tuple[int, int], tuple[int, datetime.datetime | None]]:
    """{(assignment id, student id): (questions answered since it started, when the last of them was first
    answered)}, in one query whatever the class size."""
    if not assignments or not student_ids:
        return {}
    params: dict[str, Any] = {
        "assignments": [a.pk for a in assignments],
        "students": list(student_ids),
        "zone": str(school_class.time_zone),
    }
    with connection.cursor() as cursor:
        cursor.execute(_PROGRESS_SQL, params)
        return {(a, s): (count, last) for a, s, count, last in cursor.fetchall()}


def _chapter_sizes(chapter_ids: Iterable[str]) -> dict[str, int]:
    rows = Question.objects.active().filter(chapter_id__in=set(chapter_ids)).values("chapter_id")
    return {row["chapter_id"]: row["n"] for row in rows.annotate(n=Count("id")).order_by()}


def _with_chapters(assignments: Iterable[Assignment]) -> list[Assignment]:
    """The assignments, each with `chapter_pairs` (id, name), `chapter_ids` and `chapter_names` (one query
    for all of them)."""
    assignments = list(assignments)
    through = AssignmentChapter.objects.filter(assignment__in=assignments)
    pairs = through.values_list("assignment_id", "chapter_id", "chapter__name").order_by("chapter__order", "chapter_id")
    by_assignment: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for assignment_id, chapter_id, name in pairs:
        by_assignment[assignment_id].append((chapter_id, name))
    for assignment in assignments:
        assignment.chapter_pairs = by_assignment[assignment.pk]  # type: ignore[attr-defined]
        assignment.chapter_ids = [c for c, _ in by_assignment[assignment.pk]]  # type: ignore[attr-defined]
        assignment.chapter_names = [n for _, n in by_assignment[assignment.pk]]  # type: ignore[attr-defined]
    return assignments


@dataclass(frozen=True)
class Cell:
    assignment: Assignment
    status: ItemStatus
    band: str | None  # the mastery band of the assignment's chapters (their mean), None before any answer


@dataclass(frozen=True)
class Row:
    student: Student
    enrollment: Enrollment
    cells: list[Cell]
    help: HelpReason | None
    help_words: str


def enrollments_of(school_class: SchoolClass) -> QuerySet[Enrollment]:
    """The class's children, by name, with their accounts (the grid's rows, the page's roster)."""
    return (
        Enrollment.objects.filter(school_class=school_class).select_related("student__user").order_by("student__name")
    )


def grid(school_class: SchoolClass, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The class grid: children × assignments (status, band) and the "needs help" badge with its reason.
    Eight queries whatever the class size: enrollments, assignments, their chapters, extensions, chapter
    sizes, progress, mastery, and the recent answers for the badge."""
    now = now or timezone.now()
    zone = school_class.zone
    enrollments = list(enrollments_of(school_class))
    assignments = _with_chapters(Assignment.objects.filter(school_class=school_class).order_by("due_on", "id"))
    student_ids = [e.student_id for e in enrollments]
    extensions = {
        (x.assignment_id, x.student_id): x for x in Extension.objects.filter(assignment__school_class=school_class)
    }
    chapter_ids = {c for a in assignments for c in a.chapter_ids}  # type: ignore[attr-defined]
    sizes = _chapter_sizes(chapter_ids)
    done = assignment_progress(school_class, assignments, student_ids)
    mastery: dict[tuple[int, str], float] = {
        (p["student_id"], p["chapter_id"]): float(p["mastery_score"] or 0)
        for p in StudentProgress.objects.filter(student_id__in=student_ids, chapter_id__in=chapter_ids).values(
            "student_id", "chapter_id", "mastery_score"
        )
    }
    answers = recent_answers(student_ids, _started_chapters(assignments, now, zone), now)
    rows = []
    for enrolled in enrollments:
        cells = []
        for assignment in assignments:
            cells.append(
                Cell(
                    assignment=assignment,
                    status=_status(assignment, enrolled.student_id, extensions, sizes, done, now, zone),
                    band=_band(mastery, enrolled.student_id, assignment),
                )
            )
        reason = needs_help(answers.get(enrolled.student_id, []), now=now)
        words = reason.words(zone, now) if reason else ""
        rows.append(Row(student=enrolled.student, enrollment=enrolled, cells=cells, help=reason, help_words=words))
    return {"assignments": assignments, "rows": rows, "as_of": now}


# The class row and, beside it, everything its page's cached part shows, in digests (one query): the
# class's teachers, its children (their enrollment, name, username and cache version, which every write of
# their numbers and name changes), the assignments, their chapters and the chapters' sizes, the extensions.
# The class is found only if the account is a teacher of it, as rosters.class_of finds it, and approved (the
# condition of Teacher.is_approved, which approved_teacher_required checks on every other teacher's page).
_DIGESTS = ("teachers_digest", "children_digest", "assignments_digest", "chapters_digest", "extensions_digest")
_CLASS_WITH_DIGESTS_SQL = """
    SELECT sc.*,
      (SELECT md5(coalesce(string_agg(concat_ws('|', t.id, t.name), ',' ORDER BY t.id), ''))
         FROM classes_classteacher ct JOIN classes_teacher t ON t.id = ct.teacher_id
        WHERE ct.school_class_id = sc.id) AS teachers_digest,
      (SELECT md5(coalesce(string_agg(concat_ws('|', e.id, e.student_id, e.made_by_class, e.on_class_board,
                                                 s.name, s.updated_at, u.username), ',' ORDER BY e.id), ''))
         FROM classes_enrollment e JOIN students s ON s.id = e.student_id
         JOIN accounts_user u ON u.public_id = s.user_id
        WHERE e.school_class_id = sc.id) AS children_digest,
      (SELECT md5(coalesce(string_agg(concat_ws('|', a.id, a.title, a.starts_on, a.due_on), ',' ORDER BY a.id), ''))
         FROM classes_assignment a WHERE a.school_class_id = sc.id) AS assignments_digest,
      (SELECT md5(coalesce(string_agg(concat_ws('|', ac.assignment_id, ac.chapter_id, c.name, c."order",
                                                 (SELECT count(*) FROM questions q
                                                   WHERE q.chapter_id = ac.chapter_id AND NOT q.is_retired)),
                                       ',' ORDER BY ac.assignment_id, ac.chapter_id), ''))
         FROM classes_assignmentchapter ac JOIN classes_assignment a ON a.id = ac.assignment_id
         JOIN chapters c ON c.id = ac.chapter_id WHERE a.school_class_id = sc.id) AS chapters_digest,
      (SELECT md5(coalesce(string_agg(concat_ws('|', x.id, x.assignment_id, x.student_id, x.due_on, x.excused),
                                       ',' ORDER BY x.id), ''))
         FROM classes_extension x JOIN classes_assignment a ON a.id = x.assignment_id
        WHERE a.school_class_id = sc.id) AS extensions_digest
    FROM classes_class sc
    WHERE sc.id = %(class)s AND EXISTS (
      SELECT 1 FROM classes_classteacher link JOIN classes_teacher viewer ON viewer.id = link.teacher_id
       WHERE link.school_class_id = sc.id AND viewer.user_id = %(user)s AND viewer.approved_at IS NOT NULL)
"""


def class_with_digests(user: User, class_id: int) -> SchoolClass | None:
    """The class, if this account is an approved teacher of it (else None: the caller answers 404, or the
    waiting page to a teacher not yet approved), with the digests that grid_signature needs: the class page's
    one query (it checks the approval too, so that the page reads no teacher row)."""
    found = list(SchoolClass.objects.raw(_CLASS_WITH_DIGESTS_SQL, {"class": class_id, "user": user.pk}))
    return found[0] if found else None


def grid_signature(school_class: SchoolClass, now: datetime.datetime) -> list[Any]:
    """What the class page's cached part (its heading and teachers, grid and roster) depends on: the digests
    of a class from class_with_digests, its name and time zone, and the minute (due times are whole minutes;
    a "needs help" badge ends at most a minute late)."""
    digests = [getattr(school_class, name) for name in _DIGESTS]
    return [*digests, school_class.name, str(school_class.time_zone), now.replace(second=0, microsecond=0).isoformat()]


def forget_grids_of(user) -> None:
    """Before an account is deleted (an erasure): drop its classes' cached grids once the deletion commits
    (they show the child's name; their digests would change anyway, this leaves nothing behind)."""
    class_ids = list(SchoolClass.objects.filter(enrollments__student__user=user).values_list("pk", flat=True))
    if class_ids:
        transaction.on_commit(lambda: cache.delete(*(cache.class_grid_entry(pk) for pk in class_ids)))


def _status(assignment, student_id, extensions, sizes, done, now, zone) -> ItemStatus:
    extension = extensions.get((assignment.pk, student_id))
    due_on = extension.due_on if extension and extension.due_on else assignment.due_on
    answered, done_at = done.get((assignment.pk, student_id), (0, None))
    return status_of(
        now=now,
        due=due_at(due_on, zone),
        excused=bool(extension and extension.excused),
        answered=answered,
        total=sum(sizes.get(c, 0) for c in assignment.chapter_ids),
        done_at=done_at,
    )


def _band(mastery, student_id, assignment) -> str | None:
    scores = [mastery[(student_id, c)] for c in assignment.chapter_ids if (student_id, c) in mastery]
    if not scores:
        return None
    return rules.mastery_band(score=sum(scores) / len(assignment.chapter_ids), started=True)[1]


def _started_chapters(assignments, now, zone) -> set[str]:
    return {c for a in assignments if starts_at(a, zone) <= now for c in a.chapter_ids}


def recent_answers(
    student_ids: Sequence[int], chapter_ids: set[str], now: datetime.datetime
) -> dict[int, list[Answer]]:
    """Each child's last 5 counted answers within 7 days in these chapters (one query)."""
    if not student_ids or not chapter_ids:
        return {}
    sql = """
        SELECT student_id, submitted_at, name, is_correct FROM (
            SELECT s.student_id, s.submitted_at, c.name, s.is_correct,
                   ROW_NUMBER() OVER (PARTITION BY s.student_id ORDER BY s.submitted_at DESC, s.id DESC) AS n
            FROM quiz_submissions s
            JOIN questions q ON q.id = s.question_id
            JOIN chapters c ON c.id = q.chapter_id
            WHERE s.student_id = ANY(%s) AND q.chapter_id = ANY(%s) AND s.is_counted
              AND s.submitted_at >= %s AND s.submitted_at <= %s
        ) AS recent WHERE n <= %s
    """
    answers: dict[int, list[Answer]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(student_ids), sorted(chapter_ids), now - HELP_WINDOW, now, HELP_LAST])
        for student_id, at, chapter, is_correct in cursor.fetchall():
            answers[student_id].append(Answer(at=at, chapter=chapter, is_correct=is_correct))
    return answers


CSV_HEADER = ["child", "username", "needs help"]


def csv_rows(school_class: SchoolClass, *, now: datetime.datetime | None = None) -> list[list[str]]:
    """The grid as CSV rows: the same rows, from the same function, as the page."""
    data = grid(school_class, now=now)
    header = CSV_HEADER + [f"{a.title} (due {a.due_on.isoformat()})" for a in data["assignments"]]
    rows = [header]
    for row in data["rows"]:
        cells = [f"{c.status.label}{f', {c.band}' if c.band else ''}" for c in row.cells]
        rows.append([row.student.name, row.student.user.username or "", row.help_words, *cells])
    return [[csv_safe(value) for value in row] for row in rows]


def csv_safe(value: str) -> str:
    """A spreadsheet never runs a cell as a formula: one that starts with = + - @ (or a tab or return) gets
    a leading apostrophe (OWASP's advice)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@dataclass(frozen=True)
class ChildItem:
    assignment: Assignment
    school_class: SchoolClass
    status: ItemStatus


def child_assignments(
    student: Student, *, classes: Iterable[SchoolClass] | None = None, now: datetime.datetime | None = None
) -> list[ChildItem]:
    """The child's own assignments in all their classes (started ones), soonest due first, with status.
    One query for a child in no class; `classes` (the child's, already read) saves that one."""
    now = now or timezone.now()
    if classes is None:
        classes = SchoolClass.objects.filter(enrollments__student=student)
    by_id = {c.pk: c for c in classes}
    if not by_id:
        return []
    assignments = _with_chapters(
        Assignment.objects.filter(school_class_id__in=by_id).order_by("due_on", "id").select_related("school_class")
    )
    assignments = [a for a in assignments if starts_at(a, by_id[a.school_class_id].zone) <= now]
    extensions = {(x.assignment_id, x.student_id): x for x in Extension.objects.filter(student=student)}
    sizes = _chapter_sizes(c for a in assignments for c in a.chapter_ids)  # type: ignore[attr-defined]
    items = []
    for school_class in by_id.values():
        mine = [a for a in assignments if a.school_class_id == school_class.pk]
        done = assignment_progress(school_class, mine, [student.pk])
        for assignment in mine:
            status = _status(assignment, student.pk, extensions, sizes, done, now, school_class.zone)
            items.append(ChildItem(assignment=assignment, school_class=school_class, status=status))
    return sorted(items, key=lambda item: (item.status.due, item.assignment.pk))


# In SQL: the chapter map, the dashboard and an answer to a locked chapter ask on every request, and Django took
# longer to build the query (three joins) than PostgreSQL to run it.
_OPENED_SQL = """
    SELECT DISTINCT ac.chapter_id FROM classes_assignmentchapter ac
    JOIN classes_assignment a ON a.id = ac.assignment_id
    JOIN classes_enrollment e ON e.school_class_id = a.school_class_id
    WHERE e.student_id = %s AND (a.starts_on IS NULL OR a.starts_on <= %s)
"""


def chapters_opened_for(student: Student, today: datetime.date) -> set[str]:
    """Chapters an assignment of the child's classes opens (started ones), XP-locked or not (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_OPENED_SQL, [student.pk, today])
        return {chapter_id for (chapter_id,) in cursor.fetchall()}


def class_boards(student: Student, *, now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Each of the child's classes' boards: first name and initial, XP this week (from the class's Monday)."""
    now = now or timezone.now()
    boards = []
    for school_class in SchoolClass.objects.filter(enrollments__student=student).order_by("name"):
        zone = school_class.zone
        today = now.astimezone(zone).date()
        monday = datetime.datetime.combine(today - datetime.timedelta(days=today.weekday()), datetime.time.min, zone)
        shown = Enrollment.objects.filter(school_class=school_class, on_class_board=True)
        rows = (
            QuizSubmission.objects.filter(student__in=shown.values("student_id"), submitted_at__gte=monday)
            .values("student_id", "student__name")
            .annotate(xp=Sum("xp_earned"))
            .filter(xp__gt=0)
            .order_by("-xp", "student_id")[:10]
        )
        boards.append(
            {
                "school_class": school_class,
                "week_of": monday.date(),
                "rows": [
                    {
                        "name": Student(name=row["student__name"]).display_name,
                        "xp": row["xp"],
                        "me": row["student_id"] == student.pk,
                    }
                    for row in rows
                ],
            }
        )
    return boards
