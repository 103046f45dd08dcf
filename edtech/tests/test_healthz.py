import pytest


@pytest.mark.django_db
def test_it_reports_database_and_cache_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "static": "ok"}


def manifest_storage(settings, static_root):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


@pytest.mark.django_db
def test_it_reports_an_error_when_the_static_files_were_not_collected(client, settings, tmp_path):
    manifest_storage(settings, tmp_path)  # an empty STATIC_ROOT: collectstatic never ran

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "ok", "static": "error"}


@pytest.mark.django_db
def test_it_is_ok_once_the_manifest_names_the_stylesheet(client, settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"css/app.css": "css/app.0123456789ab.css"}, "version": "1.1"}'
    )
    manifest_storage(settings, tmp_path)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["static"] == "ok"
