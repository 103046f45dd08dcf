"""Teachers, their classes, the children in them, and the work set for them."""

import datetime

from django.db import models
from django.db.models.functions import Now

from accounts.models import Student, User, zone_named
from curriculum.models import Chapter


class Teacher(models.Model):
    """A teacher's profile. Staff approve it (the school vouching for the teacher) before the teacher may do
    anything with children; class accounts rest on the school's consent given through an approved teacher."""

    user = models.OneToOneField(User, on_delete=models.DB_CASCADE, related_name="teacher")
    name = models.CharField(max_length=255)
    school = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(db_default=Now())
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="teachers_approved"
    )

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class SchoolClass(models.Model):
    name = models.CharField(max_length=100)
    # The class's calendar: assignments are due at 23:59 here, and its board's week starts on its Monday.
    time_zone = models.CharField(max_length=64)
    teachers = models.ManyToManyField(Teacher, through="ClassTeacher", related_name="classes")
    students = models.ManyToManyField(Student, through="Enrollment", related_name="classes")
    # The code students type to join (single class, JOIN_CODE_DAYS): rotated by a teacher.
    code = models.CharField(max_length=9, null=True, blank=True, unique=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "classes_class"
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zone_named(self.time_zone)


class ClassTeacher(models.Model):
    school_class = models.ForeignKey(SchoolClass, on_delete=models.DB_CASCADE, related_name="teacher_links")
    teacher = models.ForeignKey(Teacher, on_delete=models.DB_CASCADE, related_name="class_links")
    added_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_class", "teacher"], name="class_teacher_once")]

    def __str__(self):
        return f"teacher {self.teacher_id} of class {self.school_class_id}"


class Enrollment(models.Model):
    school_class = models.ForeignKey(SchoolClass, on_delete=models.DB_CASCADE, related_name="enrollments")
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, related_name="enrollments")
    joined_at = models.DateTimeField(db_default=Now())
    # The class made this child's account (a roster line): its teachers may reset the passphrase.
    made_by_class = models.BooleanField(default=False)
    # Whether the class's own leaderboard shows the child (a teacher can hide them).
    on_class_board = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_class", "student"], name="enrollment_once")]
        indexes = [models.Index(fields=["student"], name="enrollment_student")]

    def __str__(self):
        return f"student {self.student_id} in class {self.school_class_id}"


class Assignment(models.Model):
    school_class = models.ForeignKey(SchoolClass, on_delete=models.DB_CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    chapters = models.ManyToManyField(Chapter, through="AssignmentChapter", related_name="assignments")
    starts_on = models.DateField(null=True, blank=True)
    # Due at 23:59 on this day in the class's time zone.
    due_on = models.DateField()
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=models.F("due_on")),
                name="assignment_starts_before_due",
            )
        ]

    def __str__(self):
        return self.title


class AssignmentChapter(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.DB_CASCADE, related_name="chapter_links")
    chapter = models.ForeignKey(Chapter, on_delete=models.DB_CASCADE, related_name="assignment_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "chapter"], name="assignment_chapter_once")]

    def __str__(self):
        return f"chapter {self.chapter_id} of assignment {self.assignment_id}"


def due_at(day: datetime.date, zone) -> datetime.datetime:
    """The instant work due on `day` is due: 23:59 that day in the class's zone (the minute included)."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999), tzinfo=zone)


class Extension(models.Model):
    """One child's own due date for an assignment, or their being excused from it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.DB_CASCADE, related_name="extensions")
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, related_name="extensions")
    due_on = models.DateField(null=True, blank=True)
    excused = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "student"], name="extension_once")]

    def __str__(self):
        return f"extension of assignment {self.assignment_id} for student {self.student_id}"


class TeacherAction(models.Model):
    """What a teacher did to a child's account (made it, reset its passphrase, took it out of a class …):
    shown to the child's linked parents."""

    class Kind(models.TextChoices):
        CREATED = "created", "made the account"
        ENROLLED = "enrolled", "added them to the class"
        PASSWORD = "password", "made a new passphrase"
        REMOVED = "removed", "took them out of the class"
        HIDDEN = "hidden", "hid them from the class leaderboard"
        SHOWN = "shown", "showed them on the class leaderboard"

    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, related_name="teacher_actions")
    teacher = models.ForeignKey(Teacher, on_delete=models.DB_SET_NULL, null=True, related_name="actions")
    # The class's name at the time (the class may be gone later; the record stays with the child).
    class_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["student", "-at"], name="teacher_action_student_at")]

    def __str__(self):
        return f"{self.kind} on student {self.student_id}"


class CoTeacherInvitation(models.Model):
    """A teacher invites another approved teacher (by e-mail) into a class: single use, INVITATION_DAYS."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.DB_CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(Teacher, on_delete=models.DB_CASCADE, related_name="invitations_sent")
    email = models.EmailField(max_length=255)
    created_at = models.DateTimeField(db_default=Now())
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"invitation {self.pk} to class {self.school_class_id}"


class WeeklyClassSummary(models.Model):
    """A class's weekly e-mail to its teachers: claimed (inserted) before sending, once per ISO week."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.DB_CASCADE, related_name="weekly_summaries")
    iso_year = models.IntegerField()
    iso_week = models.IntegerField()
    sent_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "iso_year", "iso_week"], name="class_summary_once_a_week")
        ]

    def __str__(self):
        return f"class {self.school_class_id}, {self.iso_year}-W{self.iso_week:02d}"
