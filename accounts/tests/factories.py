import factory

from accounts.inventory import NOTICE_VERSION
from accounts.models import Consent, Parent, Student, StudentParentLink, User, new_public_id
from jobs.mail import reserved_email

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    basis = Consent.Basis.SELF
    granted_by = factory.SelfAttribute("student.user")
    notice_version = NOTICE_VERSION


class StudentFactory(factory.django.DjangoModelFactory):
    """A student's own account (a teenager's, with an e-mail): their consent is their own."""

    class Meta:
        model = Student
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    name = factory.Sequence(lambda n: f"Kid{n} Tester")
    grade_level = 5
    consent = factory.RelatedFactory(ConsentFactory, factory_related_name="student")


class ChildUserFactory(UserFactory):
    """The login of a child without an e-mail: a username, and the reserved address."""

    username = factory.Sequence(lambda n: f"child{n}")
    email = factory.LazyAttribute(lambda user: reserved_email(user.public_id))
    public_id = factory.LazyFunction(new_public_id)


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


class ChildFactory(StudentFactory):
    """A child's account a parent made (no e-mail), linked to that parent (link__parent=…), with their consent."""

    user = factory.SubFactory(ChildUserFactory)
    on_leaderboard = False
    consent = factory.RelatedFactory(
        ConsentFactory, factory_related_name="student", basis=Consent.Basis.PARENT, granted_by=None
    )
    link = factory.RelatedFactory(StudentParentLinkFactory, factory_related_name="student")

    @factory.post_generation
    def granted_by_the_parent(student, create, extracted, **kwargs):
        parent = student.parents.first() if create else None
        if parent is not None:
            Consent.objects.filter(student=student).update(granted_by=parent.user)
