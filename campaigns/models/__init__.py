"""Models of the campaigns app, one module per aggregate; import them from here."""

from campaigns.models.draws import Draw, Inspection, InspectionTeamMember, Manifest, Replacement
from campaigns.models.plans import AnnualPlan, Campaign, CampaignStratum, PlanAdjustment, TeamSlot
from campaigns.models.register import (
    Area,
    CheckVisit,
    CreditGrade,
    CreditGradeChange,
    Enterprise,
    EnterpriseSector,
    Recusal,
)

__all__ = [
    "AnnualPlan",
    "Area",
    "Campaign",
    "CampaignStratum",
    "CheckVisit",
    "CreditGrade",
    "CreditGradeChange",
    "Draw",
    "Enterprise",
    "EnterpriseSector",
    "Inspection",
    "InspectionTeamMember",
    "Manifest",
    "PlanAdjustment",
    "Recusal",
    "Replacement",
    "TeamSlot",
]
