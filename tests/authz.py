"""The authorization matrix: every URL name × every persona (and anonymous) → expected status.

Each app declares its routes in `tests/<app>/routes.py` as a list `ROUTES` of `Route`s and
adds the module to `ROUTE_MODULES` below. `tests/test_authorization_matrix.py` requests every
route as every persona and fails if a URL name of the project has no route here.

Statuses: 200 a page; 302 a redirect (anonymous → login, or a POST that succeeded); 403 no
right; 404 the object is outside the persona's scope; 405 wrong method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "sysadmin",
    "auditor",
    "section4",
    "chief",
    "inspector",
    "leader",
)

ROUTE_MODULES = [
    "tests.accounts.routes",
    "tests.audit.routes",
    "tests.core.routes",
    "tests.inspectors.routes",
    "tests.checklists.routes",
    "tests.campaigns.routes",
]


@dataclass
class Route:
    """One URL to try. `setup(personas)` creates what it needs and returns the URL kwargs.

    `personas` maps persona names to users (the requesting persona among them), so a route can
    build an object that belongs to, say, the chief's section. `expect` gives the status for
    each persona; personas left out expect `default`. `method` is "get" or "post".
    """

    name: str
    expect: dict[str, int]
    default: int = 403
    method: str = "get"
    data: dict | Callable[[dict], dict] = field(default_factory=dict)
    setup: Callable[[dict], dict] | None = None
    query: str = ""
    label: str = ""

    def status_for(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        if persona == "anonymous":
            return 302
        return self.default

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]{'-' + self.label if self.label else ''}"


def everyone(status: int = 200, **overrides: int) -> dict[str, int]:
    """Every signed-in persona gets `status` unless overridden; anonymous still goes to login."""
    return {name: status for name in PERSONAS if name != "anonymous"} | overrides
