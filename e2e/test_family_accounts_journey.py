"""A parent signs up, makes a child's account (no e-mail), prints the sign-in card; the child signs in with
the username and answers; the parent sees it, downloads the child's data and erases the account."""

import json

import pytest
from playwright.sync_api import expect

from accounts.models import Consent, Student, User
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from e2e import steps
from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_a_parent_makes_a_childs_account_and_the_child_signs_in_with_the_username(new_context, tmp_path):
    counting = ChapterFactory(id="counting", name="Counting", subject="Math", order=1, is_locked=False)
    QuestionFactory.create_batch(2, chapter=counting, difficulty_level="easy")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    parent_page = new_context().new_page()
    steps.sign_up(
        parent_page,
        "/accounts/signup/parent/",
        name="Ana Lopez",
        email="ana@example.com",
        button="Create my parent account",
    )
    expect(parent_page).to_have_url("/family/")
    parent_page.get_by_role("button", name="Add your child").click()
    parent_page.get_by_label("Your child's name").fill("Mia")
    parent_page.get_by_label("Username").fill("Mia.L")
    passphrase = parent_page.locator(".suggested-passphrase").inner_text()
    parent_page.get_by_label("Password", exact=True).fill(passphrase)
    parent_page.get_by_label("Password again").fill(passphrase)
    parent_page.get_by_label("I am this child's parent or guardian").check()
    parent_page.screenshot(path=SCREENSHOTS / "add-child-filled.png", full_page=True)
    parent_page.get_by_role("button", name="Make the account").click()

    expect(parent_page.get_by_role("heading", level=1)).to_have_text("Mia's progress")
    expect(parent_page.get_by_role("status")).to_contain_text("Mia's account is ready")
    child = Student.objects.get(name="Mia")
    assert Consent.objects.get(student=child).basis == "parent"

    parent_page.get_by_role("button", name="Print the sign-in card").click()
    card = parent_page.locator(".login-card")
    expect(card.locator(".login-username")).to_have_text("mia.l")
    expect(card.locator("svg")).to_be_visible()
    expect(card).not_to_contain_text(passphrase)
    parent_page.emulate_media(media="print")
    parent_page.screenshot(path=SCREENSHOTS / "sign-in-card-print.png", full_page=True)
    parent_page.emulate_media(media="screen")

    # The child, on another device: the card's QR code opens the login page with the username filled in.
    child_page = new_context().new_page()
    child_page.goto("/accounts/login/?username=mia.l")
    expect(child_page.get_by_label("E-mail or username")).to_have_value("mia.l")
    child_page.get_by_label("Password").fill(passphrase)
    child_page.locator("main").get_by_role("button", name="Log in").click()
    expect(child_page).to_have_url("/learn/")
    child_page.get_by_role("link", name="Counting").first.click()
    child_page.get_by_role("button", name="Start").click()
    steps.answer(child_page, correctly=True)

    parent_page.goto(f"/family/children/{child.pk}/")
    assert steps.stats(parent_page)[0] == "10 XP in total"
    recent = parent_page.get_by_role("region", name="Recent answers", exact=True)
    expect(recent).to_contain_text("Right")
    parent_page.screenshot(path=SCREENSHOTS / "made-child-page.png", full_page=True)

    with parent_page.expect_download() as download:
        parent_page.get_by_role("button", name="Download all data (JSON)").click()
    path = tmp_path / "mia.json"
    download.value.save_as(path)
    data = json.loads(path.read_text())
    assert data["account"]["username"] == "mia.l" and data["account"]["email"] is None
    assert len(data["answers"]) == 1

    parent_page.get_by_role("link", name="Erase Mia's account").click()
    parent_page.get_by_label("Type your child's name to confirm").fill("Mia")
    parent_page.get_by_role("button", name="Erase Mia's account").click()
    expect(parent_page).to_have_url("/family/")
    expect(parent_page.get_by_role("status")).to_contain_text("Mia's account and all of its data were erased.")
    assert not Student.objects.filter(pk=child.pk).exists()
    assert not User.objects.filter(username="mia.l").exists()
    assert not QuizSubmission.objects.filter(student_id=child.pk).exists()

    child_page.goto("/learn/")  # the child's session went with the account
    expect(child_page).to_have_url("/accounts/login/?next=/learn/")
