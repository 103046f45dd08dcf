# mypy: ignore-errors
# (run in the peer's venv, with its Django 2.2 and its apps: our type checker cannot see either)
"""Load the benchmark's data into the peer quiz app and write its wrk scripts.

Run by prepare.sh in the peer's venv, with its Django, on a freshly migrated database:
    python load.py OUT_DIR
Creates one quiz of 10 multiple-choice questions (4 answers, one correct), USERS signed-in users, each
with a session made in advance and a sitting started, and writes OUT_DIR/peer_question.lua and
OUT_DIR/peer_answering.lua (plus peer_question.json, the GET list in the shape bench/warm.py reads).
"""

import json
import random
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_token  # noqa: E402
from multichoice.models import Answer, MCQuestion  # noqa: E402
from quiz.models import Category, Quiz, Sitting  # noqa: E402

USERS = 400
QUESTIONS = 10
ANSWERS = 4
BACKEND = "django.contrib.auth.backends.ModelBackend"
rng = random.Random(7)  # noqa: S311 - picking answers, not a secret


def make_quiz() -> Quiz:
    # The app's defaults: questions in order, the correct answer shown after each one, retakes allowed
    # (single_attempt off), a finished sitting deleted (exam_paper off).
    category = Category.objects.new_category("arithmetic")
    quiz = Quiz.objects.create(
        title="Bench quiz",
        url="bench-quiz",
        description="Ten sums",
        category=category,
        pass_mark=50,
        success_text="Well done!",
        fail_text="Try again.",
    )
    for n in range(1, QUESTIONS + 1):
        question = MCQuestion.objects.create(
            content=f"What is {n} + {n + 1}?", explanation=f"{n} + {n + 1} = {2 * n + 1}.", category=category
        )
        question.quiz.add(quiz)
        right = rng.randrange(ANSWERS)  # where the correct answer stands among the four
        for k in range(ANSWERS):
            Answer.objects.create(question=question, content=str(2 * n + 1 + k - right), correct=k == right)
    return quiz


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    quiz = make_quiz()
    password = make_password("bench-peer")
    User.objects.bulk_create(
        User(username=f"bench-{n}", email=f"bench-{n}@bench.example", password=password) for n in range(USERS)
    )
    path = f"/{quiz.url}/take/"
    orders = set()
    users = []
    for user in User.objects.filter(username__startswith="bench-").order_by("pk"):
        orders.add(Sitting.objects.new_sitting(user, quiz).question_order)  # each user has started the quiz
        csrf = _get_new_csrf_token()  # the cookie's value, reused as the form's token (Django accepts that)
        users.append(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session_for(user)}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "csrf": csrf,
            }
        )
    # The app asks a sitting's questions in the order new_sitting gives; answering scripts follow it.
    assert len(orders) == 1, f"sittings got different question orders: {orders}"
    question_order = orders.pop()
    order = [int(q) for q in question_order.split(",") if q]
    choices = {q: list(Answer.objects.filter(question_id=q).values_list("pk", flat=True)) for q in order}

    gets = [{"path": path, "cookie": u["cookie"]} for u in users]
    rows = []
    for u in users:
        bodies = [f"csrfmiddlewaretoken={u['csrf']}&question_id={q}&answers={rng.choice(choices[q])}" for q in order]
        rows.append(f"{{ cookie = {quote(u['cookie'])}, pos = 0, bodies = {{ {', '.join(map(quote, bodies))} }} }}")
    reset = reset_command(quiz, question_order, out)
    template = (Path(__file__).parent / "wrk.lua").read_text()
    common = {"@PATH@": quote(path), "@QUESTIONS@": str(QUESTIONS)}
    for name, users_lua, mode in (
        ("peer_question", ",\n  ".join(f"{{ cookie = {quote(u['cookie'])} }}" for u in users), "question"),
        ("peer_answering", ",\n  ".join(rows), "answering"),
    ):
        script = template
        for key, value in {
            **common,
            "@PAGE@": name,
            "@MODE@": quote(mode),
            "@USERS@": users_lua,
            "@RESET@": quote(reset),
        }.items():
            script = script.replace(key, value)
        (out / f"{name}.lua").write_text(script)
    (out / "peer_question.json").write_text(json.dumps(gets))
    print(json.dumps({"peer_users": len(users), "peer_questions": len(order), "path": path}))


def reset_command(quiz: Quiz, order: str, out: Path) -> str:
    """The command peer_answering.lua runs before each run: every user back on a fresh sitting, one each."""
    sql = out.resolve() / "peer_reset.sql"
    sql.write_text(
        f"DELETE FROM quiz_sitting WHERE quiz_id = {quiz.pk};\n"  # noqa: S608 - our own ids, no outside input
        "INSERT INTO quiz_sitting (user_id, quiz_id, question_order, question_list, incorrect_questions,"
        " current_score, complete, user_answers, start)\n"
        f"SELECT id, {quiz.pk}, '{order}', '{order}', '', 0, false, '{{}}', now() FROM auth_user"
        " WHERE username LIKE 'bench-%';\n"
    )
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"psql '{url}' -qAt -v ON_ERROR_STOP=1 -1 -f '{sql}'"


if __name__ == "__main__":
    main(Path(sys.argv[1]))
