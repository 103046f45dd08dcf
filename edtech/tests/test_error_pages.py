import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("edtech.tests.error_urls")]


@pytest.fixture
def raising_client(client):
    client.raise_request_exception = False
    return client


def test_a_crash_shows_the_apps_500_page_without_internals(raising_client):
    response = raising_client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_a_database_outage_shows_a_friendly_503(raising_client):
    response = raising_client.get("/db-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "right back" in response.content.decode()


def test_unknown_pages_get_the_apps_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
