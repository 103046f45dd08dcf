"""CSV cells that a spreadsheet will not run: formula injection neutralised, losslessly.

A cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel, LibreOffice
and Google Sheets: `=HYPERLINK("http://evil", "Click")` in a question would run when staff open the
export. Such a cell is written with a leading apostrophe, which every spreadsheet shows as text;
one apostrophe more is added to a cell that already starts with apostrophes before such a
character, so that reading the file back (restore) gives exactly the text that was written.
"""

import re

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def neutralise(value: object) -> object:
    """The value as it may go into a CSV cell (text that could start a formula gets a leading ')."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def restore(value: str | None) -> str | None:
    """The text neutralise() was given, from the cell it wrote."""
    if value is not None and value.startswith("'") and _FORMULA.match(value):
        return value[1:]
    return value
