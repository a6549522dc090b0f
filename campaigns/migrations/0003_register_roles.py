"""The rights of the register's models.

综合执法四科 maintains the register (enterprises, grades, check visits) and records and decides
recusals; 科室负责人, 执法人员 and 局领导 read the register; 执法人员 declare their own recusals
and 局领导 read them all. 系统管理员 and 安全审计员 get nothing here, and nothing is public.
"""

from django.db import migrations

from shijiazhuang_sr.accounts.migration_utils import grant_operation

READ = [
    "campaigns.view_area",
    "campaigns.view_enterprise",
    "campaigns.view_creditgradechange",
    "campaigns.view_checkvisit",
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("campaigns", "0002_areas_and_name_search"),
    ]

    operations = [
        grant_operation(
            {
                "综合执法四科": [
                    *READ,
                    "campaigns.add_enterprise",
                    "campaigns.change_enterprise",
                    "campaigns.add_creditgradechange",
                    "campaigns.add_checkvisit",
                    "campaigns.view_recusal",
                    "campaigns.add_recusal",
                    "campaigns.approve_recusal",
                ],
                "科室负责人": [*READ],
                "执法人员": [*READ, "campaigns.declare_recusal"],
                "局领导": [*READ, "campaigns.view_recusal"],
            }
        ),
    ]
