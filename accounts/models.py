"""Login accounts and the seed's user module: students, parents and their links."""

import datetime
import hashlib
import hmac
import secrets
import zoneinfo
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest, Lower, Now
from django.utils import timezone

# A child's account without an e-mail holds a reserved address (jobs.mail, the layer that sends mail).
from jobs.mail import is_reserved_email


def new_public_id() -> str:
    return secrets.token_hex(16)


def zone_named(time_zone: str | None) -> zoneinfo.ZoneInfo:
    """The IANA time zone of that name, or the site's TIME_ZONE (none given, or one this machine lacks)."""
    try:
        return zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class UserQuerySet(models.QuerySet["User"]):
    def update(self, **fields) -> int:
        """An UPDATE of accounts also drops their cached copies (accounts.signed_in), once it commits."""
        from accounts import signed_in

        with transaction.atomic():
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**fields)
        for user_id in ids:
            signed_in.forget(user_id)
        return count


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The one normal form of an e-mail address: trimmed and lower case, the whole of it.

        Addresses are compared ignoring case everywhere (sign-up, login, profile, admin), and
        stored this way; the database's case-insensitive unique index backs it up.
        """
        return super().normalize_email((email or "").strip()).lower()

    def with_email(self, email: str) -> models.QuerySet["User"]:
        """The account with this address, in any letter case (through the lower(email) index)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=self.normalize_email(email))

    def with_username(self, username: str) -> models.QuerySet["User"]:
        """The account with this sign-in name, in any letter case (through the lower(username) index)."""
        return self.alias(username_lower=Lower("username")).filter(username_lower=username.strip().lower())

    def get_by_natural_key(self, username: str | None) -> "User":
        # The login form's one field: an e-mail address or a child's username, in whatever case it was typed.
        # A reserved address (of an account without an e-mail) never signs in: only its username does.
        typed = (username or "").strip()
        if "@" in typed:
            if is_reserved_email(typed):
                raise self.model.DoesNotExist
            return self.with_email(typed).get()
        return self.with_username(typed).get()

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login account, identified by e-mail (or, for a child without one, a username). One account is a
    student, a parent, or staff."""

    # Unique ignoring case: the lower(email) index below (stored addresses are already lower case).
    email = models.EmailField("e-mail", max_length=255)
    # A child's sign-in name when the account has no e-mail (a reserved address, above); NULL otherwise.
    # Unique ignoring case (the lower(username) index); stored in lower case.
    username = models.CharField(max_length=30, null=True, blank=True)
    # students.user_id and parents.user_id reference this, so a profile can
    # never point at a missing account (the seed's VARCHAR(255) user_id).
    public_id = models.CharField(max_length=255, unique=True, default=new_public_id, editable=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = "account"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_code="email_taken",
                violation_error_message="An account with this e-mail address already exists.",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_code="username_taken",
                violation_error_message="This username is taken. Try another.",
            ),
        ]

    def __str__(self):
        return self.username or self.email

    @property
    def has_email(self) -> bool:
        """False for a child's account without an e-mail (its address is a reserved one)."""
        return not is_reserved_email(self.email)

    @property
    def sign_in_name(self) -> str:
        """What the account signs in with, as pages show it: the e-mail, or a child's username (never a
        reserved address)."""
        return self.email if self.has_email else f"{self.username} (no e-mail)"

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def validate_constraints(self, exclude=None):
        """As Django does, but the case-insensitive e-mail index's error belongs to the e-mail field."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            rest = []
            for e in errors.pop(NON_FIELD_ERRORS, []):
                field = {"email_taken": "email", "username_taken": "username"}.get(getattr(e, "code", None) or "")
                if field:
                    errors.setdefault(field, []).append(e)
                else:
                    rest.append(e)
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from error

    # Seeing any of these is seeing children's personal data: such staff must use the second factor.
    CHILDREN_DATA_PERMISSIONS = tuple(
        f"{app}.{action}_{model}"
        for app, model in (
            ("accounts", "user"),
            ("accounts", "student"),
            ("accounts", "parent"),
            ("accounts", "studentparentlink"),
            ("analytics", "studentprogress"),
            ("analytics", "dailyanalytics"),
        )
        for action in ("view", "change")
    )

    # Set on an account read from the cache (accounts.signed_in): the session hashes it had, and which
    # profiles it has. None on an account read from the database.
    cached_auth_hashes: list[str] | None = None
    cached_profiles: dict[str, bool] | None = None

    def has_profile(self, name: str) -> bool:
        """Whether the account has this profile ('student', 'parent' or 'teacher'): known without a query
        for an account from the cache."""
        if self.cached_profiles is not None:
            return self.cached_profiles[name]
        return hasattr(self, name)

    def get_session_auth_hash(self) -> str:
        if self.cached_auth_hashes:
            return self.cached_auth_hashes[0]
        return super().get_session_auth_hash()

    def get_session_auth_fallback_hash(self):
        if self.cached_auth_hashes:
            yield from self.cached_auth_hashes[1:]
            return
        yield from super().get_session_auth_fallback_hash()

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if self.cached_auth_hashes is not None and (fields is None or "password" in fields):
            raise ValueError(
                "This account was read from the cache, without its password: load it from the database to save it."
            )
        super().save(*args, **kwargs)

    @property
    def must_use_second_factor(self) -> bool:
        """Superusers, staff who may see children's personal data, and teachers (who see their classes'
        children) sign in with a second factor."""
        if self.is_active and self.has_profile("teacher"):
            return True
        if not (self.is_active and self.is_staff):
            return False
        return self.is_superuser or any(self.has_perm(permission) for permission in self.CHILDREN_DATA_PERMISSIONS)

    @property
    def role(self) -> str:
        """'student', 'parent', 'teacher', 'staff' or '' for an account with no profile."""
        if self.has_profile("student"):
            return "student"
        if self.has_profile("parent"):
            return "parent"
        if self.has_profile("teacher"):  # classes.Teacher: an app above this one, reached by its relation's name
            return "teacher"
        if self.is_staff:
            return "staff"
        return ""


# A write of a student's numbers makes updated_at (the cache version) strictly later, even within a microsecond.
_NEXT_VERSION = Greatest(Now(), Coalesce(F("updated_at") + datetime.timedelta(microseconds=1), Now()))


class StudentQuerySet(models.QuerySet["Student"]):
    def update_with_new_version(self, **fields) -> int:
        """UPDATE these students' columns and bump updated_at, their cache version, in the same statement.

        The one way to write a student's numbers (or anything a cached page shows of them): the new
        version makes every cached entry of the old one unreachable, even if deleting it is lost.
        """
        return self.update(**fields, updated_at=_NEXT_VERSION)

    def top_by_xp(self, limit: int) -> models.QuerySet["Student"]:
        """Students on the leaderboard with XP, most first (ties: the earlier account first); served by
        idx_students_total_xp."""
        return self.filter(total_xp__gt=0, on_leaderboard=True).order_by("-total_xp", "id")[:limit]


class Student(models.Model):
    # bigint ids: a platform of many children outgrows SERIAL's 2^31 rows.
    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(
        User, to_field="public_id", db_column="user_id", on_delete=models.DB_CASCADE, related_name="student"
    )
    email = models.EmailField(max_length=255, unique=True)
    name = models.CharField(max_length=255)
    grade_level = models.IntegerField(null=True, blank=True)
    total_xp = models.IntegerField(null=True, db_default=0, editable=False)
    current_streak = models.IntegerField(null=True, db_default=0, editable=False)
    best_streak = models.IntegerField(null=True, db_default=0, editable=False)
    # timestamptz (USE_TZ=True): instants, not wall-clock readings.
    created_at = models.DateTimeField(null=True, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(null=True, db_default=Now(), editable=False)
    # Extra, nullable: the child's IANA time zone, so their day is their own (NULL: TIME_ZONE).
    time_zone = models.CharField(max_length=64, null=True, blank=True)
    # Extra, nullable: the last day (in the child's zone) with an answer; the streak rule needs it.
    last_active_on = models.DateField(null=True, blank=True, editable=False)
    # Extra, nullable: a code the child makes on demand for a parent to type (accounts.family): single use,
    # live until family_code_expires_at. Never listed in the admin.
    family_code = models.CharField(max_length=9, null=True, blank=True, unique=True, editable=False)
    family_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Extra: whether other children see this child on the site-wide leaderboard. A parent-made child's
    # account starts off it (the parent turns it on); a teenager's own account starts on it.
    on_leaderboard = models.BooleanField(default=True, db_default=True)
    # Extra, nullable: when the linked parents were told that this inactive child account will be erased
    # (accounts.retention); the erasure follows 30 days later unless the child signs in again.
    retention_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = StudentQuerySet.as_manager()

    class Meta:
        db_table = "students"
        constraints = [
            # Non-negative counters: a bug must fail loudly, not show -10 XP to a child.
            models.CheckConstraint(condition=Q(total_xp__gte=0), name="students_total_xp_non_negative"),
            models.CheckConstraint(condition=Q(current_streak__gte=0), name="students_current_streak_non_negative"),
            models.CheckConstraint(condition=Q(best_streak__gte=0), name="students_best_streak_non_negative"),
            models.CheckConstraint(
                condition=Q(grade_level__isnull=True) | Q(grade_level__gte=1, grade_level__lte=12),
                name="students_grade_level_1_to_12",
            ),
        ]
        indexes = [
            # idx_students_user_id and idx_students_email are served by the UNIQUE constraints.
            # The leaderboard reads the top of total_xp.
            models.Index(models.F("total_xp").desc(), "id", name="idx_students_total_xp"),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone whose calendar days count for this student."""
        return zone_named(self.time_zone)

    @property
    def cache_version(self) -> int:
        """Changes on every write to the student's numbers (see StudentQuerySet.update_with_new_version)."""
        return int(self.updated_at.timestamp() * 1_000_000) if self.updated_at else 0

    def rank(self) -> int | None:
        """The student's live rank by total XP among those on the leaderboard (None before their first XP, or
        when off it), as top_by_xp orders: from the ranking kept in Redis (accounts.ranks), counted in the
        database when Redis cannot say."""
        from accounts import ranks  # it reads this module's Student

        return ranks.rank_of(self)

    def counted_rank(self) -> int | None:
        """The same rank counted in the database: the students ahead, plus one. The truth accounts.ranks
        keeps a copy of; it reads a share of the table that grows with the students (bench/rank.py)."""
        if not self.total_xp or not self.on_leaderboard:
            return None
        ahead = Student.objects.filter(
            Q(total_xp__gt=self.total_xp) | Q(total_xp=self.total_xp, id__lt=self.pk), on_leaderboard=True
        )
        return ahead.count() + 1

    @property
    def display_name(self) -> str:
        """First name and last initial: what other children may see."""
        parts = self.name.split()
        if not parts:
            return "Student"
        if len(parts) == 1:
            return parts[0]
        return f"{parts[0]} {parts[-1][0]}."


