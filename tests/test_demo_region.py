"""``jamsos demo --scale``: proportions of the regional report, deterministic for a seed,
resumable after a kill, and a re-run changes nothing."""

import hashlib
import io
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction

from jamsos.demo.region import AT_SCALE_1, demo_region_generate
from jamsos.registry.models import BpuMembership, Employment, Person, WageRecord

pytestmark = pytest.mark.django_db


def fingerprint() -> str:
    rows = Person.objects.order_by("nik").values_list("nik", "full_name", "birth_date")
    wages = WageRecord.objects.order_by("wage_idr").values_list("wage_idr", flat=True)
    return hashlib.sha256(repr((list(rows), list(wages))).encode()).hexdigest()


def test_scale_001_json_counts_within_1_percent_of_the_report(demo, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", "--scale", "0.01", "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert set(counts) == {"employers", "pu", "bpu", "sponsors", "jakon_workers", "projects", "pmi"}
    assert all(isinstance(v, int) for v in counts.values())
    for key in ("employers", "pu", "bpu", "jakon_workers", "projects"):
        expected = AT_SCALE_1[key] * 0.01
        assert abs(counts[key] - expected) <= expected * 0.01, (key, counts[key], expected)
    assert counts["sponsors"] > 0
    # wages around the provincial minimum wages, never below the national floor
    wages = list(WageRecord.objects.values_list("wage_idr", flat=True))
    median = sorted(wages)[len(wages) // 2]
    assert 3_000_000 < median < 5_500_000 and min(wages) >= 2_400_000
    assert Employment.objects.filter(employer__npp__gte="20000000").count() == counts["pu"]
    occupations = set(BpuMembership.objects.values_list("occupation", flat=True))
    assert {"farmer", "trader", "online_driver"} <= occupations
    # the dashboards have their summaries: 13 months refreshed, this month counts everyone
    from jamsos.reporting.models import CoverageSummary, RefreshLog

    assert RefreshLog.objects.count() == 13
    this_month = RefreshLog.objects.order_by("-period").first().period
    active = sum(
        CoverageSummary.objects.filter(period=this_month).values_list("participants", flat=True)
    )
    assert active >= counts["pu"] * 0.9


def test_same_seed_same_region_and_a_killed_run_resumes(demo):
    scale = Decimal("0.004")
    with transaction.atomic():
        demo_region_generate(scale=scale, seed=7)
        clean = fingerprint()
        transaction.set_rollback(True)

    class Killed(Exception):
        pass

    def kill_after_first_pu_batch(stage, done, total):
        if stage == "pu" and done == 1:
            raise Killed

    with pytest.raises(Killed):
        demo_region_generate(scale=scale, seed=7, progress=kill_after_first_pu_batch)
    partial = Person.objects.count()
    assert 0 < partial < AT_SCALE_1["pu"] * 0.004
    counts = demo_region_generate(scale=scale, seed=7)
    assert fingerprint() == clean
    assert counts["pu"] == round(AT_SCALE_1["pu"] * 0.004)
    # running it again changes nothing
    assert demo_region_generate(scale=scale, seed=7) == counts
    assert fingerprint() == clean


def test_a_different_seed_gives_a_different_region(demo):
    with transaction.atomic():
        demo_region_generate(scale=Decimal("0.001"), seed=1)
        first = fingerprint()
        transaction.set_rollback(True)
    demo_region_generate(scale=Decimal("0.001"), seed=2)
    assert fingerprint() != first


def test_every_generated_nik_is_valid_and_unique(demo):
    from datetime import date

    from jamsos.registry.nik import parse_nik

    demo_region_generate(scale=Decimal("0.002"), seed=3)
    niks = list(Person.objects.values_list("nik", "birth_date", "sex"))
    assert len({n for n, _b, _s in niks}) == len(niks)
    for nik, birth, sex in niks[::50]:
        info = parse_nik(nik, today=date(2026, 11, 24), declared_birth_date=birth, declared_sex=sex)
        assert info.warnings == () and info.birth_date == birth


@pytest.mark.parametrize("scale", ["0", "-1", "abc", "3"])
def test_bad_scale_is_refused(demo, scale, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--scale", scale)


def test_demo_months_bill_and_pay_through_the_services_once(db):
    from jamsos.contributions.models import Bill, Payment
    from jamsos.demo.money import demo_money_generate
    from jamsos.demo.region import demo_region_generate
    from jamsos.demo.services import demo_load, demo_member_load

    demo_load()
    demo_member_load()
    demo_region_generate(scale=Decimal("0.0005"), seed=7)
    with time_machine.travel(date(2026, 11, 24), tick=False):
        first = demo_money_generate(months=3, seed=7)
        again = demo_money_generate(months=3, seed=7)
    assert first["bills"] == Bill.objects.filter(kind="pu").count() > 0
    assert first["payments"] == Payment.objects.count() > 0
    assert again == {"bills": 0, "payments": 0}
    assert set(Bill.objects.filter(kind="pu").values_list("period", flat=True)) == {
        "2026-08",
        "2026-09",
        "2026-10",
    }
    assert Bill.objects.filter(participant__person__user__username="peserta").exists()
