"""What an API request costs in statements, and that making it cheap changed no answer.

Speed itself is measured by bench/bench_api.py; these tests count queries and check the
semantics the cheap paths must keep (a token dies at once; the OpenAPI document is the same)."""

from __future__ import annotations

import json
from datetime import timedelta

import ninja.main
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jamsos.accounts.models import ApiToken, User
from jamsos.accounts.services import token_user
from jamsos.api.urls import api
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


def test_an_api_request_finds_its_token_and_user_in_one_statement(demo):
    client = bearer_client("peserta")
    client.get("/api/v1/claims")  # writes last_used_at (once a minute at most)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/claims")
    assert response.status_code == 200 and response.json() == []
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2, sql  # the token with its user, then the claims
    assert "accounts_apitoken" in sql[0] and "accounts_user" in sql[0]


def test_the_token_look_up_gives_the_same_rows_as_the_orm(demo):
    client = bearer_client("peserta")
    raw = client.defaults["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    user, token = token_user(raw)
    stored = ApiToken.objects.select_related("user").get(pk=token.pk)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(token, field.attname) == getattr(stored, field.attname), field.name
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(stored.user, field.attname), field.name
    assert token.user is user and user.username == "peserta" and user.is_active is True
    assert token.expires_at.tzinfo is not None


def test_a_token_revoked_or_a_user_deactivated_elsewhere_is_refused_on_the_next_request(demo):
    """Nothing is cached between requests: a change made by another process (here, straight
    in the database) holds on the very next request."""
    client = bearer_client("peserta")
    assert client.get("/api/v1/auth/me").status_code == 200
    User.objects.filter(username="peserta").update(is_active=False)
    assert client.get("/api/v1/auth/me").status_code == 401
    User.objects.filter(username="peserta").update(is_active=True)
    assert client.get("/api/v1/auth/me").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_token_is_refused_from_the_second_it_expires(demo):
    client = bearer_client("peserta")
    expires_at = ApiToken.objects.get().expires_at
    with time_machine.travel(expires_at - timedelta(microseconds=1), tick=False):
        assert client.get("/api/v1/auth/me").status_code == 200
    with time_machine.travel(expires_at, tick=False):
        assert client.get("/api/v1/auth/me").status_code == 401


def test_unknown_and_malformed_tokens_are_refused(demo):
    assert token_user("") is None
    assert token_user("x' OR '1'='1") is None
    client = bearer_client("peserta")
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer not-a-token"
    assert client.get("/api/v1/auth/me").status_code == 401


def test_the_openapi_document_is_built_once_and_served_unchanged(client, monkeypatch):
    builds = []
    real = ninja.main.get_schema

    def counting(**kwargs):
        builds.append(kwargs["path_prefix"])
        return real(**kwargs)

    monkeypatch.setattr(ninja.main, "get_schema", counting)
    api.__dict__.pop("_openapi_documents", None)
    api.__dict__.pop("_openapi_bodies", None)
    first = client.get("/api/v1/openapi.json")
    second = client.get("/api/v1/openapi.json")
    assert builds == ["/api/v1/"]
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first.content == second.content
    document = json.loads(first.content)
    assert document["info"]["title"] == "Jamsos API"
    # the statuses added after the build are in the kept document
    me = document["paths"]["/api/v1/auth/me"]["get"]["responses"]
    assert "401" in me and "400" in me
    assert api.get_openapi_schema() is api.get_openapi_schema()


def test_a_balance_read_costs_a_fixed_number_of_statements_and_one_audit_insert(demo):
    from jamsos.core.models import AuditEvent
    from jamsos.demo.services import demo_member_load

    person = demo_member_load()
    kpj = person.participations.get().kpj
    client = bearer_client("peserta")
    client.get("/api/v1/claims")  # writes last_used_at
    before = AuditEvent.objects.filter(action="person.balance_read").count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/jht/{kpj}")
    assert response.status_code == 200 and response.json()["balance_idr"] == 0
    sql = [q["sql"] for q in queries.captured_queries]
    # token, card, opening balance, the year's entries, the year's return, the person's balance
    # over all cards, the audit row
    assert len(sql) == 7, sql
    assert [s for s in sql if s.startswith("INSERT")] == [sql[-1]]
    assert "core_auditevent" in sql[-1]
    assert AuditEvent.objects.filter(action="person.balance_read").count() == before + 1
