from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import receivers  # noqa: F401 - connects the recompute on content changes
