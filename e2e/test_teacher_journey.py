"""A teacher signs up, is approved by command, makes a class, pastes five names and prints the cards; a child
signs in with a card and answers; the teacher sets an assignment and sees the grid change."""

import re

import pyotp
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from classes.models import SchoolClass
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from e2e import steps
from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

NAMES = ["Ada L.", "Ben K.", "Cleo M.", "Dev P.", "Esa R."]


def test_a_teacher_makes_a_class_of_five_and_a_child_answers_their_assignment(new_context):
    counting = ChapterFactory(id="counting", name="Counting", subject="Math", order=1, is_locked=False)
    QuestionFactory.create_batch(2, chapter=counting, difficulty_level="easy")
    fractions = ChapterFactory(
        id="fractions", name="Fractions", subject="Math", order=2, is_locked=True, unlock_xp_required=500
    )
    QuestionFactory.create_batch(2, chapter=fractions, difficulty_level="easy")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page = new_context().new_page()
    page.goto("/accounts/signup/teacher/")
    page.get_by_label("Your name").fill("Ms Rivera")
    page.get_by_label("E-mail").fill("rivera@school.example")
    page.get_by_label("Password", exact=True).fill(steps.PASSWORD)
    page.get_by_label("Password again").fill(steps.PASSWORD)
    page.get_by_label("School (optional)").fill("Hill School")
    page.get_by_role("button", name="Create my teacher account").click()
    page.goto(steps.mailed_link("rivera@school.example", "/accounts/signup/confirm/"))
    page.get_by_role("button", name="Open my account").click()
    # A teacher sees children's work: the second factor first.
    expect(page).to_have_url("/accounts/2fa/")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn it on").click()
    page.goto("/classes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for approval")

    call_command("approve_teacher", "rivera@school.example")
    page.goto("/classes/")
    page.get_by_role("button", name="New class").click()
    page.get_by_label("Class name").fill("4B Maths")
    page.get_by_role("button", name="Make the class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("4B Maths")
    school_class = SchoolClass.objects.get()

    page.get_by_role("button", name="Add children").click()
    page.get_by_label("Children's names, one per line").fill("\n".join(NAMES))
    page.get_by_role("button", name="Make the accounts and the cards").click()
    cards = page.locator(".login-card")
    expect(cards).to_have_count(5)
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / "class-cards-print.png", full_page=True)
    page.emulate_media(media="screen")
    ada = cards.filter(has_text="Ada L.")
    username = ada.locator(".login-username").inner_text()
    passphrase = ada.locator(".login-password").inner_text()

    child = new_context().new_page()
    steps.log_in(child, username, passphrase)
    expect(child).to_have_url("/learn/")
    expect(child.locator(".chapter-card", has_text="Fractions")).to_contain_text("earn")  # locked by XP

    page.goto(f"/classes/{school_class.pk}/")
    page.get_by_role("button", name="New assignment").click()
    page.get_by_label("Title").fill("Fractions week")
    page.get_by_label("Math: Fractions").check()
    page.get_by_label("Due on").fill("2030-01-31")
    page.get_by_role("button", name="Set the assignment").click()
    grid = page.locator("table.class-grid")
    ada_row = grid.get_by_role("row", name=re.compile("Ada L."))
    expect(ada_row).to_contain_text("not started")

    child.goto("/learn/")
    fractions_card = child.locator(".chapter-card", has_text="Fractions")
    expect(fractions_card).to_contain_text("opened by your teacher")
    fractions_card.get_by_role("button", name="Start").click()
    child.get_by_role("button", name="Start").click()  # the chapter page's first question
    steps.answer(child, correctly=True)
    child.goto("/assignments/")
    expect(child.locator(".assignment-list")).to_contain_text("in progress")

    page.reload()
    expect(page.locator("table.class-grid").get_by_role("row", name=re.compile("Ada L."))).to_contain_text(
        "in progress"
    )
    page.screenshot(path=SCREENSHOTS / "class-grid.png", full_page=True)

    # The roster's buttons share one form; each posts to its own child's action.
    roster = page.locator(".roster")
    roster.locator("li", has_text="Ben K.").get_by_role("button", name="Hide from the class board").click()
    expect(page.locator(".messages")).to_contain_text("Ben K. is hidden from the class leaderboard")
    expect(roster.locator("li", has_text="Ben K.")).to_contain_text("Show on the class board")
    expect(roster.locator("li", has_text="Cleo M.")).to_contain_text("Hide from the class board")
    roster.locator("li", has_text="Esa R.").get_by_role("button", name="Remove from the class").click()
    expect(page.locator(".roster")).not_to_contain_text("Esa R.")
    expect(page.locator(".roster li")).to_have_count(4)

    # The code's button and the invitation's field are in the cached part too, and belong to the page's forms.
    old_code = page.locator("#class-code").inner_text()
    page.get_by_role("button", name="Make a new code").click()
    expect(page.locator(".messages")).to_contain_text("New class code")
    expect(page.locator("#class-code")).not_to_have_text(old_code)
    page.get_by_label("The other teacher's e-mail").fill("not-an-address")
    page.get_by_role("button", name="Invite a co-teacher").click()
    expect(page.locator(".messages")).to_contain_text("valid email address")
    page.locator(".roster li", has_text="Ada L.").get_by_role("button", name="New passphrase").click()
    expect(page.locator(".login-card")).to_have_count(1)
    expect(page.locator(".login-card .login-username")).to_have_text(username)
    assert page.locator(".login-card .login-password").inner_text() != passphrase
