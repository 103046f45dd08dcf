"""A parent signs up, links their child with the code from the child's profile, and follows the child."""

import pytest
from playwright.sync_api import expect

from accounts.models import Parent
from accounts.tests.factories import StudentFactory
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from e2e import steps
from learning.tests.helpers import answer

pytestmark = pytest.mark.browser


def test_a_parent_links_a_child_with_the_family_code_and_reads_the_childs_page(new_context):
    chapter = ChapterFactory(id="counting", name="Counting", subject="Math", is_locked=False)
    first, second = QuestionFactory.create_batch(2, chapter=chapter, difficulty_level="medium")
    child = StudentFactory(name="Sam Child", user__email="sam@example.com")
    answer(child, first)
    answer(child, second, index=(second.correct_answer_index + 1) % len(second.options))

    child_page = new_context().new_page()
    steps.log_in(child_page, "sam@example.com")
    child_page.get_by_role("link", name="Profile").click()
    child_page.get_by_role("button", name="Make a family code").click()
    code = child_page.locator("#family-code").inner_text().strip()
    assert len(code) == 9  # two groups of four

    parent_page = new_context().new_page()
    steps.sign_up(
        parent_page,
        "/accounts/signup/parent/",
        name="Pat Parent",
        email="pat@example.com",
        button="Create my parent account",
    )
    expect(parent_page).to_have_url("/family/")
    expect(parent_page.get_by_role("heading", name="No child yet")).to_be_visible()
    parent_page.get_by_role("link", name="Link a teenager's own account").click()
    parent_page.get_by_label("Family code").fill(code.lower())  # as a parent might type it
    parent_page.get_by_role("button", name="Link", exact=True).click()

    expect(parent_page.get_by_role("status")).to_have_text("You are linked to Sam Child.")
    expect(parent_page.get_by_role("heading", level=1)).to_have_text("Sam Child's progress")
    assert steps.stats(parent_page)[0] == "20 XP in total"
    recent = parent_page.get_by_role("region", name="Recent answers", exact=True)
    expect(recent.get_by_role("row")).to_have_count(3)  # the header and the two answers
    expect(recent).to_contain_text("Wrong")
    expect(recent).to_contain_text("Right")

    parent_page.get_by_role("link", name="Your family").click()
    card = parent_page.locator(".child-card")
    expect(card.get_by_role("heading")).to_have_text("Sam Child")
    expect(card).to_contain_text("20 XP")

    child_page.reload()
    expect(child_page.locator(".linked-parents")).to_contain_text("Pat Parent")
    assert list(Parent.objects.get(email="pat@example.com").children.values_list("name", flat=True)) == ["Sam Child"]
