"""What a content edit sets off: cached content is dropped, and the chapters whose questions changed
are announced (chapters_changed) so that the numbers derived from them are recomputed.

Signals (not explicit calls) because the admin, imports and the shell all save
curriculum rows, and because what must follow an edit (the students' mastery) lives in
an app above this one. The cache entries go after the transaction commits, so a
rolled-back edit never empties the cache for nothing and a reader can never cache the
old row again after the delete; chapters_changed is sent inside the transaction, so its
receivers' writes commit or roll back with the edit.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal, receiver

from curriculum import catalog
from curriculum.models import Chapter, Question

# The questions that count in these chapters changed: one was added, moved in or out, retired, brought
# back or deleted. Sent with chapter_ids (a set), inside the transaction of the change. The importer's
# bulk writes send it themselves.
chapters_changed = Signal()


def bulk_content_changed(*, quiz_ids: Iterable[str], chapter_ids: Iterable[str], counts_changed: bool) -> None:
    """What a save would set off, for a bulk write (update, bulk_create, bulk_update send no signals):
    the cached content goes after the commit, and, when the questions the chapters count changed,
    chapters_changed is sent now."""
    quiz_ids = list(quiz_ids)

    def forget() -> None:
        catalog.forget_chapters()
        for quiz_id in quiz_ids:
            catalog.forget_question(quiz_id)

    transaction.on_commit(forget)
    if counts_changed:
        chapters_changed.send(sender=Question, chapter_ids=set(chapter_ids))


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
def remember_what_the_question_was(sender, instance, **kwargs):
    # A renamed quiz_id must drop the entry under the old name too; a move or a retirement changes
    # what the old chapter counts as well as the new one.
    saved = (
        Question.objects.filter(pk=instance.pk).values("quiz_id", "chapter_id", "is_retired").first()
        if instance.pk
        else None
    )
    instance._saved = saved


@receiver(post_save, sender=Question)
@receiver(post_delete, sender=Question)
def question_changed(sender, instance, created=False, **kwargs):
    saved = getattr(instance, "_saved", None)
    quiz_ids = {instance.quiz_id, saved["quiz_id"] if saved else None} - {None}

    def forget():
        for quiz_id in quiz_ids:
            catalog.forget_question(quiz_id)
        catalog.forget_chapters()  # the chapter's question count may have changed

    transaction.on_commit(forget)
    if created or saved is None or kwargs.get("signal") is post_delete:
        chapters_changed.send(sender=Question, chapter_ids={instance.chapter_id})
    elif saved["chapter_id"] != instance.chapter_id or saved["is_retired"] != instance.is_retired:
        chapters_changed.send(sender=Question, chapter_ids={saved["chapter_id"], instance.chapter_id})
