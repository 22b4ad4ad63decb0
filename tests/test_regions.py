"""Provinces and regencies are shipped data (Kepmendagri 300.2.2-2138/2025), loaded by migrate."""

import pytest

from jamsos.registry.models import BranchOffice, Province, Regency

pytestmark = pytest.mark.django_db


def test_all_38_provinces_and_514_regencies_are_loaded_by_migrate():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Province.objects.get(code="65").name == "Kalimantan Utara"
    assert Regency.objects.get(code="63.71").name == "Kota Banjarmasin"
    assert Regency.objects.get(code="63.71").is_city
    assert not Regency.objects.get(code="62.01").is_city
    # the 2022 Papua provinces are present
    assert set(Province.objects.filter(code__startswith="9").values_list("name", flat=True)) >= {
        "Papua Selatan",
        "Papua Tengah",
        "Papua Pegunungan",
        "Papua Barat Daya",
    }


def test_loading_again_changes_nothing():
    from django.apps import apps
    from django.db import connection

    from jamsos.registry.regions import load_regions

    load_regions(apps, connection.schema_editor())
    assert (Province.objects.count(), Regency.objects.count()) == (38, 514)


def test_demo_branches_serve_every_kalimantan_regency_exactly_once(demo):
    kalimantan = Regency.objects.filter(province__code__in=["61", "62", "63", "64", "65"])
    assert kalimantan.count() == 56
    served = [
        code
        for b in BranchOffice.objects.all()
        for code in b.regencies.values_list("code", flat=True)
    ]
    assert sorted(served) == sorted(kalimantan.values_list("code", flat=True))
    assert BranchOffice.objects.get(code="PBU").regencies.filter(code="62.01").exists()
    assert BranchOffice.objects.get(code="TRK").regencies.count() == 5
