"""Admin-side cache invalidation: staff edits reach students at once.

Signals (not explicit calls) because the admin, imports and the shell all save
curriculum rows; the cache entries go after the transaction commits, so a
rolled-back edit never empties the cache for nothing and a reader can never
cache the old row again after the delete.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from curriculum import catalog
from curriculum.models import Chapter, Question


@receiver(pre_delete, sender=Chapter)
def remember_chapter_questions(sender, instance, **kwargs):
    # The database cascade removes the questions without Django seeing them: note them first.
    instance._quiz_ids = list(instance.questions.values_list("quiz_id", flat=True))


@receiver(post_save, sender=Chapter)
@receiver(post_delete, sender=Chapter)
def chapter_changed(sender, instance, **kwargs):
    quiz_ids = getattr(instance, "_quiz_ids", [])

    def forget():
        catalog.forget_chapters()
        for quiz_id in quiz_ids:
            catalog.forget_question(quiz_id)

    transaction.on_commit(forget)


@receiver(pre_save, sender=Question)
def remember_old_quiz_id(sender, instance, **kwargs):
    # A renamed quiz_id must drop the entry under the old name too.
    instance._old_quiz_id = (
        Question.objects.filter(pk=instance.pk).values_list("quiz_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Question)
@receiver(post_delete, sender=Question)
def question_changed(sender, instance, **kwargs):
    quiz_ids = {instance.quiz_id, getattr(instance, "_old_quiz_id", None)} - {None}

    def forget():
        for quiz_id in quiz_ids:
            catalog.forget_question(quiz_id)
        catalog.forget_chapters()  # the chapter's question count may have changed

    transaction.on_commit(forget)
