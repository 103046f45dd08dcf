from django.apps import AppConfig


class FamilyConfig(AppConfig):
    """The parent's pages: the family, linking a child, a child's progress."""

    name = "family"
