import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from classes import rosters
from classes.models import Assignment, ClassTeacher, Enrollment, SchoolClass, Teacher


class TeacherFactory(factory.django.DjangoModelFactory):
    """An approved teacher (approved=False for one waiting)."""

    class Meta:
        model = Teacher

    class Params:
        approved = True

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Teacher{n} Smith")
    school = "Hill School"
    approved_at = factory.Maybe("approved", yes_declaration=factory.LazyFunction(timezone.now), no_declaration=None)


class SchoolClassFactory(factory.django.DjangoModelFactory):
    """A class taught by `teacher` (a new approved teacher by default)."""

    class Meta:
        model = SchoolClass
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n}")
    time_zone = "UTC"

    @factory.post_generation
    def teacher(school_class, create, extracted, **kwargs):
        if create:
            ClassTeacher.objects.create(school_class=school_class, teacher=extracted or TeacherFactory())
            rosters.rotate_code(school_class)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment over `chapters` (a list), set now, due `due_on`."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Homework {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))

    @factory.post_generation
    def chapters(assignment, create, extracted, **kwargs):
        if create and extracted:
            assignment.chapters.set(extracted)
