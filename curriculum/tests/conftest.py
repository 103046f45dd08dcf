import pytest

from curriculum.tests.factories import ChapterFactory, QuestionFactory


@pytest.fixture
def awkward_bank():
    """Two chapters and four questions with everything a file format can trip over."""
    fractions = ChapterFactory(
        id="math-fractions", name="Fractions, “parts” of a whole", description=None, order=None, is_locked=None
    )
    spanish = ChapterFactory(
        id="lengua-ñ",
        name="Español",
        subject="Lengua",
        description='Line one,\nline "two"',
        is_locked=True,
        unlock_xp_required=150,
    )
    QuestionFactory(
        quiz_id="frac-1",
        chapter=fractions,
        question_text='Which is bigger, "½" or ¾?\nThink, then answer.',
        options=["½", "¾", "both, equally", 'they are "the same"'],
        correct_answer_index=1,
        explanation=None,
        image_url=None,
        difficulty_level=None,
    )
    QuestionFactory(
        quiz_id="frac-2",
        chapter=fractions,
        question_text="  How many 🍎 make a half of 🍎🍎?  \r\nCount them.",
        options=["1", "2"],
        correct_answer_index=0,
        explanation="",
        image_url="https://example.org/apples.png?size=2,3",
        difficulty_level="hard",
    )
    QuestionFactory(
        quiz_id="frac-3",
        chapter=fractions,
        question_text="Pick the = sign; not ~ or # or {}",
        options=["=", "~", "#", "{", "}", "a, b; c"],
        correct_answer_index=5,
        explanation="First line.\n\nSecond paragraph, with a comma.",
        difficulty_level="medium",
    )
    QuestionFactory(
        quiz_id="ñ-1",
        chapter=spanish,
        question_text="¿Cómo se dice «hello»?",
        options=["hola", "adiós"],
        correct_answer_index=0,
        explanation="Saludo.",
        difficulty_level="easy",
    )
