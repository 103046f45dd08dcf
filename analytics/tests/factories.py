import datetime

import factory

from accounts.tests.factories import StudentFactory
from analytics.models import DailyAnalytics, StudentProgress
from curriculum.tests.factories import ChapterFactory


class StudentProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProgress

    student = factory.SubFactory(StudentFactory)
    chapter = factory.SubFactory(ChapterFactory)
    mastery_score = 50
    questions_completed = 2
    questions_correct = 1


class DailyAnalyticsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyAnalytics

    student = factory.SubFactory(StudentFactory)
    analytics_date = factory.LazyFunction(datetime.date.today)
    questions_answered = 3
    questions_correct = 2
