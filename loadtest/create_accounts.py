"""Create the load test's students and parents. Run with: manage.py shell < loadtest/create_accounts.py

Reads LOADTEST_PASSWORD, LOADTEST_STUDENTS (default 60) and LOADTEST_PARENTS (default 10).
The password is hashed once, with the project's own hasher, and that hash is given to every
account: creating 70 accounts stays fast, while logging in during the test still costs what
it costs in production.
"""

import os

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Parent, Student, StudentParentLink, User

# Some children in other time zones, so their "today" is not the server's.
TIME_ZONES = [None, None, "Europe/London", "America/New_York", "Asia/Tokyo", "Pacific/Auckland"]
FIRST_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Emma", "Finn", "Grace", "Hugo", "Iris", "Jonas"]
CHILDREN_PER_PARENT = 2

password = os.environ["LOADTEST_PASSWORD"]
student_count = int(os.environ.get("LOADTEST_STUDENTS", "60"))
parent_count = int(os.environ.get("LOADTEST_PARENTS", "10"))
encoded = make_password(password)

with transaction.atomic():
    student_users = User.objects.bulk_create(
        User(email=f"load-student-{n:03d}@example.com", password=encoded) for n in range(1, student_count + 1)
    )
    students = Student.objects.bulk_create(
        Student(
            user=user,
            email=user.email,
            name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} Loadtest{n:03d}",
            grade_level=n % 12 + 1,
            time_zone=TIME_ZONES[n % len(TIME_ZONES)],
        )
        for n, user in enumerate(student_users, start=1)
    )
    parent_users = User.objects.bulk_create(
        User(email=f"load-parent-{n:03d}@example.com", password=encoded) for n in range(1, parent_count + 1)
    )
    parents = Parent.objects.bulk_create(
        Parent(user=user, email=user.email, name=f"Parent Loadtest{n:03d}")
        for n, user in enumerate(parent_users, start=1)
    )
    # Parent n follows children n*2 and n*2+1: the first 2 × parents students have a parent.
    StudentParentLink.objects.bulk_create(
        StudentParentLink(student=students[i * CHILDREN_PER_PARENT + j], parent=parent)
        for i, parent in enumerate(parents)
        for j in range(CHILDREN_PER_PARENT)
        if i * CHILDREN_PER_PARENT + j < len(students)
    )

print(
    f"load-test accounts: {len(students)} students, {len(parents)} parents, "
    f"{StudentParentLink.objects.filter(parent__in=parents).count()} links"
)
