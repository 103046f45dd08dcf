from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count

from accounts.models import Parent, Student, StudentParentLink, User
from accounts.tests.factories import UserFactory
from curriculum.models import Chapter, Question
from learning.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {
        model.__name__: model.objects.count() for model in (Chapter, Question, User, Student, Parent, StudentParentLink)
    }


def test_it_loads_at_least_two_subjects_and_six_chapters():
    seed_demo()

    assert Chapter.objects.values("subject").distinct().count() >= 2
    assert Chapter.objects.count() >= 6


def test_it_loads_eight_or_more_questions_per_chapter():
    seed_demo()

    counts = Chapter.objects.annotate(n=Count("questions")).values_list("id", "n")
    assert all(n >= 8 for _, n in counts), dict(counts)


def test_every_question_has_options_a_correct_index_in_range_and_an_explanation():
    seed_demo()

    for question in Question.objects.all():
        assert len(question.options) >= 2, question.quiz_id
        assert len(set(question.options)) == len(question.options), question.quiz_id
        assert 0 <= question.correct_answer_index < len(question.options), question.quiz_id
        assert question.explanation.strip(), question.quiz_id
        assert question.difficulty_level in {"easy", "medium", "hard"}, question.quiz_id


def test_every_chapter_mixes_difficulty_levels():
    seed_demo()

    for chapter in Chapter.objects.all():
        levels = set(chapter.questions.values_list("difficulty_level", flat=True))
        assert levels == {"easy", "medium", "hard"}, chapter.id


def test_the_first_chapter_of_each_subject_is_open_and_later_ones_are_locked_behind_xp():
    seed_demo()

    for subject in Chapter.objects.values_list("subject", flat=True).distinct():
        first, *later = Chapter.objects.filter(subject=subject).in_map_order()
        assert first.is_locked is False
        assert later
        for chapter in later:
            assert chapter.is_locked is True
            assert chapter.unlock_xp_required > 0


def test_in_development_the_demo_logins_share_the_public_password(settings):
    settings.DEBUG = True
    seed_demo()

    for email in ("student@example.com", "parent@example.com", "staff@example.com"):
        assert authenticate(username=email, password=DEMO_PASSWORD) == User.objects.get(email=email)


def test_with_debug_off_no_demo_login_has_the_password_in_the_source(settings):
    settings.DEBUG = False

    out = seed_demo()

    assert "DEBUG is off: each new account has a random password, shown once" in out
    passwords = set()
    for email in ("student@example.com", "parent@example.com", "staff@example.com"):
        (line,) = [line for line in out.splitlines() if f" {email} / " in line]
        password = line.rsplit(" / ", 1)[1]
        assert password != DEMO_PASSWORD and len(password) >= 16
        assert authenticate(username=email, password=password) == User.objects.get(email=email)
        assert authenticate(username=email, password=DEMO_PASSWORD) is None
        passwords.add(password)
    assert len(passwords) == 3
    assert DEMO_PASSWORD not in out


def test_the_demo_accounts_have_their_roles():
    seed_demo()

    assert User.objects.get(email="student@example.com").role == "student"
    assert User.objects.get(email="parent@example.com").role == "parent"
    staff = User.objects.get(email="staff@example.com")
    assert (staff.role, staff.is_staff, staff.is_superuser) == ("staff", True, True)


def test_the_demo_student_repeats_its_accounts_email_and_has_a_grade():
    seed_demo()

    student = Student.objects.get(user__email="student@example.com")
    assert student.email == "student@example.com"
    assert 1 <= student.grade_level <= 12


def test_the_demo_student_has_two_weeks_of_history_once_and_every_number_agrees():
    seed_demo()
    student = Student.objects.get(user__email="student@example.com")
    days = set(student.submissions.values_list("answered_on", flat=True))
    answers = student.submissions.count()
    assert 10 <= len(days) <= 14 and answers >= 30
    assert student.total_xp == sum(student.submissions.values_list("xp_earned", flat=True)) > 0

    seed_demo()  # once: a second run adds nothing
    assert student.submissions.count() == answers
    call_command("rebuild_progress", "--check", stdout=StringIO())  # the numbers, days and cards agree


def test_the_demo_parent_follows_the_demo_student_and_made_a_child_without_an_e_mail():
    seed_demo()

    parent = Parent.objects.get(email="parent@example.com")
    assert list(parent.children.order_by("name").values_list("name", "consent__basis")) == [
        ("Leo", "parent"),
        ("Maya Lopez", "self"),
    ]
    leo = parent.children.get(name="Leo")
    assert leo.user.username == "leo.demo" and not leo.user.has_email


def test_the_demo_child_signs_in_with_the_username(settings):
    settings.DEBUG = True
    out = seed_demo()
    assert f"leo.demo (username, no e-mail; made by the parent) / {DEMO_PASSWORD}" in out
    assert authenticate(username="Leo.Demo", password=DEMO_PASSWORD) is not None


def test_it_prints_the_demo_logins(settings):
    settings.DEBUG = True
    out = seed_demo()

    for email in ("student@example.com", "parent@example.com", "staff@example.com"):
        assert f"{email} / {DEMO_PASSWORD}" in out


def test_running_it_twice_changes_nothing():
    seed_demo()
    counts = row_counts()
    questions = list(Question.objects.order_by("id").values())
    chapters = list(Chapter.objects.order_by("id").values())

    out = seed_demo()

    assert row_counts() == counts
    assert list(Question.objects.order_by("id").values()) == questions
    assert list(Chapter.objects.order_by("id").values()) == chapters
    assert f"questions: 0 created, 0 updated, 0 unchanged, {counts['Question']} kept as they are" in out
    assert "accounts: 0 created" in out


def test_a_second_run_keeps_what_staff_changed_unless_forced():
    seed_demo()
    Question.objects.filter(quiz_id="math-fractions-01").update(explanation="Staff's better words.")

    seed_demo()
    assert Question.objects.get(quiz_id="math-fractions-01").explanation == "Staff's better words."

    out = seed_demo("--force")
    assert Question.objects.get(quiz_id="math-fractions-01").explanation != "Staff's better words."
    assert "questions: 0 created, 1 updated" in out


def test_it_leaves_an_existing_accounts_password_alone():
    UserFactory(email="parent@example.com", password="a-password-of-their-own")

    out = seed_demo()

    assert authenticate(username="parent@example.com", password="a-password-of-their-own") is not None
    assert authenticate(username="parent@example.com", password=DEMO_PASSWORD) is None
    assert "parent@example.com / (an existing account: its password was not changed)" in out
    assert Parent.objects.get(email="parent@example.com").children.count() == 2  # Maya, and Leo the parent made


def test_a_dry_run_writes_nothing():
    out = seed_demo("--dry-run")

    assert Chapter.objects.count() == 0
    assert User.objects.count() == 0
    assert "Would have: chapters: " in out
