"""Chinese error pages. They extend the plain shell (no navigation queries) so they still render
when the database or a context processor is what failed."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke the request must not break its error page.
    return HttpResponseServerError(loader.get_template("500.html").render())
