"""Fair options: each child sees a question's options in an order of their own, the same on every view."""

import collections
import json
import re
from pathlib import Path

import pytest

from accounts.tests.factories import StudentFactory
from accounts.tests.helpers import sign_in
from curriculum.tests.factories import QuestionFactory
from learning.rules import option_order
from learning.tests.helpers import answer


def shown_order(html: str) -> list[str]:
    """The radio values in the order the page lists them."""
    return re.findall(r'name="selected_answer_index" value="(\d)"', html)


@pytest.mark.django_db
def test_the_order_is_stable_for_a_student_and_differs_between_students(client):
    question = QuestionFactory(options=["10", "20", "30", "40"], correct_answer_index=1)
    url = f"/learn/{question.chapter_id}/q/{question.quiz_id}/"
    orders = []
    for _ in range(12):
        sign_in(client, StudentFactory().user)
        first, again = shown_order(client.get(url).text), shown_order(client.get(url).text)
        assert first == again  # a reload shows the same order
        assert sorted(first) == ["0", "1", "2", "3"]  # the values stay the stored indexes
        orders.append(tuple(first))
    assert len(set(orders)) >= 4  # 12 students: many different orders (24 possible)


def test_every_position_is_equally_likely():
    firsts = collections.Counter(option_order(student_id=s, question_id=7, count=4)[0] for s in range(4000))
    assert all(900 < firsts[i] < 1100 for i in range(4)), firsts


@pytest.mark.django_db
def test_the_result_keeps_the_childs_order_and_the_answer_is_judged_by_the_stored_index(client):
    question = QuestionFactory(options=["red", "green", "blue", "pink"], correct_answer_index=2)
    student = StudentFactory()
    sign_in(client, student.user)
    order = shown_order(client.get(f"/learn/{question.chapter_id}/q/{question.quiz_id}/").text)
    submission = answer(student, question, index=2)
    assert submission.is_correct and submission.selected_answer_index == 2
    result = client.get(f"/learn/{question.chapter_id}/q/{question.quiz_id}/answers/{submission.pk}/").text
    positions = [result.index(question.options[int(i)]) for i in order]
    assert positions == sorted(positions)


def test_the_demo_answer_key_is_balanced():
    demo = json.loads((Path(__file__).resolve().parents[2] / "curriculum" / "demo_curriculum.json").read_text())
    positions = collections.Counter(q["correct_answer_index"] for q in demo["questions"])
    mean = len(demo["questions"]) / 4
    assert all(abs(positions[i] - mean) <= 2 for i in range(4)), positions
