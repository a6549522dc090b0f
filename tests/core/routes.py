import uuid

from tests.authz import Route, everyone

UNKNOWN = {"kind_name": "no-such-import"}


def _missing_batch(users):
    return {"pk": uuid.uuid4()}


ROUTES = [
    Route("core:home", everyone(200)),
    # Unknown import kinds and batches are 404 for everyone signed in; each app's routes cover
    # its own import kind with real batches.
    Route("core:import_start", everyone(404), setup=lambda users: UNKNOWN),
    Route("core:import_template", everyone(404), setup=lambda users: UNKNOWN),
    Route("core:import_batch", everyone(404), setup=_missing_batch),
    Route("core:import_apply", everyone(404), method="post", setup=_missing_batch),
    Route("core:import_discard", everyone(404), method="post", setup=_missing_batch),
]

ROUTES += [
    Route("core:notifications", everyone(200)),
    Route("core:notification_read", everyone(405), setup=lambda users: {"pk": 0}, label="get"),
    Route("core:notification_read", everyone(302), method="post", setup=lambda users: {"pk": 0}),
]
