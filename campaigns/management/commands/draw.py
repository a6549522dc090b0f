"""`python manage.py draw CAMPAIGN [--source TEXT ...]`: draw a published campaign.

Goes through the same service as the web page (one draw per manifest, all or nothing).
CAMPAIGN is the official number (石应急抽〔2025〕3号) or the database id.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from campaigns.management.campaign_arg import find_campaign
from campaigns.selectors.campaigns import current_manifest
from campaigns.services.draws import DrawRefused, draw_perform
from shijiazhuang_sr.audit.context import Channel, acting


class Command(BaseCommand):
    help = "对已公示的抽查任务摇号（与网页使用同一服务；每个摇号方案只能摇号一次）。"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="任务编号（如 石应急抽〔2025〕3号）或 ID")
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            help="外部公开随机数（按计划事先公布的来源如实录入；可重复）",
        )
        parser.add_argument("--user", help="以哪个用户的名义摇号（用户名；不填记为“命令行”）")

    def handle(self, *args, **options):
        campaign = find_campaign(options["campaign"])
        manifest = current_manifest(campaign)
        if manifest is None:
            raise CommandError(f"{campaign} 尚未公示（没有冻结的摇号方案）。")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"找不到用户 {options['user']}。")
        with acting(user=user, channel=Channel.COMMAND):
            try:
                draw = draw_perform(
                    manifest_id=manifest.pk, external_sources=options["source"], by=user
                )
            except DrawRefused as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            f"{campaign.code} 摇号完成：抽中 {draw.selected_count} 户，"
            f"result_sha256 = {draw.result_sha256}"
        )
