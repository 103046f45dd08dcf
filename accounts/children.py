"""Children's accounts without an e-mail: made by an adult who consents, signed in with a username.

A parent makes one from the family pages (basis "parent"). The account's e-mail and the student's
are a reserved address (accounts.models.reserved_email); the username signs in. The adult chooses
the password or takes a suggested passphrase; it is stored only as a hash.
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.inventory import NOTICE_VERSION
from accounts.models import Consent, Parent, Student, StudentParentLink, User
from jobs.mail import reserved_email

USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{3,30}")

# Words a 6-year-old can read and type: a passphrase is adjective-animal-number (64 × 67 × 990 ≈ 4 million, 22 bits).
ADJECTIVES = [
    "amber",
    "blue",
    "bold",
    "brave",
    "bright",
    "brisk",
    "calm",
    "cheery",
    "clever",
    "cosy",
    "crisp",
    "curly",
    "dandy",
    "eager",
    "fancy",
    "fast",
    "fluffy",
    "friendly",
    "funny",
    "gentle",
    "giant",
    "glad",
    "golden",
    "green",
    "happy",
    "jolly",
    "kind",
    "lively",
    "lucky",
    "magic",
    "merry",
    "mighty",
    "misty",
    "neat",
    "noble",
    "orange",
    "peppy",
    "plucky",
    "polite",
    "proud",
    "purple",
    "quick",
    "quiet",
    "rapid",
    "red",
    "rosy",
    "shiny",
    "silly",
    "silver",
    "sleepy",
    "smart",
    "snowy",
    "speedy",
    "sunny",
    "super",
    "swift",
    "tidy",
    "tiny",
    "jumpy",
    "wise",
    "witty",
    "yellow",
    "zany",
    "zippy",
]
ANIMALS = [
    "badger",
    "bat",
    "bear",
    "beaver",
    "bee",
    "bison",
    "camel",
    "cat",
    "cheetah",
    "chick",
    "cobra",
    "crab",
    "crane",
    "deer",
    "dingo",
    "dog",
    "dolphin",
    "duck",
    "eagle",
    "eel",
    "falcon",
    "ferret",
    "finch",
    "fox",
    "frog",
    "gecko",
    "goat",
    "goose",
    "gull",
    "hare",
    "hawk",
    "hippo",
    "horse",
    "koala",
    "lamb",
    "lemur",
    "lion",
    "llama",
    "lynx",
    "mole",
    "moose",
    "mouse",
    "newt",
    "otter",
    "owl",
    "panda",
    "parrot",
    "penguin",
    "pony",
    "puffin",
    "rabbit",
    "raven",
    "robin",
    "seal",
    "shark",
    "sheep",
    "sloth",
    "snail",
    "swan",
    "tiger",
    "toad",
    "turtle",
    "walrus",
    "whale",
    "wolf",
    "yak",
    "zebra",
]


def new_passphrase() -> str:
    """An easy-to-type passphrase such as "purple-otter-427"."""
    return f"{secrets.choice(ADJECTIVES)}-{secrets.choice(ANIMALS)}-{secrets.randbelow(990) + 10}"


def normalize_username(typed: str) -> str:
    return (typed or "").strip().lower()


def validate_username(typed: str) -> str:
    """The username in its stored form (lower case), or a ValidationError saying what is wrong."""
    username = normalize_username(typed)
    if "@" in username:
        raise ValidationError("A username is not an e-mail address: use letters, digits, dots, - and _ only.")
    if not USERNAME_PATTERN.fullmatch(username):
        raise ValidationError("Use 3 to 30 letters (a–z), digits, dots, - and _ only, with no spaces.")
    if User.objects.with_username(username).exists():
        raise ValidationError("This username is taken (in some letter case). Try another.", code="username_taken")
    return username


def suggest_username(name: str = "") -> str:
    """A free username: the first name's letters (or an animal) and a number, such as "mia27"."""
    letters = "".join(ch for ch in (name.split() or [""])[0].lower() if "a" <= ch <= "z")[:20]
    stem = letters if len(letters) >= 2 else secrets.choice(ANIMALS)
    for _ in range(20):
        candidate = f"{stem}{secrets.randbelow(90) + 10}"
        if not User.objects.with_username(candidate).exists():
            return candidate
    return f"{stem}{secrets.randbelow(900_000) + 100_000}"


def make_child(
    *,
    name: str,
    username: str,
    password: str = "",
    password_hash: str = "",
    grade_level: int | None,
    granted_by: User,
    basis: str = Consent.Basis.PARENT,
) -> Student:
    """A child's account without an e-mail, with the consent of `granted_by` on `basis` (a parent, or a
    school through its teacher). The password comes in clear or already hashed (a roster hashes many at once).

    Raises IntegrityError when the username was taken a moment ago (callers say so). The caller links
    the child to the adult who made it, in the same transaction (make_family_child below).
    """
    with transaction.atomic():
        user = User(username=normalize_username(username))
        user.email = reserved_email(user.public_id)
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        student = Student.objects.create(
            user=user, email=user.email, name=name, grade_level=grade_level, on_leaderboard=False
        )
        Consent.objects.create(student=student, basis=basis, granted_by=granted_by, notice_version=NOTICE_VERSION)
    return student


def make_family_child(*, parent: Parent, name: str, username: str, password: str, grade_level: int | None) -> Student:
    """A parent makes their child's account: it is linked to them, with their consent."""
    with transaction.atomic():
        student = make_child(
            name=name, username=username, password=password, grade_level=grade_level, granted_by=parent.user
        )
        StudentParentLink.objects.create(student=student, parent=parent)
    return student


def reset_password(student: Student) -> str:
    """A new passphrase for the child (returned once, to be shown once; stored only as a hash): the old one
    and every session end."""
    passphrase = new_passphrase()
    user = student.user
    user.set_password(passphrase)
    User.objects.filter(pk=user.pk).update(password=user.password)
    return passphrase


def revoke_consent(student: Student) -> None:
    """Consent withdrawn: the account stops at once (an inactive login signs nobody in, and every open
    session ends on its next request)."""
    with transaction.atomic():
        Consent.objects.filter(student=student, revoked_at__isnull=True).update(revoked_at=timezone.now())
        User.objects.filter(public_id=student.user_id).update(is_active=False)


def grant_consent_again(student: Student, *, by: User) -> None:
    """A parent agrees again (to the current notice): the account works again."""
    with transaction.atomic():
        Consent.objects.filter(student=student).update(
            revoked_at=None, granted_by=by, granted_at=timezone.now(), notice_version=NOTICE_VERSION
        )
        User.objects.filter(public_id=student.user_id).update(is_active=True)
