"""The leaderboard's own rank from the ranking in Redis (accounts.ranks): the same place the database count
gives, for every student, following every write that changes it, rebuilt when Redis has lost it, and
counted in the database when Redis cannot be reached."""

import contextlib
import random

import pytest
from django.conf import settings as django_settings
from django_redis import get_redis_connection

from accounts import data_rights, ranks
from accounts.models import Student
from accounts.tasks import rebuild_ranks
from accounts.tests.factories import ChildFactory, ParentFactory, StudentFactory
from accounts.tests.helpers import sign_in
from curriculum.tests.factories import QuestionFactory
from edtech import cache, redis_breaker
from edtech.tests.servers import free_port
from jobs import scheduler
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db


def with_xp(total_xp: int, *, on_leaderboard: bool = True, **fields) -> Student:
    student = StudentFactory(**fields)
    Student.objects.filter(pk=student.pk).update(total_xp=total_xp, on_leaderboard=on_leaderboard)
    student.refresh_from_db()
    return student


@pytest.fixture
def board():
    """Ties (the earlier account first; ids of 7 and 8 digits, so that an unpadded member would sort them
    wrongly), students off the board, and students without XP; by name, in the order of the board."""
    students = {
        "30, later": with_xp(30, id=10_000_000),
        "30, earlier": with_xp(30, id=9_999_999),
        "first": with_xp(70),
        "off, most XP": with_xp(90, on_leaderboard=False),
        "10, earlier": with_xp(10),
        "10, later": with_xp(10),
        "off, tied": with_xp(30, on_leaderboard=False),
        "no XP": with_xp(0),
        "last": with_xp(5),
    }
    return students


# The places the board fixture's students have, as the count in the database gives them.
PLACES = {
    "first": 1,
    "30, earlier": 2,
    "30, later": 3,
    "10, earlier": 4,
    "10, later": 5,
    "last": 6,
    "off, most XP": None,
    "off, tied": None,
    "no XP": None,
}


def redis():
    return get_redis_connection("default")


def fresh(student: Student) -> Student:
    return Student.objects.get(pk=student.pk)


