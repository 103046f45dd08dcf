"""A realistic, internally consistent dataset at scale, for benchmarks (PostgreSQL only).

Every student's answers are simulated day by day with the same rules the app
applies (analytics.rules), and the derived rows are worked out from those answers
by the same derivation rebuild_progress checks them with (analytics.rebuild's
expected_numbers for the students' totals and days, StudentProgress's
derived_from for the chapters, in SQL after the answers are in), so
`rebuild_progress --check` finds no drift. Rows go in with COPY.
"""

import contextlib
import datetime
import random
import secrets
import sys
import time
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection
from django.utils import timezone

from analytics import review, rules
from analytics.models import StudentProgress
from analytics.rebuild import Answer, expected_numbers
from curriculum.models import QuizSubmission

SUBJECTS = ["Math", "Science", "English", "History", "Geography", "Art", "Music", "Computing"]
DIFFICULTIES = ["easy", "easy", "medium", "medium", "hard"]
FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dev", "Ema", "Finn", "Gia", "Hugo", "Isla", "Jon", "Kai", "Lena", "Milo", "Nia"]
LAST_NAMES = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Fox", "Garcia", "Hughes", "Ito", "Jones", "Khan", "Lopez"]
UTC = zoneinfo.ZoneInfo("UTC")
BENCH_PASSWORD = "bench-pass-1234"  # noqa: S105 - the generated accounts' shared password, printed for the benchmark


@dataclass
class Sizes:
    students: int
    chapters: int
    questions_per_chapter: int
    days: int
    parents: int
    answers_per_student: int = 100
    seed: int = 1


@dataclass
class Question:
    id: int
    chapter_index: int
    difficulty: str
    correct: int


@dataclass
class Chapter:
    id: str
    index: int
    unlock_xp: int
    is_locked: bool
    questions: list[Question] = field(default_factory=list)


class Progress:
    """A progress bar on stderr: one line, updated in place."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.started = label, max(total, 1), 0, time.monotonic()
        self.shown = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        percent = 100 * self.done // self.total
        if percent != self.shown:
            self.shown = percent
            elapsed = time.monotonic() - self.started
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r{self.label:<12} [{bar:<25}] {percent:3d}% {elapsed:6.1f}s")
            sys.stderr.flush()
            if self.done >= self.total:
                sys.stderr.write("\n")


def generate(sizes: Sizes, *, today: datetime.date | None = None) -> dict:
    """Write the whole dataset; returns counts. The database must hold no students yet."""
    rng = random.Random(sizes.seed)  # noqa: S311 - a repeatable simulation, not a secret
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM students)")
        if cursor.fetchone()[0]:
            raise ValueError("the database already has students: generate into an empty database")
    password = make_password(BENCH_PASSWORD)
    with _fast_load(BULK_TABLES):
        chapters = _curriculum(sizes, rng)
        counts = {"chapters": len(chapters), "questions": sum(len(c.questions) for c in chapters)}
        counts.update(_students(sizes, rng, chapters, today, password))
        counts["parents"] = _parents(sizes, rng, password)
        _reset_sequences()
    # After the indexes are back: the derivation reads each answer's later answers by index.
    counts["student_progress"] = StudentProgress.objects.write_derived(QuizSubmission.objects.all())
    return counts


# The tables that take millions of rows: their secondary indexes are built once, after the load.
BULK_TABLES = ("quiz_submissions", "daily_analytics")


@contextlib.contextmanager
def _fast_load(tables):
    """Load without per-row foreign-key triggers and index upkeep; rebuild the indexes at the end.

    The generator guarantees the references itself. Needs a superuser connection (as
    on the benchmark machine); without one, the load is merely slower.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef NOT LIKE '%%UNIQUE%%'",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            cursor.execute("SET session_replication_role = replica")
            replica = True
        except DatabaseError:
            replica = False
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if replica:
                cursor.execute("SET session_replication_role = DEFAULT")
            bar = Progress("indexes", len(indexes))
            for _, definition in indexes:
                cursor.execute(definition)
                bar.advance()