class Parent(models.Model):
    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(
        User, to_field="public_id", db_column="user_id", on_delete=models.DB_CASCADE, related_name="parent"
    )
    email = models.EmailField(max_length=255, unique=True)
    name = models.CharField(max_length=255)
    phone = models.CharField(max_length=20, null=True, blank=True)
    created_at = models.DateTimeField(null=True, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(null=True, db_default=Now(), editable=False)
    # Extra, nullable: the parent's IANA time zone (from the browser at sign-up), so their weekly
    # summary arrives on their Monday morning (NULL: TIME_ZONE).
    time_zone = models.CharField(max_length=64, null=True, blank=True)
    children = models.ManyToManyField(Student, through="StudentParentLink", related_name="parents")

    class Meta:
        db_table = "parents"
        # idx_parents_user_id is served by the UNIQUE constraint on user_id.

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_named(self.time_zone)


class StudentParentLink(models.Model):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="parent_links")
    parent = models.ForeignKey(Parent, on_delete=models.DB_CASCADE, db_index=False, related_name="child_links")
    created_at = models.DateTimeField(null=True, db_default=Now(), editable=False)

    class Meta:
        db_table = "student_parent_link"
        constraints = [
            # A parent is linked to a child once; its leading student_id serves idx_student_parent_student.
            models.UniqueConstraint(fields=["student", "parent"], name="student_parent_link_unique"),
        ]
        indexes = [models.Index(fields=["parent"], name="idx_student_parent_parent")]

    def __str__(self):
        return f"{self.parent} → {self.student}"


