"""Django's {# … #} comment ends on its own line: one that runs onto the next is printed on the page."""

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_template_has_a_one_line_comment_that_runs_onto_the_next_line():
    broken = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert broken == [], "use {% comment %} for a comment of several lines"