def _curriculum(sizes: Sizes, rng: random.Random) -> list[Chapter]:
    chapters = []
    with connection.cursor() as cursor:
        with cursor.copy(
            'COPY chapters (id, name, description, subject, "order", is_locked, unlock_xp_required) FROM STDIN'
        ) as copy:
            for index in range(sizes.chapters):
                subject = SUBJECTS[index % len(SUBJECTS)]
                order = index // len(SUBJECTS) + 1
                # The first two chapters of each subject are open; later ones need more and more XP.
                unlock = 0 if order <= 2 else (order - 2) * 60
                chapter = Chapter(id=f"gen-{index:04d}", index=index, unlock_xp=unlock, is_locked=unlock > 0)
                chapters.append(chapter)
                copy.write_row(
                    (
                        chapter.id,
                        f"{subject} {order}",
                        f"Generated chapter {order} of {subject}.",
                        subject,
                        order,
                        chapter.is_locked,
                        unlock,
                    )
                )
        question_id = 0
        with cursor.copy(
            "COPY questions (id, quiz_id, chapter_id, question_text, options, correct_answer_index, explanation,"
            " difficulty_level) FROM STDIN"
        ) as copy:
            for chapter in chapters:
                for n in range(sizes.questions_per_chapter):
                    question_id += 1
                    q = Question(question_id, chapter.index, rng.choice(DIFFICULTIES), rng.randrange(4))
                    chapter.questions.append(q)
                    copy.write_row(
                        (
                            q.id,
                            f"gen-q{q.id}",
                            chapter.id,
                            f"Generated question {n + 1} of {chapter.id}?",
                            '["Option A", "Option B", "Option C", "Option D"]',
                            q.correct,
                            f"The answer is option {'ABCD'[q.correct]}.",
                            q.difficulty,
                        )
                    )
    return chapters


@dataclass
class Simulated:
    submissions: list[tuple]
    total_xp: int
    current: int
    best: int
    last_active: datetime.date | None
    days: list[tuple]
    cards: list[tuple]


# Answers on an active day: 1-4 most days, 5-12 on keen ones (mean about 4.3).
MEAN_ANSWERS_PER_ACTIVE_DAY = 0.7 * 2.5 + 0.3 * 8.5


def simulate_student(
    student_id: int,
    rng: random.Random,
    chapters: list[Chapter],
    today: datetime.date,
    days: int,
    first_id: int,
    answers_per_student: int = 100,
) -> Simulated:
    """One student's answers over the period, recorded by the app's rules (which question is counted, what
    earns XP), and their totals and days derived from those answers."""
    ability = rng.uniform(0.45, 0.95)
    mean_keenness = answers_per_student / (days * MEAN_ANSWERS_PER_ACTIVE_DAY)
    keenness = min(0.95, mean_keenness * rng.uniform(0.3, 1.7))  # chance of being active on a given day
    total_xp = 0
    earned: set[int] = set()
    submissions = []
    answers = []
    next_id = first_id
    open_chapters = [c for c in chapters if not c.is_locked]
    focus = rng.choice(open_chapters) if open_chapters else chapters[0]
    for offset in range(days - 1, -1, -1):
        day = today - datetime.timedelta(days=offset)
        if rng.random() > keenness:
            continue
        answered_today: set[int] = set()
        moment = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=datetime.UTC)
        moment += datetime.timedelta(minutes=rng.randrange(0, 360))
        for _ in range(rng.randint(1, 4) if rng.random() < 0.7 else rng.randint(5, 12)):
            if rng.random() < 0.1:
                opened = [c for c in chapters if not c.is_locked or total_xp >= c.unlock_xp]
                focus = rng.choice(opened)
            question = rng.choice(focus.questions)
            correct = rng.random() < ability
            counted = question.id not in answered_today
            xp = rules.xp_for(
                difficulty=question.difficulty,
                is_correct=correct,
                is_counted=counted,
                earned_xp_before=question.id in earned,
            )
            seconds = rules.clamp_time_taken(rng.expovariate(1 / 40))
            moment += datetime.timedelta(seconds=seconds + rng.randrange(5, 60))
            selected = question.correct if correct else (question.correct + rng.randrange(1, 4)) % 4
            submissions.append((next_id, student_id, question.id, selected, correct, xp, seconds, moment, counted, day))
            answers.append(Answer(next_id, question.id, correct, counted, xp, seconds, moment, day))
            next_id += 1
            answered_today.add(question.id)
            if xp:
                earned.add(question.id)
                total_xp += xp
    expected = expected_numbers(answers, zone=UTC)  # every answer has its day: the zone is unused
    day_rows = [
        (
            student_id,
            day,
            row["questions_answered"],
            row["questions_correct"],
            row["xp_earned"],
            row["time_spent_seconds"],
            row["time_spent_minutes"],
            row["streak_count"],
        )
        for day, row in expected.daily.items()
    ]
    totals = expected.student
    # The review cards the counted answers make (rebuild_progress derives the same).
    cards = review.expected_cards(
        ((a.question_id, a.is_correct, a.submitted_at) for a in answers if a.is_counted), zone=UTC
    )
    card_rows = [
        (student_id, question_id, *(card[f] for f in review.CARD_FIELDS)) for question_id, card in cards.items()
    ]
    return Simulated(
        submissions,
        totals["total_xp"],
        totals["current_streak"],
        totals["best_streak"],
        totals["last_active_on"],
        day_rows,
        card_rows,
    )


