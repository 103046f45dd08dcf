from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailBackend(ModelBackend):
    """Django's model backend, loading the account with its student, parent or teacher profile in one query.

    Every page checks the account's role (student? parent?), so the profile is always needed.
    """

    def get_user(self, user_id):
        user = User.objects.select_related("student", "parent", "teacher").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
