"""Form helpers shared by the apps."""

from typing import Any


def radio_choices(field: Any) -> list[dict[str, Any]]:
    """A radio field's choices as a template prints them itself, with Django's ids (id_<name>_<n>) and the
    choice given back checked: plain inputs instead of one widget template per option, which cost more than
    the rest of the question page."""
    value = field.value()
    chosen = None if value is None else str(value)
    return [
        {"value": choice, "label": label, "id": f"{field.auto_id}_{number}", "checked": str(choice) == chosen}
        for number, (choice, label) in enumerate(field.field.choices)
    ]
