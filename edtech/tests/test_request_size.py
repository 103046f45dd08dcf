"""Request bodies above their limit are refused (413) before they are read; nothing is recorded."""

import pytest
from django.test import Client


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


class UnreadableBody:
    """A body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_with_length(client, path, length):
    return client.generic(
        "POST",
        path,
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


@pytest.mark.django_db
def test_an_anonymous_post_above_a_megabyte_gets_413_unread(client, settings):
    response = post_with_length(client, "/healthz", settings.MAX_REQUEST_BYTES + 1)

    assert response.status_code == 413
    assert "too large" in response.content.decode().lower()
    assert response["Connection"] == "close"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/curriculum/question/import/",
        "/admin/curriculum/question/add/",  # a question's form, with its picture
        "/admin/curriculum/question/7/change/",
        "/admin/curriculum/question/7/as-student/",  # "preview my unsaved edits" posts the same form
    ],
)
def test_the_pages_that_take_files_take_up_to_their_own_limit(client, settings, path):
    within = post_with_length(client, path, settings.MAX_UPLOAD_REQUEST_BYTES - 1)
    above = post_with_length(client, path, settings.MAX_UPLOAD_REQUEST_BYTES + 1)

    assert within.status_code != 413  # it goes on to the admin (a sign-in page for the anonymous)
    assert above.status_code == 413


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/curriculum/chapter/add/", "/admin/curriculum/question/7/delete/"])
def test_other_admin_pages_keep_the_one_megabyte_limit(client, settings, path):
    assert post_with_length(client, path, settings.MAX_REQUEST_BYTES + 1).status_code == 413


@pytest.mark.django_db
def test_a_body_without_a_length_is_refused(client):
    response = client.generic("POST", "/healthz", HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH="")

    assert response.status_code == 411


@pytest.mark.django_db
def test_a_nonsense_length_is_a_bad_request(client):
    response = client.generic("POST", "/healthz", CONTENT_LENGTH="12abc")

    assert response.status_code == 400
