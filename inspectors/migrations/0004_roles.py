"""The rights of the roster's models.

综合执法四科 and 系统管理员 maintain the roster (inspectors, tags, status periods) and run the
"应纳尽纳" reconciliation; 科室负责人, 执法人员 and 局领导 read the roster; 局领导 also reads
the reconciliation; 安全审计员 gets nothing here. Departments and sections were granted with
the roles (accounts 0002).
"""

from django.db import migrations

from shijiazhuang_sr.accounts.migration_utils import grant_operation

READ = [
    "inspectors.view_inspector",
    "inspectors.view_tag",
    "inspectors.view_inspectorstatusperiod",
]
RECONCILIATION_READ = [
    "inspectors.view_reconciliationrun",
    "inspectors.view_reconciliationline",
]
EDIT = [
    *READ,
    *RECONCILIATION_READ,
    "inspectors.add_inspector",
    "inspectors.change_inspector",
    "inspectors.add_tag",
    "inspectors.change_tag",
    "inspectors.add_inspectorstatusperiod",
    "inspectors.change_inspectorstatusperiod",
    "inspectors.add_reconciliationrun",
    "inspectors.change_reconciliationline",
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("inspectors", "0003_reconciliation"),
    ]

    operations = [
        grant_operation(
            {
                "综合执法四科": EDIT,
                "系统管理员": EDIT,
                "科室负责人": READ,
                "执法人员": READ,
                "局领导": [*READ, *RECONCILIATION_READ],
            }
        ),
    ]
