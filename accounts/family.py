"""Linking parents to children, and who may see which child.

Three ways in: the parent made the child's account (accounts.children); a linked parent invited
them by e-mail (an invitation: single use, for that address, INVITATION_DAYS); or, for a teenager's
own account, the teenager made a family code on Profile (single use, CODE_DAYS) and gave it to them.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import links
from accounts.models import (
    Consent,
    FamilyCodeAttempt,
    Parent,
    ParentInvitation,
    ParentRequest,
    Student,
    StudentParentLink,
    User,
)

# Crockford's base32: no I, L, O or U, so nothing is mistaken for something else
# when read aloud or copied from paper. 8 characters: 32^8 = 2^40 codes.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# Typed look-alikes are read as what they must have meant.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

MAX_WRONG_CODES = 10
WRONG_CODE_WINDOW = datetime.timedelta(hours=1)
CODE_DAYS = 7
INVITATION_DAYS = 7
# A child's request that a parent make their account (accounts.models.ParentRequest).
PARENT_REQUEST_DAYS = 7


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


def may_have_code(student: Student) -> bool:
    """Only a teenager's own account links parents by code; a child an adult made (a parent, a school) is
    joined by invitation."""
    return not Consent.objects.filter(student=student, basis__in=[Consent.Basis.PARENT, Consent.Basis.SCHOOL]).exists()


def live_code(student: Student) -> str | None:
    """The student's family code while it still works, else None."""
    expires = student.family_code_expires_at
    return student.family_code if student.family_code and expires and expires > timezone.now() else None


def replace_code(student: Student) -> str:
    """Give the student a new code for CODE_DAYS; the old one stops working at once."""
    expires = timezone.now() + datetime.timedelta(days=CODE_DAYS)
    for _ in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                Student.objects.filter(pk=student.pk).update(family_code=code, family_code_expires_at=expires)
        except IntegrityError:  # another child drew the same code: draw again
            continue
        student.family_code, student.family_code_expires_at = code, expires
        return code
    raise RuntimeError("could not draw a unique family code")


def link_with_code(*, parent: Parent, typed: str) -> Student:
    """Link the parent to the child whose code this is (a no-op when already linked).

    A code works once, until it expires. Raises TooManyWrongCodes after 10 wrong
    codes within the hour (nothing is checked then), WrongCode otherwise (an
    expired or used code is a wrong one). The parent's row is locked so that
    parallel tries cannot slip past the limit; the child's, so that a code is used once.
    """
    now = timezone.now()
    with transaction.atomic():
        Parent.objects.select_for_update().filter(pk=parent.pk).first()
        recent_wrong = FamilyCodeAttempt.objects.filter(parent=parent, attempted_at__gt=now - WRONG_CODE_WINDOW)
        if recent_wrong.count() >= MAX_WRONG_CODES:
            raise TooManyWrongCodes
        code = normalize(typed)
        live = Student.objects.select_for_update().filter(family_code=code, family_code_expires_at__gt=now)
        student = live.first() if code else None
        if student is None:
            FamilyCodeAttempt.objects.create(parent=parent, attempted_at=now)
        else:
            StudentParentLink.objects.get_or_create(student=student, parent=parent)
            Student.objects.filter(pk=student.pk).update(family_code=None, family_code_expires_at=None)
    if student is None:
        raise WrongCode
    return student


def children_of(parent: Parent) -> QuerySet[Student]:
    return Student.objects.filter(parent_links__parent=parent).order_by("name", "id")


def child_of(parent: Parent, student_id: int) -> Student | None:
    """The child if linked to this parent, else None (callers answer 404: never confirm an id exists)."""
    return children_of(parent).select_related("user", "consent").filter(pk=student_id).first()


def parent_manages(student: Student) -> bool:
    """Whether linked parents manage the account (rename, password, export, erase …): those a parent made.
    A teenager's own account is theirs: a parent linked to it follows the progress only."""
    consent = getattr(student, "consent", None)
    return consent is not None and consent.basis == Consent.Basis.PARENT


