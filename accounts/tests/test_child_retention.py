"""Retention enforced by the daily purge: children's requests after 7 days, invitations after 7 days, and
child accounts unused for CHILD_ACCOUNT_RETENTION_DAYS, erased 30 days after their parents are warned."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts import family
from accounts.models import ParentInvitation, ParentRequest, Student, User
from accounts.retention import purge_expired
from accounts.tests.factories import ChildFactory, ParentFactory, StudentFactory, StudentParentLinkFactory
from curriculum.models import QuizSubmission
from curriculum.tests.factories import QuestionFactory
from learning.tests.helpers import answer

DAY = datetime.timedelta(days=1)


def make_old(student: Student, days: int) -> None:
    """The account was made `days` ago and not used since."""
    then = timezone.now() - days * DAY
    User.objects.filter(public_id=student.user_id).update(date_joined=then, last_login=None)


def test_an_unused_child_account_is_warned_then_erased_30_days_later(run_tasks, mailoutbox):
    ana, ben = ParentFactory(name="Ana"), ParentFactory(name="Ben")
    mia = ChildFactory(name="Mia", link__parent=ana)
    StudentParentLinkFactory(student=mia, parent=ben)
    answer(mia, QuestionFactory())
    Student.objects.filter(pk=mia.pk).update(last_active_on=None)
    make_old(mia, 701)

    counts = purge_expired()

    assert counts["inactive child accounts warned"] == 1
    assert counts["inactive child accounts erased"] == 0
    run_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ana.email, ben.email])
    assert "Mia" in mailoutbox[0].subject and "will be erased" in mailoutbox[0].subject
    assert "mia" in mailoutbox[0].body.lower() and "sign in" in mailoutbox[0].body
    assert purge_expired()["inactive child accounts warned"] == 0  # warned once

    with time_machine.travel(timezone.now() + 29 * DAY):
        assert purge_expired()["inactive child accounts erased"] == 0
    with time_machine.travel(timezone.now() + 30 * DAY + datetime.timedelta(minutes=1)):
        assert purge_expired()["inactive child accounts erased"] == 1

    assert not Student.objects.filter(pk=mia.pk).exists()
    assert not User.objects.filter(public_id=mia.user_id).exists()
    assert not QuizSubmission.objects.filter(student_id=mia.pk).exists()
    assert ParentFactory._meta.model.objects.count() == 2  # the parents stay


@pytest.mark.django_db
def test_signing_in_after_the_warning_keeps_the_account():
    mia = ChildFactory(link__parent=ParentFactory())
    make_old(mia, 701)
    purge_expired()
    User.objects.filter(public_id=mia.user_id).update(last_login=timezone.now() + DAY)

    with time_machine.travel(timezone.now() + 31 * DAY):
        counts = purge_expired()

    assert counts["inactive child accounts erased"] == 0
    assert Student.objects.filter(pk=mia.pk).exists()


@pytest.mark.django_db
def test_answering_counts_as_use(settings):
    mia = ChildFactory(link__parent=ParentFactory())
    make_old(mia, 800)
    Student.objects.filter(pk=mia.pk).update(last_active_on=timezone.localdate() - 10 * DAY)
    assert purge_expired(dry_run=True)["inactive child accounts warned"] == 0


@pytest.mark.django_db
def test_the_retention_is_a_setting_and_a_teenagers_own_account_is_not_expired(settings):
    settings.CHILD_ACCOUNT_RETENTION_DAYS = 365
    mia = ChildFactory(link__parent=ParentFactory())
    teen = StudentFactory()
    make_old(mia, 340)
    make_old(teen, 5000)
    assert purge_expired()["inactive child accounts warned"] == 1
    with time_machine.travel(timezone.now() + 31 * DAY):
        purge_expired()
    assert not Student.objects.filter(pk=mia.pk).exists()
    assert Student.objects.filter(pk=teen.pk).exists()


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing():
    mia = ChildFactory(link__parent=ParentFactory())
    make_old(mia, 701)
    assert purge_expired(dry_run=True)["inactive child accounts warned"] == 1
    assert Student.objects.get(pk=mia.pk).retention_warned_at is None


@pytest.mark.django_db
def test_requests_and_invitations_are_deleted_after_seven_days():
    old = timezone.now() - 7 * DAY - datetime.timedelta(minutes=1)
    ParentRequest.objects.create(child_name="Old", parent_email="a@example.com", created_at=old)
    fresh = ParentRequest.objects.create(child_name="New", parent_email="a@example.com")
    ana = ParentFactory()
    mia = ChildFactory(link__parent=ana)
    stale = family.invite(student=mia, by=ana, email="b@example.com", host="testserver", secure=False)
    ParentInvitation.objects.filter(pk=stale.pk).update(created_at=old)
    live = family.invite(student=mia, by=ana, email="c@example.com", host="testserver", secure=False)

    counts = purge_expired()

    assert counts["unanswered parent requests"] == 1
    assert counts["old invitations"] == 1
    assert list(ParentRequest.objects.all()) == [fresh]
    assert list(ParentInvitation.objects.all()) == [live]
