from shijiazhuang_sr.audit.context import AuditContext, Channel, _current, client_ip


class AuditContextMiddleware:
    """Make the requesting user and address available to the audit trail for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = Channel.ADMIN if request.path.startswith("/admin/") else Channel.WEB
        user = request.user if request.user.is_authenticated else None
        token = _current.set(AuditContext(user=user, ip=client_ip(request), channel=channel))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
