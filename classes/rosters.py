"""Classes and who is in them: teachers, rosters of children without an e-mail, class codes, co-teachers.

Every teacher action on a child's account is recorded (TeacherAction) for the child's parents to see.
"""

import datetime
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import children, family, links
from accounts.models import Consent, Student, User
from classes.models import ClassTeacher, CoTeacherInvitation, Enrollment, SchoolClass, Teacher, TeacherAction

JOIN_CODE_DAYS = 14
INVITATION_DAYS = 7
# One roster submit makes at most this many accounts (hashing each passphrase takes ~0.3 s of CPU).
MAX_ROSTER = 40
_INVITATION_SALT = "classes.rosters.co-teacher"


def classes_of(teacher: Teacher) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(teacher_links__teacher=teacher).order_by("name", "id")


def class_of(teacher: Teacher, class_id: int) -> SchoolClass | None:
    """The class if this teacher teaches it, else None (callers answer 404)."""
    return classes_of(teacher).filter(pk=class_id).first()


@transaction.atomic
def make_class(*, teacher: Teacher, name: str, time_zone: str) -> SchoolClass:
    school_class = SchoolClass.objects.create(name=name, time_zone=time_zone)
    ClassTeacher.objects.create(school_class=school_class, teacher=teacher)
    rotate_code(school_class)
    return school_class


def rotate_code(school_class: SchoolClass) -> str:
    """A new join code for JOIN_CODE_DAYS; the old one stops at once (the family codes' alphabet)."""
    expires = timezone.now() + datetime.timedelta(days=JOIN_CODE_DAYS)
    for _ in range(5):
        code = family.new_code()
        try:
            with transaction.atomic():
                SchoolClass.objects.filter(pk=school_class.pk).update(code=code, code_expires_at=expires)
        except IntegrityError:
            continue
        school_class.code, school_class.code_expires_at = code, expires
        return code
    raise RuntimeError("could not draw a unique class code")


def live_code(school_class: SchoolClass) -> str | None:
    expires = school_class.code_expires_at
    return school_class.code if school_class.code and expires and expires > timezone.now() else None


def record(teacher: Teacher, student: Student, school_class: SchoolClass, kind: str) -> None:
    TeacherAction.objects.create(teacher=teacher, student=student, class_name=school_class.name, kind=kind)


@dataclass(frozen=True)
class Card:
    """A new sign-in card: shown once, on the answer to the roster (or a reset); the passphrase is never stored."""

    name: str
    username: str
    passphrase: str


