from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"

    def ready(self):
        from curriculum import signals  # noqa: F401 - connects the cache invalidation receivers
