import factory

from accounts.tests.factories import StudentFactory
from curriculum.models import Chapter, Question, QuizSubmission


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    id = factory.Sequence(lambda n: f"ch{n}")
    name = factory.Sequence(lambda n: f"Chapter {n}")
    description = "Practice makes progress."
    subject = "Math"
    order = factory.Sequence(lambda n: n)
    is_locked = False
    unlock_xp_required = 0


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz_id = factory.Sequence(lambda n: f"q{n}")
    chapter = factory.SubFactory(ChapterFactory)
    question_text = factory.Sequence(lambda n: f"What is {n} + 1?")
    options = factory.LazyAttribute(lambda o: ["1", "2", "3", "4"])
    correct_answer_index = 2
    explanation = "Count on by one."
    difficulty_level = "easy"


class QuizSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizSubmission

    student = factory.SubFactory(StudentFactory)
    question = factory.SubFactory(QuestionFactory)
    selected_answer_index = 2
    is_correct = True
    xp_earned = 0
    time_taken_seconds = 12
