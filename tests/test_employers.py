"""Employer registration, JKK risk class by date, and status changes."""

from datetime import date

import pytest

from jamsos.core.models import AuditEvent
from jamsos.registry.models import Employer, EmployerDivision, EmployerRiskClass
from jamsos.registry.services import employer_risk_class_on
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db
NEW = {
    "legal_name": "PT Mahakam Kayu Prima",
    "npwp": "01.000.002.4-091.000",
    "sector": "C",
    "size": "medium",
    "regency": "64.72",
    "risk_class": 3,
    "address": "Jl. Slamet Riyadi 1",
}


def test_an_employer_administrator_registers_a_company(demo):
    client = bearer_client("pemberikerja")
    response = client.post("/api/v1/employers", NEW, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and len(body["npp"]) == 8
    assert (body["branch_office"], body["regency"], body["npwp"]) == (
        "SMD",
        "64.72",
        "010000024091000",
    )
    employer = Employer.objects.get(pk=body["id"])
    assert list(
        EmployerDivision.objects.filter(employer=employer).values_list("code", flat=True)
    ) == ["000"]
    assert employer_risk_class_on(employer, date.today()) == 3
    assert employer.administrators.filter(username="pemberikerja").exists()
    # the administrator now sees it; the Banjarmasin branch officer does not (Samarinda's)
    assert client.get(f"/api/v1/employers/{employer.pk}").status_code == 200
    assert bearer_client("cabang").get(f"/api/v1/employers/{employer.pk}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"npwp": "01.000.002.5-091.000"}, "npwp", "invalid_npwp"),  # wrong check digit
        ({"npwp": "123"}, "npwp", "invalid_npwp"),
        ({"sector": "Z"}, "sector", "invalid"),
        ({"size": "huge"}, "size", "invalid"),
        ({"risk_class": 6}, "risk_class", "invalid"),
        ({"regency": "99.99"}, "regency", "not_found"),
        ({"regency": "31.71"}, "regency", "no_branch"),  # Jakarta: no branch in the demo region
        ({"legal_name": " "}, "legal_name", "required"),
    ],
)
def test_registration_refuses_bad_input_naming_the_field(demo, changes, field, code):
    client = bearer_client("pemberikerja")
    count = Employer.objects.count()
    response = client.post("/api/v1/employers", {**NEW, **changes}, content_type="application/json")
    assert response.status_code in (400, 404), response.content
    assert (response.json()["error"]["field"], response.json()["error"]["code"]) == (field, code)
    assert Employer.objects.count() == count


def test_roles_that_may_not_register_employers(demo):
    for username in ("peserta", "auditor", "klaim", "wilayah"):
        response = bearer_client(username).post(
            "/api/v1/employers", NEW, content_type="application/json"
        )
        assert response.status_code == 403
    assert not Employer.objects.filter(legal_name=NEW["legal_name"]).exists()


def test_risk_class_history_by_date(demo):
    employer = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    start = EmployerRiskClass.objects.get(employer=employer).effective_from
    client = bearer_client("cabang")
    change = {"risk_class": 2, "effective_from": "2030-01-01", "reason": "re-assessment 2029"}
    response = client.post(
        f"/api/v1/employers/{employer.pk}/risk-class", change, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert employer_risk_class_on(employer, date(2029, 12, 31)) == 4
    assert employer_risk_class_on(employer, date(2030, 1, 1)) == 2
    # months before registration take the class assessed at registration, as billing does
    assert employer_risk_class_on(employer, start.replace(year=start.year - 1)) == 4
    again = client.post(
        f"/api/v1/employers/{employer.pk}/risk-class", change, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "risk_class.not_after_last"
    event = AuditEvent.objects.get(action="employer.risk_class")
    assert event.before == {"risk_class": 4} and event.reason == "re-assessment 2029"


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("cabang", 200),
        ("cabang_other", 404),
        ("pemberikerja", 403),
        ("auditor", 403),
        ("wilayah", 403),
    ],
)
def test_only_the_branch_changes_risk_class_and_status(demo, password, username, status):
    from jamsos.accounts.services import user_create

    user_create(
        acting_user=None,
        username="cabang_other",
        password=password,
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    employer = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    client = bearer_client(username)
    response = client.post(
        f"/api/v1/employers/{employer.pk}/status",
        {"status": "inactive", "reason": "no activity"},
        content_type="application/json",
    )
    assert response.status_code == status
    employer.refresh_from_db()
    assert employer.status == ("inactive" if status == 200 else "active")


def test_status_changes_follow_the_allowed_transitions(demo):
    employer = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    client = bearer_client("cabang")
    url = f"/api/v1/employers/{employer.pk}/status"

    def change(status, reason="checked"):
        return client.post(
            url, {"status": status, "reason": reason}, content_type="application/json"
        )

    assert change("inactive").status_code == 200
    assert change("active").status_code == 200
    missing = change("closed", reason=" ")
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "reason"
    assert (
        change("closed", reason="company dissolved").json()["status_reason"] == "company dissolved"
    )
    stuck = change("active")
    assert stuck.status_code == 409 and stuck.json()["error"]["code"] == "employer.status_change"
    assert change("sleeping").json()["error"]["field"] == "status"
    assert AuditEvent.objects.filter(action="employer.status").count() == 3
