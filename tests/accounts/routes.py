from tests.authz import Route, everyone


def _target(users):
    return {"pk": users["inspector"].pk}


ADMIN_ONLY = {"sysadmin": 200}

ROUTES = [
    Route("accounts:login", everyone(302) | {"anonymous": 200}),  # signed-in users go home
    Route("accounts:logout", everyone(405) | {"anonymous": 405}),
    Route("accounts:logout", everyone(302), method="post", label="post"),
    Route("accounts:password_change", everyone(200)),
    Route("accounts:user_list", ADMIN_ONLY),
    Route("accounts:user_create", ADMIN_ONLY),
    Route("accounts:user_edit", ADMIN_ONLY, setup=_target),
    Route("accounts:user_reset_password", ADMIN_ONLY, setup=_target),
    Route("accounts:user_unlock", {"sysadmin": 405}, setup=_target, label="get"),
    Route("accounts:user_unlock", {"sysadmin": 302}, method="post", setup=_target),
]
