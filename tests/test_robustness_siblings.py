"""The siblings of the fuzzing report's findings: every other money field, every other date
field at the ends of the calendar, limit and offset on every list operation. Each answers a 400
naming its field, and nothing is written."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client

from jamsos.contributions import billing
from jamsos.core.bounds import INT64_MAX, MONEY_CEILING_IDR
from jamsos.core.errors import Conflict
from tests.conftest import bearer_client
from tests.test_robustness import counts, error_of, worker  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

FAR = ("0001-01-01", "9999-12-31")


def _refused(response, field: str) -> str | None:
    """None when the response is the 400 naming ``field``; else what was answered."""
    if response.status_code != 400:
        return f"{response.status_code} {response.content[:200]!r}"
    error = response.json()["error"]
    return None if error["field"] == field else f"400 naming {error['field']!r}"


def test_every_worker_date_and_wage_at_the_ends_of_the_calendar_is_400(worker):  # noqa: F811
    api = bearer_client("pemberikerja")
    employer_id = worker.employer_id
    enrol = {
        "nik": "6471021508850001",
        "full_name": "Budi",
        "birth_date": "1985-08-15",
        "sex": "M",
        "start_on": "2026-01-05",
        "wage_idr": 5_000_000,
    }
    cases = []
    for day in FAR:
        cases += [
            (f"/employers/{employer_id}/workers", {**enrol, "birth_date": day}, "birth_date"),
            (f"/employers/{employer_id}/workers", {**enrol, "start_on": day}, "start_on"),
            (
                f"/employments/{worker.pk}/wages",
                {"effective_from": day, "wage_idr": 6_500_000},
                "effective_from",
            ),
            (
                f"/employments/{worker.pk}/end",
                {"end_on": day, "exit_reason": "resignation"},
                "end_on",
            ),
        ]
    for wage in (10**19 - 1, INT64_MAX, MONEY_CEILING_IDR["wage"] + 1, 0, -1):
        cases.append(
            (
                f"/employments/{worker.pk}/wages",
                {"effective_from": "2026-03-01", "wage_idr": wage},
                "wage_idr",
            )
        )
    before = counts()
    wrong = {}
    for path, body, field in cases:
        response = api.post(f"/api/v1{path}", body, content_type="application/json")
        answer = _refused(response, field)
        if answer:
            wrong[f"{path} {body}"] = answer
    assert wrong == {}, "\n".join(f"{k}: {v[:90]}" for k, v in wrong.items())
    assert counts() == before


@pytest.mark.parametrize("day", FAR)
def test_a_risk_class_change_at_the_ends_of_the_calendar_is_400(worker, day):  # noqa: F811
    response = bearer_client("cabang").post(
        f"/api/v1/employers/{worker.employer_id}/risk-class",
        {"risk_class": 2, "effective_from": day, "reason": "re-assessed"},
        content_type="application/json",
    )
    assert _refused(response, "effective_from") is None, response.content


@pytest.mark.parametrize("day", FAR)
def test_an_anonymous_registration_born_at_the_ends_of_the_calendar_is_400(demo, day):
    before = counts()
    response = Client().post(
        "/api/v1/bpu/registrations",
        {
            "nik": "6471021508850001",
            "full_name": "Siti",
            "birth_date": day,
            "sex": "F",
            "phone": "081234567890",
            "occupation": "trader",
            "income_idr": 3_000_000,
        },
        content_type="application/json",
    )
    assert _refused(response, "birth_date") is None, response.content
    assert counts() == before


@pytest.mark.parametrize("day", FAR)
def test_the_payouts_file_of_a_day_at_the_ends_of_the_calendar_is_400(demo, day):
    response = bearer_client("klaim").get("/api/v1/claims/payouts.csv", {"day": day})
    error = error_of(response, 400)
    assert (error["code"], error["field"]) == ("date.out_of_range", "day")


def _list_operations(spec: dict) -> list[str]:
    return sorted(
        path
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if method == "get"
        and {"limit", "offset"} <= {p["name"] for p in operation.get("parameters", [])}
    )


def test_limit_and_offset_at_and_beyond_64_bits_on_every_list_operation(demo):
    spec = Client().get("/api/v1/openapi.json").json()
    lists = _list_operations(spec)
    assert len(lists) >= 4, lists
    employer_id = demo["pemberikerja"].administered_employers.first().pk
    wrong = {}
    for user in ("admin", "auditor", "pemberikerja"):
        api = bearer_client(user)
        for template in lists:
            path = "/api/v1" + template.removeprefix("/api/v1").replace(
                "{employer_id}", str(employer_id)
            )
            for name in ("limit", "offset"):
                for value in (str(2**63), str(-(2**63) - 1)):
                    response = api.get(path, {name: value})
                    if _refused(response, name):
                        wrong[f"{user} {path} {name}={value}"] = _refused(response, name)
            # the largest 64-bit values are within bounds: an empty page or a 4xx, never a 500
            for query in (
                {"offset": str(INT64_MAX)},
                {"offset": str(INT64_MAX), "limit": "100"},
                {"offset": str(2**62), "limit": str(2**62)},
                {"limit": str(INT64_MAX)},
            ):
                response = api.get(path, query)
                if response.status_code >= 500:
                    wrong[f"{user} {path} {query}"] = str(response.status_code)
    assert wrong == {}


@pytest.mark.parametrize(
    ("field", "day"), [(f, d) for f in ("agreement_on", "birth_date") for d in FAR]
)
def test_an_anonymous_migrant_worker_registration_at_the_ends_of_the_calendar_is_400(
    demo, field, day
):
    before = counts()
    body = {
        "nik": "6471024508850002",
        "full_name": "Rina",
        "birth_date": "1985-08-05",
        "sex": "F",
        "agreement_on": "2026-06-01",
        "destination_country": "MY",
        "via_agency": True,
        "contract_months": 24,
    }
    response = Client().post(
        "/api/v1/pmi/registrations", {**body, field: day}, content_type="application/json"
    )
    assert _refused(response, field) is None, response.content
    assert counts() == before


def test_project_worker_dates_at_the_ends_of_the_calendar_are_400(demo):
    from jamsos.registry.models import Employer, ProjectWorker
    from jamsos.registry.services import employer_verify

    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=demo["cabang"], employer_id=banua.pk)
    banua.administrators.add(demo["kontraktor"])
    api = bearer_client("kontraktor")
    project = api.post(
        "/api/v1/projects",
        {
            "contractor_id": banua.pk,
            "name": "Jembatan Martapura",
            "owner_name": "Dinas PUPR Kalsel",
            "regency": "63.03",
            "work_order_on": "2026-05-04",
            "contract_value_idr": 750_000_000,
            "funding": "APBD",
            "start_on": "2026-05-11",
            "end_on": "2026-12-31",
        },
        content_type="application/json",
    ).json()
    person = {"nik": "6371051508850001", "full_name": "Joko", "sex": "M", "kind": "daily"}
    add = f"/api/v1/projects/{project['id']}/workers"
    joko = api.post(
        add,
        {**person, "birth_date": "1985-08-15", "start_on": "2026-05-11"},
        content_type="application/json",
    ).json()
    wrong = {}
    for day in FAR:
        for body, field in (
            ({**person, "birth_date": day, "start_on": "2026-05-11"}, "birth_date"),
            ({**person, "birth_date": "1985-08-15", "start_on": day}, "start_on"),
        ):
            answer = _refused(api.post(add, body, content_type="application/json"), field)
            if answer:
                wrong[f"add {field}={day}"] = answer
        response = api.post(
            f"/api/v1/projects/workers/{joko['id']}/end",
            {"end_on": day},
            content_type="application/json",
        )
        if _refused(response, "end_on"):
            wrong[f"end end_on={day}"] = _refused(response, "end_on")
    assert wrong == {}
    assert ProjectWorker.objects.get().end_on is None


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("duplicate key value violates unique constraint"),  # PostgreSQL
        OperationalError("database is locked"),  # SQLite's one writer
    ],
    ids=["integrity", "locked"],
)
def test_a_billing_run_meeting_another_is_a_409_on_either_database(db, monkeypatch, error):
    """The parallel test (PostgreSQL) shows the race; here each way a database reports it is
    turned into the 409, on whichever database the suite runs."""

    def racing(**kwargs):
        raise error

    monkeypatch.setattr(billing, "_billing_run", racing)
    with pytest.raises(Conflict) as conflict:
        billing.billing_run(period="2026-10", acting_user=None)
    assert (conflict.value.status, conflict.value.code, conflict.value.field) == (
        409,
        "billing.concurrent",
        "period",
    )


def test_another_operational_error_of_a_billing_run_is_not_hidden_as_a_409(db, monkeypatch):
    def failing(**kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(billing, "_billing_run", failing)
    with pytest.raises(OperationalError):
        billing.billing_run(period="2026-10", acting_user=None)
