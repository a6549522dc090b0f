"""Demo data of the foundation: departments, sections and one account per role.

Synthetic but realistic for Shijiazhuang. Idempotent: running it again changes nothing.
The apps add their own demo data in `<app>/demo.py` (see the seed_demo command).
"""

from django.contrib.auth.models import Group
from django.db import transaction

from inspectors.models import Department, Section
from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.accounts.roles import Role

OWN_BUREAU = "石家庄市应急管理局"
MARKET_REGULATOR = "石家庄市市场监督管理局"
FIRE_BRIGADE = "石家庄市消防救援支队"

# (department, short name, is own bureau, [(section, short name, kind)])
DEPARTMENTS = [
    (
        OWN_BUREAU,
        "市应急管理局",
        True,
        [
            ("办公室", "办公室", Section.Kind.OTHER),
            ("政策法规科", "法规科", Section.Kind.OTHER),
            ("安全生产综合协调科", "综合协调科", Section.Kind.OTHER),
            ("危险化学品安全监督管理科", "危化科", Section.Kind.SUPERVISION),
            ("非煤矿山安全监督管理科", "非煤矿山科", Section.Kind.SUPERVISION),
            ("工贸行业安全监督管理科", "工贸科", Section.Kind.SUPERVISION),
            ("安全生产基础科", "基础科", Section.Kind.SUPERVISION),
            ("综合执法一科", "执法一科", Section.Kind.ENFORCEMENT),
            ("综合执法二科", "执法二科", Section.Kind.ENFORCEMENT),
            ("综合执法三科", "执法三科", Section.Kind.ENFORCEMENT),
            ("综合执法四科", "执法四科", Section.Kind.ENFORCEMENT),
        ],
    ),
    (
        MARKET_REGULATOR,
        "市市场监管局",
        False,
        [
            ("特种设备安全监察科", "特种设备科", Section.Kind.SUPERVISION),
            ("产品质量安全监督管理科", "质量监管科", Section.Kind.SUPERVISION),
        ],
    ),
    (
        FIRE_BRIGADE,
        "市消防救援支队",
        False,
        [("防火监督处", "防火监督处", Section.Kind.SUPERVISION)],
    ),
    (
        "石家庄市生态环境局",
        "市生态环境局",
        False,
        [("环境执法支队", "环境执法支队", Section.Kind.ENFORCEMENT)],
    ),
]

DEMO_PASSWORD = "Demo@2026sjz"  # noqa: S105 - the published demo password (README)

# username, full name, role, section name (of the own bureau)
DEMO_ACCOUNTS = [
    ("admin", "王立新", Role.SYSTEM_ADMIN, "办公室"),
    ("auditor", "李秀英", Role.AUDITOR, "政策法规科"),
    ("section4", "张建国", Role.SECTION4, "综合执法四科"),
    ("chief", "刘志强", Role.SECTION_CHIEF, "危险化学品安全监督管理科"),
    ("inspector", "陈晓明", Role.INSPECTOR, "危险化学品安全监督管理科"),
    ("leader", "赵卫东", Role.LEADER, "办公室"),
]


@transaction.atomic
def seed_departments() -> dict[str, Department]:
    departments = {}
    for order, (name, short, own, sections) in enumerate(DEPARTMENTS, start=1):
        department, _ = Department.objects.get_or_create(
            name=name, defaults={"short_name": short, "is_own_bureau": own, "sort_order": order}
        )
        departments[name] = department
        for section_order, (section_name, section_short, kind) in enumerate(sections, start=1):
            Section.objects.get_or_create(
                department=department,
                name=section_name,
                defaults={"short_name": section_short, "kind": kind, "sort_order": section_order},
            )
    return departments


@transaction.atomic
def seed_accounts() -> None:
    """One account per role (DEMO_ACCOUNTS), all with DEMO_PASSWORD."""
    bureau = Department.objects.get(name=OWN_BUREAU)
    for username, full_name, role, section_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                department=bureau,
                section=Section.objects.get(department=bureau, name=section_name),
            )
            user.set_password(DEMO_PASSWORD)
            # Demo accounts skip the forced first-login change so a visitor can look around.
            user.must_change_password = False
            user.save()
            user.groups.add(Group.objects.get(name=role))


def seed(*, stdout, options) -> None:
    seed_departments()
    seed_accounts()
    stdout.write(
        f"部门 {Department.objects.count()} 个，科室 {Section.objects.count()} 个，"
        f"演示账号 {len(DEMO_ACCOUNTS)} 个"
    )
