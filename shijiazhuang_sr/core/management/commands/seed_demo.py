"""Load the demo data: `python manage.py seed_demo [--enterprises N]`.

Idempotent: a second run adds nothing. Every app seeds its own part in `<app>/demo.py`,
in the order below (later parts refer to earlier ones).
"""

import importlib
import time

from django.core.management.base import BaseCommand, CommandError

from shijiazhuang_sr.audit.context import Channel, acting
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_record
from shijiazhuang_sr.core import demo as core_demo

DEMO_MODULES = [
    "shijiazhuang_sr.core.demo",
    "inspectors.demo",
    "checklists.demo",
    # After checklists.demo (the register uses its supervision sectors).
    "campaigns.demo",
    # Plans, campaigns and a draw (after the register, roster and item list they use).
    "campaigns.demo_campaigns",
]


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）；--enterprises N 可生成大规模检查对象用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=int,
            default=5000,
            help="检查对象（企业）数量，默认 5000，最多 1000000。",
        )
        parser.add_argument("--inspectors", type=int, default=320, help="执法人员数量，默认 320。")

    def handle(self, *args, **options):
        if not 0 <= options["enterprises"] <= 1_000_000:
            raise CommandError("--enterprises 须在 0 到 1000000 之间。")
        started = time.monotonic()
        with acting(channel=Channel.COMMAND):
            for name in DEMO_MODULES:
                module_started = time.monotonic()
                importlib.import_module(name).seed(stdout=self.stdout, options=options)
                self.stdout.write(f"  {name}: {time.monotonic() - module_started:.1f} s")
            audit_record(
                action=AuditEntry.Action.OTHER,
                event="core.demo_seeded",
                data={"modules": DEMO_MODULES, "enterprises": options["enterprises"]},
            )
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪（{time.monotonic() - started:.1f} s）。")
        )
        self.stdout.write("演示账号（每个角色一个）：")
        for username, full_name, role, _section in core_demo.DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {role.label}：用户名 {username}  密码 {core_demo.DEMO_PASSWORD}（{full_name}）"
            )
