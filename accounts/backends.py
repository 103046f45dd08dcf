from django.contrib.auth.backends import ModelBackend

from accounts import signed_in
from accounts.models import User
from edtech import auth_cache


class EmailBackend(ModelBackend):
    """Django's model backend; the signed-in account comes from the cache when a trusted copy is there
    (accounts.signed_in, edtech.auth_cache), else from the database with its profiles in one query."""

    def get_user(self, user_id):
        hit = auth_cache.read("user", user_id)
        user = signed_in.from_entry(hit.value) if hit.value is not None else None
        if user is None:
            user = User.objects.select_related("student", "parent", "teacher").filter(pk=user_id).first()
            if user is not None:
                hit.store(signed_in.to_entry(user))
        return user if user is not None and self.user_can_authenticate(user) else None
