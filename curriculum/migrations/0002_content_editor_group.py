"""The "Content editors" group: staff who write chapters and questions, and nothing else.

A staff account put in this group can edit the curriculum in the admin and look at
the answers recorded against it, but cannot open accounts, students or parents.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Content editors"
PERMISSIONS = [
    "add_chapter",
    "change_chapter",
    "delete_chapter",
    "view_chapter",
    "add_question",
    "change_question",
    "delete_question",
    "view_question",
    "view_quizsubmission",
]


def create_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are made by the post_migrate signal, after all migrations have run: on a
    # fresh database they do not exist yet. create_permissions takes the app's label from
    # the global app config but the models from the historical `apps`, and skips existing rows.
    create_permissions(global_apps.get_app_config("curriculum"), verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.set(
        Permission.objects.using(using).filter(content_type__app_label="curriculum", codename__in=PERMISSIONS)
    )


def delete_group(apps, schema_editor):
    # The permissions stay: they belong to the models, not to this group.
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("curriculum", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_group, delete_group),
    ]