class Consent(models.Model):
    """Why we may hold this child's data: who agreed, on what basis, to which privacy notice, when.

    One per student, made with the account: by the parent who made it (basis "parent"), by the school
    through an approved teacher ("school"), or by a student at or above PARENTAL_CONSENT_AGE on their
    own sign-up ("self"). Revoked, the account stops at once (its login is inactive).
    """

    class Basis(models.TextChoices):
        PARENT = "parent", "a parent or guardian"
        SCHOOL = "school", "the school, through a teacher"
        SELF = "self", "the student (old enough to agree)"

    student = models.OneToOneField(Student, on_delete=models.DB_CASCADE, related_name="consent")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    # The account that agreed (NULL once that account is erased: the record stays with the child's).
    granted_by = models.ForeignKey(
        User, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="consents_granted"
    )
    granted_at = models.DateTimeField(db_default=Now())
    # The version of the privacy notice agreed to (accounts.inventory.NOTICE_VERSION).
    notice_version = models.CharField(max_length=20)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"consent for student {self.student_id} ({self.basis})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ParentRequest(models.Model):
    """A child below PARENTAL_CONSENT_AGE asked a parent to make their account: no account exists yet.

    It keeps only the child's first name and the parent's address, and is deleted when used or after
    PARENT_REQUEST_DAYS (accounts.retention)."""

    child_name = models.CharField(max_length=255)
    parent_email = models.EmailField(max_length=255)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        # Stored normalised (lower case), as every address is.
        indexes = [models.Index(fields=["parent_email"], name="parent_request_email")]

    def __str__(self):
        return f"request {self.pk} of {self.created_at:%Y-%m-%d}"


