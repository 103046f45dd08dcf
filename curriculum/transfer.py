"""Bulk import and export of questions: JSON and CSV both ways, Moodle GIFT (multiple choice) in.

The parse_* functions read a file into rows without touching the database (GIFT through
curriculum.gift); import_file() checks every row the way the admin does — the model's
full_clean(), so Question.clean() and each field's own validation are the rules — and
writes them all or nothing; export_questions() writes a file that import_file() reads back
to the very same rows. The formats are described in the README ("Importing and exporting
questions").

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
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from curriculum import gift
from curriculum.models import MAX_OPTIONS, Chapter, Question
from curriculum.signals import bulk_content_changed
from edtech import spreadsheets

FORMATS = ("json", "csv", "gift")
EXPORT_FORMATS = ("json", "csv")
EXTENSIONS = {".json": "json", ".csv": "csv", ".gift": "gift", ".txt": "gift"}  # Moodle saves GIFT as .txt

QUESTION_FIELDS = (
    "quiz_id",
    "chapter_id",
    "question_text",
    "options",
    "correct_answer_index",
    "explanation",
    "image_url",
    "difficulty_level",
    "is_retired",
    "option_feedback",
)
OPTIONAL_QUESTION_FIELDS = ("explanation", "image_url", "difficulty_level", "option_feedback")
CHAPTER_FIELDS = ("id", "name", "description", "subject", "order", "is_locked", "unlock_xp_required")
# A chapter created without a row of its own gets the columns' database defaults for the rest.
CHAPTER_DEFAULTS = {"description": None, "order": None, "is_locked": True, "unlock_xp_required": 0}
IMPORTED_SUBJECT = "Imported"

OPTION_COLUMNS = tuple(f"option_{number}" for number in range(1, MAX_OPTIONS + 1))
FEEDBACK_COLUMNS = tuple(f"feedback_{number}" for number in range(1, MAX_OPTIONS + 1))
CSV_COLUMNS = (
    "quiz_id",
    "chapter_id",
    "question_text",
    *OPTION_COLUMNS,
    "correct_option",
    "explanation",
    "image_url",
    "difficulty_level",
    "is_retired",
    *FEEDBACK_COLUMNS,
)
CSV_BOOLEANS = {"true": True, "false": False, "": False}
CSV_REQUIRED = ("quiz_id", "chapter_id", "question_text", "option_1", "option_2", "correct_option")


class TransferError(Exception):
    """A request that cannot be carried out at all: an unknown format or chapter, or data a format cannot hold."""


# What a report may hold, so that no file, however made, can make a huge page: a reason's length,
# the reasons given for one row, and the rejections listed (the rest are counted).
MAX_REASON_CHARS = 300
MAX_REASONS_PER_ROW = 10
MAX_REJECTIONS_SHOWN = 100


def _shown(value: object, limit: int = 40) -> str:
    """A value from the file, as a message quotes it: as JSON, cut short."""
    text = value if isinstance(value, str) and value.startswith("bad") else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Rejection:
    """Why one row (or the whole file, line 0) cannot be imported."""

    line: int
    reason: str
    section: str = "line"  # how `line` reads: "line" (CSV, GIFT, bad JSON), "question" or "chapter" (JSON lists)

    def __post_init__(self) -> None:
        if len(self.reason) > MAX_REASON_CHARS:
            object.__setattr__(self, "reason", self.reason[: MAX_REASON_CHARS - 1] + "…")

    def __str__(self) -> str:
        return f"{self.section} {self.line}: {self.reason}" if self.line else f"file: {self.reason}"


@dataclass(frozen=True)
class Outcome:
    """One row that is (or, in a dry run or a refused import, would be) created, updated or left unchanged."""

    line: int
    section: str
    key: str  # the question's quiz_id or the chapter's id
    action: str  # "created", "updated", "unchanged" or "kept" (keep_existing: left as staff have it)

    def __str__(self) -> str:
        return f"{self.section} {self.line}: {self.action} {self.key}"


@dataclass
class Row:
    """One question or chapter as read from a file, before it is checked against the database."""

    line: int  # CSV, GIFT: the physical line where the row starts; JSON: its 1-based index in its list
    section: str
    values: dict[str, Any]  # only the fields the file gives
    errors: list[str] = field(default_factory=list)
    category: str | None = None  # GIFT: the last segment of the $CATEGORY in force


@dataclass
class ParsedFile:
    format: str
    questions: list[Row] = field(default_factory=list)
    chapters: list[Row] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)  # problems of the file as a whole
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

    @property
    def rejections_shown(self) -> list[Rejection]:
        """The first rejections, as many as a page or a terminal should show."""
        return self.rejected[:MAX_REJECTIONS_SHOWN]

    @property
    def rejections_not_shown(self) -> int:
        return max(0, len(self.rejected) - MAX_REJECTIONS_SHOWN)

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
    keep_existing: bool = False,
) -> ImportReport:
    """Import a JSON, CSV or GIFT file of questions: all rows or none, in one transaction.

    Questions are matched by quiz_id: an existing one is updated (it may move to
    another chapter), a new one created. Chapters the file needs but the database
    lacks are created only with create_chapters (then the JSON "chapters" block is
    upserted too); chapter_id is the chapter of GIFT questions whose $CATEGORY
    names none. Every row is checked with the model's full_clean(), as the admin
    checks an edit. Any rejected row means nothing is written; a dry run checks
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
            _import(parsed, report, create_chapters=create_chapters, keep_existing=keep_existing)
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


