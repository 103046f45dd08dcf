"""A page shown to a signed-in person is never stored by a browser or a proxy: Cache-Control: no-store."""

import pytest

from accounts.tests.factories import ParentFactory, StudentParentLinkFactory
from accounts.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["/profile/", "/dashboard/", "/learn/", "/leaderboard/", "/accounts/password_change/"])
def test_a_students_pages_say_no_store(student_client, page):
    response = student_client.get(page)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_parents_family_and_child_pages_say_no_store(client):
    link = StudentParentLinkFactory(parent=ParentFactory())
    sign_in(client, link.parent.user)

    for page in ("/family/", f"/family/children/{link.student_id}/", "/family/link/"):
        assert "no-store" in client.get(page)["Cache-Control"], page


def test_the_admin_says_no_store(staff_client):
    assert "no-store" in staff_client.get("/admin/accounts/student/")["Cache-Control"]


def test_the_landing_page_for_anonymous_visitors_is_not_marked_private(client):
    assert "Cache-Control" not in client.get("/")
