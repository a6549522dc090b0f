from django.conf import settings

from shijiazhuang_sr.core.navigation import navigation_for

PLATFORM_NAME = "石家庄市应急管理局“双随机、一公开”监管平台"


def shell(request):
    user = getattr(request, "user", None)
    return {
        "platform_name": PLATFORM_NAME,
        "navigation": navigation_for(user) if user is not None else [],
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
