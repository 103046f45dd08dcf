import factory

from accounts.models import Parent, Student, StudentParentLink, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    name = factory.Sequence(lambda n: f"Kid{n} Tester")
    grade_level = 5


class ParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parent

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    name = factory.Sequence(lambda n: f"Grownup{n} Tester")


class StudentParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentParentLink

    student = factory.SubFactory(StudentFactory)
    parent = factory.SubFactory(ParentFactory)
