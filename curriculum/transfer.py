"""Bulk import and export of questions: JSON and CSV both ways, Moodle GIFT (multiple choice) in.

The parse_* functions read a file into rows without touching the database;
import_file() checks the rows against the database and writes them all or
nothing; export_questions() writes a file that import_file() reads back to the
very same rows. The formats are described in the README ("Importing and
exporting questions").

One rule for the optional fields (explanation, image_url, difficulty_level; a
chapter's description, order, is_locked, unlock_xp_required): a field the file
gives is stored as given — null stays NULL and an empty string stays an empty
string (in CSV, an unquoted empty cell is NULL and a quoted one, "", is the empty
string) — and a field the file does not give (a missing JSON key, a missing CSV
column; image_url and difficulty_level in GIFT) keeps its current value on update
and is NULL (or the column's default) on create. Only an empty difficulty_level
is read as NULL, since the database allows nothing else.
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from curriculum import catalog
from curriculum.models import Chapter, Question

FORMATS = ("json", "csv", "gift")
EXPORT_FORMATS = ("json", "csv")
EXTENSIONS = {".json": "json", ".csv": "csv", ".gift": "gift", ".txt": "gift"}  # Moodle saves GIFT as .txt

MIN_OPTIONS, MAX_OPTIONS = 2, 6
DIFFICULTIES = tuple(Question.Difficulty.values)
QUESTION_FIELDS = (
    "quiz_id",
    "chapter_id",
    "question_text",
    "options",
    "correct_answer_index",
    "explanation",
    "image_url",
    "difficulty_level",
)
OPTIONAL_QUESTION_FIELDS = ("explanation", "image_url", "difficulty_level")
CHAPTER_FIELDS = ("id", "name", "description", "subject", "order", "is_locked", "unlock_xp_required")
# A chapter created without a row of its own gets the columns' database defaults for the rest.
CHAPTER_DEFAULTS = {"description": None, "order": None, "is_locked": True, "unlock_xp_required": 0}
IMPORTED_SUBJECT = "Imported"

OPTION_COLUMNS = tuple(f"option_{number}" for number in range(1, MAX_OPTIONS + 1))
CSV_COLUMNS = (
    "quiz_id",
    "chapter_id",
    "question_text",
    *OPTION_COLUMNS,
    "correct_option",
    "explanation",
    "image_url",
    "difficulty_level",
)
CSV_REQUIRED = ("quiz_id", "chapter_id", "question_text", "option_1", "option_2", "correct_option")

# JSON field kinds: what each key may hold, and whether it must be there.
QUESTION_SPEC = {
    "quiz_id": ("text", True),
    "chapter_id": ("text", True),
    "question_text": ("text", True),
    "options": ("list", True),
    "correct_answer_index": ("integer", True),
    "explanation": ("text or null", False),
    "image_url": ("text or null", False),
    "difficulty_level": ("text or null", False),
}
CHAPTER_SPEC = {
    "id": ("text", True),
    "name": ("text", True),
    "description": ("text or null", False),
    "subject": ("text", True),
    "order": ("integer or null", False),
    "is_locked": ("true, false or null", False),
    "unlock_xp_required": ("integer or null", False),
}


class TransferError(Exception):
    """A request that cannot be carried out at all: an unknown format or chapter, or data a format cannot hold."""


@dataclass(frozen=True)
class Rejection:
    """Why one row (or the whole file, line 0) cannot be imported."""

    line: int
    reason: str
    section: str = "line"  # how `line` reads: "line" (CSV, GIFT, bad JSON), "question" or "chapter" (JSON lists)

    def __str__(self) -> str:
        return f"{self.section} {self.line}: {self.reason}" if self.line else f"file: {self.reason}"


@dataclass(frozen=True)
class Outcome:
    """One row that is (or, in a dry run or a refused import, would be) created, updated or left unchanged."""

    line: int
    section: str
    key: str  # the question's quiz_id or the chapter's id
    action: str  # "created", "updated" or "unchanged"

    def __str__(self) -> str:
        return f"{self.section} {self.line}: {self.action} {self.key}"


@dataclass
class Row:
    """One question or chapter as read from a file, before it is checked against the database."""

    line: int  # CSV, GIFT: the physical line where the row starts; JSON: its 1-based index in its list
    section: str
    values: dict  # only the fields the file gives
    errors: list[str] = field(default_factory=list)
    category: str | None = None  # GIFT: the last segment of the $CATEGORY in force


@dataclass
class ParsedFile:
    format: str
    questions: list[Row] = field(default_factory=list)
    chapters: list[Row] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)  # problems of the file as a whole
    # How the file numbers the right answer, for the messages: CSV counts options from 1.
    index_name: str = "correct_answer_index"
    index_base: int = 0
    default_chapter: str | None = None  # GIFT: the chapter given with the file


@dataclass
class ImportReport:
    dry_run: bool
    questions: list[Outcome] = field(default_factory=list)
    chapters: list[Outcome] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def written(self) -> bool:
        """Whether the import was committed (valid and not a dry run)."""
        return self.ok and not self.dry_run

    @property
    def outcomes(self) -> list[Outcome]:
        return [*self.chapters, *self.questions]

    def count(self, action: str, *, chapters: bool = False) -> int:
        return sum(outcome.action == action for outcome in (self.chapters if chapters else self.questions))

    @property
    def rejected_rows(self) -> int:
        return len({(rejection.section, rejection.line) for rejection in self.rejected})

    def summary(self) -> str:
        text = (
            f"Questions: {self.count('created')} created, {self.count('updated')} updated, "
            f"{self.count('unchanged')} unchanged, {self.rejected_rows} rejected."
        )
        if self.chapters:
            text += (
                f" Chapters: {self.count('created', chapters=True)} created, "
                f"{self.count('updated', chapters=True)} updated, {self.count('unchanged', chapters=True)} unchanged."
            )
        if self.dry_run and self.ok:
            text = f"Dry run, nothing was written. {text}"
        elif not self.ok:
            text = f"Nothing was written. {text}"
        return text


def format_for(filename: str) -> str | None:
    """The import format a file name suggests (.json, .csv, .gift or .txt), or None."""
    return EXTENSIONS.get(Path(filename).suffix.lower())


# --- Import -----------------------------------------------------------------------------


def import_file(
    content: bytes | str,
    *,
    fmt: str,
    chapter_id: str | None = None,
    dry_run: bool = False,
    create_chapters: bool = False,
) -> ImportReport:
    """Import a JSON, CSV or GIFT file of questions: all rows or none, in one transaction.

    Questions are matched by quiz_id: an existing one is updated (it may move to
    another chapter), a new one created. Chapters the file needs but the database
    lacks are created only with create_chapters (then the JSON "chapters" block is
    upserted too); chapter_id is the chapter of GIFT questions whose $CATEGORY
    names none. Any rejected row means nothing is written; a dry run checks
    everything, writes inside the transaction and rolls it back. The report lists
    each row's outcome and each rejection with its line.

    Under concurrency: the existing rows are locked (FOR NO KEY UPDATE, so students
    keep answering them) before they are compared, so imports touching the same
    rows run one after the other. Two imports creating the same new quiz_id at once:
    the second is refused by the unique constraint and writes nothing. Cached
    question and chapter content is dropped after the commit.
    """
    parsed = parse(content, fmt, chapter_id=chapter_id)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic(durable=True):
            _import(parsed, report, create_chapters=create_chapters)
            if dry_run or not report.ok:
                transaction.set_rollback(True)
    except (IntegrityError, DataError) as error:
        report.rejected.append(Rejection(0, f"the database refused the import: {error}".strip()))
    # In file order: the file as a whole, then JSON chapters, then the questions.
    report.rejected.sort(key=lambda rejection: (rejection.line > 0, rejection.section != "chapter", rejection.line))
    return report


def parse(content: bytes | str, fmt: str, *, chapter_id: str | None = None) -> ParsedFile:
    """Read a file in one of FORMATS into rows; nothing is checked against the database yet."""
    if fmt not in FORMATS:
        raise TransferError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content.count(b"\n", 0, error.start) + 1
            return ParsedFile(fmt, rejections=[Rejection(line, "the file is not UTF-8 text")])
    else:
        text = content.removeprefix("\ufeff")
    if fmt == "json":
        return parse_json(text)
    if fmt == "csv":
        return parse_csv(text)
    return parse_gift(text, chapter_id=chapter_id)


def _import(parsed: ParsedFile, report: ImportReport, *, create_chapters: bool) -> None:
    report.rejected.extend(parsed.rejections)
    if parsed.format == "gift":
        _resolve_gift_chapters(parsed)

    # The file's chapters count only when chapters may be written.
    chapter_rows = _valid_rows(parsed.chapters, "id", _chapter_errors, report) if create_chapters else []
    if parsed.chapters and not create_chapters:
        report.notes.append("The file's chapters were left alone: creating chapters (--create-chapters) applies them.")
    question_rows = _valid_rows(
        parsed.questions,
        "quiz_id",
        lambda values: _question_errors(values, parsed.index_name, parsed.index_base),
        report,
    )

    wanted_chapters = {row.values["id"] for row in chapter_rows} | {row.values["chapter_id"] for row in question_rows}
    chapters = {
        chapter.id: chapter
        for chapter in Chapter.objects.select_for_update(no_key=True).filter(id__in=wanted_chapters).order_by("id")
    }
    quiz_ids = {row.values["quiz_id"] for row in question_rows}
    questions = {
        question.quiz_id: question
        for question in Question.objects.select_for_update(no_key=True).filter(quiz_id__in=quiz_ids).order_by("quiz_id")
    }

    new_chapters, changed_chapters, chapter_fields = [], [], set()
    if create_chapters:
        for row in chapter_rows:
            obj, changed = _merge(Chapter, chapters.get(row.values["id"]), row.values, CHAPTER_DEFAULTS)
            _plan(report.chapters, row, row.values["id"], obj, changed, new_chapters, changed_chapters, chapter_fields)
            chapters[obj.id] = obj

    new_questions, changed_questions, question_fields = [], [], set()
    for row in question_rows:
        chapter_id = row.values["chapter_id"]
        if chapter_id not in chapters:
            if not create_chapters:
                report.rejected.append(Rejection(row.line, f'unknown chapter "{chapter_id}"', row.section))
                continue
            placeholder = {"id": chapter_id, "name": chapter_id, "subject": IMPORTED_SUBJECT}
            obj, changed = _merge(Chapter, None, placeholder, CHAPTER_DEFAULTS)
            _plan(report.chapters, row, chapter_id, obj, changed, new_chapters, changed_chapters, chapter_fields)
            chapters[chapter_id] = obj
        defaults = dict.fromkeys(OPTIONAL_QUESTION_FIELDS)
        obj, changed = _merge(Question, questions.get(row.values["quiz_id"]), row.values, defaults)
        _plan(report.questions, row, obj.quiz_id, obj, changed, new_questions, changed_questions, question_fields)

    if not report.ok:
        return
    Chapter.objects.bulk_create(new_chapters)
    if changed_chapters:
        Chapter.objects.bulk_update(changed_chapters, sorted(chapter_fields))
    Question.objects.bulk_create(new_questions)
    if changed_questions:
        Question.objects.bulk_update(changed_questions, sorted(question_fields), batch_size=500)

    # Bulk writes send no signals: drop the cached content here, once the rows are committed.
    touched = [question.quiz_id for question in (*new_questions, *changed_questions)]
    if touched or new_chapters or changed_chapters:
        transaction.on_commit(lambda: _forget(touched))


def _forget(quiz_ids: list[str]) -> None:
    catalog.forget_chapters()
    for quiz_id in quiz_ids:
        catalog.forget_question(quiz_id)


def _merge(model, obj, values: dict, defaults: dict):
    """The object with the file's values, and the fields that differ (a new object: None)."""
    if obj is None:
        return model(**{**defaults, **values}), None
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return obj, changed


