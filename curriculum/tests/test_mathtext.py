"""Math in content: LaTeX between \\( and \\) becomes sanitised MathML; nothing else gets through."""

from html.parser import HTMLParser

import pytest

from accounts.tests.factories import StudentFactory
from accounts.tests.helpers import sign_in
from curriculum import mathtext
from curriculum.tests.factories import QuestionFactory


def test_latex_between_the_delimiters_becomes_mathml_and_the_rest_is_escaped_text():
    html = mathtext.render(r"What is \(\frac{1}{2} + \frac{1}{3}\) & more?")
    assert html.startswith("What is <math")
    assert "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>" in html
    assert "&amp; more?" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        r"\(<script>alert(1)</script>\)",
        r"\(\href{javascript:alert(1)}{x}\)",
        r"\(x\) <img src=x onerror=alert(1)>",
        r'\(\text{<a href="https://evil.example">x</a>}\)',
        r"\(\style{background:url(javascript:alert(1))}{x}\)",
        r"\(\frac{1}{\)<svg onload=alert(1)>",
        r"\( \mathrm{\unicode{x3C}script\unicode{x3E}} \)",
    ],
)
def test_hostile_input_never_becomes_markup_that_runs_or_links(hostile):
    elements = []

    class Elements(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, dict(attrs)))

    Elements().feed(str(mathtext.render(hostile)))
    for tag, attrs in elements:  # only MathML, only presentation attributes: escaped text is just text
        assert tag in mathtext.MATHML_TAGS, tag
        assert not any(name.startswith("on") or name in ("href", "src", "style") for name in attrs), attrs
        assert not any("javascript:" in value.lower() for value in attrs.values() if value), attrs


def test_bad_latex_shows_its_source_as_text():
    assert str(mathtext.render(r"\(\frac{1}\)")).startswith(r"\(\frac{1}\)") or "<math" in mathtext.render(
        r"\(\frac{1}\)"
    )


def test_emails_get_plain_characters():
    assert mathtext.plain(r"What is \(\frac{1}{2} + \frac{1}{3}\)?") == "What is 1/2 + 1/3?"
    assert mathtext.plain(r"\(3 \times 4\), \(\sqrt{2}\), \(x^{2}\)") == "3 × 4, √(2), x^2"


@pytest.mark.django_db
def test_the_question_and_result_pages_show_mathml(client):
    question = QuestionFactory(
        question_text=r"What is \(\frac{1}{2} + \frac{1}{4}\)?",
        options=[r"\(\frac{3}{4}\)", r"\(\frac{2}{6}\)", "1", r"\(\frac{1}{8}\)"],
        correct_answer_index=0,
        explanation=r"\(\frac{1}{2} = \frac{2}{4}\)",
    )
    sign_in(client, StudentFactory().user)
    html = client.get(f"/learn/{question.chapter_id}/q/{question.quiz_id}/").text
    assert html.count("<math") == 4  # the question and three options
    assert "\\frac" not in html


@pytest.mark.django_db
def test_the_admin_preview_renders_the_math(staff_client):
    question = QuestionFactory(question_text=r"What is \(\frac{1}{2}\) of 10?")
    html = staff_client.get(f"/admin/curriculum/question/{question.pk}/change/").text
    preview = html[html.index('class="lq-preview"') :]
    assert "<math" in preview and "<mfrac>" in preview