class ParentInvitation(models.Model):
    """A linked parent invites another parent (by e-mail) to follow a child they made: single use,
    for the invited address only, valid for INVITATION_DAYS. Its link carries a signed id (accounts.family):
    no token is stored."""

    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(Parent, on_delete=models.DB_CASCADE, related_name="invitations_sent")
    email = models.EmailField(max_length=255)
    created_at = models.DateTimeField(db_default=Now())
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"invitation {self.pk} to follow student {self.student_id}"


class SignupConfirmation(models.Model):
    """A sign-up waiting for its e-mail link: the account exists, inactive, until the link is followed.
    Unconfirmed after SIGNUP_CONFIRMATION_DAYS, the account is deleted with it (accounts.retention)."""

    user = models.OneToOneField(User, on_delete=models.DB_CASCADE, related_name="signup_confirmation")
    created_at = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"sign-up of account {self.user_id}, {self.created_at:%Y-%m-%d}"


class FamilyCodeAttempt(models.Model):
    """A wrong family code typed by a parent: counted in the database so the limit holds without Redis."""

    parent = models.ForeignKey(Parent, on_delete=models.DB_CASCADE, related_name="code_attempts")
    attempted_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["parent", "attempted_at"], name="family_attempt_parent_time")]

    def __str__(self):
        return f"{self.parent_id} at {self.attempted_at}"


@dataclass(frozen=True)
class Limit:
    count: int
    window: datetime.timedelta
    cool_off: datetime.timedelta


RATE_LIMITS = {
    # Failed logins for one account from one address: then even the right password waits.
    "login": Limit(5, datetime.timedelta(minutes=15), datetime.timedelta(minutes=15)),
    # Failed logins from one address, any account (a school shares one address): then only the
    # accounts with failures of their own wait (see accounts.forms.LoginForm).
    "login-address": Limit(100, datetime.timedelta(minutes=15), datetime.timedelta(minutes=15)),
    # Wrong second-factor codes for one account.
    "second-factor": Limit(5, datetime.timedelta(minutes=15), datetime.timedelta(minutes=15)),
    # Sign-up attempts (made or not) from one address.
    "signup-address": Limit(20, datetime.timedelta(hours=1), datetime.timedelta(hours=1)),
    "password-reset-address": Limit(20, datetime.timedelta(hours=1), datetime.timedelta(hours=1)),
    # A child's requests to one parent address (each sends that address an e-mail).
    "parent-request": Limit(3, datetime.timedelta(hours=1), datetime.timedelta(hours=1)),
    # Invitations sent by one parent (each sends an e-mail to an address they choose).
    "invitation": Limit(10, datetime.timedelta(hours=1), datetime.timedelta(hours=1)),
}