def _plan(outcomes, row, key, obj, changed, new, updated, fields) -> None:
    if changed is None:
        action = "created"
        new.append(obj)
    elif changed:
        action = "updated"
        updated.append(obj)
        fields.update(changed)
    else:
        action = "unchanged"
    outcomes.append(Outcome(row.line, row.section, key, action))


def _valid_rows(rows: list[Row], key: str, check, report: ImportReport) -> list[Row]:
    """The rows without errors; the others' errors go to the report. A key seen twice rejects the second row."""
    valid, first_seen = [], {}
    for row in rows:
        errors = row.errors or check(row.values)
        value = row.values.get(key)
        if value and value in first_seen:
            first = first_seen[value]
            errors = [*errors, f'{key} "{value}" appears twice (first at {first.section} {first.line})']
        elif value:
            first_seen[value] = row
        report.rejected.extend(Rejection(row.line, error, row.section) for error in errors)
        if not errors:
            valid.append(row)
    return valid


def _text_errors(values: dict, name: str, max_length: int | None = None, *, required: bool = False) -> list[str]:
    value = values.get(name)
    if required and (value is None or not value.strip()):
        return [f"{name} is empty"]
    if value is not None and max_length and len(value) > max_length:
        return [f"{name} is longer than {max_length} characters"]
    return []


