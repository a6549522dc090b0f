from django.shortcuts import render

from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.home import panels_for


@staff_required()
def home(request):
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
