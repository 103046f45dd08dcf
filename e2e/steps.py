"""What people do in the browser, as the journeys share it: sign up, log in, answer a question."""

import re

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from curriculum.models import Question

QUESTION_URL = re.compile(r"/learn/(?P<chapter>[^/]+)/q/(?P<quiz>[^/]+)/$")


def sign_up(page: Page, path: str, *, name: str, email: str, button: str) -> None:
    """Fill a sign-up form (the student's, after its age question, or the parent's), send it, and follow the
    link it mails."""
    page.goto(path)
    if page.get_by_text("When were you born?").count():
        page.get_by_label("Month").select_option("March")
        page.get_by_label("Year").fill("2008")  # 18: old enough to sign up alone
        page.get_by_role("button", name="Next").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    page.goto(mailed_link(email, "/accounts/signup/confirm/"))
    page.get_by_role("button", name="Open my account").click()


def mailed_link(to: str, path: str) -> str:
    """Run the task worker (as the worker process would), and the path of the link it mailed to `to`."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    bodies = [message.body for message in mail.outbox if message.to == [to]]
    assert bodies, f"no mail to {to}"
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", bodies[-1])[1]


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    log_in_here(page, email, password)


def log_in_here(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill the login form the page shows (e.g. after a redirect to it) and send it."""
    page.get_by_label("E-mail or username").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def shown_question(page: Page) -> Question:
    """The question on the page, read from the database by the quiz id in the page's URL."""
    page.wait_for_url(QUESTION_URL)
    match = QUESTION_URL.search(page.url)
    return Question.objects.get(quiz_id=match["quiz"], chapter_id=match["chapter"])


def answer(page: Page, *, correctly: bool) -> Question:
    """Choose the right option (known from the database, not the page) or a wrong one, and send it."""
    question = shown_question(page)
    index = question.correct_answer_index
    if not correctly:
        index = (index + 1) % len(question.options)
    page.get_by_role("radio", name=question.options[index], exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    heading = "Correct!" if correctly else "Not quite"
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(heading)))
    return question


def stats(page: Page) -> list[str]:
    """The numbers on the page (result page, dashboard) as their visible text, whitespace collapsed."""
    return [" ".join(text.split()) for text in page.locator(".stat").all_inner_texts()]
