from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.home import panels_for
from shijiazhuang_sr.core.models import Notification
from shijiazhuang_sr.core.pagination import paginate


@staff_required()
def home(request):
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@staff_required()
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)
    return render(request, "core/notifications.html", {"page": paginate(request, notifications)})


@staff_required()
@require_POST
def notification_read(request, pk):
    """Mark one notification read and follow its link; "all" marks every one read."""
    mine = Notification.objects.filter(user=request.user, read_at__isnull=True)
    if pk == 0:
        mine.update(read_at=timezone.now())
        return redirect("core:notifications")
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url or "core:notifications")
