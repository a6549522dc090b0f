"""The six roles, and the rights of this package's models.

Apps grant their own models' permissions in their own migrations (see migration_utils).
"""

from django.db import migrations

from shijiazhuang_sr.accounts.migration_utils import grant_operation

ROLES = ["系统管理员", "安全审计员", "综合执法四科", "科室负责人", "执法人员", "局领导"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("inspectors", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        grant_operation(
            {
                # Users and settings only: no business data.
                "系统管理员": [
                    "accounts.view_user",
                    "accounts.add_user",
                    "accounts.change_user",
                    "inspectors.view_department",
                    "inspectors.add_department",
                    "inspectors.change_department",
                    "inspectors.view_section",
                    "inspectors.add_section",
                    "inspectors.change_section",
                ],
                # Reads (and exports) the audit log, nothing else.
                "安全审计员": ["audit.view_auditentry", "audit.export_auditentry"],
                "综合执法四科": [
                    "inspectors.view_department",
                    "inspectors.add_department",
                    "inspectors.change_department",
                    "inspectors.view_section",
                    "inspectors.add_section",
                    "inspectors.change_section",
                ],
                "科室负责人": ["inspectors.view_department", "inspectors.view_section"],
                "执法人员": ["inspectors.view_department", "inspectors.view_section"],
                "局领导": ["inspectors.view_department", "inspectors.view_section"],
            }
        ),
    ]