def _import(parsed: ParsedFile, report: ImportReport, *, create_chapters: bool, keep_existing: bool) -> None:
    report.rejected.extend(parsed.rejections)
    if parsed.format == "gift":
        _resolve_gift_chapters(parsed)

    # The file's chapters count only when chapters may be written.
    chapter_rows = _unique_rows(parsed.chapters, "id", report) if create_chapters else []
    if parsed.chapters and not create_chapters:
        report.notes.append("The file's chapters were left alone: creating chapters (--create-chapters) applies them.")
    question_rows = _unique_rows(parsed.questions, "quiz_id", report)

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

    new_chapters: list[Chapter] = []
    changed_chapters: list[Chapter] = []
    chapter_fields: set[str] = set()
    for row in chapter_rows:
        if keep_existing and row.values["id"] in chapters:
            report.chapters.append(Outcome(row.line, row.section, row.values["id"], "kept"))
            continue
        obj, changed = _merge(Chapter, chapters.get(row.values["id"]), row.values, CHAPTER_DEFAULTS)
        if _checked(obj, row, report):
            _plan(report.chapters, row, obj.id, obj, changed, new_chapters, changed_chapters, chapter_fields)
            chapters[obj.id] = obj

    new_questions: list[Question] = []
    changed_questions: list[Question] = []
    question_fields: set[str] = set()
    # Chapters whose counted questions change (a question added, moved in or out, retired or back).
    recount: set[str] = set()
    for row in question_rows:
        chapter_id = row.values["chapter_id"]
        if not chapter_id:
            report.rejected.append(Rejection(row.line, "chapter_id is empty", row.section))
            continue
        if chapter_id not in chapters:
            if not create_chapters:
                report.rejected.append(Rejection(row.line, f'unknown chapter "{chapter_id}"', row.section))
                continue
            placeholder = {"id": chapter_id, "name": chapter_id, "subject": IMPORTED_SUBJECT}
            new_chapter, _ = _merge(Chapter, None, placeholder, CHAPTER_DEFAULTS)
            if not _checked(new_chapter, row, report):
                continue
            _plan(report.chapters, row, chapter_id, new_chapter, None, new_chapters, changed_chapters, chapter_fields)
            chapters[chapter_id] = new_chapter
        defaults = dict.fromkeys(OPTIONAL_QUESTION_FIELDS)
        existing = questions.get(row.values["quiz_id"])
        if keep_existing and existing is not None:
            report.questions.append(Outcome(row.line, row.section, existing.quiz_id, "kept"))
            continue
        before = (existing.chapter_id, existing.is_retired) if existing else None
        question, changed = _merge(Question, existing, row.values, {**defaults, "is_retired": False})
        # The chapter's existence is checked above, for all rows at once.
        if _checked(question, row, report, exclude=["chapter"]):
            plan = (report.questions, row, question.quiz_id, question, changed)
            _plan(*plan, new_questions, changed_questions, question_fields)
            if before is None or before != (question.chapter_id, question.is_retired):
                recount |= {question.chapter_id, *(before[:1] if before else ())}

    if not report.ok:
        return
    Chapter.objects.bulk_create(new_chapters)
    if changed_chapters:
        Chapter.objects.bulk_update(changed_chapters, sorted(chapter_fields))
    Question.objects.bulk_create(new_questions)
    if changed_questions:
        Question.objects.bulk_update(changed_questions, sorted(question_fields), batch_size=500)

    # Bulk writes send no signals: the cached content goes after the commit, and mastery follows the
    # chapters' questions in this transaction.
    touched = [question.quiz_id for question in (*new_questions, *changed_questions)]
    if touched or new_chapters or changed_chapters:
        bulk_content_changed(quiz_ids=touched, chapter_ids=recount, counts_changed=bool(recount))


