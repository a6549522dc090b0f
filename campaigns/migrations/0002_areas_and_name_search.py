# The areas of the register (domain.md §8), and the PostgreSQL-only GIN index of name search.

from django.db import migrations

# (code, name, kind): the 22 county-level areas of Shijiazhuang, then the two development
# zones with their statistical codes (国家统计局统计用区划代码).
AREAS = [
    ("130102", "长安区", "district"),
    ("130104", "桥西区", "district"),
    ("130105", "新华区", "district"),
    ("130107", "井陉矿区", "district"),
    ("130108", "裕华区", "district"),
    ("130109", "藁城区", "district"),
    ("130110", "鹿泉区", "district"),
    ("130111", "栾城区", "district"),
    ("130121", "井陉县", "county"),
    ("130123", "正定县", "county"),
    ("130125", "行唐县", "county"),
    ("130126", "灵寿县", "county"),
    ("130127", "高邑县", "county"),
    ("130128", "深泽县", "county"),
    ("130129", "赞皇县", "county"),
    ("130130", "无极县", "county"),
    ("130131", "平山县", "county"),
    ("130132", "元氏县", "county"),
    ("130133", "赵县", "county"),
    ("130181", "辛集市", "city"),
    ("130183", "晋州市", "city"),
    ("130184", "新乐市", "city"),
    ("130171", "高新区", "zone"),
    ("130172", "循环化工园区", "zone"),
]


def seed_areas(apps, schema_editor):
    Area = apps.get_model("campaigns", "Area")
    for order, (code, name, kind) in enumerate(AREAS, start=1):
        Area.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )


def remove_areas(apps, schema_editor):
    Area = apps.get_model("campaigns", "Area")
    Area.objects.filter(code__in=[code for code, _name, _kind in AREAS]).delete()


# Name search (see campaigns/models/register.py, "Name search"): the fragment query
# `name_grams @@ '石家' & '家庄'::tsquery` needs this index. GIN is PostgreSQL's; other
# databases search names with a substring match and get no index.
GIN_INDEX = "enterprise_name_grams_gin"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON campaigns_enterprise USING gin (name_grams)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_register"),
    ]

    operations = [
        migrations.RunPython(seed_areas, remove_areas),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
