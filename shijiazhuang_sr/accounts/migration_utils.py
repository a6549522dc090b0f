"""Helpers for the data migrations that give roles their permissions.

Each app grants its own models' permissions to the roles in a migration of its own:

    operations = [grant_operation({"综合执法四科": ["inspectors.change_inspector", ...]})]

Permissions are normally created after all migrations (post_migrate); these helpers create
them first so that a fresh database gets its roles in one `migrate`. Reversing the migration
removes exactly the permissions it granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _ensure_permissions(apps, app_labels):
    for app_config in apps.get_app_configs():
        if app_config.label not in app_labels:
            continue
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permissions(apps, names):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def grant_operation(grants: dict[str, list[str]]) -> migrations.RunPython:
    def forward(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        _ensure_permissions(
            apps, {name.split(".")[0] for names in grants.values() for name in names}
        )
        for role, names in grants.items():
            group, _ = Group.objects.get_or_create(name=role)
            group.permissions.add(*_permissions(apps, names))

    def backward(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for role, names in grants.items():
            group = Group.objects.filter(name=role).first()
            if group is not None:
                group.permissions.remove(*_permissions(apps, names))

    return migrations.RunPython(forward, backward)