class ThrottleHitQuerySet(models.QuerySet["ThrottleHit"]):
    """The rate limits: is_blocked, hit, clear and hold, each for a scope and the parts it limits."""

    @staticmethod
    def key(*parts: str) -> str:
        """What is limited, hashed: no e-mail or address is stored in clear."""
        return hashlib.sha256("\x1f".join(p.strip().lower() for p in parts).encode()).hexdigest()

    def hold(self, scope: str, *parts: str) -> None:
        """Take this limit's lock until the transaction ends (PostgreSQL's advisory lock), so that a check
        and the count that follows it are one step: parallel attempts wait for each other instead of all
        passing the same check. Nothing to lock on SQLite, which runs one writer at a time."""
        if connection.vendor == "postgresql":
            number = int(self.key(scope, *parts)[:15], 16)  # 60 bits: a bigint
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])

    def is_blocked(self, scope: str, *parts: str, now: datetime.datetime | None = None) -> bool:
        """True while the last `count` hits fell within the window and the cool-off since the last one runs."""
        limit = RATE_LIMITS[scope]
        now = now or timezone.now()
        recent = list(
            self.filter(scope=scope, key=self.key(*parts), at__gt=now - limit.window - limit.cool_off)
            .order_by("-at")
            .values_list("at", flat=True)[: limit.count]
        )
        if len(recent) < limit.count:
            return False
        latest, oldest = recent[0], recent[-1]
        return latest - oldest <= limit.window and now - latest < limit.cool_off

    def has_recent(self, scope: str, *parts: str) -> bool:
        """Whether any hit of this key still counts (within its window and cool-off)."""
        limit = RATE_LIMITS[scope]
        since = timezone.now() - limit.window - limit.cool_off
        return self.filter(scope=scope, key=self.key(*parts), at__gt=since).exists()

    def hit(self, scope: str, *parts: str) -> None:
        limit = RATE_LIMITS[scope]
        key = self.key(*parts)
        now = timezone.now()
        # Old hits of this key no longer matter: keep the table small.
        self.filter(scope=scope, key=key, at__lt=now - limit.window - limit.cool_off).delete()
        self.create(scope=scope, key=key, at=now)

    def clear(self, scope: str, *parts: str) -> None:
        self.filter(scope=scope, key=self.key(*parts)).delete()

    def expired(self, now: datetime.datetime) -> "ThrottleHitQuerySet":
        """Hits no limit counts any more (purge_expired deletes them)."""
        longest = max(limit.window + limit.cool_off for limit in RATE_LIMITS.values())
        return self.filter(at__lt=now - longest)


class ThrottleHit(models.Model):
    """One counted event for a rate limit (a failed login, a sign-up, a reset request).

    Counted in PostgreSQL, not Redis, so the limits hold during a cache outage.
    The key is a SHA-256 of what is limited (e.g. e-mail and address): no e-mail or
    address is stored in clear.
    """

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_default=Now())

    LIMITS = RATE_LIMITS
    objects = ThrottleHitQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "-at"], name="throttle_scope_key_at")]

    def __str__(self):
        return f"{self.scope} at {self.at}"


class StaffTOTP(models.Model):
    """A staff account's second factor: an authenticator app's secret."""

    user = models.OneToOneField(User, on_delete=models.DB_CASCADE, related_name="totp")
    secret = models.CharField(max_length=64, editable=False)
    confirmed = models.BooleanField(default=False)
    # The last time step used: a code can never be replayed.
    last_used_step = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        verbose_name = "staff second factor"

    def __str__(self):
        return f"second factor of account {self.user_id}"

    # Accept the previous and the next 30-second step too: phones' clocks drift a little.
    DRIFT_STEPS = 1
    ISSUER = "Learning Quest"

    @staticmethod
    def new_secret() -> str:
        return pyotp.random_base32()

    @property
    def provisioning_uri(self) -> str:
        return pyotp.TOTP(self.secret).provisioning_uri(name=self.user.email, issuer_name=self.ISSUER)

    def matching_step(self, code: str, *, at: datetime.datetime | None = None) -> int | None:
        """The time step whose code this is (within the allowed drift), or None.

        Only six ASCII digits are a code (spaces are ignored): anything else, such as digits
        of another script, is simply wrong.
        """
        code = code.replace(" ", "")
        if len(code) != 6 or not (code.isascii() and code.isdigit()):
            return None
        otp = pyotp.TOTP(self.secret)
        at = at or datetime.datetime.now(tz=datetime.UTC)
        step = otp.timecode(at)
        for offset in range(-self.DRIFT_STEPS, self.DRIFT_STEPS + 1):
            if hmac.compare_digest(otp.at(at, counter_offset=offset), code):
                return step + offset
        return None

    def use(self, code: str) -> bool:
        """True (and remembered) when the code is right and newer than the last one used: never replayed,
        even by two requests at once (the update only succeeds for a step later than the stored one)."""
        step = self.matching_step(code)
        if step is None or step <= self.last_used_step:
            return False
        updated = StaffTOTP.objects.filter(pk=self.pk, last_used_step__lt=step).update(last_used_step=step)
        self.last_used_step = step
        return bool(updated)
