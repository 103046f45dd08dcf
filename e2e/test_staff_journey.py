"""A staff member adds a chapter and a question in the admin, and a student answers that question."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import PASSWORD, StudentFactory
from curriculum.models import Chapter, Question
from e2e import steps
from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_staff_add_a_chapter_and_a_question_that_a_student_then_answers(new_context, log_in_context):
    User.objects.create_superuser(email="staff@example.com", password=PASSWORD)
    admin = new_context().new_page()
    admin.goto("/admin/")
    expect(admin).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    steps.log_in_here(admin, "staff@example.com")
    # A superuser sees children's data: the second factor is set up first (the QR code's key, typed in).
    expect(admin).to_have_url("/accounts/2fa/")
    expect(admin.locator(".qr-code svg")).to_be_visible()
    secret = admin.locator("#totp-secret").inner_text()
    admin.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    admin.get_by_role("button", name="Turn it on").click()
    expect(admin.locator("main")).to_contain_text("Your second factor is on")
    admin.goto("/admin/")
    expect(admin).to_have_url("/admin/")

    admin.locator("tr.model-chapter").get_by_role("link", name="Add").click()
    # The admin's change_form.js (loaded async) focuses the first field: let it run before typing, or a
    # late focus sends the next field's text into the first one (seen once: "weatherScience").
    admin.wait_for_load_state("networkidle")
    # The admin's labels end in a colon; exact ones keep the nav's "Sidebar" out of "Chapter id".
    admin.get_by_label("Chapter id:", exact=True).fill("weather")
    expect(admin.get_by_label("Chapter id:", exact=True)).to_have_value("weather")
    admin.get_by_label("Subject:", exact=True).fill("Science")
    expect(admin.get_by_label("Subject:", exact=True)).to_have_value("Science")
    admin.get_by_label("Place in the subject:", exact=True).fill("1")
    admin.get_by_label("Name:", exact=True).fill("Weather")
    admin.get_by_label("Description:", exact=True).fill("Sun, rain and clouds.")
    admin.get_by_label("Locked", exact=True).uncheck()  # a checkbox, not Unknown/Yes/No (new chapters start locked)
    expect(admin.get_by_label("XP needed to open:", exact=True)).to_be_visible()
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")

    admin.get_by_role("link", name="Add a question to this chapter").click()
    admin.get_by_label("Quiz id:", exact=True).fill("weather-1")
    admin.get_by_label("Difficulty:", exact=True).select_option("medium")
    admin.get_by_label("Question text:", exact=True).fill("Which of these falls from clouds?")
    admin.get_by_label("Explanation:", exact=True).fill("Rain is water falling from clouds.")
    for number, option in enumerate(["Sand", "Leaves", "Rain"], start=1):
        admin.get_by_label(f"Option {number}:", exact=True).fill(option)
    admin.get_by_role("radio", name="3", exact=True).check()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")

    assert Chapter.objects.filter(pk="weather", is_locked=False).exists()
    question = Question.objects.get(quiz_id="weather-1")
    assert (question.chapter_id, question.options, question.correct_answer_index) == (
        "weather",
        ["Sand", "Leaves", "Rain"],
        2,
    )

    student = StudentFactory(name="Kim Student")
    learner = log_in_context(new_context(), student.user).new_page()
    learner.goto("/learn/")
    learner.get_by_role("link", name="Weather").first.click()
    learner.get_by_role("button", name="Start").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Which of these falls from clouds?")
    steps.answer(learner, correctly=True)
    assert steps.stats(learner)[:2] == ["+20 XP this answer", "20 XP in total"]
    expect(learner.get_by_role("region", name="Explanation")).to_contain_text("Rain is water falling from clouds.")


def test_the_import_page_refuses_a_file_over_5_mb_before_sending_it(new_context, log_in_context):
    staff = User.objects.create_superuser(email="staff@example.com", password=PASSWORD)
    page = log_in_context(new_context(), staff).new_page()
    page.goto("/admin/curriculum/question/import/")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    big = {"name": "questions.json", "mimeType": "application/json", "buffer": b" " * (5 * 1024 * 1024 + 1)}
    page.get_by_label("File:").set_input_files(files=[big])
    expect(page.get_by_role("alert")).to_have_text("The file is larger than 5 MB: split it.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-import-too-large.png", full_page=True)
    page.get_by_role("button", name="Import").click()
    page.wait_for_timeout(300)

    assert posts == []
    assert not Question.objects.exists()

    page.get_by_label("File:").set_input_files(files=[{**big, "buffer": b"[]"}])
    expect(page.get_by_role("alert")).to_be_hidden()
