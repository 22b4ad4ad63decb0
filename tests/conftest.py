from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from jamsos.accounts.models import User
from jamsos.core.models import AuditEvent
from jamsos.demo.services import DEMO_PASSWORD, demo_load

#: Every row of these tables must have been written by a service that audited it.
AUDITED_MODELS = [
    "accounts.User",
    "accounts.ApiToken",
    "registry.RegionalOffice",
    "registry.BranchOffice",
    "registry.Employer",
]


@pytest.fixture
def db_audited(db: None) -> Iterator[None]:
    """After the test, check that no audited row exists without an audit event."""
    yield
    missing = {}
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        events = AuditEvent.objects.filter(object_type=label.lower()).values_list(
            "object_id", flat=True
        )
        audited = {e for e in events if "-" not in e}
        ranges = [tuple(int(x) for x in e.split("-")) for e in events if "-" in e]  # bulk loads
        unaudited = {i for i in ids - audited if not any(lo <= int(i) <= hi for lo, hi in ranges)}
        if unaudited:
            missing[label] = sorted(unaudited)
    assert not missing, f"rows written without an audit event: {missing}"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _audit_completeness(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db_audited")


@pytest.fixture
def english() -> Iterator[None]:
    """Service messages in English, for tests that match them (pages default to Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db: None) -> dict[str, User]:
    """The demo region; returns the demo users by username."""
    demo_load()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


def bearer_client(username: str, password: str = DEMO_PASSWORD) -> Client:
    """A test client that authenticates to the API with a fresh bearer token."""
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {response.json()['token']}"
    return client
