"""Staff edit chapters and questions in the admin: the question form, its checks, and who may edit."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Parent, Student, User
from accounts.tests.factories import ParentFactory, StudentFactory, UserFactory
from accounts.tests.helpers import sign_in
from curriculum.models import Chapter, Question, QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def editor_client():
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client = Client()
    sign_in(client, editor)
    return client


def question_data(question=None, **changes):
    """What the question form posts: the question's current values (or a new one's), with changes."""
    if question is None:
        data = {"quiz_id": "math-new-01", "chapter": ChapterFactory().pk, "question_text": "What is 2 + 2?"}
        options, correct_index = ["3", "4", "5"], 1
    else:
        data = {
            "quiz_id": question.quiz_id,
            "chapter": question.chapter_id,
            "difficulty_level": question.difficulty_level or "",
            "question_text": question.question_text,
            "explanation": question.explanation or "",
            "image_url": question.image_url or "",
        }
        options, correct_index = question.options, question.correct_answer_index
    data |= {f"option_{number}": option for number, option in enumerate(options, start=1)}
    data["correct_option"] = correct_index + 1
    return data | changes


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


def test_the_content_editors_group_has_only_the_curriculum_permissions():
    group = Group.objects.get(name="Content editors")

    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("curriculum", "add_chapter"),
        ("curriculum", "add_question"),
        ("curriculum", "change_chapter"),
        ("curriculum", "change_question"),
        ("curriculum", "delete_chapter"),
        ("curriculum", "delete_question"),
        ("curriculum", "view_chapter"),
        ("curriculum", "view_question"),
        ("curriculum", "view_quizsubmission"),
    ]


def test_a_content_editor_opens_the_curriculum_pages(editor_client):
    question = QuestionFactory()

    for url in (
        admin_url(Chapter, "changelist"),
        admin_url(Chapter, "add"),
        admin_url(Chapter, "change", question.chapter_id),
        admin_url(Question, "changelist"),
        admin_url(Question, "add"),
        admin_url(Question, "change", question.pk),
        admin_url(QuizSubmission, "changelist"),
    ):
        assert editor_client.get(url).status_code == 200, url


def test_a_content_editor_saves_a_chapter(editor_client):
    question = QuestionFactory(chapter__name="Fractions")
    chapter = question.chapter
    data = {
        "subject": chapter.subject,
        "order": chapter.order,
        "name": "Fractions and decimals",
        "description": chapter.description,
        "is_locked": "true",
        "unlock_xp_required": 50,
        # The questions inline, as the page renders it: read-only rows.
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 1,
        "questions-0-id": question.pk,
        "questions-0-chapter": chapter.pk,
    }

    response = editor_client.post(admin_url(Chapter, "change", chapter.pk), data)

    assert response.status_code == 302
    chapter.refresh_from_db()
    assert (chapter.name, chapter.is_locked, chapter.unlock_xp_required) == ("Fractions and decimals", True, 50)
    assert Question.objects.get().question_text == question.question_text


def test_a_content_editor_adds_and_saves_a_question(editor_client):
    response = editor_client.post(admin_url(Question, "add"), question_data())

    assert response.status_code == 302
    question = Question.objects.get(quiz_id="math-new-01")

    response = editor_client.post(
        admin_url(Question, "change", question.pk), question_data(question, question_text="What is 3 + 1?")
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.question_text == "What is 3 + 1?"


@pytest.mark.parametrize("model", [User, Student, Parent], ids=lambda model: model.__name__)
def test_a_content_editor_cannot_open_the_accounts_pages(editor_client, model):
    obj = {User: UserFactory, Student: StudentFactory, Parent: ParentFactory}[model]()

    assert editor_client.get(admin_url(model, "changelist")).status_code == 403
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 403
    assert editor_client.get(admin_url(model, "add")).status_code == 403


def test_the_form_shows_each_option_in_its_own_field(staff_client):
    question = QuestionFactory(options=["red", "green", "blue"], correct_answer_index=2)

    form = staff_client.get(admin_url(Question, "change", question.pk)).context["adminform"].form

    assert [form[f"option_{number}"].value() for number in range(1, 7)] == ["red", "green", "blue", None, None, None]
    assert form["correct_option"].value() == 3


def test_saving_writes_the_options_as_a_json_list_and_a_zero_based_index(staff_client):
    data = question_data(option_1=" 3 ", option_2="4", option_3="5", option_4="6", correct_option=2)

    response = staff_client.post(admin_url(Question, "add"), data)

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.options == ["3", "4", "5", "6"]
    assert question.correct_answer_index == 1
    assert question.difficulty_level is None


def test_difficulty_is_one_of_the_levels_or_blank(staff_client):
    assert staff_client.post(admin_url(Question, "add"), question_data(difficulty_level="hard")).status_code == 302
    assert Question.objects.get().difficulty_level == "hard"

    errors = form_errors(
        staff_client.post(admin_url(Question, "add"), question_data(quiz_id="math-new-02", difficulty_level="tricky"))
    )

    assert list(errors) == ["difficulty_level"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"option_2": "", "option_3": "", "correct_option": 1},
            {"option_2": ["A question needs at least 2 options: write option 2."]},
        ),
        (
            {"option_1": "   "},
            {"option_1": ["A question needs at least 2 options: write option 1."]},
        ),
        (
            {"option_3": "", "option_4": "6"},
            {"option_3": ["Option 3 is empty but option 4 is not: fill it in, or move the later options up."]},
        ),
        (
            {"option_3": "", "option_4": "", "option_5": "", "option_6": "7"},
            {
                "option_3": ["Option 3 is empty but option 6 is not: fill it in, or move the later options up."],
                "option_4": ["Option 4 is empty but option 6 is not: fill it in, or move the later options up."],
                "option_5": ["Option 5 is empty but option 6 is not: fill it in, or move the later options up."],
            },
        ),
        (
            {"option_1": "Paris", "option_2": "Rome", "option_3": "  paris "},
            {"option_3": ["Option 3 repeats option 1 (letter case and spaces do not count)."]},
        ),
        ({"correct_option": 4}, {"correct_option": ["The correct option is option 4, which is empty."]}),
        ({"correct_option": 7}, {"correct_option": ["The correct option must be one of options 1 to 6."]}),
        ({"correct_option": 0}, {"correct_option": ["The correct option must be one of options 1 to 6."]}),
        ({"correct_option": ""}, {"correct_option": ["Choose which option is the correct answer."]}),
    ],
    ids=[
        "only-one-option",
        "blank-first-option",
        "gap",
        "wide-gap",
        "duplicate",
        "correct-option-empty",
        "correct-option-too-high",
        "correct-option-zero",
        "no-correct-option",
    ],
)
def test_the_form_explains_what_is_wrong_with_the_options(staff_client, changes, errors):
    response = staff_client.post(admin_url(Question, "add"), question_data(**changes))

    assert form_errors(response) == errors
    assert not Question.objects.exists()


def test_changing_the_options_of_an_answered_question_needs_a_confirmation(staff_client):
    question = QuestionFactory(options=["1", "2", "3", "4"], correct_answer_index=2)
    right, *_ = QuizSubmissionFactory.create_batch(36, question=question, selected_answer_index=2, is_correct=True)
    wrong = QuizSubmissionFactory(question=question, selected_answer_index=0, is_correct=False)
    data = question_data(question, option_1="3", option_3="1", correct_option=1)

    errors = form_errors(staff_client.post(admin_url(Question, "change", question.pk), data))

    assert errors == {
        "confirm_answer_change": [
            "This question has 37 recorded answers. Their verdicts will not change. Tick to confirm."
        ]
    }
    question.refresh_from_db()
    assert (question.options, question.correct_answer_index) == (["1", "2", "3", "4"], 2)

    response = staff_client.post(admin_url(Question, "change", question.pk), data | {"confirm_answer_change": "on"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.options, question.correct_answer_index) == (["3", "2", "1", "4"], 0)
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert (right.selected_answer_index, right.is_correct) == (2, True)
    assert (wrong.selected_answer_index, wrong.is_correct) == (0, False)


def test_moving_the_correct_answer_of_an_answered_question_needs_a_confirmation(staff_client):
    submission = QuizSubmissionFactory(question__correct_answer_index=2)
    data = question_data(submission.question, correct_option=2)

    errors = form_errors(staff_client.post(admin_url(Question, "change", submission.question.pk), data))

    assert errors == {
        "confirm_answer_change": [
            "This question has 1 recorded answer. Their verdicts will not change. Tick to confirm."
        ]
    }


def test_the_confirmation_says_how_many_answers_exist(staff_client):
    question = QuizSubmissionFactory.create_batch(2, question=QuestionFactory())[0].question

    response = staff_client.get(admin_url(Question, "change", question.pk))

    assertContains(response, "2 recorded answers so far.")


def test_other_edits_of_an_answered_question_need_no_confirmation(staff_client):
    question = QuizSubmissionFactory().question
    data = question_data(question, question_text="What comes after 2?", option_1=" 1 ", difficulty_level="hard")

    response = staff_client.post(admin_url(Question, "change", question.pk), data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.question_text, question.difficulty_level) == ("What comes after 2?", "hard")


def test_changing_the_options_of_an_unanswered_question_needs_no_confirmation(staff_client):
    question = QuestionFactory(options=["1", "2", "3", "4"])

    response = staff_client.post(admin_url(Question, "change", question.pk), question_data(question, option_5="5"))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.options == ["1", "2", "3", "4", "5"]


def test_a_question_with_more_options_than_the_form_has_is_not_cut_short(staff_client):
    question = QuestionFactory(options=["1", "2", "3", "4", "5", "6", "7"], correct_answer_index=6)

    response = staff_client.post(admin_url(Question, "change", question.pk), question_data(question, correct_option=1))

    assert form_errors(response) == {
        "__all__": [
            "This question has 7 options, more than the 6 this form can edit: saving it here would drop the others.",
            # Question.clean() on the stored options: seven is more than any door may save.
            "A question has 2 to 6 options, not 7.",
        ]
    }
    question.refresh_from_db()
    assert len(question.options) == 7


def test_the_change_page_previews_the_question_as_a_student_sees_it(staff_client):
    question = QuestionFactory(
        question_text="Which shape has three sides?",
        options=["Square", "Triangle", "Circle"],
        correct_answer_index=1,
        image_url="https://images.example.com/shapes.png",
    )

    response = staff_client.get(admin_url(Question, "change", question.pk))

    thumbnail = '<img class="lq-thumbnail" src="https://images.example.com/shapes.png" alt="Picture for this question">'
    assertContains(
        response,
        '<div class="lq-preview"><p class="lq-preview-text">Which shape has three sides?</p>'
        f"{thumbnail}"
        '<ol class="lq-preview-options">'
        '<li class="lq-preview-option">Square</li>'
        '<li class="lq-preview-correct">Triangle <strong class="lq-preview-mark">correct answer</strong></li>'
        '<li class="lq-preview-option">Circle</li>'
        '</ol><p class="lq-preview-explanation">Count on by one.</p></div>',
        html=True,
    )
    # The thumbnail beside the image_url field, and the preview's.
    assertContains(response, thumbnail, count=2, html=True)
    # Styled by a stylesheet: the Content-Security-Policy refuses inline styles.
    assertContains(response, 'href="/static/admin/curriculum.css"')
    assertNotContains(response, "style=")


def test_the_preview_escapes_the_question(staff_client):
    question = QuestionFactory(
        question_text="Is 1 <b>less</b> than 2?", options=["<i>yes</i>", "no"], correct_answer_index=0
    )

    response = staff_client.get(admin_url(Question, "change", question.pk))

    assertContains(response, "Is 1 &lt;b&gt;less&lt;/b&gt; than 2?")
    assertNotContains(response, "<i>yes</i>")


def test_a_question_without_a_picture_says_so(staff_client):
    question = QuestionFactory(image_url=None)

    response = staff_client.get(admin_url(Question, "change", question.pk))

    assertContains(response, "No picture")
    assertNotContains(response, "lq-thumbnail")


def test_a_students_question_page_shows_the_edit_right_after_the_save(staff_client, django_capture_on_commit_callbacks):
    question = QuestionFactory(question_text="What is 1 + 1?", options=["1", "2", "3"], correct_answer_index=1)
    student = Client()
    sign_in(student, StudentFactory().user)
    page = reverse("question", args=[question.chapter_id, question.quiz_id])
    assertContains(student.get(page), "What is 1 + 1?")  # now in the cache

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            admin_url(Question, "change", question.pk),
            question_data(question, question_text="What is 2 + 2?", option_3="4", correct_option=3),
        )
    assert response.status_code == 302

    response = student.get(page)
    assertContains(response, "What is 2 + 2?")
    assertNotContains(response, "What is 1 + 1?")
    assert response.context["question"]["options"] == ["1", "2", "4"]


def test_the_chapter_page_lists_its_questions_inline(staff_client):
    chapter = ChapterFactory()
    first = QuestionFactory(chapter=chapter, quiz_id="fractions-01", question_text="What is 1/2 + 1/2?")
    second = QuestionFactory(chapter=chapter, quiz_id="fractions-02", difficulty_level="hard")
    QuestionFactory(quiz_id="another-chapters-question")

    response = staff_client.get(admin_url(Chapter, "change", chapter.pk))

    (inline,) = response.context["inline_admin_formsets"]
    assert [form.original for form in inline] == [first, second]
    assertContains(response, "fractions-01")
    assertContains(response, "What is 1/2 + 1/2?")
    assertContains(response, "Hard")
    assertContains(response, admin_url(Question, "change", first.pk))
    assertContains(response, admin_url(Question, "change", second.pk))
    assertNotContains(response, "another-chapters-question")


def test_the_chapter_page_links_to_a_new_question_in_the_chapter(staff_client):
    chapter = ChapterFactory(id="math-fractions")

    response = staff_client.get(admin_url(Chapter, "change", chapter.pk))

    add_url = f"{admin_url(Question, 'add')}?chapter=math-fractions"
    assertContains(response, add_url)
    form = staff_client.get(add_url).context["adminform"].form
    assert form["chapter"].value() == "math-fractions"
