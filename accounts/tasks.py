"""The accounts' background work: password-reset mail and the daily purge."""

import datetime
import logging
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task
from django.template import loader
from django.urls import reverse

from accounts import retention, signup
from accounts.models import User
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


@task()
def purge_expired() -> dict[str, int]:
    """The daily purge (accounts.retention)."""
    counts = retention.purge_expired()
    logger.info("purged %s", ", ".join(f"{label}={count}" for label, count in counts.items()))
    return counts