# The simulated rows of each student, per table: (table, columns, the rows of one Simulated).
BULK_COPIES = (
    (
        "quiz_submissions",
        "id, student_id, question_id, selected_answer_index, is_correct, xp_earned, time_taken_seconds,"
        " submitted_at, is_counted, answered_on",
        lambda sim: sim.submissions,
    ),
    (
        "daily_analytics",
        "student_id, analytics_date, questions_answered, questions_correct, xp_earned, time_spent_seconds,"
        " time_spent_minutes, streak_count",
        lambda sim: sim.days,
    ),
    (
        "analytics_reviewcard",
        "student_id, question_id, " + ", ".join(review.CARD_FIELDS),
        lambda sim: sim.cards,
    ),
)


def _students(sizes: Sizes, rng: random.Random, chapters: list[Chapter], today, password: str) -> dict:
    counts = {"students": sizes.students, **dict.fromkeys((table for table, _, _ in BULK_COPIES), 0)}
    bar = Progress("students", sizes.students)
    next_submission = 1
    batch = 2000
    with connection.cursor() as cursor:
        for start in range(1, sizes.students + 1, batch):
            ids = range(start, min(start + batch, sizes.students + 1))
            simulated = []
            public_ids = {}
            for student_id in ids:
                sim = simulate_student(
                    student_id, rng, chapters, today, sizes.days, next_submission, sizes.answers_per_student
                )
                next_submission += len(sim.submissions)
                simulated.append((student_id, sim))
                public_ids[student_id] = secrets.token_hex(16)
            with cursor.copy(
                "COPY accounts_user (id, password, is_superuser, email, public_id, is_staff, is_active, date_joined)"
                " FROM STDIN"
            ) as copy:
                for student_id, _ in simulated:
                    copy.write_row(
                        (
                            student_id,
                            password,
                            False,
                            f"student{student_id}@bench.example",
                            public_ids[student_id],
                            False,
                            True,
                            timezone.now(),
                        )
                    )
            with cursor.copy(
                "COPY students (id, user_id, email, name, grade_level, total_xp, current_streak, best_streak,"
                " last_active_on) FROM STDIN"
            ) as copy:
                for student_id, sim in simulated:
                    copy.write_row(
                        (
                            student_id,
                            public_ids[student_id],
                            f"student{student_id}@bench.example",
                            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                            rng.randint(1, 12),
                            sim.total_xp,
                            sim.current,
                            sim.best,
                            sim.last_active,
                        )
                    )
            for table, columns, rows_of in BULK_COPIES:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for _, sim in simulated:
                        rows = rows_of(sim)
                        for row in rows:
                            copy.write_row(row)
                        counts[table] += len(rows)
            bar.advance(len(ids))
    return counts


def _parents(sizes: Sizes, rng: random.Random, password: str) -> int:
    """Parents, each linked to one to three students (account ids continue after the students')."""
    if not sizes.parents:
        return 0
    with connection.cursor() as cursor:
        public_ids = {n: secrets.token_hex(16) for n in range(1, sizes.parents + 1)}
        with cursor.copy(
            "COPY accounts_user (id, password, is_superuser, email, public_id, is_staff, is_active, date_joined)"
            " FROM STDIN"
        ) as copy:
            for n, public_id in public_ids.items():
                copy.write_row(
                    (
                        sizes.students + n,
                        password,
                        False,
                        f"parent{n}@bench.example",
                        public_id,
                        False,
                        True,
                        timezone.now(),
                    )
                )
        with cursor.copy("COPY parents (id, user_id, email, name) FROM STDIN") as copy:
            for n, public_id in public_ids.items():
                copy.write_row((n, public_id, f"parent{n}@bench.example", f"Parent {n}"))
        with cursor.copy("COPY student_parent_link (student_id, parent_id) FROM STDIN") as copy:
            for n in public_ids:
                for student_id in rng.sample(range(1, sizes.students + 1), k=min(rng.randint(1, 3), sizes.students)):
                    copy.write_row((student_id, n))
    return sizes.parents


def _reset_sequences() -> None:
    with connection.cursor() as cursor:
        for table in ("accounts_user", "students", "parents", "questions", "quiz_submissions"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608
            )
