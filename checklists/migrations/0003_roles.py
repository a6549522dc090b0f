"""The rights of the item list's models.

综合执法四科 maintains the whole list (items, joint lists, sectors) and decides requests;
科室负责人 reads and proposes items; 执法人员 and 局领导 read; 系统管理员 and 安全审计员 get
nothing here.
"""

from django.db import migrations

from shijiazhuang_sr.accounts.migration_utils import grant_operation

READ = [
    "checklists.view_checkitem",
    "checklists.view_jointitemlist",
    "checklists.view_supervisionsector",
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("checklists", "0002_items"),
    ]

    operations = [
        grant_operation(
            {
                "综合执法四科": [
                    *READ,
                    "checklists.add_checkitem",
                    "checklists.change_checkitem",
                    "checklists.retire_checkitem",
                    "checklists.add_jointitemlist",
                    "checklists.change_jointitemlist",
                    "checklists.add_supervisionsector",
                    "checklists.change_supervisionsector",
                    "checklists.view_checkitemrequest",
                    "checklists.approve_checkitemrequest",
                ],
                "科室负责人": [
                    *READ,
                    "checklists.view_checkitemrequest",
                    "checklists.add_checkitemrequest",
                ],
                "执法人员": [*READ],
                "局领导": [*READ, "checklists.view_checkitemrequest"],
            }
        ),
    ]
