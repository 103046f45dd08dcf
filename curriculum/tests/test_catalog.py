"""The cached catalog: each process keeps the chapters it decoded last under their version, and never serves
them once the version in the cache is another (an edit, or another process's recount)."""

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum import catalog
from curriculum.models import Chapter
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech import cache

pytestmark = pytest.mark.django_db


def names() -> list[str]:
    return [chapter["name"] for chapter in catalog.chapters()]


def test_a_warm_catalog_is_read_without_a_query_and_cannot_be_changed_by_a_reader():
    QuestionFactory(chapter=ChapterFactory(id="fractions", name="Fractions"))
    first = catalog.chapters()
    with CaptureQueriesContext(connection) as queries:
        again = catalog.chapters()
    assert len(queries) == 0
    assert again is first  # the process's decoded copy
    assert first[0]["question_count"] == 1
    with pytest.raises(TypeError):
        first[0]["name"] = "Changed by a view"  # type: ignore[index]


def test_an_edit_is_seen_at_once_after_it_commits(django_capture_on_commit_callbacks):
    chapter = ChapterFactory(id="fractions", name="Fractions")
    assert names() == ["Fractions"]
    with django_capture_on_commit_callbacks(execute=True):
        chapter.name = "Fractions and decimals"
        chapter.save()
    assert names() == ["Fractions and decimals"]


def test_a_catalog_another_process_cached_replaces_this_process_copy():
    ChapterFactory(id="fractions", name="Fractions")
    assert names() == ["Fractions"]
    old_version = catalog.version()
    # Another worker recounted after an edit this process did not see (its own copy is the old one).
    Chapter.objects.filter(pk="fractions").update(name="Decimals")
    cache.set(
        cache.chapters_entry(),
        {"version": "0123456789abcdef", "chapters": [{**catalog.chapters()[0], "name": "Decimals"}]},
    )
    cache.set(cache.chapters_version_entry(), "0123456789abcdef")
    assert names() == ["Decimals"]
    assert catalog.version() == "0123456789abcdef" != old_version


def test_when_the_cache_lost_the_catalog_it_is_counted_again_not_served_from_the_process_copy():
    ChapterFactory(id="fractions", name="Fractions")
    assert names() == ["Fractions"]
    Chapter.objects.filter(pk="fractions").update(name="Decimals")
    django_cache.clear()  # Redis restarted empty
    assert names() == ["Decimals"]
