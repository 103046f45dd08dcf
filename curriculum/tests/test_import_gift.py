"""Importing Moodle GIFT banks: chapters, updates, and the questions refused."""

import hashlib

import pytest

from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory
from curriculum.tests.transfer_helpers import (
    import_questions,
    question_rows,
    rejected_import,
    write,
)

pytestmark = pytest.mark.django_db


# --- GIFT ------------------------------------------------------------------------------------

GIFT_BANK = r"""
// Fractions, exported from Moodle 4.3 and tidied by hand.
// question: 101  name: frac-half
$CATEGORY: $course$/top/Maths/math-fractions

::frac-half:: What is 1/2 + 1/4? {
  =3/4 # Right: 1/2 is 2/4, and 2/4 + 1/4 \= 3/4.
  ~2/6 # You added the tops and the bottoms.
  ~1/8 # That is 1/2 × 1/4.
  ####Make the bottoms the same first: 1/2 \= 2/4.
}

::Ratio\: basics::[html]Which ratio equals 2\:4? {
  ~2\:3
  =1\:2 #Divide both by 2.
  ~4\:2
}

// No title: the id is made from the text.
Which sign starts the answers in GIFT? {
  =\{
  ~\}
  ~\~ #That marks a wrong answer.
  ~\#
}

::frac-gap:: Three quarters is {=bigger ~smaller ~the same} than one half.
"""


def gift_id(text: str) -> str:
    return "gift-" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def test_it_imports_a_gift_bank(tmp_path):
    ChapterFactory(id="math-fractions")
    path = write(tmp_path, "fractions.gift", GIFT_BANK)

    output = import_questions(path)

    generated = gift_id("Which sign starts the answers in GIFT?")
    assert question_rows() == sorted(
        [
            {
                "quiz_id": "frac-half",
                "chapter_id": "math-fractions",
                "question_text": "What is 1/2 + 1/4?",
                "options": ["3/4", "2/6", "1/8"],
                "correct_answer_index": 0,
                "explanation": "Make the bottoms the same first: 1/2 = 2/4.",
                "image_url": None,
                "difficulty_level": None,
                "is_retired": False,
                # Each answer's own feedback (# …) is the option's feedback.
                "option_feedback": [
                    "Right: 1/2 is 2/4, and 2/4 + 1/4 = 3/4.",
                    "You added the tops and the bottoms.",
                    "That is 1/2 × 1/4.",
                ],
            },
            {
                "quiz_id": "ratio-basics",  # the title as a slug
                "chapter_id": "math-fractions",
                "question_text": "Which ratio equals 2:4?",
                "options": ["2:3", "1:2", "4:2"],
                "correct_answer_index": 1,
                "explanation": None,
                "image_url": None,
                "difficulty_level": None,
                "is_retired": False,
                "option_feedback": [None, "Divide both by 2.", None],
            },
            {
                "quiz_id": generated,
                "chapter_id": "math-fractions",
                "question_text": "Which sign starts the answers in GIFT?",
                "options": ["{", "}", "~", "#"],
                "correct_answer_index": 0,
                "explanation": None,
                "image_url": None,
                "difficulty_level": None,
                "is_retired": False,
                "option_feedback": [None, None, "That marks a wrong answer.", None],
            },
            {
                "quiz_id": "frac-gap",
                "chapter_id": "math-fractions",
                "question_text": "Three quarters is _____ than one half.",
                "options": ["bigger", "smaller", "the same"],
                "correct_answer_index": 0,
                "explanation": None,
                "image_url": None,
                "difficulty_level": None,
                "is_retired": False,
                "option_feedback": None,
            },
        ],
        key=lambda row: row["quiz_id"],
    )
    assert output.splitlines()[:4] == [
        "line 5: created frac-half",
        "line 12: created ratio-basics",
        f"line 19: created {generated}",
        "line 26: created frac-gap",
    ]


def test_a_second_gift_import_updates_the_same_questions(tmp_path):
    ChapterFactory(id="math-fractions")
    path = write(tmp_path, "fractions.gift", GIFT_BANK)
    import_questions(path)

    output = import_questions(path)

    assert Question.objects.count() == 4
    assert "Questions: 0 created, 0 updated, 4 unchanged, 0 rejected." in output


def test_gift_questions_go_to_the_given_chapter_unless_their_category_names_one(tmp_path):
    ChapterFactory(id="math-fractions")
    ChapterFactory(id="inbox")
    path = write(
        tmp_path,
        "bank.txt",
        """
        ::q1:: Before any category? {=yes ~no}

        $CATEGORY: $course$/top/Default for Maths
        ::q2:: In a category that is no chapter? {=yes ~no}

        $CATEGORY: math-fractions

        ::q3:: In a category that is a chapter? {=yes ~no}
        """,
    )

    import_questions(path, "--chapter", "inbox")

    assert dict(Question.objects.values_list("quiz_id", "chapter_id")) == {
        "q1": "inbox",
        "q2": "inbox",
        "q3": "math-fractions",
    }


def test_gift_questions_need_a_chapter(tmp_path):
    path = write(tmp_path, "bank.gift", "::q1:: Where do I go? {=here ~there}\n")

    assert rejected_import(path) == [
        "line 1: no chapter: choose one (--chapter), or name an existing chapter in a $CATEGORY line"
    ]


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ("{T}", "a true/false question"),
        ("{FALSE#No, it is a star.#Yes.}", "a true/false question"),
        ("{=star =a star}", "a short-answer question (no ~wrong answers)"),
        ("{#1:0}", "a numerical question"),
        ("{}", "an essay question (no answers)"),
        ("{=sun -> star =moon -> satellite}", "a matching question"),
    ],
)
def test_it_rejects_gift_questions_that_are_not_multiple_choice(tmp_path, answers, kind):
    ChapterFactory(id="space")
    path = write(
        tmp_path,
        "space.gift",
        f"""
        // Space
        ::mc:: Which is a planet? {{=Mars ~the Sun ~the Moon}}

        // not multiple choice:
        ::other:: The Sun is a star. {answers}
        """,
    )

    assert rejected_import(path, "--chapter", "space") == [
        f"line 5: {kind}: only multiple-choice questions can be imported"
    ]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("::q:: Which? {~a ~b}", "no right answer: mark it with ="),
        ("::q:: Which? {=a =b ~c}", "2 right answers: a question has exactly one"),
        ("::q:: Which? {=a ~%50%b ~c}", "partial credit (%50%) is not supported: mark the one right answer with ="),
        ("::q:: Which? {=a ~b", "the answers are not closed with }"),
        ("::q:: Just a description.", "no answers {…}: a description, not a question; only multiple-choice"),
        ("::q:: One? {=a ~b}\n::r:: Two? {=c ~d}", "a second set of answers: separate questions with a blank line"),
    ],
)
def test_it_rejects_malformed_gift_questions(tmp_path, question, reason):
    ChapterFactory(id="ch")
    path = write(tmp_path, "bank.gift", question + "\n")

    (rejection,) = rejected_import(path, "--chapter", "ch")
    assert rejection.startswith(f"line 1: {reason}")
