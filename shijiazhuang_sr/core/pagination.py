from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 25


def paginate(request, queryset, per_page: int = DEFAULT_PER_PAGE):
    """The requested page of `queryset`; an out-of-range or malformed page gives the last/first.

    Templates render it with `{% include "includes/pagination.html" with page=page %}`, which
    keeps the current filters in the page links.
    """
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
