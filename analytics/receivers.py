"""What the numbers do when content changes: mastery follows the questions a chapter counts."""

from typing import Any

from django.dispatch import receiver

from analytics.models import StudentProgress
from curriculum.signals import chapters_changed


@receiver(chapters_changed)
def recompute_mastery(sender: Any, chapter_ids: set[str], **kwargs: Any) -> None:
    StudentProgress.objects.recompute_chapters(chapter_ids)
