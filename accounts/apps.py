from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import signed_in  # noqa: F401 - connects the signed-in cache's invalidation receivers
