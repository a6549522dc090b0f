from tests.authz import Route

AUDITOR_ONLY = {"auditor": 200}

ROUTES = [
    Route("audit:entry_list", AUDITOR_ONLY),
    Route("audit:entry_export", AUDITOR_ONLY),
]
