"""The accounts' background work: password-reset mail and the daily purge."""

import datetime
import logging
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task
from django.template import loader
from django.urls import reverse

from accounts import family, ranks, retention, signup
from accounts.models import ParentInvitation, ParentRequest, Student, User
from jobs import mail

logger = logging.getLogger(__name__)


class _CollectingResetForm(PasswordResetForm):
    """Django's reset form, which makes the message for each account with the address, collected here
    instead of sent one by one (jobs.mail sends them, and retries)."""

    messages: list[EmailMessage]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        self.messages.append(message)


@task()
def send_password_reset(email: str, domain: str, use_https: bool, attempt: int = 1) -> int:
    """E-mail a reset link to each active account with this address (none: nothing is sent). Enqueued for
    every request alike, so the page answers the same, as fast, whether the address has an account.
    The link's token is made here, when the mail is sent: it is never stored."""
    form = _CollectingResetForm({"email": email})
    form.messages = []
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)

    def again(when: datetime.datetime) -> object:
        return send_password_reset.using(run_after=when).enqueue(email, domain, use_https, attempt=attempt + 1)

    return mail.send(form.messages, attempt=attempt, again=again)


def _message(template: str, context: dict[str, Any], to: str) -> EmailMessage:
    subject = "".join(loader.render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines())
    return EmailMessage(subject, loader.render_to_string(f"accounts/email/{template}.txt", context), to=[to])


@task()
def send_signup_confirmation(user_id: int, domain: str, use_https: bool, attempt: int = 1) -> int:
    """The link that opens a new account (accounts.signup), to its address; nothing once it is open."""
    user = User.objects.filter(pk=user_id, is_active=False, signup_confirmation__isnull=False).first()
    messages = []
    if user is not None:
        uidb64, token = signup.link_path_parts(user)
        path = reverse("signup_confirm", args=[uidb64, token])
        link = f"{'https' if use_https else 'http'}://{domain}{path}"
        messages.append(_message("signup_confirm", {"link": link, "domain": domain}, user.email))

    def again(when: datetime.datetime) -> object:
        return send_signup_confirmation.using(run_after=when).enqueue(user_id, domain, use_https, attempt=attempt + 1)

    return mail.send(messages, attempt=attempt, again=again)


@task()
def send_account_exists_notice(email: str, domain: str, use_https: bool, attempt: int = 1) -> int:
    """Someone signed up with an address that has an account: its owner hears of it (and the page that
    started it said nothing different)."""
    scheme = "https" if use_https else "http"
    context = {
        "login": f"{scheme}://{domain}{reverse('login')}",
        "reset": f"{scheme}://{domain}{reverse('password_reset')}",
        "domain": domain,
    }
    messages = [_message("account_exists", context, email)] if User.objects.with_email(email).exists() else []

    def again(when: datetime.datetime) -> object:
        return send_account_exists_notice.using(run_after=when).enqueue(email, domain, use_https, attempt=attempt + 1)

    return mail.send(messages, attempt=attempt, again=again)


def _site(domain: str, use_https: bool) -> str:
    return f"{'https' if use_https else 'http'}://{domain}"


@task()
def send_invitation(invitation_id: int, domain: str, use_https: bool, attempt: int = 1) -> int:
    """A linked parent's invitation to another parent to follow their child; nothing once used or gone.
    The link's signed token is made here, when the mail is sent: it is never stored."""
    invitation = (
        ParentInvitation.objects.select_related("student", "invited_by").filter(pk=invitation_id, used_at=None).first()
    )
    messages = []
    if invitation is not None:
        path = reverse("accept_invitation", args=[family.invitation_token(invitation)])
        context = {
            "link": _site(domain, use_https) + path,
            "domain": domain,
            "child": invitation.student.name,
            "inviter": invitation.invited_by.name,
            "days": family.INVITATION_DAYS,
        }
        messages.append(_message("invitation", context, invitation.email))

    def again(when: datetime.datetime) -> object:
        return send_invitation.using(run_after=when).enqueue(invitation_id, domain, use_https, attempt=attempt + 1)

    return mail.send(messages, attempt=attempt, again=again)


@task()
def send_parent_request(request_id: int, domain: str, use_https: bool, attempt: int = 1) -> int:
    """A child's request that their parent make their account: the link opens parent sign-up, then the
    child form with the name filled in."""
    request = ParentRequest.objects.filter(pk=request_id).first()
    messages = []
    if request is not None:
        token = family.parent_request_token(request)
        context = {
            "link": f"{_site(domain, use_https)}{reverse('signup_parent')}?request={token}",
            "domain": domain,
            "child": request.child_name,
            "days": family.PARENT_REQUEST_DAYS,
        }
        messages.append(_message("parent_request", context, request.parent_email))

    def again(when: datetime.datetime) -> object:
        return send_parent_request.using(run_after=when).enqueue(request_id, domain, use_https, attempt=attempt + 1)

    return mail.send(messages, attempt=attempt, again=again)


@task()
def send_retention_warning(student_id: int, erase_on: str, attempt: int = 1) -> int:
    """Tell each linked parent that their child's unused account will be erased on `erase_on` (ISO date)
    unless the child signs in before then (accounts.retention)."""
    student = Student.objects.filter(pk=student_id).select_related("user").first()
    messages = []
    if student is not None:
        context = {
            "child": student.name,
            "username": student.user.username,
            "erase_on": datetime.date.fromisoformat(erase_on),
            "last_seen": retention.last_seen(student),
        }
        for parent in student.parents.order_by("id"):
            messages.append(_message("retention_warning", context, parent.email))

    def again(when: datetime.datetime) -> object:
        return send_retention_warning.using(run_after=when).enqueue(student_id, erase_on, attempt=attempt + 1)

    return mail.send(messages, attempt=attempt, again=again)


@task()
def purge_expired() -> dict[str, int]:
    """The daily purge (accounts.retention)."""
    counts = retention.purge_expired()
    logger.info("purged %s", ", ".join(f"{label}={count}" for label, count in counts.items()))
    return counts


@task()
def rebuild_ranks() -> bool:
    """Hourly (settings.PERIODIC_TASKS): the leaderboard's ranking rebuilt from the database, which puts right
    any entry a lost write left wrong (accounts.ranks). False when another process was rebuilding it."""
    return ranks.rebuild()
