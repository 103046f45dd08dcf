"""Hostile or broken files get a clear message, a page of bounded size, and are read in linear time."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curriculum import gift, transfer
from curriculum.tests.factories import ChapterFactory
from curriculum.tests.transfer_helpers import CSV_HEADER

pytestmark = pytest.mark.django_db


def rejections(content, fmt="json"):
    report = transfer.import_file(content, fmt=fmt)
    assert not report.ok
    return [str(rejection) for rejection in report.rejected]


def test_deeply_nested_json_is_refused_with_a_message():
    nested = "[" * 100_000 + "]" * 100_000

    assert rejections(nested) == ["file: bad JSON: nested too deeply (a question file is two levels deep)"]


def test_a_number_of_thousands_of_digits_is_refused_with_a_message():
    huge = '{"questions": [{"correct_answer_index": ' + "9" * 5000 + "}]}"

    (reason,) = rejections(huge)
    assert reason.startswith("file: bad JSON: ")
    assert len(reason) < 100


def test_a_csv_index_of_thousands_of_digits_is_quoted_short():
    ChapterFactory(id="ch")
    content = f"{CSV_HEADER}\nq1,ch,Which?,a,b,,,{'9' * 5000},,\n"

    (reason,) = rejections(content, "csv")
    assert reason.startswith('line 2: correct_option "999') and reason.endswith("… is not a whole number")
    assert len(reason) < 100


def test_the_report_of_a_hostile_file_stays_small_whatever_its_size(staff_client):
    # 117 KB of JSON: many questions, each with many unknown fields, long values and repeated options.
    ChapterFactory(id="ch")
    junk = {f"field_{n}": "x" * 50 for n in range(40)}
    questions = [{"quiz_id": f"q{n}", "options": ["a"] * 200, "question_text": "y" * 500, **junk} for n in range(40)]
    content = json.dumps({"questions": questions})
    assert 100_000 < len(content) < 200_000

    report = transfer.import_file(content, fmt="json")
    page = staff_client.post(
        "/admin/curriculum/question/import/", {"file": SimpleUploadedFile("bank.json", content.encode())}
    )

    assert report.rejected_rows == 40
    assert all(len(str(rejection)) <= transfer.MAX_REASON_CHARS + 20 for rejection in report.rejected)
    assert len(report.rejections_shown) == transfer.MAX_REJECTIONS_SHOWN
    assert page.status_code == 200 and len(page.content) < 100_000
    assert f"… and {len(report.rejected) - transfer.MAX_REJECTIONS_SHOWN} more rejections." in page.text


def best_of_three(work) -> float:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_gift_category_lines_are_read_in_linear_time():
    # A paragraph of many $CATEGORY lines was read with list.pop(0): quadratic (8 s for 5 MB).
    def bank(lines: int) -> str:
        return "".join(f"$CATEGORY: $course$/c{n}\n" for n in range(lines)) + "::q:: Which? {=a ~b}\n"

    small, large = bank(25_000), bank(100_000)
    ratio = best_of_three(lambda: gift.parse(large)) / best_of_three(lambda: gift.parse(small))

    assert gift.parse(large)[0].category == "c99999"
    assert ratio < 8, f"4 times the lines took {ratio:.1f} times as long"  # linear: about 4; quadratic: 16
