from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from classes import rosters
from classes.models import Teacher


class Command(BaseCommand):
    help = "Approve a teacher's account (the school vouches for them): they may then make classes."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The teacher account's e-mail address (any letter case).")

    def handle(self, *args, email, **options):
        teacher = Teacher.objects.filter(user__in=User.objects.with_email(email)).first()
        if teacher is None:
            raise CommandError(f"No teacher account has the e-mail address {email}.")
        if rosters.approve(teacher, by=None):
            self.stdout.write(self.style.SUCCESS(f"Approved {teacher.name} <{teacher.user.email}>."))
        else:
            self.stdout.write(f"{teacher.name} <{teacher.user.email}> was already approved.")
