import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from shijiazhuang_sr.audit.models import AuditEntry


def entry_list(
    *,
    actor=None,
    content_type: ContentType | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("content_type")
    if actor is not None:
        entries = entries.filter(actor=actor)
    if content_type is not None:
        entries = entries.filter(content_type=content_type)
    if action:
        entries = entries.filter(action=action)
    # Dates are the bureau's calendar days (Asia/Shanghai), turned into an aware half-open range.
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if q:
        entries = entries.filter(
            Q(object_repr__icontains=q) | Q(actor_label__icontains=q) | Q(event__icontains=q)
        )
    return entries.order_by("-at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def history_for(obj) -> QuerySet[AuditEntry]:
    """Every entry about one object, newest first (an object's history panel)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by(
        "-at", "-id"
    )


def audited_content_types() -> QuerySet[ContentType]:
    used = AuditEntry.objects.values_list("content_type", flat=True).distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")