def _question_errors(values: dict, index_name: str, index_base: int) -> list[str]:
    """What is wrong with one question's values (nothing: an empty list)."""
    errors = [
        *_text_errors(values, "quiz_id", Question._meta.get_field("quiz_id").max_length, required=True),
        *_text_errors(values, "chapter_id", Chapter._meta.get_field("id").max_length, required=True),
        *_text_errors(values, "image_url", Question._meta.get_field("image_url").max_length),
    ]
    if not (values.get("question_text") or "").strip():
        errors.append("the question text is empty")
    options = values.get("options", [])
    if not all(isinstance(option, str) for option in options):
        errors.append("options must be text")
        options = []
    elif len(options) < MIN_OPTIONS:
        errors.append(f"{len(options)} option(s): a question needs at least {MIN_OPTIONS}")
    elif len(options) > MAX_OPTIONS:
        errors.append(f"{len(options)} options: a question has at most {MAX_OPTIONS}")
    first_seen = {}
    for number, option in enumerate(options, 1):
        normal = " ".join(option.split())
        if not normal:
            errors.append(f"option {number} is empty")
        elif normal in first_seen:
            errors.append(f'options {first_seen[normal]} and {number} are the same ("{normal}")')
        else:
            first_seen[normal] = number
    index = values.get("correct_answer_index")
    if options and index is not None and not 0 <= index < len(options):
        errors.append(
            f"{index_name} {index + index_base} is out of range: "
            f"there are {len(options)} options, numbered {index_base} to {len(options) - 1 + index_base}"
        )
    difficulty = values.get("difficulty_level")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        errors.append(f'unknown difficulty "{difficulty}": use {", ".join(DIFFICULTIES)} or leave it empty')
    return errors


