"""The seed's curriculum module: chapters, questions and the answers to them."""

import hashlib
import re
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_unicode_slug
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now

from accounts.models import Student
from curriculum import pictures

MIN_OPTIONS, MAX_OPTIONS = 2, 6


def xp_missing(*, is_locked: bool | None, unlock_xp_required: int | None, total_xp: int | None) -> int:
    """The unlocking rule: XP a student still needs to open a chapter, 0 when it is open (not locked,
    or enough XP). For chapters as rows and as the catalog's cached dicts alike."""
    if not is_locked:
        return 0
    return max(0, (unlock_xp_required or 0) - (total_xp or 0))


def option_key(text: str) -> str:
    """What makes two options the same for a child: letter case and spacing do not count."""
    return re.sub(r"\s+", " ", text).strip().casefold()


class JSONArrayLength(Func):
    """Length of a JSON array, on PostgreSQL (jsonb) and SQLite (the development default)."""

    function = "jsonb_array_length"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="json_array_length", **extra_context)


class ChapterQuerySet(models.QuerySet["Chapter"]):
    def in_map_order(self) -> "ChapterQuerySet":
        return self.order_by("subject", F("order").asc(nulls_last=True), "name")


def hold_chapters(chapter_ids: Collection[str], *, exclusive: bool) -> None:
    """Make answers to these chapters and changes to what they count wait for each other, until the
    transaction ends (PostgreSQL advisory locks, one per chapter).

    An answer holds its chapter's lock shared, taken before the student's row, so answers never wait
    for each other; the recompute after a content edit holds it exclusively, taken before the
    students' rows, so it runs when no answer in the chapter is halfway and no answer starts until
    it commits. The same order on both sides (chapter, then students) means no deadlock.
    """
    if connection.vendor != "postgresql":  # SQLite runs one writer at a time
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    keys = [int(hashlib.sha256(f"chapter\x1f{cid}".encode()).hexdigest()[:15], 16) for cid in sorted(chapter_ids)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(key) FROM unnest(%s::bigint[]) AS key ORDER BY key", [keys])  # noqa: S608


# Ids are slugs (letters, digits, - and _): they are parts of every chapter and question address.
SLUG_HELP = "Letters, digits, - and _ only: it is part of the page's address."
HTTP_URL = URLValidator(schemes=["http", "https"], message="Enter an http:// or https:// address.")


class Chapter(models.Model):
    id = models.CharField(max_length=50, primary_key=True, validators=[validate_unicode_slug], help_text=SLUG_HELP)
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    subject = models.CharField(max_length=100)
    # "order" is an SQL reserved word; the column keeps its seed name (Django quotes it).
    order = models.IntegerField(null=True, blank=True)
    is_locked = models.BooleanField(null=True, blank=True, db_default=True)
    unlock_xp_required = models.IntegerField(null=True, blank=True, db_default=0)
    created_at = models.DateTimeField(null=True, db_default=Now(), editable=False)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        db_table = "chapters"
        constraints = [
            models.CheckConstraint(
                condition=Q(unlock_xp_required__gte=0), name="chapters_unlock_xp_required_non_negative"
            ),
        ]
        indexes = [
            # Serves idx_chapters_subject and the chapter map's ORDER BY subject, "order".
            models.Index(fields=["subject", "order"], name="idx_chapters_subject"),
        ]

    def __str__(self):
        return f"{self.subject}: {self.name}"

    def xp_needed_by(self, total_xp: int | None) -> int:
        """XP still missing before a student with total_xp may open this chapter (0: open)."""
        return xp_missing(is_locked=self.is_locked, unlock_xp_required=self.unlock_xp_required, total_xp=total_xp)


# QuestionQuerySet.with_history's subqueries: a student's answers to the question of the row.
_MINE = 'FROM quiz_submissions s WHERE s.student_id = %s AND s.question_id = "questions"."id"'
_ANSWERED = "EXISTS (SELECT 1 " + _MINE + ")"
_ANSWERED_TODAY = "EXISTS (SELECT 1 " + _MINE + " AND s.answered_on = %s)"
_EARNED_XP = "EXISTS (SELECT 1 " + _MINE + " AND s.xp_earned > 0)"
_LATEST_COUNTED_CORRECT = "(SELECT s.is_correct " + _MINE + " AND s.is_counted ORDER BY s.id DESC LIMIT 1)"
_FIXED_TODAY = "EXISTS (SELECT 1 " + _MINE + " AND s.answered_on = %s AND NOT s.is_counted AND s.is_correct)"
_LAST_ANSWERED_AT = "(SELECT s.submitted_at " + _MINE + " ORDER BY s.id DESC LIMIT 1)"


def _history_sql(sql: str, params: tuple, field: models.Field) -> RawSQL:
    return RawSQL(sql, params, output_field=field)  # noqa: S611 - one of the constants above; values are parameters


class QuestionQuerySet(models.QuerySet["Question"]):
    def active(self) -> "QuestionQuerySet":
        """The questions students see: not retired. A chapter's mastery counts only these."""
        return self.filter(is_retired=False)

    def answered(self) -> "QuestionQuerySet":
        """Questions with at least one recorded answer (they are retired, never deleted)."""
        return self.filter(Exists(QuizSubmission.objects.filter(question=OuterRef("pk"))))

    def with_history(self, student: Student, today) -> "QuestionQuerySet":
        """Annotate what the student did with each question: answered, answered today, ever earned XP,
        whether the latest counted answer was correct (None: never answered), whether a retry today was
        right, and when last answered.

        In SQL: each of these as the ORM's Exists/Subquery took Django longer to build than PostgreSQL to run
        (the answer's history and its result's chapter: 10 of an answer's 42 ms, in-process on the bench's
        data); the same subqueries on the same index (analytics/tests/test_query_plans.py)."""
        student_id, and_day = (student.pk,), (student.pk, today)
        boolean, maybe = models.BooleanField(), models.BooleanField(null=True)
        return self.annotate(
            answered=_history_sql(_ANSWERED, student_id, boolean),
            answered_today=_history_sql(_ANSWERED_TODAY, and_day, boolean),
            earned_xp=_history_sql(_EARNED_XP, student_id, boolean),
            latest_counted_correct=_history_sql(_LATEST_COUNTED_CORRECT, student_id, maybe),
            # Put right today after the day's counted answer (a retry: it counts on another day).
            fixed_today=_history_sql(_FIXED_TODAY, and_day, boolean),
            last_answered_at=_history_sql(_LAST_ANSWERED_AT, student_id, models.DateTimeField(null=True)),
        )

    def answered_by(self, student: Student) -> "QuestionQuerySet":
        return self.filter(pk__in=QuizSubmission.objects.filter(student=student).values("question_id"))


class Question(models.Model):
    class Difficulty(models.TextChoices):
        EASY = "easy"
        MEDIUM = "medium"
        HARD = "hard"

    id = models.BigAutoField(primary_key=True)
    quiz_id = models.CharField(max_length=255, unique=True, validators=[validate_unicode_slug], help_text=SLUG_HELP)
    chapter = models.ForeignKey(Chapter, on_delete=models.DB_CASCADE, db_index=False, related_name="questions")
    question_text = models.TextField()
    options = models.JSONField()
    correct_answer_index = models.IntegerField()
    explanation = models.TextField(null=True, blank=True)
    image_url = models.CharField(max_length=500, null=True, blank=True, validators=[HTTP_URL])
    # Extra, nullable: an uploaded picture (curriculum.pictures) and the alt text any picture needs
    # (required with an upload, by a constraint; older image_url content may lack it).
    image = models.FileField(
        "picture",
        upload_to=pictures.upload_to,
        max_length=255,
        null=True,
        blank=True,
        validators=[pictures.validate_picture],
        help_text="PNG, JPEG, GIF, WebP or SVG, at most 2 MB. Shown above the options and on the result.",
    )
    image_alt = models.CharField(
        "picture description (alt text)",
        max_length=pictures.MAX_ALT_LENGTH,
        null=True,
        blank=True,
        help_text=pictures.ALT_HELP,
    )
    # Extra, nullable: a message per option (same length as options; null or "" for none), shown on the
    # result to a child who chose that option (a common mistake explained).
    option_feedback = models.JSONField(null=True, blank=True)
    difficulty_level = models.CharField(
        max_length=20,
        null=True,
        blank=True,
        choices=Difficulty.choices,
        error_messages={"invalid_choice": "Unknown difficulty %(value)r: use easy, medium, hard or leave it empty."},
    )
    created_at = models.DateTimeField(null=True, db_default=Now(), editable=False)
    # Extra, with a default: a retired question is hidden from students and kept with its answers
    # (a question with answers is retired, not deleted, so that XP and mastery stay true).
    is_retired = models.BooleanField(
        "retired",
        default=False,
        db_default=False,
        help_text="Hidden from students; its recorded answers and the XP they earned are kept.",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        db_table = "questions"
        constraints = [
            # The correct answer must be one of the options.
            models.CheckConstraint(
                condition=Q(correct_answer_index__gte=0) & Q(correct_answer_index__lt=JSONArrayLength("options")),
                name="questions_correct_answer_in_options",
            ),
            models.CheckConstraint(
                condition=Q(image__isnull=True) | Q(image="") | (~Q(image_alt=None) & ~Q(image_alt="")),
                name="questions_picture_has_alt_text",
            ),
            models.CheckConstraint(
                condition=Q(difficulty_level__isnull=True) | Q(difficulty_level__in=["easy", "medium", "hard"]),
                name="questions_difficulty_level_valid",
            ),
        ]
        indexes = [
            # idx_questions_quiz_id is served by the UNIQUE constraint on quiz_id.
            models.Index(fields=["chapter", "id"], name="idx_questions_chapter"),
        ]

    def __str__(self):
        return self.quiz_id

    @property
    def picture(self) -> dict[str, str] | None:
        return pictures.picture(self.image, self.image_url, self.image_alt)

    def clean(self):
        """A question text that is not only spaces; options that are a list of 2 to 6 texts, none empty,
        no two the same ignoring case and spacing ("Paris" and "paris", "a  b" and "a b" are one
        option); and the correct index among them.

        The one home of these rules: the admin form and the importer both call full_clean().
        """
        super().clean()
        self.image_alt = (self.image_alt or "").strip() or None
        if self.image and not self.image_alt:
            raise ValidationError({"image_alt": pictures.ALT_MISSING})
        if self.question_text and not self.question_text.strip():  # an empty one is the field's own error
            raise ValidationError({"question_text": "The question text is only spaces."})
        options = self.options
        if options is None:  # a missing value is the field's own error (clean_fields), not this rule's
            return
        if not isinstance(options, list) or not all(isinstance(option, str) for option in options):
            raise ValidationError({"options": "The options must be a list of texts."})
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise ValidationError(
                {"options": f"A question has {MIN_OPTIONS} to {MAX_OPTIONS} options, not {len(options)}."}
            )
        errors = []
        seen: dict[str, int] = {}
        for number, option in enumerate(options, 1):
            key = option_key(option)
            # params name the option, so that a form with a field per option can show the message there.
            if not key:
                errors.append(ValidationError(f"Option {number} is empty.", code="empty", params={"option": number}))
            elif key in seen:
                message = f"Option {number} repeats option {seen[key]} (letter case and spaces do not count)."
                errors.append(ValidationError(message, code="repeat", params={"option": number}))
            else:
                seen[key] = number
        if errors:
            raise ValidationError({"options": errors})
        index = self.correct_answer_index
        if isinstance(index, int) and not 0 <= index < len(options):
            raise ValidationError(
                {"correct_answer_index": f"The correct answer must be one of the {len(options)} options."}
            )
        self.option_feedback = _clean_feedback(self.option_feedback, len(options))


def _clean_feedback(feedback: object, count: int) -> list[str | None] | None:
    """Per-option feedback as stored: None when there is none, else one text (or None) per option."""
    if feedback is None:
        return None
    if not isinstance(feedback, list) or not all(item is None or isinstance(item, str) for item in feedback):
        raise ValidationError({"option_feedback": "The option feedback must be a list of texts (or nulls)."})
    if len(feedback) > count:
        raise ValidationError(
            {"option_feedback": f"There is feedback for {len(feedback)} options, but {count} options."}
        )
    items = [(item or "").strip() or None for item in feedback] + [None] * (count - len(feedback))
    return items if any(items) else None


class QuizSubmission(models.Model):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="submissions")
    question = models.ForeignKey(Question, on_delete=models.DB_CASCADE, db_index=False, related_name="submissions")
    selected_answer_index = models.IntegerField()
    is_correct = models.BooleanField()
    xp_earned = models.IntegerField(null=True, db_default=0)
    time_taken_seconds = models.IntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, db_default=Now())
    # Extra, with a default: whether this answer counts toward mastery (the day's
    # first answer to the question) — decided when recorded, so a later change of
    # time zone cannot rewrite history.
    is_counted = models.BooleanField(db_default=True)
    # Extra, nullable: the student's calendar day of the answer, for the same reason.
    answered_on = models.DateField(null=True, blank=True)
    # Extra, nullable: the id of the rendered question form that was answered, so
    # a double submit records one answer.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Extra, nullable: for a counted answer to a question that was due for review (analytics.review), the
    # day it was due, and the recall FSRS predicted for that moment (staff's calibration report).
    review_due_on = models.DateField(null=True, blank=True, editable=False)
    recall_predicted = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "quiz_submissions"
        constraints = [
            models.CheckConstraint(condition=Q(xp_earned__gte=0), name="quiz_submissions_xp_non_negative"),
            models.CheckConstraint(
                condition=Q(selected_answer_index__gte=0), name="quiz_submissions_selected_index_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(time_taken_seconds__isnull=True) | Q(time_taken_seconds__gte=0),
                name="quiz_submissions_time_taken_non_negative",
            ),
            # First-time XP is earned at most once per student and question; review XP once per due review.
            models.UniqueConstraint(
                fields=["student", "question"],
                condition=Q(xp_earned__gt=0, review_due_on__isnull=True),
                name="quiz_submissions_xp_once",
            ),
            models.UniqueConstraint(
                fields=["student", "question", "review_due_on"],
                condition=Q(xp_earned__gt=0, review_due_on__isnull=False),
                name="quiz_submissions_review_xp_once",
            ),
        ]
        indexes = [
            # Serves idx_submissions_student, the recent-answers list and per-question history.
            models.Index(fields=["student", "question", "id"], name="idx_submissions_student"),
            models.Index(fields=["student", "-id"], name="idx_submissions_student_recent"),
            # Covering indexes (PostgreSQL): staff's content analytics read one chapter's answers, or the
            # last 30 days' answers per chapter, from the index alone, not from the table's pages.
            models.Index(
                fields=["question"],
                include=["is_correct", "selected_answer_index", "time_taken_seconds"],
                name="idx_submissions_question",
            ),
            models.Index(fields=["submitted_at"], include=["question"], name="idx_submissions_timestamp"),
            # The review scheduler's calibration (content analytics) reads only the answers it predicted: a
            # partial index holds just those, instead of a scan of every answer (0.4 s at 10M).
            models.Index(
                fields=["recall_predicted", "is_correct"],
                condition=Q(recall_predicted__isnull=False),
                name="idx_submissions_recall",
            ),
        ]

    def __str__(self):
        return f"{self.student_id} → {self.question_id}: {self.selected_answer_index}"