@contextlib.contextmanager
def redis_unreachable(settings, monkeypatch):
    """The cache points at a closed port for the duration; then back at the real Redis, with the circuit
    breaker (edtech.redis_breaker, tripped by the failures) closed again."""
    real = settings.CACHES
    # Recorded now, while closed, so that monkeypatch leaves the breaker closed after the test as well.
    monkeypatch.setattr(redis_breaker, "_open_until", 0.0)
    settings.CACHES = {"default": {**real["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    try:
        yield
    finally:
        settings.CACHES = real
        monkeypatch.setattr(redis_breaker, "_open_until", 0.0)
    assert not redis_breaker.is_open()


def test_the_ranking_places_every_student_as_the_database_count_does(board, django_assert_num_queries):
    counted = {name: student.counted_rank() for name, student in board.items()}
    assert counted == PLACES

    ranked = {name: student.rank() for name, student in board.items()}  # the first builds the ranking

    assert ranked == PLACES
    assert redis().exists(cache.ranks_key())
    with django_assert_num_queries(0):  # from Redis, not counted
        assert board["10, later"].rank() == 5


def test_places_follow_top_by_xp_for_many_students_with_ties():
    rng = random.Random(5)
    students = [with_xp(rng.choice([0, 5, 10, 10, 20, 40]), on_leaderboard=rng.random() < 0.8) for _ in range(60)]

    top = list(Student.objects.top_by_xp(100))

    assert [student.rank() for student in top] == list(range(1, len(top) + 1))
    assert {student.pk: student.rank() for student in students} == {
        student.pk: student.counted_rank() for student in students
    }


def test_an_empty_board_is_built_once(django_assert_num_queries):
    newcomer = StudentFactory()
    with django_assert_num_queries(1):  # the rebuild's query: nobody on the board
        assert newcomer.rank() is None
    with django_assert_num_queries(0):
        assert newcomer.rank() is None


def test_an_answer_moves_the_others_once_it_commits(board, django_capture_on_commit_callbacks):
    assert board["first"].rank() == 1
    climber = board["last"]

    with django_capture_on_commit_callbacks() as callbacks:
        answer(climber, QuestionFactory(difficulty_level="hard"))
        answer(climber, QuestionFactory(difficulty_level="hard"))
        answer(climber, QuestionFactory(difficulty_level="hard"))
    assert fresh(climber).total_xp == 95
    assert board["first"].rank() == 1  # not before the commit

    for callback in callbacks:
        callback()

    assert board["first"].rank() == 2
    assert board["30, earlier"].rank() == 3
    assert fresh(climber).rank() == 1


def test_a_first_answer_puts_a_new_student_on_the_board(board, django_capture_on_commit_callbacks):
    assert board["last"].rank() == 6
    newcomer = StudentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        answer(newcomer, QuestionFactory())  # 10 XP: tied with two earlier accounts

    assert board["last"].rank() == 7
    assert board["10, later"].rank() == 5
    assert fresh(newcomer).rank() == 6


def test_a_stale_student_object_never_writes_its_old_xp(board, django_capture_on_commit_callbacks):
    stale = fresh(board["last"])
    assert board["30, later"].rank() == 3
    with django_capture_on_commit_callbacks(execute=True):
        answer(board["last"], QuestionFactory(difficulty_level="hard"))  # 35 XP, committed and put
    assert board["30, later"].rank() == 4

    assert stale.rank() == 2  # its 5 XP differ from the ranking's entry: the row's 35 XP are what count

    assert board["30, later"].rank() == 4


def test_the_parents_switch_puts_the_child_on_and_off_the_board(client, django_capture_on_commit_callbacks):
    parent = ParentFactory()
    mia = ChildFactory(link__parent=parent)
    viewer = with_xp(20)
    sign_in(client, parent.user)
    with django_capture_on_commit_callbacks(execute=True):
        answer(mia, QuestionFactory(difficulty_level="hard"))
    assert viewer.rank() == 1  # Mia is off the board: a parent-made account starts off it

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/family/children/{mia.pk}/leaderboard/", {"on_leaderboard": "on"})
    assert response.status_code == 303
    assert viewer.rank() == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/family/children/{mia.pk}/leaderboard/", {})
    assert viewer.rank() == 1


def test_an_erased_student_leaves_the_board(board, django_capture_on_commit_callbacks):
    assert board["10, later"].rank() == 5

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.erase_student(board["first"])

    assert board["10, later"].rank() == 4
    assert board["30, earlier"].rank() == 1


def test_a_lost_ranking_is_rebuilt_from_the_database(board, django_assert_num_queries):
    assert board["last"].rank() == 6
    redis().delete(cache.ranks_key())  # Redis restarted, flushed, or evicted the set

    with django_assert_num_queries(1):  # the rebuild's one streaming query; then the place from Redis
        assert board["10, earlier"].rank() == 4

    assert {name: student.rank() for name, student in board.items()} == PLACES
    assert redis().ttl(cache.ranks_key()) > cache.TTL["leaderboard"] - 60


def test_a_write_never_starts_a_lost_ranking_again(board, django_capture_on_commit_callbacks):
    assert board["last"].rank() == 6
    redis().delete(cache.ranks_key())

    with django_capture_on_commit_callbacks(execute=True):
        answer(board["last"], QuestionFactory())

    assert not redis().exists(cache.ranks_key())  # a set of one student would give them the first place
    assert board["10, later"].rank() == 6  # rebuilt: "last" has 15 XP now


def test_while_another_process_rebuilds_the_rank_is_counted(board, django_assert_num_queries):
    redis().set(cache.ranks_lock_key(), "another process", ex=60)

    with django_assert_num_queries(1):  # the count
        assert board["10, earlier"].rank() == 4

    assert not redis().exists(cache.ranks_key())
    assert ranks.rebuild() is False


def test_with_redis_unreachable_the_rank_is_counted_and_writes_do_not_fail(
    board, settings, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with redis_unreachable(settings, monkeypatch):
        assert django_settings.CACHES["default"]["LOCATION"] != settings.REDIS_URL
        with django_assert_num_queries(1):  # the count
            assert board["10, earlier"].rank() == 4
        with django_capture_on_commit_callbacks(execute=True):
            answer(board["last"], QuestionFactory())
        assert fresh(board["last"]).rank() == 4  # 15 XP: ahead of the two with 10
    assert not redis().exists(cache.ranks_key())  # nothing was written to the real Redis meanwhile


def test_a_write_lost_while_redis_was_down_is_put_right_by_the_students_next_rank(
    board, settings, monkeypatch, django_capture_on_commit_callbacks
):
    assert board["first"].rank() == 1
    climber = board["last"]
    with redis_unreachable(settings, monkeypatch), django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            answer(climber, QuestionFactory(difficulty_level="hard"))
    assert board["first"].rank() == 1  # the lost write: the ranking still has 5 XP for the climber

    assert fresh(climber).rank() == 1  # their own entry differs from their row: put right

    assert board["first"].rank() == 2


def test_the_hourly_rebuild_puts_right_what_lost_writes_left_behind(board):
    assert board["first"].rank() == 1
    climber = board["last"]
    # Writes whose put never reached Redis (inside the test's transaction, nothing commits): an erasure,
    # and an answer's XP.
    data_rights.erase_student(board["first"])
    answer(climber, QuestionFactory())
    assert board["30, earlier"].rank() == 2
    assert redis().zscore(cache.ranks_key(), ranks.member(climber.pk)) == -5

    assert rebuild_ranks.call() is True

    assert board["30, earlier"].rank() == 1
    assert redis().zscore(cache.ranks_key(), ranks.member(climber.pk)) == -15
    assert {name: student.rank() for name, student in board.items() if name != "first"} == {
        name: fresh(student).counted_rank() for name, student in board.items() if name != "first"
    }


def test_the_rebuild_runs_every_hour():
    jobs = {(job.task, job.every) for job in scheduler.jobs()}

    assert ("accounts.tasks.rebuild_ranks", "hour") in jobs
