"""Every URL × every persona → the expected status (see tests/authz.py)."""

import importlib

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz import PERSONAS, ROUTE_MODULES, Route
from tests.conftest import make_persona

# URL namespaces outside the matrix: Django's own admin (superusers only, checked by Django).
UNCHECKED_NAMESPACES = {"admin"}


def all_routes() -> list[Route]:
    return [route for module in ROUTE_MODULES for route in importlib.import_module(module).ROUTES]


def project_url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in UNCHECKED_NAMESPACES:
                continue
            inner = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= project_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_name_is_in_the_matrix():
    covered = {route.name for route in all_routes()}
    missing = sorted(project_url_names() - covered)
    assert not missing, f"URL names without an authorization matrix entry: {missing}"


CASES = [(route, persona) for route in all_routes() for persona in PERSONAS]


@pytest.mark.parametrize(("route", "persona"), CASES, ids=[f"{r.id}-{p}" for r, p in CASES])
def test_authorization_matrix(db, route: Route, persona: str):
    users = {name: make_persona(name) for name in PERSONAS if name != "anonymous"}
    kwargs = route.setup(users) if route.setup else {}
    client = Client()
    if persona != "anonymous":
        client.force_login(users[persona])
    url = reverse(route.name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    data = route.data(users) if callable(route.data) else route.data
    response = getattr(client, route.method)(url, data)
    expected = route.status_for(persona)
    assert response.status_code == expected, (
        f"{route.method.upper()} {url} as {persona}: expected {expected}, "
        f"got {response.status_code}"
    )
    if persona == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
