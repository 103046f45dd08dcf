import datetime
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.models import FamilyCodeAttempt, ThrottleHit
from accounts.tests.factories import ParentFactory

pytestmark = pytest.mark.django_db


def test_it_deletes_only_records_past_their_windows():
    now = timezone.now()
    parent = ParentFactory()
    FamilyCodeAttempt.objects.create(parent=parent, attempted_at=now - datetime.timedelta(hours=2))
    fresh_attempt = FamilyCodeAttempt.objects.create(parent=parent, attempted_at=now)
    ThrottleHit.objects.create(scope="login", key="a" * 64, at=now - datetime.timedelta(days=1))
    ThrottleHit.objects.hit("login", "someone@example.com", "127.0.0.1")
    old_session = SessionStore()
    old_session.set_expiry(-10)
    old_session.create()
    live_session = SessionStore()
    live_session.create()

    call_command("purge_expired", stdout=StringIO())

    assert list(FamilyCodeAttempt.objects.all()) == [fresh_attempt]
    assert ThrottleHit.objects.count() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live_session.session_key]


def test_a_dry_run_deletes_nothing():
    FamilyCodeAttempt.objects.create(parent=ParentFactory(), attempted_at=timezone.now() - datetime.timedelta(hours=2))
    out = StringIO()
    call_command("purge_expired", dry_run=True, stdout=out)
    assert "wrong family codes: 1 to delete" in out.getvalue()
    assert FamilyCodeAttempt.objects.count() == 1
