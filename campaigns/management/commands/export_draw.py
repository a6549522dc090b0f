"""`python manage.py export_draw CAMPAIGN [--exclusions FILE]`: print the draw document.

The document is public (spec §7). The exclusion list is not: it is written only when asked,
for auditors, to FILE — and the export is audited.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.management.campaign_arg import find_campaign
from campaigns.selectors.campaigns import current_draw
from campaigns.services.draws import draw_document_text
from shijiazhuang_sr.audit.context import Channel, acting
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_record


class Command(BaseCommand):
    help = "输出抽查任务的摇号文书（JSON）；--exclusions 另行写出不公开的回避名单（供审计）。"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="任务编号（如 石应急抽〔2025〕3号）或 ID")
        parser.add_argument("--exclusions", metavar="FILE", help="把回避名单写入该文件")

    def handle(self, *args, **options):
        campaign = find_campaign(options["campaign"])
        draw = current_draw(campaign)
        if draw is None:
            raise CommandError(f"{campaign} 尚未摇号，没有摇号文书。")
        if options["exclusions"]:
            path = Path(options["exclusions"])
            path.write_text(draw.manifest.exclusions, encoding="utf-8")
            with acting(channel=Channel.COMMAND):
                audit_record(
                    action=AuditEntry.Action.EXPORT,
                    obj=draw.manifest,
                    event="campaigns.exclusions.exported",
                    data={"file": str(path)},
                )
            self.stderr.write(f"回避名单已写入 {path}（不公开，仅供审计）。")
        self.stdout.write(draw_document_text(draw))
