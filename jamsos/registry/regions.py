"""Loading the shipped provinces and regencies (jamsos/registry/data, Kepmendagri codes)."""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any


def read_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("jamsos.registry").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_regions(apps: Any, schema_editor: Any) -> None:
    """Insert or update every province and regency (idempotent; used by a migration)."""
    province_model = apps.get_model("registry", "Province")
    regency_model = apps.get_model("registry", "Regency")
    provinces = [province_model(code=r["code"], name=r["name"]) for r in read_rows("provinces.csv")]
    province_model.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    regencies = [
        regency_model(code=r["code"], province_id=r["province_code"], name=r["name"])
        for r in read_rows("regencies.csv")
    ]
    regency_model.objects.bulk_create(
        regencies,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "province"],
    )
