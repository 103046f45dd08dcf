"""Signing up with an e-mail address: the account waits, inactive, for the link mailed to that address.

The sign-up page answers the same whether or not the address already has an account, so it
cannot tell anyone which addresses do: both ways the password is hashed and one task is
queued; a new address gets the link to finish, a known one a note to its owner.
"""

import calendar
import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import SignupConfirmation, User


def today() -> datetime.date:
    return timezone.localdate()


def age_in_years(birth_year: int, birth_month: int, on: datetime.date) -> int:
    """The age on `on`, counted as if born on the last day of that month: never older than the child is."""
    born = datetime.date(birth_year, birth_month, calendar.monthrange(birth_year, birth_month)[1])
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def needs_parent(birth_year: int, birth_month: int) -> bool:
    """Whether a child born then is below PARENTAL_CONSENT_AGE today: a parent must make the account.
    Neither the date nor the age is kept: only what follows (a parent's request, or the student's own
    consent record)."""
    return age_in_years(birth_year, birth_month, today()) < settings.PARENTAL_CONSENT_AGE


class SignupTokens(PasswordResetTokenGenerator):
    """The link's token: it stops working once the account is active (single use) or after
    PASSWORD_RESET_TIMEOUT (3 days)."""

    key_salt = "accounts.signup.SignupTokens"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


tokens = SignupTokens()


def begin(*, email: str, password: str, create_profile: Callable[[User], Any], host: str, secure: bool) -> None:
    """Start a sign-up: a new inactive account with its profile and the confirmation mail, or, for an
    address that has an account, a note to its owner. Neither tells the page which it was."""
    from accounts.tasks import send_account_exists_notice, send_signup_confirmation

    email = User.objects.normalize_email(email)
    hashed = make_password(password)  # both ways, so both take the same time
    with transaction.atomic():
        taken = User.objects.with_email(email).exists()
        if not taken:
            try:
                with transaction.atomic():
                    user = User.objects.create(email=email, is_active=False, password=hashed)
                    create_profile(user)
                    SignupConfirmation.objects.create(user=user)
                    send_signup_confirmation.enqueue(user.pk, host, secure)
            except IntegrityError:  # taken a moment ago by a parallel sign-up
                taken = True
        if taken:
            send_account_exists_notice.enqueue(email, host, secure)


def link_path_parts(user: User) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)


def pending_account(uidb64: str, token: str) -> User | None:
    """The inactive account this link confirms, or None (a bad, used or expired link)."""
    try:
        user_id = force_str(urlsafe_base64_decode(uidb64))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=user_id, is_active=False, signup_confirmation__isnull=False).first()
    if user is None or not tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def confirm(user: User) -> None:
    """The address is the person's: the account opens."""
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    SignupConfirmation.objects.filter(user=user).delete()
