from django.apps import AppConfig


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = "classes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from accounts import signed_in
        from accounts.models import User
        from classes import progress
        from classes.models import Teacher

        # Whether an account has a teacher's profile is part of its cached copy (accounts.signed_in).
        post_save.connect(signed_in.profile_changed, sender=Teacher, dispatch_uid="signed-in-teacher-saved")
        post_delete.connect(signed_in.profile_changed, sender=Teacher, dispatch_uid="signed-in-teacher-deleted")
        # An erased child's classes' cached grids go with them.
        pre_delete.connect(
            lambda sender, instance, **kwargs: progress.forget_grids_of(instance),
            sender=User,
            weak=False,
            dispatch_uid="class-grids-of-a-deleted-account",
        )
