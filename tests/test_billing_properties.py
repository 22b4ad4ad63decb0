"""One formula per contribution line: the SQL of the billing run equals the pure calculator.

For random wages (around every cap), months, enterprise sizes, JKK risk classes and the
labour-intensive discount, one employer is billed by ``billing_run`` and every bill line
(basis, rate and amount) and every JKP information line is compared with
``rules.calc.contributions.pu_contribution``. Each example runs in a transaction that is rolled
back. The suite runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL (CI runs both).
"""

from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jamsos.contributions import billing
from jamsos.contributions.models import Bill, BillInfoLine, BillLine
from jamsos.core.money import rate_micro
from jamsos.core.period import Period
from jamsos.registry.models import (
    Employer,
    EmployerDivision,
    EmployerRiskClass,
    Employment,
    Participant,
    Person,
    WageRecord,
)
from jamsos.rules.calc.contributions import ENTERPRISE_SIZES, MANDATORY_BY_SIZE, pu_contribution

pytestmark = pytest.mark.django_db

# months whose due date (the next month) has a holiday calendar in the rule data, across the JP
# cap's March changes, the JKP recomposition change of 7 Feb 2025 and the PP 7/2025 discounts
months = st.sampled_from(list(Period(2024, 1).until(Period(2026, 11))))
wages = st.one_of(
    st.integers(1, 200_000_000),
    st.integers(4_999_990, 5_000_010),  # around the JKP cap
    st.integers(10_000_000, 11_200_000),  # around the JP caps of 2024-2026
)


def _billed(sawit: Employer, month: Period, wages_idr, size, risk, labour_intensive):
    """Bill one employer of ``size`` with one worker per wage; the lines and information."""
    now = timezone.now()
    Employer.objects.exclude(pk=sawit.pk).update(status="closed")  # bill only this one
    Employer.objects.filter(pk=sawit.pk).update(size=size, labour_intensive=labour_intensive)
    EmployerRiskClass.objects.filter(employer=sawit).delete()
    EmployerRiskClass.objects.create(
        employer=sawit, risk_class=risk, effective_from=date(2015, 1, 1)
    )
    Employment.objects.filter(employer=sawit).update(end_on=date(2015, 1, 1))
    division = EmployerDivision.objects.get(employer=sawit, code="000")
    workers = {}
    for n, wage in enumerate(wages_idr):
        person = Person.objects.create(
            nik=f"99{n:014d}",
            full_name=f"Worker {n}",
            name_key=f"worker {n}",
            birth_date=date(1990, 1, 1),
            sex="M",
            created_at=now,
        )
        participant = Participant.objects.create(
            kpj=f"99{n:09d}",
            person=person,
            segment="PU",
            branch_office=sawit.branch_office,
            registered_at=now,
        )
        employment = Employment.objects.create(
            participant=participant, employer=sawit, division=division, start_on=month.first_day
        )
        WageRecord.objects.create(
            employment=employment,
            effective_from=month.first_day,
            wage_idr=wage,
            status="approved",
            reported_at=now,
        )
        workers[employment.pk] = wage
    billing.billing_run(acting_user=None, period=str(month))
    bill = Bill.objects.get(employer=sawit, kind="pu", period=str(month))
    lines = {
        (line.employment_id, line.programme, line.payer): (
            line.basis_idr,
            line.rate_micro,
            line.amount_idr,
        )
        for line in BillLine.objects.filter(bill=bill)
    }
    info = Counter()
    for line in BillInfoLine.objects.filter(bill=bill).select_related("citation"):
        info[(line.payer, line.citation.rule)] += line.amount_idr
    return workers, bill, lines, info


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    wages_idr=st.lists(wages, min_size=1, max_size=3),
    month=months,
    size=st.sampled_from(ENTERPRISE_SIZES),
    risk=st.integers(1, 5),
    labour_intensive=st.booleans(),
)
@example(wages_idr=[1], month=Period(2026, 11), size="micro", risk=1, labour_intensive=False)
@example(
    wages_idr=[15_000_000, 4_999_999],
    month=Period(2026, 1),
    size="large",
    risk=4,
    labour_intensive=True,
)
def test_billing_sql_equals_the_calculator(demo, wages_idr, month, size, risk, labour_intensive):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    with transaction.atomic():
        workers, bill, lines, info = _billed(sawit, month, wages_idr, size, risk, labour_intensive)
        expected_lines = {}
        expected_info = Counter()
        for employment_id, wage in workers.items():
            calc = pu_contribution(
                on=month.first_day,
                wage_idr=wage,
                jkk_risk_class=risk,
                programmes=MANDATORY_BY_SIZE[size],
                labour_intensive=labour_intensive,
            )
            for line in calc.lines:
                expected_lines[(employment_id, line.programme, line.payer)] = (
                    line.basis_idr,
                    rate_micro(line.rate),
                    line.amount_idr,
                )
            for line in calc.informational:
                expected_info[(line.payer, line.rule)] += line.amount_idr
        assert lines == expected_lines
        assert info == expected_info
        assert bill.total_idr == sum(amount for _b, _r, amount in lines.values())
        transaction.set_rollback(True)
