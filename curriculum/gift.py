"""Moodle's GIFT format, multiple-choice questions only: a parser that reads text into questions.

No database here: the importer (curriculum.transfer) gives each question its chapter and
checks it like any other row. The format is described in the README ("Moodle GIFT").
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify


@dataclass
class GiftQuestion:
    """One question as read from the file: where it starts, the $CATEGORY in force, its values
    (quiz_id, question_text, options, correct_answer_index, explanation) or why it is not one."""

    line: int
    category: str | None
    values: dict[str, Any] = field(default_factory=dict[str, Any])
    errors: list[str] = field(default_factory=list)


GIFT_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
GIFT_TEXT_FORMAT = re.compile(r"^\[(?:html|moodle|plain|markdown)\]\s*", re.IGNORECASE)
GIFT_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
GIFT_CATEGORY = "$CATEGORY:"
SLUG = re.compile(r"[-\w]+")  # as Django's validate_unicode_slug
GIFT_ONLY_MC = "only multiple-choice questions can be imported"


def parse(text: str) -> list[GiftQuestion]:
    """Moodle GIFT, multiple choice only: one question a paragraph (questions are separated by blank lines).

    The title (::title::), as a slug, is the quiz_id, else gift-<first 12 hex digits of the text's SHA-1>,
    stable across imports. Per-answer feedback (#…) is the option's feedback, the general feedback
    (####…) is the explanation. Each question notes the last segment of the $CATEGORY
    in force, which the importer may take as its chapter.
    """
    questions = []
    category = None
    for block in _gift_blocks(text):
        start = 0  # $CATEGORY lines lead a paragraph: step over them (never pop(0): that is quadratic)
        while start < len(block) and block[start][1].strip().startswith(GIFT_CATEGORY):
            path = block[start][1].strip().removeprefix(GIFT_CATEGORY)
            category = path.strip().rstrip("/").rsplit("/", 1)[-1].strip() or None
            start += 1
        if start < len(block):
            questions.append(_gift_question(block[start:], category))
    return questions


def _gift_blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Paragraphs of (line number, line), without // comment lines. A blank line inside { } does not end one."""
    block: list[tuple[int, str]] = []
    depth = 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if block and depth <= 0:
                yield block
                block, depth = [], 0
            continue
        block.append((number, line))
        depth += _count_unescaped(line, "{") - _count_unescaped(line, "}")
    if block:
        yield block


def _gift_question(block: list[tuple[int, str]], category: str | None) -> GiftQuestion:
    row = GiftQuestion(block[0][0], category)
    source = "\n".join(line for _, line in block).strip()
    title = None
    if source.startswith("::"):
        end = _find_unescaped(source, "::", 2)
        if end < 0:
            row.errors.append("the title is not closed with ::")
            return row
        title = _gift_unescape(source[2:end]).strip()
        source = source[end + 2 :].lstrip()
    start = _find_unescaped(source, "{")
    if start < 0:
        row.errors.append(f"no answers {{…}}: a description, not a question; {GIFT_ONLY_MC}")
        return row
    end = _find_unescaped(source, "}", start + 1)
    if end < 0:
        row.errors.append("the answers are not closed with }")
        return row
    after = source[end + 1 :]
    if _find_unescaped(after, "{") >= 0:
        row.errors.append("a second set of answers: separate questions with a blank line")
        return row
    question_text = _gift_unescape(GIFT_TEXT_FORMAT.sub("", source[:start].strip())).strip()
    if after.strip():  # "missing word": the answers stand for a gap in the text
        question_text = f"{question_text} _____ {_gift_unescape(after).strip()}"
    options, right, explanation, feedback, errors = _gift_answers(source[start + 1 : end])
    if errors:
        row.errors.extend(errors)
        return row
    quiz_id = _title_id(title) or "gift-" + hashlib.sha1(question_text.encode(), usedforsecurity=False).hexdigest()[:12]
    row.values.update(
        quiz_id=quiz_id,
        question_text=question_text,
        options=options,
        correct_answer_index=right,
        explanation=explanation,
        option_feedback=feedback if any(feedback) else None,
    )
    return row


def _title_id(title: str | None) -> str:
    """A title as a quiz_id, which is a slug: kept when it is one ("frac-half"), else slugified
    ("Ratio: basics" → "ratio-basics"); "" when nothing of it is left."""
    if not title:
        return ""
    return title if SLUG.fullmatch(title) else slugify(title, allow_unicode=True)


def _gift_answers(body: str) -> tuple[list[str], int | None, str | None, list[str | None], list[str]]:
    """The options, the right one's index, the general feedback, each option's own feedback, and why the
    answers are not multiple choice."""
    explanation = None
    feedback_at = _find_unescaped(body, "####")
    if feedback_at >= 0:
        explanation = _gift_unescape(body[feedback_at + 4 :]).strip() or None
        body = body[:feedback_at]
    body = body.strip()
    feedback_at = _find_unescaped(body, "#")
    head = body[:feedback_at] if feedback_at >= 0 else body
    kind = None
    if not body:
        kind = "an essay question (no answers)"
    elif body.startswith("#"):
        kind = "a numerical question"
    elif head.strip().upper() in {"T", "F", "TRUE", "FALSE"}:
        kind = "a true/false question"
    elif _find_unescaped(body, "->") >= 0:
        kind = "a matching question"
    elif _find_unescaped(body, "~") < 0:
        kind = "a short-answer question (no ~wrong answers)"
    if kind:
        return [], None, None, [], [f"{kind}: {GIFT_ONLY_MC}"]

    pieces = _split_answers(body)
    if pieces[0][1].strip():
        return [], None, None, [], ["text before the first answer: start each answer with = (right) or ~ (wrong)"]
    options: list[str] = []
    feedback: list[str | None] = []
    right: list[int] = []
    errors: list[str] = []
    for marker, raw in pieces[1:]:
        cut = _find_unescaped(raw, "#")  # per-answer feedback: the option's own (option_feedback)
        answer = (raw[:cut] if cut >= 0 else raw).strip()
        feedback.append((_gift_unescape(raw[cut + 1 :]).strip() or None) if cut >= 0 else None)
        weight = GIFT_WEIGHT.match(answer)
        percent = float(weight[1]) if weight else None
        answer = answer[weight.end() :].strip() if weight else answer
        if weight and percent is not None and 0 < percent < 100:
            errors.append(f"partial credit (%{weight[1]}%) is not supported: mark the one right answer with =")
        elif percent == 100 or (marker == "=" and percent is None):
            right.append(len(options))
        options.append(_gift_unescape(answer))
    if not right and not errors:
        errors.append("no right answer: mark it with =")
    elif len(right) > 1:
        errors.append(f"{len(right)} right answers: a question has exactly one")
    return options, (right[0] if len(right) == 1 else None), explanation, feedback, errors


def _split_answers(body: str) -> list[tuple[str, str]]:
    """[("", text before the first answer), (marker, answer), …] split at unescaped = and ~."""
    pieces, marker, start, index = [], "", 0, 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if char in "=~":
            pieces.append((marker, body[start:index]))
            marker, start = char, index + 1
        index += 1
    pieces.append((marker, body[start:]))
    return pieces


def _find_unescaped(text: str, token: str, start: int = 0) -> int:
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(token, index):
            return index
        else:
            index += 1
    return -1


def _count_unescaped(text: str, char: str) -> int:
    count, index = 0, _find_unescaped(text, char)
    while index >= 0:
        count += 1
        index = _find_unescaped(text, char, index + 1)
    return count


def _gift_unescape(text: str) -> str:
    return GIFT_ESCAPE.sub(lambda match: "\n" if match[1] == "n" else match[1], text)
