"""Another parent joins a child's family by an e-mail invitation (single use, 7 days, that address only),
and family codes for teenagers' own accounts are made on demand, single use, for 7 days."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts import family
from accounts.models import ParentInvitation, StudentParentLink
from accounts.tests.factories import ChildFactory, ParentFactory, StudentFactory
from accounts.tests.helpers import sign_in


def invitation_link(mailoutbox, to: str) -> str:
    (mail,) = [m for m in mailoutbox if m.to == [to]]
    return re.search(r"http://testserver(/family/invitations/[^/\s]+/)", mail.body)[1]


def test_a_linked_parent_invites_another_who_accepts_once(client, run_tasks, mailoutbox):
    ana = ParentFactory(name="Ana")
    mia = ChildFactory(name="Mia", link__parent=ana)
    ben = ParentFactory(name="Ben", user__email="ben@example.com", email="ben@example.com")
    sign_in(client, ana.user)

    response = client.post(f"/family/children/{mia.pk}/invite/", {"email": "Ben@Example.com"})

    assert response.status_code == 303
    assert ParentInvitation.objects.get().email == "ben@example.com"
    run_tasks()
    link = invitation_link(mailoutbox, "ben@example.com")
    assert "Ana" in mailoutbox[0].subject and "Mia" in mailoutbox[0].subject
    assert ParentInvitation.objects.get().pk not in re.findall(r"\d+", link)  # a signed token, not the bare id

    invitee = sign_in(Client(), ben.user)
    assert "Ana invited you to follow" in invitee.get("/family/").text
    assert "Ana invites you" in invitee.get(link).text
    accepted = invitee.post(link)
    assert (accepted.status_code, accepted["Location"]) == (303, f"/family/children/{mia.pk}/")
    assert set(mia.parents.all()) == {ana, ben}
    # Ben looks after the account too.
    assert invitee.post(f"/family/children/{mia.pk}/name/", {"name": "Mia K"}).status_code == 303

    # Used: it works no more, for anyone.
    again = invitee.post(link)
    assert again.status_code == 410
    assert "no longer works" in again.text
    assert StudentParentLink.objects.filter(student=mia).count() == 2


@pytest.mark.django_db
def test_an_invitation_is_for_the_invited_address_only(client):
    ana = ParentFactory()
    mia = ChildFactory(link__parent=ana)
    invitation = family.invite(student=mia, by=ana, email="ben@example.com", host="testserver", secure=False)
    link = f"/family/invitations/{family.invitation_token(invitation)}/"
    eve = ParentFactory(user__email="eve@example.com", email="eve@example.com")
    sign_in(client, eve.user)

    assert client.get(link).status_code == 403
    response = client.post(link)

    assert response.status_code == 403
    assert "for another e-mail address" in response.text
    assert not mia.parents.filter(pk=eve.pk).exists()
    assert ParentInvitation.objects.get().used_at is None


@pytest.mark.django_db
def test_an_invitation_expires_after_seven_days(client):
    ana = ParentFactory()
    mia = ChildFactory(link__parent=ana)
    ben = ParentFactory(user__email="ben@example.com", email="ben@example.com")
    invitation = family.invite(student=mia, by=ana, email="ben@example.com", host="testserver", secure=False)
    link = f"/family/invitations/{family.invitation_token(invitation)}/"
    sign_in(client, ben.user)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.post(link)

    assert response.status_code == 410
    assert not mia.parents.filter(pk=ben.pk).exists()


@pytest.mark.django_db
def test_a_tampered_invitation_link_is_not_found(client):
    sign_in(client, ParentFactory().user)
    assert client.get("/family/invitations/1:abc:def/").status_code == 404


@pytest.mark.django_db
def test_bad_invitations_get_a_clear_message_and_send_nothing(client):
    ana = ParentFactory()
    mia = ChildFactory(link__parent=ana)
    sign_in(client, ana.user)
    for bad, message in [
        ("not-an-address", "Enter a valid email address"),
        ("x@no-email.learning-quest.invalid", "receives mail"),
    ]:
        response = client.post(f"/family/children/{mia.pk}/invite/", {"email": bad}, follow=True)
        assert message in response.text
    assert not ParentInvitation.objects.exists()


@pytest.mark.django_db
def test_a_parent_sends_at_most_ten_invitations_an_hour(client):
    ana = ParentFactory()
    mia = ChildFactory(link__parent=ana)
    sign_in(client, ana.user)
    for n in range(11):
        client.post(f"/family/children/{mia.pk}/invite/", {"email": f"p{n}@example.com"})
    assert ParentInvitation.objects.count() == 10


@pytest.mark.django_db
def test_a_family_code_is_made_on_demand_and_none_exists_before(client):
    teen = StudentFactory()
    sign_in(client, teen.user)
    assert teen.family_code is None
    assert "Make a family code" in client.get("/profile/").text
    client.post("/profile/family-code/")
    teen.refresh_from_db()
    assert teen.family_code and teen.family_code in client.get("/profile/").text


@pytest.mark.django_db
def test_a_family_code_expires_after_seven_days(client):
    teen = StudentFactory()
    code = family.replace_code(teen)
    sign_in(client, ParentFactory().user)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.post("/family/link/", {"code": code})

    assert response.status_code == 400
    assert "expired" in response.text
    assert not teen.parents.exists()


@pytest.mark.django_db
def test_a_family_code_works_once():
    teen = StudentFactory()
    code = family.replace_code(teen)
    first, second = ParentFactory(), ParentFactory()

    assert family.link_with_code(parent=first, typed=code) == teen
    with pytest.raises(family.WrongCode):
        family.link_with_code(parent=second, typed=code)
    assert list(teen.parents.all()) == [first]


@pytest.mark.django_db
def test_a_child_a_parent_made_has_no_family_code():
    mia = ChildFactory()
    assert not family.may_have_code(mia)
    assert family.may_have_code(StudentFactory())


@pytest.mark.django_db
def test_every_old_permanent_code_was_cleared_by_the_migration():
    """The migration's data step, run again here on a student with a code from before (as every one had)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0008_child_accounts_and_consent")
    teen = StudentFactory(family_code="ABCD-EFGH")
    teen.consent.delete()

    migration.record_existing_consent(apps, None)

    teen.refresh_from_db()
    assert teen.family_code is None
    assert (teen.consent.basis, teen.consent.notice_version, teen.consent.granted_by) == (
        "self",
        "unrecorded",
        teen.user,
    )
