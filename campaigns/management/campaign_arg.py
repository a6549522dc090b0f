from django.core.management.base import CommandError

from campaigns.models import Campaign


def find_campaign(value: str) -> Campaign:
    """A campaign by official number or id, for the command line."""
    campaign = Campaign.objects.filter(code=value.strip()).first()
    if campaign is None and value.strip().isdigit():
        campaign = Campaign.objects.filter(pk=int(value)).first()
    if campaign is None:
        raise CommandError(f"找不到抽查任务：{value}")
    return campaign
