"""The data inventory: every column that can hold a person's data, what it is for, who sees it, how long it is kept.

Keyed by the real table and column names (``model._meta.db_table``, each concrete field's ``.column``).
accounts/tests/test_inventory.py fails when a model has a column this file does not describe, or when
this file names one that no longer exists, so no column arrives without a purpose. PRIVACY.md's
inventory is rendered from here (``manage.py write_privacy_inventory``; its ``--check`` says whether the
file is current).

Plain data and pure functions: importing this module touches neither the database nor the app registry
(accounts.children imports NOTICE_VERSION while the models load).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

# The privacy notice's version (PRIVACY.md), recorded with each consent (accounts_consent.notice_version).
# Change it when the notice changes in substance: consents given before then say which version they agreed to.
NOTICE_VERSION = "2026-12-01"


@dataclass(frozen=True)
class Column:
    """One column: what it is for, who sees it, how long it is kept."""

    purpose: str
    seen_by: str
    kept: str


class Table(NamedTuple):
    description: str
    columns: dict[str, Column]


@dataclass(frozen=True)
class Elsewhere:
    """Personal data outside the database: what holds it, what of it, why, who sees it, how long."""

    place: str
    holds: str
    purpose: str
    seen_by: str
    kept: str


# --- The words the entries share ----------------------------------------------------------------------

STAFF = "staff"
NOBODY = "nobody"
WITH_ACCOUNT = "until the account is erased"
WITH_CHILD = "until the child's account is erased"
WITH_PARENT = "until the parent's account is erased"
WITH_ROW = "as long as the row"
FAMILY = "the child, linked parents, staff"
EDITORS = "the child, staff, content editors (without who answered)"
LINK_KEPT = "until unlinked or either account is erased"
REQUEST_KEPT = "until used, at most 7 days"
SIGNUP_KEPT = "until confirmed, at most 7 days (then the account is deleted too)"
THROTTLE_KEPT = "15 minutes to 1 hour, plus an equal cool-off"
TOTP_KEPT = "until the second factor is reset or the account erased"
SESSION_KEPT = "until sign-out, at most 2 weeks; expired rows are deleted daily"
ADMIN_LOG_KEPT = "until the staff account that acted, or the child the entry is about, is erased"
JOB_KEPT = "7 days after it succeeded, 30 days after it failed"
CLASS_KEPT = "until the teacher leaves the class or the class is deleted"
ENROLLED_KEPT = "until the child leaves the class (a teacher or a parent takes them out) or an account is erased"
TEACHERS_AND_FAMILY = "the child, the class's teachers, linked parents, staff"
ACTION_KEPT = "365 days, or until the child's account is erased"

LEGEND = (
    "**Who sees it**: *staff* are the staff who may see children's data (account and profile staff, superusers), "
    "in the admin, after signing in with a second factor; *linked parents* are the parents who follow the child; "
    "*nobody* means no page shows it (only the code uses it, and whoever runs the database). "
    "**Kept**: *until the account is erased* means until staff erase it (asked by its owner or a parent), or a "
    "parent erases the child's account they made, or, for a child's account made by a parent or a school, until "
    "it has gone unused (no sign-in, no answer) for 730 days."
)


def _row_id(what: str, kept: str) -> Column:
    return Column(f"The {what}'s number: other rows point to it.", NOBODY, kept)


def _link(to: str, kept: str, seen_by: str = NOBODY) -> Column:
    return Column(f"Which {to} the row belongs to.", seen_by, kept)


# --- Tables that hold personal data -------------------------------------------------------------------

PERSONAL_DATA: dict[str, Table] = {
    "accounts_user": Table(
        "Login accounts: one per child, parent and staff member.",
        {
            "id": Column(
                "The account's number: other rows and the log lines refer to it (ids, never names).",
                STAFF,
                WITH_ACCOUNT,
            ),
            "password": Column(
                "Checks the password at sign-in: a one-way hash, which nobody can read back.",
                NOBODY,
                "until the password changes or the account is erased",
            ),
            "last_login": Column(
                "When the account last signed in: in the child's export; with the last answer, tells how long a "
                "child's account has gone unused.",
                STAFF,
                WITH_ACCOUNT,
            ),
            "is_superuser": Column("Whether a staff account holds every permission.", "superusers", WITH_ACCOUNT),
            "email": Column(
                "Sign-in and mail, for parents, teenagers with their own account and staff; stored lower case. "
                "A child whose account a parent made has no e-mail: this holds a reserved address, "
                "`<public_id>@no-email.learning-quest.invalid`, which can never be delivered (RFC 2606) and is "
                "never shown, mailed or exported.",
                "the account's owner, staff (a reserved address: nobody); never linked parents",
                WITH_ACCOUNT,
            ),
            "username": Column(
                "A child's sign-in name when the account has no e-mail: stored lower case, unique ignoring case. "
                "Empty for every other account.",
                "the child, linked parents (it is on the sign-in card), staff",
                WITH_ACCOUNT,
            ),
            "public_id": Column(
                "A random id that links the profile to the account and makes the reserved address.",
                NOBODY,
                WITH_ACCOUNT,
            ),
            "is_staff": Column("Whether the account may open the admin.", STAFF, WITH_ACCOUNT),
            "is_active": Column(
                "Whether the account may sign in: off for a sign-up not yet confirmed and for a child whose "
                "consent was revoked.",
                STAFF,
                WITH_ACCOUNT,
            ),
            "date_joined": Column("When the account was made: in the child's export.", STAFF, WITH_ACCOUNT),
        },
    ),
    "accounts_user_groups": Table(
        "Which staff groups (roles, such as content editor) a staff account is in.",
        {
            "id": _row_id("row", WITH_ROW),
            "user_id": _link("staff account", "until it leaves the group or is erased", "superusers"),
            "group_id": _link("group", "until the account leaves the group or is erased", "superusers"),
        },
    ),
    "accounts_user_user_permissions": Table(
        "Permissions given to one staff account directly, beside its groups'.",
        {
            "id": _row_id("row", WITH_ROW),
            "user_id": _link("staff account", "until the permission is taken away or the account erased", "superusers"),
            "permission_id": Column(
                "The permission.", "superusers", "until the permission is taken away or the account erased"
            ),
        },
    ),
    "students": Table(
        "A student's profile, and the numbers worked out from their answers.",
        {
            "id": Column(
                "The student's number: answers, progress and parent links point to it; page addresses and log "
                "lines carry it, never the name.",
                FAMILY,
                WITH_CHILD,
            ),
            "user_id": Column("The student's login account (its public id).", NOBODY, WITH_CHILD),
            "email": Column(
                "The account's e-mail again (the seed's design keeps one per student): a teenager's own address, "
                "or the reserved never-deliverable address of a child without one, which nothing shows, mails or "
                "exports (the export says null).",
                "the child (a real address only), staff",
                WITH_CHILD,
            ),
            "name": Column(
                "What the site calls the child; a first name or nickname when a parent makes the account.",
                "the child, linked parents, staff; other children see the first name and last initial on the "
                "leaderboard, when the child is on it",
                WITH_CHILD,
            ),
            "grade_level": Column("The school grade (1 to 12), optional.", FAMILY, WITH_CHILD),
            "total_xp": Column(
                "XP earned by right answers: the dashboard and the leaderboard.",
                "the child, linked parents, staff; other children, on the leaderboard, when the child is on it",
                WITH_CHILD,
            ),
            "current_streak": Column("Days in a row with an answer.", FAMILY, WITH_CHILD),
            "best_streak": Column("The longest streak so far.", FAMILY, WITH_CHILD),
            "created_at": Column("When the profile was made: in the export.", STAFF, WITH_CHILD),
            "updated_at": Column(
                "When the child's numbers last changed: the version of their cached copies.", STAFF, WITH_CHILD
            ),
            "time_zone": Column(
                "The child's time zone (optional; the browser suggests one at sign-up), so the child's day starts "
                "at their own midnight.",
                "the child, staff",
                WITH_CHILD,
            ),
            "last_active_on": Column(
                "The last day with an answer, in the child's time zone: the streak rule needs it, and it tells how "
                "long a child's account has gone unused.",
                STAFF,
                WITH_CHILD,
            ),
            "family_code": Column(
                "A code a teenager makes on their own Profile page for a parent to type, so that the parent can "
                "follow them; single use.",
                "the child (and the parent they give it to)",
                "until used; it stops working 7 days after it was made",
            ),
            "family_code_expires_at": Column(
                "When the family code stops working: 7 days after it was made.", "the child", "as the code"
            ),
            "on_leaderboard": Column(
                "Whether other children see this child on the site-wide leaderboard: off for a child a parent made "
                "until that parent turns it on; on for a teenager's own account.",
                FAMILY,
                WITH_CHILD,
            ),
            "retention_warned_at": Column(
                "When the linked parents were e-mailed that this unused child's account (made by a parent or a "
                "school) will be erased in 30 days; a sign-in or an answer since cancels it.",
                STAFF,
                WITH_CHILD,
            ),
        },
    ),
    "parents": Table(
        "A parent's profile.",
        {
            "id": _row_id("parent", WITH_PARENT),
            "user_id": Column("The parent's login account (its public id).", NOBODY, WITH_PARENT),
            "email": Column(
                "Sign-in, and where the site's mail to the parent goes (weekly summaries, warnings about a "
                "child's account).",
                "the parent, staff",
                WITH_PARENT,
            ),
            "name": Column(
                "What the site calls the parent.",
                "the parent, their linked children (Profile, and the child's export), staff",
                WITH_PARENT,
            ),
            "phone": Column(
                "Nothing: the design document's column stays, always empty. Sign-up stopped asking (nothing used "
                "the number), and the numbers given before were deleted.",
                NOBODY,
                "not kept",
            ),
            "created_at": Column("When the profile was made.", STAFF, WITH_PARENT),
            "updated_at": Column("When the profile last changed.", STAFF, WITH_PARENT),
            "time_zone": Column(
                "The parent's time zone (optional, from the browser at sign-up), so that the weekly summary "
                "arrives on their Monday morning.",
                STAFF,
                WITH_PARENT,
            ),
        },
    ),
    "student_parent_link": Table(
        "Which parents follow which children.",
        {
            "id": _row_id("link", WITH_ROW),
            "student_id": _link("child", LINK_KEPT, "the child, the parent, staff"),
            "parent_id": _link("parent", LINK_KEPT, "the child, the parent, staff"),
            "created_at": Column(
                "When the parent was linked: in the child's export.",
                "the child, staff",
                LINK_KEPT,
            ),
        },
    ),
    "accounts_consent": Table(
        "Why we may hold a child's data: one record per student.",
        {
            "id": _row_id("consent", WITH_CHILD),
            "student_id": _link("child", WITH_CHILD),
            "basis": Column(
                "Who agreed: `parent` (the parent who made the account), `school` (the school, for an account it "
                "made) or `self` (a student old enough to agree, at their own sign-up).",
                "linked parents, staff",
                WITH_CHILD,
            ),
            "granted_by_id": Column(
                "The account that agreed; empty once that account is erased (the record stays with the child's).",
                STAFF,
                WITH_CHILD,
            ),
            "granted_at": Column("When consent was given.", "linked parents, staff", WITH_CHILD),
            "notice_version": Column(
                "The version of this privacy notice that was agreed to (`unrecorded` for accounts made before "
                "consent was recorded).",
                "linked parents, staff",
                WITH_CHILD,
            ),
            "revoked_at": Column(
                "When a parent withdrew consent: the account stopped at that moment.",
                "linked parents, staff",
                WITH_CHILD,
            ),
        },
    ),
    "accounts_parentrequest": Table(
        "A child too young to sign up alone asked a parent to make their account (no account exists).",
        {
            "id": _row_id("request", REQUEST_KEPT),
            "child_name": Column(
                "The child's first name, so that the parent knows who asks.",
                "the parent it was sent to",
                REQUEST_KEPT,
            ),
            "parent_email": Column("Where the request goes.", "the parent it was sent to", REQUEST_KEPT),
            "created_at": Column("When it was made: it is deleted after 7 days.", NOBODY, REQUEST_KEPT),
        },
    ),
    "accounts_parentinvitation": Table(
        "A parent invites another parent, by e-mail, to follow a child they made (single use, valid 7 days).",
        {
            "id": _row_id("invitation", "7 days"),
            "student_id": Column(
                "The child the invited parent will follow.", "the inviting parent, the invited person", "7 days"
            ),
            "invited_by_id": Column("The parent who invited.", "the inviting parent, the invited person", "7 days"),
            "email": Column(
                "The invited address: the invitation is mailed there and works for it only.",
                "the inviting parent",
                "7 days",
            ),
            "created_at": Column("When it was sent: it works for 7 days.", NOBODY, "7 days"),
            "used_at": Column("When it was used (it works once).", NOBODY, "7 days"),
        },
    ),
    "accounts_signupconfirmation": Table(
        "A sign-up waiting for its e-mailed link: the account is inactive until it is followed.",
        {
            "id": _row_id("row", "until confirmed, at most 7 days"),
            "user_id": _link("account", SIGNUP_KEPT),
            "created_at": Column(
                "When the sign-up began: unconfirmed after 7 days, the account is deleted.",
                NOBODY,
                SIGNUP_KEPT,
            ),
        },
    ),
    "accounts_familycodeattempt": Table(
        "A wrong family code typed by a parent (not the code itself): ten in an hour stop the parent trying.",
        {
            "id": _row_id("row", "1 hour"),
            "parent_id": _link("parent", "1 hour", STAFF),
            "attempted_at": Column("When it was typed: the limit counts the last hour.", STAFF, "1 hour"),
        },
    ),
    "accounts_throttlehit": Table(
        "Failed logins, sign-ups, reset requests, children's requests and invitations, counted to stop password "
        "guessing and mail floods.",
        {
            "id": _row_id("row", THROTTLE_KEPT),
            "scope": Column("Which limit counted it.", STAFF, THROTTLE_KEPT),
            "key": Column(
                "A SHA-256 hash of what is limited (an e-mail address and/or a network address): never the address "
                "itself.",
                STAFF,
                THROTTLE_KEPT,
            ),
            "at": Column("When it happened.", STAFF, THROTTLE_KEPT),
        },
    ),
    "accounts_stafftotp": Table(
        "A staff account's second factor (an authenticator app's secret).",
        {
            "id": _row_id("row", TOTP_KEPT),
            "user_id": _link("staff account", TOTP_KEPT, STAFF),
            "secret": Column(
                "Checks the six-digit codes; shown once, when the app is set up.",
                NOBODY,
                TOTP_KEPT,
            ),
            "confirmed": Column("Whether the app was set up.", STAFF, TOTP_KEPT),
            "last_used_step": Column(
                "The last code's time step, so that no code is used twice.",
                NOBODY,
                TOTP_KEPT,
            ),
            "created_at": Column("When it was set up.", STAFF, TOTP_KEPT),
        },
    ),
    "quiz_submissions": Table(
        "Every answer a child gives.",
        {
            "id": _row_id("answer", WITH_CHILD),
            "student_id": Column("Who answered.", "the child, staff (never content editors)", WITH_CHILD),
            "question_id": Column("Which question.", EDITORS, WITH_CHILD),
            "selected_answer_index": Column("Which option was picked.", EDITORS, WITH_CHILD),
            "is_correct": Column("Right or wrong.", EDITORS, WITH_CHILD),
            "xp_earned": Column("XP the answer earned.", "the child, staff", WITH_CHILD),
            "time_taken_seconds": Column(
                "Seconds it took, measured by the server from when it showed the question.",
                EDITORS,
                WITH_CHILD,
            ),
            "submitted_at": Column("When.", "the child, staff", WITH_CHILD),
            "is_counted": Column(
                "Whether it counts toward mastery (the day's first answer to the question).", STAFF, WITH_CHILD
            ),
            "answered_on": Column("Which of the child's days it counted for.", STAFF, WITH_CHILD),
            "form_token": Column(
                "The id of the question page answered, so that a double submit records one answer.", NOBODY, WITH_CHILD
            ),
            "review_due_on": Column(
                "For an answer to a question due for review: the day it was due (review XP once per due review).",
                FAMILY,
                WITH_CHILD,
            ),
            "recall_predicted": Column(
                "For an answer to a question due for review: the chance of a right answer the scheduler predicted "
                "(staff's calibration report, which shows only counts and shares).",
                STAFF,
                WITH_CHILD,
            ),
        },
    ),
    "analytics_reviewcard": Table(
        "One spaced-review card per child and question (FSRS): when the question is next due, worked out from "
        "the child's answers.",
        {
            "id": _row_id("card", WITH_CHILD),
            "student_id": _link("child", WITH_CHILD, FAMILY),
            "question_id": _link("question", WITH_CHILD, FAMILY),
            "state": Column("The card's stage in the scheduler.", NOBODY, WITH_CHILD),
            "stability": Column("How long the scheduler expects the child to remember it.", NOBODY, WITH_CHILD),
            "difficulty": Column("How hard the scheduler finds it for this child.", NOBODY, WITH_CHILD),
            "due_at": Column("When it is next due.", NOBODY, WITH_CHILD),
            "due_on": Column("The child's day it is due: it is in today's review from then.", "the child", WITH_CHILD),
            "last_review": Column('The last counted answer to it: "Last right 9 days ago".', "the child", WITH_CHILD),
            "reps": Column("How many counted answers it had.", NOBODY, WITH_CHILD),
            "lapses": Column("How many of those were wrong after the first.", NOBODY, WITH_CHILD),
        },
    ),
    "student_progress": Table(
        "A child's mastery of each chapter, worked out from their answers.",
        {
            "id": _row_id("row", WITH_CHILD),
            "student_id": _link("child", WITH_CHILD, FAMILY),
            "chapter_id": Column("Which chapter.", FAMILY, WITH_CHILD),
            "mastery_score": Column("Mastery of the chapter, 0 to 100.", FAMILY, WITH_CHILD),
            "questions_completed": Column("How many of the chapter's questions were answered.", FAMILY, WITH_CHILD),
            "questions_correct": Column("How many of them were answered right.", FAMILY, WITH_CHILD),
            "last_answered_at": Column("When the chapter was last answered.", "the child, staff", WITH_CHILD),
        },
    ),
    "daily_analytics": Table(
        "One row per day on which a child answered: the day's totals.",
        {
            "id": _row_id("row", WITH_CHILD),
            "student_id": _link("child", WITH_CHILD, FAMILY),
            "analytics_date": Column("The day, in the child's time zone.", FAMILY, WITH_CHILD),
            "questions_answered": Column("How many answers.", FAMILY, WITH_CHILD),
            "questions_correct": Column("How many right.", FAMILY, WITH_CHILD),
            "xp_earned": Column("XP earned that day.", FAMILY, WITH_CHILD),
            "time_spent_minutes": Column("Minutes spent answering.", FAMILY, WITH_CHILD),
            "streak_count": Column("The streak on that day.", FAMILY, WITH_CHILD),
            "time_spent_seconds": Column(
                "Seconds spent answering (the minutes are worked out from it).", STAFF, WITH_CHILD
            ),
        },
    ),
    "analytics_weeklysummary": Table(
        "The weeks a parent's summary e-mail went out, so that it goes once a week.",
        {
            "id": _row_id("row", WITH_PARENT),
            "parent_id": _link("parent", WITH_PARENT, STAFF),
            "iso_year": Column("The week's year.", STAFF, WITH_PARENT),
            "iso_week": Column("The week.", STAFF, WITH_PARENT),
            "sent_at": Column("When the e-mail went out.", STAFF, WITH_PARENT),
        },
    ),
    "classes_teacher": Table(
        "A teacher's profile: staff approve it (the school vouching for the teacher) before any class.",
        {
            "id": _row_id("teacher", WITH_ACCOUNT),
            "user_id": _link("login account", WITH_ACCOUNT),
            "name": Column(
                "The teacher's name: on their pages, and to the parents of children they acted on.",
                "the teacher, co-teachers, linked parents of their classes' children, staff",
                WITH_ACCOUNT,
            ),
            "school": Column("The school (optional): for staff who approve the teacher.", STAFF, WITH_ACCOUNT),
            "created_at": Column("When the teacher signed up.", STAFF, WITH_ACCOUNT),
            "approved_at": Column("When staff approved the teacher (empty: waiting).", STAFF, WITH_ACCOUNT),
            "approved_by_id": Column(
                "The staff account that approved (empty if approved by command, or once that account is erased).",
                STAFF,
                WITH_ACCOUNT,
            ),
        },
    ),
    "classes_classteacher": Table(
        "Which teachers teach which class.",
        {
            "id": _row_id("row", CLASS_KEPT),
            "school_class_id": _link("class", CLASS_KEPT, "the class's teachers"),
            "teacher_id": _link("teacher", CLASS_KEPT, "the class's teachers"),
            "added_at": Column("When the teacher joined the class.", "the class's teachers", CLASS_KEPT),
        },
    ),
    "classes_enrollment": Table(
        "Which children are in which class.",
        {
            "id": _row_id("row", ENROLLED_KEPT),
            "school_class_id": _link("class", ENROLLED_KEPT, TEACHERS_AND_FAMILY),
            "student_id": _link("child", ENROLLED_KEPT, TEACHERS_AND_FAMILY),
            "joined_at": Column("When the child joined the class.", TEACHERS_AND_FAMILY, ENROLLED_KEPT),
            "made_by_class": Column(
                "Whether the class made the child's account (a roster line): only then may its teachers make a new "
                "passphrase.",
                "the class's teachers",
                ENROLLED_KEPT,
            ),
            "on_class_board": Column(
                "Whether the class's weekly leaderboard shows the child (a teacher can hide them).",
                "the class's teachers",
                ENROLLED_KEPT,
            ),
        },
    ),
    "classes_extension": Table(
        "A child's own due date for an assignment, or their being excused from it.",
        {
            "id": _row_id("row", ENROLLED_KEPT),
            "assignment_id": _link("assignment", ENROLLED_KEPT, TEACHERS_AND_FAMILY),
            "student_id": _link("child", ENROLLED_KEPT, TEACHERS_AND_FAMILY),
            "due_on": Column("The child's own due date.", TEACHERS_AND_FAMILY, ENROLLED_KEPT),
            "excused": Column("Whether the child is excused from the assignment.", TEACHERS_AND_FAMILY, ENROLLED_KEPT),
        },
    ),
    "classes_teacheraction": Table(
        "What a teacher did to a child's account (made it, a new passphrase, out of a class …): for the parents.",
        {
            "id": _row_id("record", ACTION_KEPT),
            "student_id": _link("child", ACTION_KEPT, "linked parents, staff"),
            "teacher_id": Column(
                "The teacher who acted (empty once their account is erased).", "linked parents, staff", ACTION_KEPT
            ),
            "class_name": Column("The class's name at the time.", "linked parents, staff", ACTION_KEPT),
            "kind": Column("What the teacher did.", "linked parents, staff", ACTION_KEPT),
            "at": Column("When.", "linked parents, staff", ACTION_KEPT),
        },
    ),
    "classes_coteacherinvitation": Table(
        "A teacher invites another approved teacher, by e-mail, into a class (single use, valid 7 days).",
        {
            "id": _row_id("invitation", "7 days"),
            "school_class_id": _link("class", "7 days", "the class's teachers"),
            "invited_by_id": Column("The teacher who invited.", "the invited teacher", "7 days"),
            "email": Column(
                "The invited address: the invitation is mailed there and works for it only.",
                "the class's teachers",
                "7 days",
            ),
            "created_at": Column("When it was sent.", NOBODY, "7 days"),
            "used_at": Column("When it was used (it works once).", NOBODY, "7 days"),
        },
    ),
    "django_session": Table(
        "A browser's session: signed in, or before a sign-up.",
        {
            "session_key": Column(
                "The session's random key, which the browser's cookie holds.",
                NOBODY,
                SESSION_KEPT,
            ),
            "session_data": Column(
                "The signed-in account's id and the state of the second-factor step; before a sign-up, only "
                "whether a birth date below the consent age was given (so that going back and giving another "
                "changes nothing), never the date; messages shown once on the next page.",
                NOBODY,
                SESSION_KEPT,
            ),
            "expire_date": Column(
                "When the session ends: 2 weeks after sign-in.",
                NOBODY,
                SESSION_KEPT,
            ),
        },
    ),
    "django_admin_log": Table(
        "The admin's history of changes: which staff member added, changed or deleted what.",
        {
            "id": _row_id("entry", ADMIN_LOG_KEPT),
            "action_time": Column("When.", STAFF, ADMIN_LOG_KEPT),
            "user_id": Column("The staff account that acted.", STAFF, "until that staff account is erased"),
            "content_type_id": Column("What kind of row was changed.", STAFF, ADMIN_LOG_KEPT),
            "object_id": Column("The changed row's number (a student's id, say).", STAFF, ADMIN_LOG_KEPT),
            "object_repr": Column(
                "The changed row's name at the time: for a student or a parent, their name.",
                STAFF,
                ADMIN_LOG_KEPT,
            ),
            "action_flag": Column("Added, changed or deleted.", STAFF, ADMIN_LOG_KEPT),
            "change_message": Column(
                "Which fields changed (their names, not their values).",
                STAFF,
                ADMIN_LOG_KEPT,
            ),
        },
    ),
    "django_tasks_database_dbtaskresult": Table(
        "Queued background jobs, mostly e-mails to send: their arguments hold the recipient's address.",
        {
            "id": _row_id("job", JOB_KEPT),
            "status": Column("Waiting, running, succeeded or failed.", STAFF, JOB_KEPT),
            "enqueued_at": Column("When it was queued.", STAFF, JOB_KEPT),
            "started_at": Column("When a worker started it.", STAFF, JOB_KEPT),
            "finished_at": Column(
                "When it ended: the purge counts from here.",
                STAFF,
                JOB_KEPT,
            ),
            "args_kwargs": Column(
                "The job's arguments: an e-mail address or an account's id, the site's address, the attempt.",
                STAFF,
                JOB_KEPT,
            ),
            "priority": Column("The queue's order.", STAFF, JOB_KEPT),
            "task_path": Column("Which job (e.g. the password-reset mail).", STAFF, JOB_KEPT),
            "worker_ids": Column("Which worker processes ran it.", STAFF, JOB_KEPT),
            "queue_name": Column("The queue.", STAFF, JOB_KEPT),
            "backend_name": Column("The task backend.", STAFF, JOB_KEPT),
            "run_after": Column("Not before this time (a retry waits).", STAFF, JOB_KEPT),
            "return_value": Column(
                "What it returned (how many e-mails were sent).",
                STAFF,
                JOB_KEPT,
            ),
            "exception_class_path": Column("Why it failed (the error's kind).", STAFF, JOB_KEPT),
            "traceback": Column(
                "Where it failed: the mail server's error, which may quote the recipient's address.",
                STAFF,
                JOB_KEPT,
            ),
        },
    ),
}

# --- Tables that hold no personal data, and why ------------------------------------------------------------

NO_PERSONAL_DATA: dict[str, str] = {
    "auth_group": "Staff groups (roles): their names only.",
    "auth_group_permissions": "Which permissions each group has.",
    "auth_permission": "The permissions Django defines, one per model and action.",
    "django_content_type": "The names of the models, for permissions and the admin's history.",
    "jobs_periodicrun": "Which periodic job ran for which day or hour (the job's name and the period only).",
    "chapters": "Course content: chapter names, descriptions and unlock rules.",
    "questions": "Course content: questions, options, answers and explanations; no author or answerer.",
    "classes_class": "A class: its name, time zone and join code (no child's data; its members are enrollments).",
    "classes_assignment": "Work a teacher sets a class: a title and dates.",
    "classes_assignmentchapter": "Which chapters an assignment covers.",
    "classes_weeklyclasssummary": "Which weeks a class's e-mail to its teachers went out (class and week only).",
}

# --- Personal data outside the database -------------------------------------------------------------------

ELSEWHERE: tuple[Elsewhere, ...] = (
    Elsewhere(
        "The application's log (stdout)",
        "One line per event: time, level, request id and a message with ids only (student, account, staff), "
        "never names or e-mail addresses; e.g. `student erased student_id=…`.",
        "Finding faults; saying what was erased without keeping who it was.",
        "whoever runs the site",
        "at most 30 days",
    ),
    Elsewhere(
        "gunicorn's access log (stdout)",
        "For each request: time, method, page address without its query string (addresses hold ids, not names), "
        "status, size, duration and request id; links that carry a token (reset, sign-up, invitation) with the token "
        "redacted. Not the network address, the browser or the referring page.",
        "Finding faults and slow pages.",
        "whoever runs the site",
        "at most 30 days",
    ),
    Elsewhere(
        "The Redis cache",
        "Copies of a child's numbers, keyed by the student's id: streak (5 minutes), mastery per chapter "
        "(30 minutes), the last 30 days (1 hour), recent answers and the week (15 minutes); the leaderboard's "
        "top 50 (first name, last initial and XP; 6 hours), and its ranking (the id and XP of each child on it, "
        "rebuilt every hour from the database; 6 hours). Copies of who is signed in (edtech.auth_cache): a "
        "session's data, and the account's row without its password hash (its e-mail or username, which "
        "profiles it has, its flags), for 2 hours at most. Rendered page parts showing the same data: a child's "
        "chapter map, dashboard numbers and chapter pages (which questions they got right; 15 minutes), a "
        "class's progress grid and roster for its teachers (children's names and usernames, statuses, mastery "
        "bands, the needs-help reason, and the class's teachers' names; 5 minutes).",
        "Fast pages.",
        "nobody (pages show what the database shows)",
        "at most 6 hours; erasing a child drops theirs, their classes' grids and the leaderboard at once; a "
        "sign-out, a new password, a "
        "deactivation or an erasure makes the copies unreachable at once",
    ),
    Elsewhere(
        "Sent e-mail",
        "Password resets, sign-up links, a child's request to a parent, invitations, warnings before a child's "
        "account is erased, the parents' weekly summary.",
        "Reaching the account's owner or the parent.",
        "the recipient; the site's mail server",
        "as the recipient's mailbox and the mail server keep it",
    ),
    Elsewhere(
        "Backups (`make backup`)",
        "A full copy of the database: everything above.",
        "Restoring the site after a loss.",
        "whoever runs the site",
        "at most 30 days; erasing a child does not rewrite older backups",
    ),
)


# --- What the database has, against what is described ------------------------------------------------------


def database_columns() -> dict[str, list[str]]:
    """Every table of every installed model (auto-created many-to-many tables too) with its concrete columns."""
    from django.apps import apps

    tables: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        columns = tables.setdefault(model._meta.db_table, [])
        for field in model._meta.concrete_fields:
            if field.column and field.column not in columns:  # a concrete field always has one
                columns.append(field.column)
    return tables


def undescribed(tables: Mapping[str, Iterable[str]]) -> list[str]:
    """`table.column` of each column that the inventory does not describe (its table not listed as holding no
    personal data)."""
    missing: list[str] = []
    for table, columns in tables.items():
        if table in NO_PERSONAL_DATA:
            continue
        described = PERSONAL_DATA[table].columns if table in PERSONAL_DATA else {}
        missing.extend(f"{table}.{column}" for column in columns if column not in described)
    return sorted(missing)


def stale(tables: Mapping[str, Iterable[str]]) -> list[str]:
    """Tables (`table`) and columns (`table.column`) the inventory names that the database does not have."""
    names = [table for table in NO_PERSONAL_DATA if table not in tables]
    for table, entry in PERSONAL_DATA.items():
        if table not in tables:
            names.append(table)
            continue
        present = set(tables[table])
        names.extend(f"{table}.{column}" for column in entry.columns if column not in present)
    return sorted(names)


# --- PRIVACY.md's inventory --------------------------------------------------------------------------------

START_MARKER = "<!-- inventory:start -->"
END_MARKER = "<!-- inventory:end -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def render_markdown() -> str:
    """The inventory as Markdown: a section per table, then the data outside the database, then the tables
    without personal data. The same text on every run (the entries' own order)."""
    lines = [
        f"Privacy notice version **{NOTICE_VERSION}** (recorded with each consent).",
        "",
        LEGEND,
        "",
    ]
    for table, (description, columns) in PERSONAL_DATA.items():
        lines += [f"### `{table}` — {description}", ""]
        lines += [_row("Column", "What it is for", "Who sees it", "Kept"), "| --- | --- | --- | --- |"]
        lines += [_row(f"`{name}`", c.purpose, c.seen_by, c.kept) for name, c in columns.items()]
        lines.append("")
    lines += ["### Outside the database", ""]
    lines += [
        _row("Where", "What it holds", "What it is for", "Who sees it", "Kept"),
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_row(e.place, e.holds, e.purpose, e.seen_by, e.kept) for e in ELSEWHERE]
    lines += ["", "### Tables with no personal data", ""]
    lines += [f"- `{table}`: {reason}" for table, reason in NO_PERSONAL_DATA.items()]
    return "\n".join(lines) + "\n"


def with_inventory(document: str, markdown: str) -> str:
    """The document with the text between its inventory markers replaced by `markdown`.

    Raises ValueError when the markers are missing or out of order."""
    start = document.find(START_MARKER)
    end = document.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"no {START_MARKER} … {END_MARKER} section")
    head = document[: start + len(START_MARKER)]
    return f"{head}\n\n{markdown.strip()}\n\n{document[end:]}"
