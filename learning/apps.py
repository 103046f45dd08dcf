from django.apps import AppConfig


class LearningConfig(AppConfig):
    """The student's journey: the chapter map, chapters, questions and results, the dashboard and leaderboard,
    and record_answer, the one write that spans the apps below."""

    name = "learning"
