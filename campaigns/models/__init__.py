"""Models of the campaigns app, one module per aggregate; import them from here."""

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
    "Area",
    "CheckVisit",
    "CreditGrade",
    "CreditGradeChange",
    "Enterprise",
    "EnterpriseSector",
    "Recusal",
]
