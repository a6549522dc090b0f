"""The six roles of the platform. Each is a Django group with permissions.

The groups and the permissions of this package are created by a data migration
(`accounts/migrations/0002_roles.py`); every app grants its own models' permissions to the
roles in a data migration of its own, so that a role's rights are reviewed with the models.
"""

from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMIN = "系统管理员", "系统管理员"  # users and settings; no business data
    AUDITOR = "安全审计员", "安全审计员"  # reads the audit log, nothing else
    SECTION4 = "综合执法四科", "综合执法四科"  # maintains roster, item list and register
    SECTION_CHIEF = "科室负责人", "科室负责人"  # plans campaigns for their own section
    INSPECTOR = "执法人员", "执法人员"  # works on their own assigned inspections
    LEADER = "局领导", "局领导"  # reads everything, approves


ROLE_DESCRIPTIONS = {
    Role.SYSTEM_ADMIN: "管理用户账号、角色和系统设置，不处理业务数据。",
    Role.AUDITOR: "查阅和导出审计日志，不能进行其他操作。",
    Role.SECTION4: "维护执法人员名录库、抽查事项清单和检查对象名录库。",
    Role.SECTION_CHIEF: "为本科室制定抽查任务，提交审批。",
    Role.INSPECTOR: "办理分配给本人的检查任务，现场录入检查结果。",
    Role.LEADER: "查阅全部业务数据，审批抽查计划。",
}
