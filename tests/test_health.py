from datetime import date

import pytest
from django.db import OperationalError

from jamsos import __version__
from jamsos.rules.horizon import horizon_on

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "rules": horizon_on(date.today()).status,
        "version": __version__,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_503_when_the_database_does_not_answer(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("jamsos.web.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "degraded"
