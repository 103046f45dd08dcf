"""Parents and children: signing up, linking with the family code, and who may see which child."""

import re

import pytest

from accounts import family
from accounts.models import FamilyCodeAttempt, Parent, StudentParentLink
from accounts.tests.factories import ParentFactory, StaffFactory, StudentFactory, StudentParentLinkFactory
from accounts.tests.helpers import confirm_signup, sign_in
from curriculum.tests.factories import QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db


def code_on_profile(client) -> str:
    """The teenager makes a family code on Profile (made on demand) and reads it there."""
    client.post("/profile/family-code/")
    html = client.get("/profile/").content.decode()
    return re.search(r'id="family-code">([^<]+)<', html).group(1)


@pytest.fixture
def world():
    """Parents A and B, children X (A's) and Y (B's), a lone student, staff."""
    a, b = ParentFactory(name="Parent A"), ParentFactory(name="Parent B")
    x, y = StudentFactory(name="Xavier Child"), StudentFactory(name="Yara Child")
    StudentParentLinkFactory(parent=a, student=x)
    StudentParentLinkFactory(parent=b, student=y)
    return {"a": a, "b": b, "x": x, "y": y, "student": StudentFactory(), "staff": StaffFactory()}


def test_a_parent_signs_up_and_lands_on_family(client, mailoutbox, run_tasks):
    client.post(
        "/accounts/signup/parent/",
        {
            "name": "Ana Lopez",
            "email": "ana@example.com",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
            "phone": "+1 555 0100",
            "time_zone": "Asia/Tokyo",
        },
    )
    response = confirm_signup(client, mailoutbox, run_tasks)
    assert response["Location"] == "/family/"
    parent = Parent.objects.get()
    assert parent.time_zone == "Asia/Tokyo"
    # The phone number is no longer collected (nothing used it): a posted one is ignored, the column NULL.
    assert (parent.name, parent.phone, parent.user.email) == ("Ana Lopez", None, "ana@example.com")
    assert "No child yet" in client.get("/family/").content.decode()


def test_the_parent_sign_up_asks_no_phone_number(client):
    html = client.get("/accounts/signup/parent/").text
    assert 'name="phone"' not in html
    for name in ("name", "email", "password1", "password2"):
        assert f'name="{name}"' in html