def _merge[M: models.Model](
    model: type[M], obj: M | None, values: dict[str, Any], defaults: dict[str, Any]
) -> tuple[M, list[str] | None]:
    """The object with the file's values, and the fields that differ (a new object: None)."""
    if obj is None:
        return model(**{**defaults, **values}), None
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return obj, changed


def _checked(obj: models.Model, row: Row, report: ImportReport, exclude: list[str] | None = None) -> bool:
    """Whether the row's object passes the model's own validation (full_clean, as in the admin);
    each message goes to the report, named by its field."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        reasons = [
            f"{'' if name == '__all__' else f'{_file_name(name)}: '}{message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        _reject(report, row, reasons)
        return False
    return True


def _file_name(model_field: str) -> str:
    """A model field's name as the files spell it."""
    return {"chapter": "chapter_id"}.get(model_field, model_field)


def _plan[M: models.Model](
    outcomes: list[Outcome],
    row: Row,
    key: str,
    obj: M,
    changed: list[str] | None,
    new: list[M],
    updated: list[M],
    fields: set[str],
) -> None:
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


def _unique_rows(rows: list[Row], key: str, report: ImportReport) -> list[Row]:
    """The rows the file reads without errors; the others' errors go to the report. A key seen twice
    rejects the second row."""
    valid: list[Row] = []
    first_seen: dict[str, Row] = {}
    for row in rows:
        errors = list(row.errors)
        value = row.values.get(key)
        if value and value in first_seen:
            first = first_seen[value]
            errors.append(f'{key} "{value}" appears twice (first at {first.section} {first.line})')
        elif value:
            first_seen[value] = row
        _reject(report, row, errors)
        if not errors:
            valid.append(row)
    return valid


def _reject(report: ImportReport, row: Row, reasons: list[str]) -> None:
    """The row's reasons in the report, at most MAX_REASONS_PER_ROW of them."""
    if len(reasons) > MAX_REASONS_PER_ROW:
        more = len(reasons) - MAX_REASONS_PER_ROW + 1
        reasons = [*reasons[: MAX_REASONS_PER_ROW - 1], f"and {more} more problems in this row"]
    report.rejected.extend(Rejection(row.line, reason, row.section) for reason in reasons)


