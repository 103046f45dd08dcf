"""Page parts many requests read at once (cache.get_or_render(shared=True)): rendered by one request while the
others wait for it, rendered in the request when the one rendering is gone or Redis is down."""

import copy
import threading
import time

from django.conf import settings
from django.test import override_settings

from edtech import cache, redis_breaker
from edtech.tests.concurrency import at_once

ENTRY = cache.class_grid_entry(1)


class Renderer:
    """A part that takes a while to render, and how often it was rendered."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.runs = 0
        self.lock = threading.Lock()

    def __call__(self) -> str:
        with self.lock:
            self.runs += 1
            run = self.runs
        time.sleep(self.seconds)
        return f"<p>render {run}</p>"


def test_many_requests_for_a_stale_shared_part_render_it_once_and_all_get_it():
    render = Renderer(seconds=0.3)
    cache.get_or_render(ENTRY, depends=["10:01"], render=render, shared=True)
    results = at_once(8, lambda: cache.get_or_render(ENTRY, depends=["10:02"], render=render, shared=True))
    assert render.runs == 2  # the first, and one for the new minute
    assert set(results) == {"<p>render 2</p>"}
    assert cache.get_or_render(ENTRY, depends=["10:02"], render=render, shared=True) == "<p>render 2</p>"


def test_a_part_that_is_not_shared_is_rendered_by_each_request_that_finds_it_stale():
    render = Renderer(seconds=0.3)
    at_once(4, lambda: cache.get_or_render(ENTRY, depends=["10:02"], render=render))
    assert render.runs == 4


def test_a_shared_part_whose_renderer_died_is_rendered_by_the_next_request_after_the_wait(monkeypatch):
    monkeypatch.setattr(cache, "RENDER_WAIT_SECONDS", 0.3)
    lock = cache.render_lock_key(ENTRY, cache.depends_digest(["10:02"]))
    assert cache.cache.add(lock, "1", 60)  # a process took the lock and died
    render = Renderer()
    started = time.monotonic()
    assert cache.get_or_render(ENTRY, depends=["10:02"], render=render, shared=True) == "<p>render 1</p>"
    assert time.monotonic() - started >= 0.3 and render.runs == 1
    assert cache.get_or_render(ENTRY, depends=["10:02"], render=render, shared=True) == "<p>render 1</p>"  # kept


def test_with_redis_down_a_shared_part_is_rendered_in_the_request(monkeypatch):
    # The failures trip the process's circuit breaker (edtech.redis_breaker): closed again after the test.
    monkeypatch.setattr(redis_breaker, "_open_until", 0.0)
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = "redis://127.0.0.1:1/0"  # nothing listens there
    render = Renderer()
    with override_settings(CACHES=caches):
        started = time.monotonic()
        assert cache.get_or_render(ENTRY, depends=["10:02"], render=render, shared=True) == "<p>render 1</p>"
        assert cache.get_or_render(ENTRY, depends=["10:02"], render=render, shared=True) == "<p>render 2</p>"
        assert time.monotonic() - started < cache.RENDER_WAIT_SECONDS  # no waiting for a lock nobody holds
    monkeypatch.undo()
    assert not redis_breaker.is_open()