# Invitations and a child's requests travel as signed ids: nothing secret is stored, and the
# signature's age is checked against the days each is valid.
_INVITATION_SALT = "accounts.family.invitation"
_REQUEST_SALT = "accounts.family.parent-request"


InvitationGone = links.LinkGone


class NotYourInvitation(Exception):
    """An invitation for another e-mail address than the signed-in parent's."""


def invite(*, student: Student, by: Parent, email: str, host: str, secure: bool) -> ParentInvitation:
    """Invite another parent (by e-mail) to follow a child this parent manages; the mail goes from the worker."""
    from accounts.tasks import send_invitation

    with transaction.atomic():
        invitation = ParentInvitation.objects.create(
            student=student, invited_by=by, email=User.objects.normalize_email(email)
        )
        send_invitation.enqueue(invitation.pk, host, secure)
    return invitation


def invitation_token(invitation: ParentInvitation) -> str:
    return links.token_for(invitation.pk, salt=_INVITATION_SALT)


def invitation_for(token: str) -> ParentInvitation | None:
    """The invitation this link names, or None (not ours, or tampered with). Raises InvitationGone when
    expired or used."""
    invitations = ParentInvitation.objects.select_related("student", "invited_by")
    return links.unused_row(invitations, token, salt=_INVITATION_SALT, days=INVITATION_DAYS)


def accept_invitation(invitation: ParentInvitation, parent: Parent) -> Student:
    """The invited parent joins: linked to the child, the invitation used (once, even by two tabs at once)."""
    if User.objects.normalize_email(parent.user.email) != invitation.email:
        raise NotYourInvitation
    with transaction.atomic():
        updated = ParentInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not updated:
            raise InvitationGone
        StudentParentLink.objects.get_or_create(student=invitation.student, parent=parent)
    return invitation.student


def pending_invitations(parent: Parent) -> QuerySet[ParentInvitation]:
    """Unused invitations to this parent's address that still work."""
    since = timezone.now() - datetime.timedelta(days=INVITATION_DAYS)
    return (
        ParentInvitation.objects.filter(email=User.objects.normalize_email(parent.user.email), used_at__isnull=True)
        .filter(created_at__gt=since)
        .exclude(student__parent_links__parent=parent)
        .select_related("student", "invited_by")
        .order_by("-created_at")
    )


def ask_parent(*, child_name: str, parent_email: str, host: str, secure: bool) -> ParentRequest:
    """A child too young to sign up alone asks a parent to make their account: the parent gets an e-mail."""
    from accounts.tasks import send_parent_request

    with transaction.atomic():
        request = ParentRequest.objects.create(
            child_name=child_name, parent_email=User.objects.normalize_email(parent_email)
        )
        send_parent_request.enqueue(request.pk, host, secure)
    return request


def parent_request_token(request: ParentRequest) -> str:
    return links.token_for(request.pk, salt=_REQUEST_SALT)


def parent_request_for(token: str | None) -> ParentRequest | None:
    """The request this link names while it is valid, else None."""
    try:
        pk = links.pk_of(token, salt=_REQUEST_SALT, days=PARENT_REQUEST_DAYS) if token else None
    except links.LinkExpired:
        return None
    return ParentRequest.objects.filter(pk=pk).first() if pk is not None else None


def pending_requests(parent: Parent) -> QuerySet[ParentRequest]:
    """Children's requests to this parent's address that are still valid."""
    since = timezone.now() - datetime.timedelta(days=PARENT_REQUEST_DAYS)
    return ParentRequest.objects.filter(
        parent_email=User.objects.normalize_email(parent.user.email), created_at__gt=since
    ).order_by("-created_at")


def unlink(*, student: Student, parent_id: int) -> bool:
    """A teenager unlinks a parent from their own account (a parent-made child's links stay: the parent
    manages that account)."""
    if parent_manages(student):
        return False
    deleted, _ = StudentParentLink.objects.filter(student=student, parent_id=parent_id).delete()
    return bool(deleted)
