"""The data inventory describes every column there is, and only those; PRIVACY.md shows it as it is now."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import inventory

PRIVACY = Path(settings.BASE_DIR) / "PRIVACY.md"


def test_every_column_of_every_model_is_described_or_its_table_holds_no_personal_data():
    missing = inventory.undescribed(inventory.database_columns())
    assert missing == [], (
        "Columns with no entry in accounts/inventory.py (say what each is for, who sees it and how long it is "
        "kept, or list the table in NO_PERSONAL_DATA): " + ", ".join(missing)
    )


def test_the_inventory_names_no_table_or_column_that_does_not_exist():
    gone = inventory.stale(inventory.database_columns())
    assert gone == [], "accounts/inventory.py describes what the models no longer have: " + ", ".join(gone)


def test_no_table_is_both_personal_and_not():
    assert set(inventory.PERSONAL_DATA) & set(inventory.NO_PERSONAL_DATA) == set()


def test_a_new_column_is_named_as_undescribed():
    tables = {"students": [*inventory.PERSONAL_DATA["students"].columns, "shoe_size"], "chapters": ["new"]}
    assert inventory.undescribed(tables) == ["students.shoe_size"]


def test_a_new_table_is_named_column_by_column():
    assert inventory.undescribed({"accounts_pet": ["id", "name"]}) == ["accounts_pet.id", "accounts_pet.name"]


def test_a_removed_column_is_named_as_stale():
    tables = inventory.database_columns()
    tables["students"] = [column for column in tables["students"] if column != "time_zone"]
    del tables["chapters"]
    assert inventory.stale(tables) == ["chapters", "students.time_zone"]


def test_every_entry_says_what_it_is_for_who_sees_it_and_how_long_it_is_kept():
    entries = [c for table in inventory.PERSONAL_DATA.values() for c in table.columns.values()]
    assert all(c.purpose.strip() and c.seen_by.strip() and c.kept.strip() for c in entries)
    assert all(table.description.strip() for table in inventory.PERSONAL_DATA.values())
    assert all(reason.strip() for reason in inventory.NO_PERSONAL_DATA.values())


def test_the_markdown_has_a_table_per_table_and_the_data_outside_the_database():
    markdown = inventory.render_markdown()
    assert "### `accounts_consent` — Why we may hold a child's data: one record per student." in markdown
    assert "| Column | What it is for | Who sees it | Kept |" in markdown
    assert "| `child_name` |" in markdown
    assert "### Outside the database" in markdown
    assert "The Redis cache" in markdown
    assert inventory.NOTICE_VERSION in markdown


def test_the_markdown_is_the_same_on_every_run():
    assert inventory.render_markdown() == inventory.render_markdown()


def test_privacy_md_shows_the_inventory_as_it_is_now():
    document = PRIVACY.read_text(encoding="utf-8")
    assert inventory.with_inventory(document, inventory.render_markdown()) == document, (
        "PRIVACY.md's inventory is out of date: run `python manage.py write_privacy_inventory`"
    )


@pytest.fixture
def stale_copy(tmp_path):
    """PRIVACY.md with an old inventory between its markers."""
    path = tmp_path / "PRIVACY.md"
    path.write_text(
        inventory.with_inventory(PRIVACY.read_text(encoding="utf-8"), "| `students` | an old entry |"),
        encoding="utf-8",
    )
    return path


def test_the_check_fails_on_a_stale_copy_and_writes_nothing(stale_copy):
    before = stale_copy.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape("not current: run `python manage.py write_privacy_inventory`")):
        call_command("write_privacy_inventory", "--check", "--path", str(stale_copy), stdout=StringIO())
    assert stale_copy.read_text(encoding="utf-8") == before


def test_writing_makes_the_copy_current_and_keeps_the_prose(stale_copy):
    call_command("write_privacy_inventory", "--path", str(stale_copy), stdout=StringIO())

    assert stale_copy.read_text(encoding="utf-8") == PRIVACY.read_text(encoding="utf-8")
    out = StringIO()
    call_command("write_privacy_inventory", "--check", "--path", str(stale_copy), stdout=out)
    assert "is current" in out.getvalue()


def test_a_file_without_the_markers_is_refused(tmp_path):
    path = tmp_path / "PRIVACY.md"
    path.write_text("# Privacy\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no <!-- inventory:start -->"):
        call_command("write_privacy_inventory", "--path", str(path), stdout=StringIO())
    assert path.read_text(encoding="utf-8") == "# Privacy\n"