def _normalise_question(values: dict[str, Any]) -> dict[str, Any]:
    """Keys are compared without surrounding spaces; difficulty in lower case, empty meaning none."""
    for name in ("quiz_id", "chapter_id"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    if isinstance(values.get("difficulty_level"), str):
        values["difficulty_level"] = values["difficulty_level"].strip().lower() or None
    return values


# --- JSON ---------------------------------------------------------------------------------

# The JSON type each kind of model field takes (a field the file gives must have it, or be null where
# the column allows NULL): the model says which fields exist, which are required and of which kind.
JSON_TYPES = {
    "CharField": (str, "text"),
    "TextField": (str, "text"),
    "IntegerField": (int, "a whole number"),
    "BooleanField": (bool, "true or false"),
    "JSONField": (list, "a list"),
    "ForeignKey": (str, "text"),
}


def parse_json(text: str) -> ParsedFile:
    parsed = ParsedFile("json")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        parsed.rejections.append(Rejection(error.lineno, f"bad JSON: {error.msg} at column {error.colno}"))
        return parsed
    except RecursionError:
        parsed.rejections.append(Rejection(0, "bad JSON: nested too deeply (a question file is two levels deep)"))
        return parsed
    except ValueError as error:  # e.g. a number of more than 4,300 digits
        parsed.rejections.append(Rejection(0, f"bad JSON: {_shown(str(error))}"))
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
    for name, section, model, fields, rows in (
        ("chapters", "chapter", Chapter, CHAPTER_FIELDS, parsed.chapters),
        ("questions", "question", Question, QUESTION_FIELDS, parsed.questions),
    ):
        items = data.get(name, [])
        if not isinstance(items, list):
            parsed.rejections.append(Rejection(0, f'"{name}" must be a list'))
            continue
        rows.extend(_json_row(item, number, section, model, fields) for number, item in enumerate(items, 1))
    for row in parsed.questions:
        _normalise_question(row.values)
    for row in parsed.chapters:
        if isinstance(row.values.get("id"), str):
            row.values["id"] = row.values["id"].strip()
    return parsed


def _json_row(item: object, number: int, section: str, model: type[models.Model], fields: tuple[str, ...]) -> Row:
    row = Row(number, section, {})
    if not isinstance(item, dict):
        row.errors.append("must be a JSON object")
        return row
    row.errors.extend(f'unknown field "{name}"' for name in sorted(item.keys() - set(fields)))
    for name in fields:
        model_field = model._meta.get_field(name.removesuffix("_id") if name == "chapter_id" else name)
        assert isinstance(model_field, models.Field)
        if name not in item:
            if not (model_field.null or model_field.has_default() or model_field.has_db_default()):
                row.errors.append(f'missing required field "{name}"')
            continue
        value = item[name]
        kind, words = JSON_TYPES[model_field.get_internal_type()]
        # bool is an int to Python, never to a JSON file.
        if value is None and not model_field.null:
            row.errors.append(f'"{name}" must be {words}, not null')
        elif value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            row.errors.append(f'"{name}" must be {words}, not {_shown(value)}')
        else:
            row.values[name] = value
    return row


# --- CSV ----------------------------------------------------------------------------------


def parse_csv(text: str) -> ParsedFile:
    """One question a row. QUOTE_NOTNULL tells an unquoted empty cell (None, i.e. NULL) from a quoted "" one."""
    parsed = ParsedFile("csv")
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


def _csv_row(header: list[str], record: Sequence[str | None], line: int) -> Row:
    row = Row(line, "line", {})
    if len(record) > len(header):
        row.errors.append(f"{len(record)} cells, but the header names {len(header)} columns")
        return row
    cells = dict(zip(header, [*record, *[None] * (len(header) - len(record))], strict=True))
    values = row.values
    cells = {name: spreadsheets.restore(cell) for name, cell in cells.items()}
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
            row.errors.append(f"correct_option {_shown(correct)} is not a whole number")
    for name in OPTIONAL_QUESTION_FIELDS:
        if name in cells:
            values[name] = cells[name]
    if any(name in cells for name in FEEDBACK_COLUMNS):
        feedback = [cells.get(name) for name in FEEDBACK_COLUMNS[: len(options)]]
        values["option_feedback"] = feedback if any(feedback) else None
    if "is_retired" in cells:
        retired = (cells["is_retired"] or "").strip().lower()
        if retired in CSV_BOOLEANS:
            values["is_retired"] = CSV_BOOLEANS[retired]
        else:
            row.errors.append(f"is_retired {_shown(retired)} is not true or false")
    _normalise_question(values)
    return row


# --- GIFT ---------------------------------------------------------------------------------


def parse_gift(text: str, *, chapter_id: str | None = None) -> ParsedFile:
    """A GIFT file's questions as rows; each one's chapter is resolved on import (_resolve_gift_chapters)."""
    parsed = ParsedFile("gift", default_chapter=chapter_id)
    for question in gift.parse(text):
        parsed.questions.append(
            Row(question.line, "line", dict(question.values), list(question.errors), category=question.category)
        )
    return parsed


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
        for row in question_rows:  # feedback only where there is some: files without it stay as they were
            if row["option_feedback"] is None:
                del row["option_feedback"]
        data = {"chapters": list(chapters.values(*CHAPTER_FIELDS)), "questions": question_rows}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _to_csv(question_rows)


def _to_csv(rows: list[dict[str, Any]]) -> str:
    """The CSV; the feedback_1… columns only when a question has per-option feedback."""
    with_feedback = any(row["option_feedback"] for row in rows)
    columns = CSV_COLUMNS if with_feedback else tuple(c for c in CSV_COLUMNS if c not in FEEDBACK_COLUMNS)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(columns)
    writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL)  # None → unquoted empty cell, "" → ""
    for row in rows:
        options = row["options"]
        if len(options) > MAX_OPTIONS:
            raise TransferError(
                f'Question "{row["quiz_id"]}" has {len(options)} options and CSV holds {MAX_OPTIONS}: export JSON.'
            )
        cells = [
            row["quiz_id"],
            row["chapter_id"],
            row["question_text"],
            *options,
            *[None] * (MAX_OPTIONS - len(options)),
            row["correct_answer_index"] + 1,
            row["explanation"],
            row["image_url"],
            row["difficulty_level"],
            "true" if row["is_retired"] else "false",
        ]
        if with_feedback:
            feedback = row["option_feedback"] or []
            cells += [*feedback, *[None] * (MAX_OPTIONS - len(feedback))]
        writer.writerow([spreadsheets.neutralise(cell) for cell in cells])
    return buffer.getvalue()


def export_filename(fmt: str, *, chapter_id: str | None = None) -> str:
    return f"questions-{chapter_id or 'all'}-{timezone.localdate().isoformat()}.{fmt}"