def test_the_family_code_is_readable_and_unguessable():
    codes = {family.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert len(family.ALPHABET) ** family.CODE_LENGTH >= 2**40


def test_a_parent_links_with_the_code_typed_loosely(client, world):
    child = StudentFactory(name="Maya")
    sign_in(client, child.user)
    code = code_on_profile(client)
    parent = ParentFactory()
    sign_in(client, parent.user)

    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    response = client.post("/family/link/", {"code": typed})

    assert response["Location"] == f"/family/children/{child.pk}/"
    assert StudentParentLink.objects.filter(parent=parent, student=child).count() == 1
    # A code works once: used, it links nobody else (and linking twice would be a no-op anyway).
    assert client.post("/family/link/", {"code": code}).status_code == 400
    assert StudentParentLink.objects.filter(student=child).count() == 1


def test_a_wrong_code_says_so_and_links_nothing(client, world):
    sign_in(client, world["a"].user)
    response = client.post("/family/link/", {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert "doesn" in response.content.decode() and "match any child" in response.content.decode()
    assert StudentParentLink.objects.filter(parent=world["a"]).count() == 1


def test_after_ten_wrong_codes_in_an_hour_even_a_right_code_must_wait(client, world):
    sign_in(client, world["a"].user)
    for _ in range(10):
        assert client.post("/family/link/", {"code": "ZZZZ-ZZZZ"}).status_code == 400
    right = family.replace_code(world["y"])

    response = client.post("/family/link/", {"code": right})

    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert not StudentParentLink.objects.filter(parent=world["a"], student=world["y"]).exists()
    assert FamilyCodeAttempt.objects.filter(parent=world["a"]).count() == 10
    # Another parent is not affected.
    sign_in(client, world["b"].user)
    assert client.post("/family/link/", {"code": "ZZZZ-ZZZZ"}).status_code == 400


def test_wrong_codes_older_than_an_hour_no_longer_count(client, world):
    from django.utils import timezone

    old = timezone.now() - family.WRONG_CODE_WINDOW
    FamilyCodeAttempt.objects.bulk_create([FamilyCodeAttempt(parent=world["a"], attempted_at=old)] * 10)
    sign_in(client, world["a"].user)
    assert client.post("/family/link/", {"code": family.replace_code(world["y"])}).status_code == 302


def test_a_new_code_replaces_the_old_one_at_once(client, world):
    sign_in(client, world["x"].user)
    old = code_on_profile(client)
    new = code_on_profile(client)
    assert new != old

    sign_in(client, world["b"].user)
    assert client.post("/family/link/", {"code": old}).status_code == 400
    assert client.post("/family/link/", {"code": new}).status_code == 302


def test_the_profile_lists_linked_parents_and_the_child_can_unlink(client, world):
    sign_in(client, world["x"].user)
    assert "Parent A" in client.get("/profile/").content.decode()

    client.post(f"/profile/parents/{world['a'].pk}/unlink/")

    assert not StudentParentLink.objects.filter(parent=world["a"]).exists()
    sign_in(client, world["a"].user)
    assert client.get(f"/family/children/{world['x'].pk}/").status_code == 404


def test_a_child_cannot_unlink_another_childs_parent(client, world):
    sign_in(client, world["x"].user)
    client.post(f"/profile/parents/{world['b'].pk}/unlink/")
    assert StudentParentLink.objects.filter(parent=world["b"], student=world["y"]).exists()


def test_the_family_page_shows_a_card_per_child(client, world):
    question = QuestionFactory()
    answer(world["x"], question)
    answer(world["x"], QuestionFactory(chapter=question.chapter), 0)
    sign_in(client, world["a"].user)

    html = client.get("/family/").content.decode()

    assert "Xavier Child" in html and "Yara Child" not in html
    assert "<strong>10</strong> <span>XP" in html
    assert "<strong>2</strong> <span>answers this week" in html
    assert "<strong>50%</strong>" in html


def test_the_child_page_shows_recent_answers_with_the_correct_answer_and_explanation(client, world):
    question = QuestionFactory(options=["cat", "dog", "cow"], correct_answer_index=1, explanation="Dogs bark.")
    answer(world["x"], question, 2)
    sign_in(client, world["a"].user)

    html = client.get(f"/family/children/{world['x'].pk}/").content.decode()

    assert "Xavier Child" in html
    assert "cow" in html and "dog" in html and "Dogs bark." in html


def test_a_parent_sees_an_answer_as_soon_as_the_child_does(client, world):
    question = QuestionFactory()
    sign_in(client, world["a"].user)
    url = f"/family/children/{world['x'].pk}/"
    assert "<strong>0</strong> <span>XP in total" in client.get(url).content.decode()

    answer(world["x"], question)

    assert "<strong>10</strong> <span>XP in total" in client.get(url).content.decode()


FAMILY_URLS = ["/family/", "/family/link/", "/family/children/{x}/", "/family/children/{y}/"]


@pytest.mark.parametrize("url", FAMILY_URLS)
@pytest.mark.parametrize("who", ["anonymous", "student", "x", "staff", "a", "b"])
def test_the_family_access_matrix(client, world, url, who):
    url = url.format(x=world["x"].pk, y=world["y"].pk)
    if who != "anonymous":
        account = world[who]
        sign_in(client, getattr(account, "user", account))

    response = client.get(url)

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    elif who in ("student", "x", "staff"):
        assert response.status_code == 403
    elif (url.endswith(f"/{world['y'].pk}/") and who == "a") or (url.endswith(f"/{world['x'].pk}/") and who == "b"):
        assert response.status_code == 404
        assert "Child" not in response.content.decode()
    else:
        assert response.status_code == 200


def test_an_unknown_child_id_is_404_like_another_familys_child(client, world):
    sign_in(client, world["a"].user)
    assert client.get("/family/children/999999/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("a", 403), ("staff", 403)])
def test_only_the_child_may_use_the_unlink_action(client, world, who, status):
    if who != "anonymous":
        account = world[who]
        sign_in(client, getattr(account, "user", account))

    response = client.post(f"/profile/parents/{world['a'].pk}/unlink/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"/accounts/login/?next=/profile/parents/{world['a'].pk}/unlink/"
    assert StudentParentLink.objects.filter(parent=world["a"], student=world["x"]).exists()


def test_no_cached_child_page_crosses_parents(client, world):
    answer(world["x"], QuestionFactory(question_text="Xavier's question?"))
    answer(world["y"], QuestionFactory(question_text="Yara's question?"))
    sign_in(client, world["a"].user)
    a_html = client.get("/family/").content.decode() + client.get(f"/family/children/{world['x'].pk}/").content.decode()
    sign_in(client, world["b"].user)
    b_html = client.get("/family/").content.decode() + client.get(f"/family/children/{world['y'].pk}/").content.decode()

    assert "Xavier" in a_html and "Xavier" not in b_html
    assert "Yara" in b_html and "Yara" not in a_html


def test_the_child_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    for _ in range(5):
        answer(world["x"], QuestionFactory())
    sign_in(client, world["a"].user)
    # Cold: the session, the account, the link check, then the dashboard's seven reads of the child's numbers,
    # then the child's classes and the teachers' actions on the account.
    with django_assert_num_queries(12):
        client.get(f"/family/children/{world['x'].pk}/")
    # Warm: the parent's row (the session and the account are cached), the link check, the child's classes,
    # teachers' actions.
    with django_assert_num_queries(4):
        client.get(f"/family/children/{world['x'].pk}/")


def test_needs_most_practice_is_the_lowest_started_chapter_below_80_and_absent_otherwise(client, world):
    strong, weak = QuestionFactory(), QuestionFactory()
    child = world["x"]
    answer(child, strong)  # 100% of its one-question chapter
    sign_in(client, world["a"].user)
    html = client.get("/family/").text
    assert "Needs most practice" not in html and "Every chapter started is at 80% or more." in html

    answer(child, weak, index=(weak.correct_answer_index + 1) % 4)  # 0% in another chapter
    html = client.get("/family/").text
    assert f"Needs most practice: <strong>{weak.chapter.name}</strong> (0%)" in html


def test_the_childs_page_starts_with_the_week_in_words(client, world):
    child = world["x"]
    for question in QuestionFactory.create_batch(3):
        answer(child, question, seconds=100)
    sign_in(client, world["a"].user)
    html = client.get(f"/family/children/{child.pk}/").text
    sentence = re.search(r'<p class="week-summary">([^<]+)</p>', html)[1]
    assert sentence.startswith(
        "This week Xavier Child practised on 1 day, answered 3 questions, 100% right, about 5 minutes."
    )
    assert "Strongest:" in sentence
