"""The signed-in account as edtech.auth_cache keeps it: the account's row (never its password hash: only the
session hashes Django compares, HMACs under SECRET_KEY) and which profiles it has (student, parent,
teacher), not the profiles' rows: a student's numbers change with every answer, and are read fresh.

forget() is called for every committed change of what an entry holds (receivers below, and
UserQuerySet.update): a saved or deleted account, a profile made or removed.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Parent, Student, User
from edtech import auth_cache

PROFILES = ("student", "parent", "teacher")
FIELDS = [field for field in User._meta.concrete_fields if field.attname != "password"]
# The password of an account read from the cache: no password matches it, and saving it is refused.
NOT_LOADED = "!not-loaded-from-the-database"


def to_entry(user: User) -> dict[str, Any]:
    return {
        "fields": {
            field.attname: None if field.value_from_object(user) is None else field.value_to_string(user)
            for field in FIELDS
        },
        "hashes": [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()],
        "profiles": {name: hasattr(user, name) for name in PROFILES},
    }


def from_entry(entry: dict[str, Any]) -> User | None:
    """The account from its copy; None for a copy this code cannot read (written by another version of it)."""
    try:
        return _from_entry(entry)
    except (KeyError, TypeError, ValueError, ValidationError):
        return None


def _from_entry(entry: dict[str, Any]) -> User:
    user = User(
        password=NOT_LOADED, **{field.attname: _value(field, entry["fields"][field.attname]) for field in FIELDS}
    )
    user._state.adding = False
    user._state.db = "default"
    user.cached_auth_hashes = list(entry["hashes"])
    user.cached_profiles = dict(entry["profiles"])
    for name, exists in user.cached_profiles.items():
        if not exists:  # known to be absent: user.student raises at once, without a query
            user._state.fields_cache[name] = None
    return user


def _value(field: Any, raw: str | None) -> Any:
    return None if raw is None else field.to_python(raw)


def forget(user_id: int) -> None:
    auth_cache.forget("user", user_id)


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def account_changed(sender, instance, **kwargs):
    forget(instance.pk)


@receiver(post_save, sender=Student)
@receiver(post_save, sender=Parent)
@receiver(post_delete, sender=Student)
@receiver(post_delete, sender=Parent)
def profile_changed(sender, instance, created=False, **kwargs):
    """A profile's own columns are never cached; only whether the account has one. (classes.Teacher, in an
    app above this one, connects this receiver to itself.)"""
    if created or kwargs.get("signal") is post_delete:
        user_id = _account_id(instance)
        if user_id is not None:
            forget(user_id)


def _account_id(profile) -> int | None:
    """The account's id: the profile's user_id, or, for students' and parents' (which reference the account's
    public_id, as the seed's tables do), looked up (None once the account is gone: its deletion forgot it)."""
    field = profile._meta.get_field("user")
    if field.target_field.primary_key:
        return profile.user_id
    if field.is_cached(profile):  # made with its account at hand (sign-up, a roster): no query
        return profile.user.pk
    return User.objects.filter(public_id=profile.user_id).values_list("pk", flat=True).first()
