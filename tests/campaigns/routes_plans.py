"""Authorization matrix entries for plans, campaigns and draws."""

from tests.authz import Route
from tests.campaigns.planning import World
from tests.inspectors.factories import InspectorFactory


def _campaign(users):
    world = World(users["chief"], enterprises_per_grade=2)
    return {"pk": world.campaign().pk}


def _inspector_linked(users):
    InspectorFactory(user=users["inspector"])
    return {}


ROUTES = [
    # Outside their scope (or without any right to campaigns) a campaign does not exist.
    Route(
        "campaigns:campaign_detail",
        {"chief": 200, "section4": 200, "leader": 200},
        default=404,
        setup=_campaign,
    ),
    Route("campaigns:my_inspections", {"inspector": 200}, setup=_inspector_linked),
]