def parse_names(text: str) -> list[str]:
    """One child per line: trimmed, inner spaces collapsed, empty lines dropped."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def add_roster(*, teacher: Teacher, school_class: SchoolClass, names: list[str]) -> list[Card]:
    """Make an account (no e-mail, consent basis "school" granted by the teacher) for each name, enrolled
    in the class; return their cards. All or nothing. The passphrases are hashed two at a time (hashing
    releases the GIL), before the transaction opens."""
    passphrases = [children.new_passphrase() for _ in names]
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = list(pool.map(make_password, passphrases))
    cards = []
    with transaction.atomic():
        for name, passphrase, password_hash in zip(names, passphrases, hashes, strict=True):
            for _ in range(5):  # a suggested username taken a moment ago: suggest another
                username = children.suggest_username(name)
                try:
                    with transaction.atomic():
                        student = children.make_child(
                            name=name,
                            username=username,
                            password_hash=password_hash,
                            grade_level=None,
                            granted_by=teacher.user,
                            basis=Consent.Basis.SCHOOL,
                        )
                except IntegrityError:
                    continue
                break
            else:
                raise RuntimeError("could not find a free username")
            Enrollment.objects.create(school_class=school_class, student=student, made_by_class=True)
            record(teacher, student, school_class, TeacherAction.Kind.CREATED)
            cards.append(Card(name=name, username=username, passphrase=passphrase))
    return cards


class CodeNotValid(Exception):
    pass


@transaction.atomic
def join_with_code(*, student: Student, typed: str) -> SchoolClass:
    """A student joins the class whose live code this is (a no-op when already in it)."""
    code = family.normalize(typed)
    school_class = SchoolClass.objects.filter(code=code, code_expires_at__gt=timezone.now()).first() if code else None
    if school_class is None:
        raise CodeNotValid
    Enrollment.objects.get_or_create(school_class=school_class, student=student)
    return school_class


def enrollment(school_class: SchoolClass, student_id: int) -> Enrollment | None:
    return (
        Enrollment.objects.select_related("student__user")
        .filter(school_class=school_class, student_id=student_id)
        .first()
    )


def reset_passphrase(*, teacher: Teacher, enrolled: Enrollment) -> Card:
    """Only for a child whose account the class made (never a parent-made or self-made account)."""
    if not enrolled.made_by_class:
        raise PermissionError("This child's account was not made by the class.")
    student = enrolled.student
    passphrase = children.reset_password(student)
    record(teacher, student, enrolled.school_class, TeacherAction.Kind.PASSWORD)
    return Card(name=student.name, username=student.user.username or "", passphrase=passphrase)


def remove(*, teacher: Teacher, enrolled: Enrollment) -> None:
    """Out of the class (the account stays: only a parent or staff erase a child)."""
    with transaction.atomic():
        record(teacher, enrolled.student, enrolled.school_class, TeacherAction.Kind.REMOVED)
        enrolled.delete()


def set_on_board(*, teacher: Teacher, enrolled: Enrollment, on: bool) -> None:
    with transaction.atomic():
        Enrollment.objects.filter(pk=enrolled.pk).update(on_class_board=on)
        kind = TeacherAction.Kind.SHOWN if on else TeacherAction.Kind.HIDDEN
        record(teacher, enrolled.student, enrolled.school_class, kind)


def leave(*, student: Student, class_id: int) -> bool:
    """A parent takes their child out of a class."""
    deleted, _ = Enrollment.objects.filter(student=student, school_class_id=class_id).delete()
    return bool(deleted)


# Co-teachers: an approved teacher, invited by e-mail (a signed id in the link, as family invitations).


InvitationGone = links.LinkGone


def invite_teacher(*, school_class: SchoolClass, by: Teacher, email: str, host: str, secure: bool) -> None:
    from classes.tasks import send_co_teacher_invitation

    with transaction.atomic():
        invitation = CoTeacherInvitation.objects.create(
            school_class=school_class, invited_by=by, email=User.objects.normalize_email(email)
        )
        send_co_teacher_invitation.enqueue(invitation.pk, host, secure)


def invitation_token(invitation: CoTeacherInvitation) -> str:
    return links.token_for(invitation.pk, salt=_INVITATION_SALT)


def invitation_for(token: str) -> CoTeacherInvitation | None:
    """The invitation (None for a tampered link); InvitationGone once expired or used."""
    invitations = CoTeacherInvitation.objects.select_related("school_class", "invited_by")
    return links.unused_row(invitations, token, salt=_INVITATION_SALT, days=INVITATION_DAYS)


def accept_invitation(invitation: CoTeacherInvitation, teacher: Teacher) -> SchoolClass:
    """An approved teacher with the invited address joins the class (once)."""
    if not teacher.is_approved or User.objects.normalize_email(teacher.user.email) != invitation.email:
        raise PermissionError("This invitation is for another approved teacher.")
    with transaction.atomic():
        if not CoTeacherInvitation.objects.filter(pk=invitation.pk, used_at=None).update(used_at=timezone.now()):
            raise InvitationGone
        ClassTeacher.objects.get_or_create(school_class=invitation.school_class, teacher=teacher)
    return invitation.school_class


def approve(teacher: Teacher, *, by: User | None) -> bool:
    """Staff approve a teacher; False when already approved."""
    return bool(
        Teacher.objects.filter(pk=teacher.pk, approved_at=None).update(approved_at=timezone.now(), approved_by=by)
    )