def _chapter_errors(values: dict) -> list[str]:
    errors = [
        *_text_errors(values, "id", Chapter._meta.get_field("id").max_length, required=True),
        *_text_errors(values, "name", Chapter._meta.get_field("name").max_length, required=True),
        *_text_errors(values, "subject", Chapter._meta.get_field("subject").max_length, required=True),
    ]
    if (values.get("unlock_xp_required") or 0) < 0:
        errors.append("unlock_xp_required must not be negative")
    return errors


def _normalise_question(values: dict) -> dict:
    """Keys are compared without surrounding spaces; difficulty in lower case, empty meaning none."""
    for name in ("quiz_id", "chapter_id"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    if isinstance(values.get("difficulty_level"), str):
        values["difficulty_level"] = values["difficulty_level"].strip().lower() or None
    return values


# --- JSON ---------------------------------------------------------------------------------


def parse_json(text: str) -> ParsedFile:
    parsed = ParsedFile("json")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        parsed.rejections.append(Rejection(error.lineno, f"bad JSON: {error.msg} at column {error.colno}"))
        return parsed
    if not isinstance(data, dict):
        parsed.rejections.append(
            Rejection(0, 'the file must hold one JSON object: {"chapters": […], "questions": […]}')
        )
        return parsed
    for name in sorted(data.keys() - {"chapters", "questions"}):
        parsed.rejections.append(Rejection(0, f'unknown field "{name}"'))
    if "questions" not in data:
        parsed.rejections.append(Rejection(0, 'missing required field "questions"'))
    for name, section, spec, rows in (
        ("chapters", "chapter", CHAPTER_SPEC, parsed.chapters),
        ("questions", "question", QUESTION_SPEC, parsed.questions),
    ):
        items = data.get(name, [])
        if not isinstance(items, list):
            parsed.rejections.append(Rejection(0, f'"{name}" must be a list'))
            continue
        rows.extend(_json_row(item, number, section, spec) for number, item in enumerate(items, 1))
    for row in parsed.questions:
        _normalise_question(row.values)
    for row in parsed.chapters:
        if isinstance(row.values.get("id"), str):
            row.values["id"] = row.values["id"].strip()
    return parsed


def _json_row(item, number: int, section: str, spec: dict) -> Row:
    row = Row(number, section, {})
    if not isinstance(item, dict):
        row.errors.append("must be a JSON object")
        return row
    row.errors.extend(f'unknown field "{name}"' for name in sorted(item.keys() - spec.keys()))
    for name, (kind, required) in spec.items():
        if name not in item:
            if required:
                row.errors.append(f'missing required field "{name}"')
        elif _is_kind(item[name], kind):
            row.values[name] = item[name]
        else:
            row.errors.append(f'"{name}" must be {kind}, not {json.dumps(item[name], ensure_ascii=False)}')
    return row


def _is_kind(value, kind: str) -> bool:
    if value is None:
        return kind.endswith("or null")
    if kind.startswith("integer"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind.startswith("true"):
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    return isinstance(value, str)


# --- CSV ----------------------------------------------------------------------------------


def parse_csv(text: str) -> ParsedFile:
    """One question a row. QUOTE_NOTNULL tells an unquoted empty cell (None, i.e. NULL) from a quoted "" one."""
    parsed = ParsedFile("csv", index_name="correct_option", index_base=1)
    reader = csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NOTNULL, strict=True)
    try:
        header = [(cell or "").strip() for cell in next(reader, [])]
        problems = _header_problems(header)
        if problems:
            parsed.rejections.extend(Rejection(1, problem) for problem in problems)
            return parsed
        last_line = reader.line_num
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if all(not cell for cell in record):
                continue  # a blank line
            parsed.questions.append(_csv_row(header, record, start))
    except csv.Error as error:
        parsed.rejections.append(Rejection(reader.line_num, f"bad CSV: {error}"))
    return parsed


def _header_problems(header: list[str]) -> list[str]:
    if not header:
        return ["the file is empty: the first line must name the columns"]
    problems = [f'unknown column "{name}"' for name in header if name not in CSV_COLUMNS]
    problems += [f'column "{name}" appears twice' for name in dict.fromkeys(header) if header.count(name) > 1]
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        problems.append(f"missing required column(s): {', '.join(missing)}")
    return problems


def _csv_row(header: list[str], record: list[str | None], line: int) -> Row:
    row = Row(line, "line", {})
    if len(record) > len(header):
        row.errors.append(f"{len(record)} cells, but the header names {len(header)} columns")
        return row
    cells = dict(zip(header, record + [None] * (len(header) - len(record)), strict=True))
    values = row.values
    values["quiz_id"] = cells["quiz_id"] or ""
    values["chapter_id"] = cells["chapter_id"] or ""
    values["question_text"] = cells["question_text"] or ""
    options = [cells[name] for name in OPTION_COLUMNS if name in cells]
    while options and not (options[-1] or "").strip():
        options.pop()  # fewer options than columns
    values["options"] = [option or "" for option in options]
    correct = (cells["correct_option"] or "").strip()
    if not correct:
        row.errors.append("correct_option is empty")
    else:
        try:
            values["correct_answer_index"] = int(correct) - 1
        except ValueError:
            row.errors.append(f'correct_option "{correct}" is not a whole number')
    for name in OPTIONAL_QUESTION_FIELDS:
        if name in cells:
            values[name] = cells[name]
    _normalise_question(values)
    return row


# --- GIFT ---------------------------------------------------------------------------------

GIFT_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
GIFT_TEXT_FORMAT = re.compile(r"^\[(?:html|moodle|plain|markdown)\]\s*", re.IGNORECASE)
GIFT_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
GIFT_CATEGORY = "$CATEGORY:"
GIFT_ONLY_MC = "only multiple-choice questions can be imported"


def parse_gift(text: str, *, chapter_id: str | None = None) -> ParsedFile:
    """Moodle GIFT, multiple choice only: one question a paragraph (questions are separated by blank lines).

    The title (::title::) is the quiz_id, else gift-<first 12 hex digits of the text's SHA-1>,
    stable across imports. Per-answer feedback (#…) is dropped, the general feedback
    (####…) is the explanation. Each question notes the last segment of the $CATEGORY
    in force; it names the chapter if such a chapter exists, else chapter_id does.
    """
    parsed = ParsedFile("gift", index_name="right answer", index_base=1, default_chapter=chapter_id)
    category = None
    for block in _gift_blocks(text):
        while block and block[0][1].strip().startswith(GIFT_CATEGORY):
            path = block.pop(0)[1].strip().removeprefix(GIFT_CATEGORY)
            category = path.strip().rstrip("/").rsplit("/", 1)[-1].strip() or None
        if block:
            parsed.questions.append(_gift_question(block, category))
    return parsed


def _gift_blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Paragraphs of (line number, line), without // comment lines. A blank line inside { } does not end one."""
    block, depth = [], 0
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


def _gift_question(block: list[tuple[int, str]], category: str | None) -> Row:
    row = Row(block[0][0], "line", {}, category=category)
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
    options, right, explanation, errors = _gift_answers(source[start + 1 : end])
    if errors:
        row.errors.extend(errors)
        return row
    quiz_id = title or "gift-" + hashlib.sha1(question_text.encode(), usedforsecurity=False).hexdigest()[:12]
    row.values.update(
        quiz_id=quiz_id,
        chapter_id=None,  # resolved against the database on import
        question_text=question_text,
        options=options,
        correct_answer_index=right,
        explanation=explanation,
    )
    return row


def _gift_answers(body: str) -> tuple[list[str], int | None, str | None, list[str]]:
    """The options, the right one's index, the general feedback, and why the answers are not multiple choice."""
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
        return [], None, None, [f"{kind}: {GIFT_ONLY_MC}"]

    pieces = _split_answers(body)
    if pieces[0][1].strip():
        return [], None, None, ["text before the first answer: start each answer with = (right) or ~ (wrong)"]
    options, right, errors = [], [], []
    for marker, raw in pieces[1:]:
        cut = _find_unescaped(raw, "#")  # per-answer feedback: the model has nowhere to keep it
        answer = (raw[:cut] if cut >= 0 else raw).strip()
        weight = GIFT_WEIGHT.match(answer)
        percent = float(weight[1]) if weight else None
        answer = answer[weight.end() :].strip() if weight else answer
        if percent is not None and 0 < percent < 100:
            errors.append(f"partial credit (%{weight[1]}%) is not supported: mark the one right answer with =")
        elif percent == 100 or (marker == "=" and percent is None):
            right.append(len(options))
        options.append(_gift_unescape(answer))
    if not right and not errors:
        errors.append("no right answer: mark it with =")
    elif len(right) > 1:
        errors.append(f"{len(right)} right answers: a question has exactly one")
    return options, (right[0] if len(right) == 1 else None), explanation, errors


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


def _resolve_gift_chapters(parsed: ParsedFile) -> None:
    """A $CATEGORY whose last segment is an existing chapter's id names the chapter; else the given one does."""
    categories = {row.category for row in parsed.questions if row.category}
    existing = set(Chapter.objects.filter(id__in=categories).values_list("id", flat=True))
    for row in parsed.questions:
        if row.errors:
            continue
        chapter_id = row.category if row.category in existing else parsed.default_chapter
        if chapter_id is None:
            row.errors.append("no chapter: choose one (--chapter), or name an existing chapter in a $CATEGORY line")
        else:
            row.values["chapter_id"] = chapter_id


# --- Export -------------------------------------------------------------------------------


def export_questions(fmt: str, *, chapter_id: str | None = None) -> str:
    """All questions (or one chapter's) as JSON or CSV, in chapter-map order; import_file() reads it back losslessly.

    JSON holds the chapters too (all of them, or the one). Raises TransferError for an
    unknown chapter, and for CSV when a question has more options than CSV has columns.
    """
    if fmt not in EXPORT_FORMATS:
        raise TransferError(f"Unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}.")
    chapters = Chapter.objects.in_map_order()
    questions = Question.objects.order_by(
        "chapter__subject", F("chapter__order").asc(nulls_last=True), "chapter__name", "chapter_id", "id"
    )
    if chapter_id is not None:
        chapters = chapters.filter(id=chapter_id)
        questions = questions.filter(chapter_id=chapter_id)
        if not chapters.exists():
            raise TransferError(f'No chapter "{chapter_id}".')
    question_rows = list(questions.values(*QUESTION_FIELDS))
    if fmt == "json":
        data = {"chapters": list(chapters.values(*CHAPTER_FIELDS)), "questions": question_rows}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _to_csv(question_rows)


def _to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(CSV_COLUMNS)
    writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL)  # None → unquoted empty cell, "" → ""
    for row in rows:
        options = row["options"]
        if len(options) > MAX_OPTIONS:
            raise TransferError(
                f'Question "{row["quiz_id"]}" has {len(options)} options and CSV holds {MAX_OPTIONS}: export JSON.'
            )
        writer.writerow(
            [
                row["quiz_id"],
                row["chapter_id"],
                row["question_text"],
                *options,
                *[None] * (MAX_OPTIONS - len(options)),
                row["correct_answer_index"] + 1,
                row["explanation"],
                row["image_url"],
                row["difficulty_level"],
            ]
        )
    return buffer.getvalue()


def export_filename(fmt: str, *, chapter_id: str | None = None) -> str:
    return f"questions-{chapter_id or 'all'}-{timezone.localdate().isoformat()}.{fmt}"
