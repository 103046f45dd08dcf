from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Work that leaves the request: e-mail sent by the task worker, periodic jobs claimed once per period."""

    name = "jobs"
