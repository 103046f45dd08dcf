"""The GIFT parser on its own: text in, questions out, no database."""

import hashlib

import pytest

from curriculum import gift


def parse_one(text: str) -> gift.GiftQuestion:
    questions = gift.parse(text)
    assert len(questions) == 1, questions
    return questions[0]


def test_a_titled_question_has_its_options_right_answer_and_general_feedback():
    question = parse_one(
        "::frac-half:: What is 1/2 + 1/4? {\n  =3/4 # right\n  ~2/6\n  ~1/8\n  ####Same bottoms first.\n}"
    )

    assert question.errors == []
    assert question.line == 1
    assert question.values == {
        "quiz_id": "frac-half",
        "question_text": "What is 1/2 + 1/4?",
        "options": ["3/4", "2/6", "1/8"],
        "correct_answer_index": 0,
        "explanation": "Same bottoms first.",
        "option_feedback": ["right", None, None],  # each answer's own feedback
    }


@pytest.mark.parametrize(
    ("title", "quiz_id"),
    [("frac-half", "frac-half"), ("Ratio\\: basics", "ratio-basics"), ("Año 2: ñu", "año-2-ñu"), ("?!", None)],
)
def test_a_title_becomes_a_slug_because_quiz_ids_are_parts_of_addresses(title, quiz_id):
    question = parse_one(f"::{title}:: Which? {{=a ~b}}")

    expected = quiz_id or "gift-" + hashlib.sha1(b"Which?", usedforsecurity=False).hexdigest()[:12]
    assert question.values["quiz_id"] == expected


def test_an_untitled_question_gets_a_stable_id_from_its_text():
    first, again = parse_one("Which? {=a ~b}"), parse_one("Which? {~b =a}")

    expected = "gift-" + hashlib.sha1(b"Which?", usedforsecurity=False).hexdigest()[:12]
    assert first.values["quiz_id"] == again.values["quiz_id"] == expected


def test_escapes_are_read_as_the_characters_they_stand_for():
    question = parse_one(r"::ratio-2-4:: Pick \{ or \} a\:b {=\{ ~\} ~\~ ~\=}")

    assert question.values["question_text"] == "Pick { or } a:b"
    assert question.values["options"] == ["{", "}", "~", "="]


def test_a_missing_word_question_keeps_the_gap_in_its_text():
    question = parse_one("Three quarters is {=bigger ~smaller} than one half.")

    assert question.values["question_text"] == "Three quarters is _____ than one half."


def test_questions_are_paragraphs_and_each_notes_the_category_above_it():
    questions = gift.parse(
        "// a comment\n$CATEGORY: $course$/top/Maths/math-fractions\n\n"
        "::a:: One? {=x ~y}\n\n"
        "::b:: Two?\n{\n\n=x ~y}\n\n"  # a blank line inside { } does not end the question
        "$CATEGORY: science\n\n::c:: Three? {=x ~y}\n"
    )

    assert [(q.values["quiz_id"], q.category, q.line) for q in questions] == [
        ("a", "math-fractions", 4),
        ("b", "math-fractions", 6),
        ("c", "science", 13),
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("::q:: Which? {~a ~b}", "no right answer: mark it with ="),
        ("::q:: Which? {=a =b ~c}", "2 right answers: a question has exactly one"),
        ("::q:: Which? {T}", "a true/false question: only multiple-choice questions can be imported"),
        (
            "::q:: Which? {=a}",
            "a short-answer question (no ~wrong answers): only multiple-choice questions can be imported",
        ),
        ("::q:: Which? {#3:1}", "a numerical question: only multiple-choice questions can be imported"),
        ("::q:: Which? {}", "an essay question (no answers): only multiple-choice questions can be imported"),
        ("::q:: Which? {=a -> 1 =b -> 2}", "a matching question: only multiple-choice questions can be imported"),
        ("::q Which? {=a ~b}", "the title is not closed with ::"),
        ("::q:: Which? {=a ~b", "the answers are not closed with }"),
        ("::q:: Which? {=a ~b} and {=c ~d}", "a second set of answers: separate questions with a blank line"),
        (
            "::q:: Just a description.",
            "no answers {…}: a description, not a question; only multiple-choice questions can be imported",
        ),
    ],
)
def test_anything_but_one_multiple_choice_question_is_an_error(text, error):
    question = parse_one(text)

    assert question.errors == [error]
    assert question.values == {}
