from django.conf import settings

from shijiazhuang_sr.core.navigation import navigation_for
from shijiazhuang_sr.core.notifications import unread_count

PLATFORM_NAME = "石家庄市应急管理局“双随机、一公开”监管平台"


def shell(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "unread_notifications": unread_count(user) if signed_in else 0,
        "platform_name": PLATFORM_NAME,
        "navigation": navigation_for(user) if user is not None else [],
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
