"""Import and export in the admin: the pages on the question list, for staff who may change questions."""

import textwrap

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory, UserFactory
from accounts.tests.helpers import sign_in
from curriculum import transfer
from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from curriculum.tests.transfer_helpers import CSV_HEADER

pytestmark = pytest.mark.django_db


def admin_url(view: str) -> str:
    return reverse(f"admin:curriculum_question_{view}")


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, textwrap.dedent(text).lstrip("\n").encode())


ADMIN_CSV = f"{CSV_HEADER}\nq1,ch,Which?,a,b,,,1,,\nq2,ch,And this?,c,d,,,2,,\n"


def test_the_changelist_links_to_import_and_export(staff_client):
    response = staff_client.get(admin_url("changelist"))

    assert response.status_code == 200
    assert f'<a href="{admin_url("import")}">Import questions</a>' in response.text
    assert f'<a href="{admin_url("export")}">Export questions</a>' in response.text


def test_the_admin_import_page_shows_the_form(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.get(admin_url("import"))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["file", "file_format", "chapter", "create_chapters", "dry_run"]
    assert 'enctype="multipart/form-data"' in response.text


def test_an_admin_dry_run_shows_the_report_and_writes_nothing(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV), "dry_run": "on"})

    assert response.status_code == 200
    assert not Question.objects.exists()
    report = response.context["report"]
    assert (report.dry_run, report.ok, report.count("created")) == (True, True, 2)
    assert "Dry run: nothing was written" in response.text
    assert "<td>line 3</td><td>q2</td><td>created</td>" in response.text


def test_an_admin_import_writes_and_returns_to_the_changelist(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV)}, follow=True)

    assert response.redirect_chain == [(admin_url("changelist"), 302)]
    assert "Import done. Questions: 2 created, 0 updated, 0 unchanged, 0 rejected." in response.text
    assert sorted(Question.objects.values_list("quiz_id", flat=True)) == ["q1", "q2"]


def test_an_admin_import_lists_every_rejection_and_writes_nothing(staff_client):
    ChapterFactory(id="ch")
    csv = f"{CSV_HEADER}\nq1,ch,Which?,a,b,,,1,,\nq2,nowhere,Which?,a,b,,,1,,\nq3,ch,Which?,a,b,,,5,,\n"

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", csv)})

    assert response.status_code == 200
    assert not Question.objects.exists()
    assert "Nothing was imported" in response.text
    assert (
        "<li>line 3: unknown chapter &quot;nowhere&quot;</li>"
        "<li>line 4: correct_answer_index: The correct answer must be one of the 2 options.</li>"
    ) in response.text


def test_an_admin_gift_import_takes_the_chosen_chapter(staff_client):
    ChapterFactory(id="space")
    gift = "::planet:: Which is a planet? {=Mars ~the Sun}\n"

    response = staff_client.post(admin_url("import"), {"file": upload("space.txt", gift), "chapter": "space"})

    assert response.status_code == 302
    assert Question.objects.get().chapter_id == "space"


def test_the_admin_import_form_refuses_a_chapter_for_csv(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV), "chapter": "ch"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "chapter": ["Only GIFT files take a chapter: JSON and CSV name each question's chapter."]
    }
    assert not Question.objects.exists()


def test_the_admin_export_downloads_a_file(staff_client):
    QuestionFactory(quiz_id="q1", chapter__id="ch")
    QuestionFactory(quiz_id="q2", chapter__id="other")

    response = staff_client.get(admin_url("export"), {"file_format": "csv", "chapter": "ch"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="questions-ch-{today}.csv"'
    assert response.content.decode() == transfer.export_questions("csv", chapter_id="ch")
    assert '"q2"' not in response.content.decode()


def test_the_admin_export_page_asks_for_the_format(staff_client):
    response = staff_client.get(admin_url("export"))

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert '<form method="get">' in response.text


def test_staff_who_may_only_view_questions_can_neither_import_nor_export(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_question"))
    sign_in(client, user)
    ChapterFactory(id="ch")

    assert client.get(admin_url("import")).status_code == 403
    assert client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV)}).status_code == 403
    assert client.get(admin_url("export"), {"file_format": "json"}).status_code == 403
    changelist = client.get(admin_url("changelist"))
    assert changelist.status_code == 200
    assert admin_url("import") not in changelist.text
    assert admin_url("export") not in changelist.text
    assert not Question.objects.exists()


def test_visitors_who_are_not_staff_are_sent_to_the_admin_login(client):
    response = client.get(admin_url("import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_projects_question_changelist_renders_with_the_new_template(client):
    sign_in(client, StaffFactory())

    response = client.get(reverse("admin:curriculum_question_changelist"))

    assert response.status_code == 200
    assert "admin/curriculum/question/change_list.html" in [template.name for template in response.templates]
