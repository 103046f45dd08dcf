"""Linking parents to children with a family code, and who may see which child."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import FamilyCodeAttempt, Parent, Student, StudentParentLink

# Crockford's base32: no I, L, O or U, so nothing is mistaken for something else
# when read aloud or copied from paper. 8 characters: 32^8 = 2^40 codes.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# Typed look-alikes are read as what they must have meant.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

MAX_WRONG_CODES = 10
WRONG_CODE_WINDOW = datetime.timedelta(hours=1)


class TooManyWrongCodes(Exception):
    pass


class WrongCode(Exception):
    pass


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize(typed: str) -> str:
    """What a parent typed, as a stored code: upper case, look-alikes mapped, in two groups of four."""
    raw = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(LOOK_ALIKES)
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def code_for(student: Student) -> str:
    """The student's family code, created on first use."""
    return student.family_code or replace_code(student)


def replace_code(student: Student) -> str:
    """Give the student a new code; the old one stops working at once."""
    for _ in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                Student.objects.filter(pk=student.pk).update(family_code=code)
        except IntegrityError:  # another child drew the same code: draw again
            continue
        student.family_code = code
        return code
    raise RuntimeError("could not draw a unique family code")


def link_with_code(*, parent: Parent, typed: str) -> Student:
    """Link the parent to the child whose code this is (a no-op when already linked).

    Raises TooManyWrongCodes after 10 wrong codes within the hour (nothing is
    checked then), WrongCode otherwise. The parent's row is locked so that
    parallel tries cannot slip past the limit.
    """
    now = timezone.now()
    with transaction.atomic():
        Parent.objects.select_for_update().filter(pk=parent.pk).first()
        recent_wrong = FamilyCodeAttempt.objects.filter(parent=parent, attempted_at__gt=now - WRONG_CODE_WINDOW)
        if recent_wrong.count() >= MAX_WRONG_CODES:
            raise TooManyWrongCodes
        code = normalize(typed)
        student = Student.objects.filter(family_code=code).first() if code else None
        if student is None:
            FamilyCodeAttempt.objects.create(parent=parent, attempted_at=now)
        else:
            StudentParentLink.objects.get_or_create(student=student, parent=parent)
    if student is None:
        raise WrongCode
    return student


def children_of(parent: Parent) -> QuerySet[Student]:
    return Student.objects.filter(parent_links__parent=parent).order_by("name", "id")


def child_of(parent: Parent, student_id: int) -> Student | None:
    """The child if linked to this parent, else None (callers answer 404: never confirm an id exists)."""
    return children_of(parent).filter(pk=student_id).first()


def unlink(*, student: Student, parent_id: int) -> bool:
    deleted, _ = StudentParentLink.objects.filter(student=student, parent_id=parent_id).delete()
    return bool(deleted)
