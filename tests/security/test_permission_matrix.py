"""The permission matrix: every API operation in the OpenAPI document and every page URL from
the URL resolver, requested as every role, anonymous, a second employer administrator and an
officer of another branch, against ONE table of expected answers (``EXPECTED``). An operation
or page without a row fails the test. Every refused request is checked to have changed nothing
(the watched tables and the audit trail).

The objects requested belong to the Banjarmasin branch and its employer PT Borneo Sawit Lestari
(administered by ``pemberikerja``); ``pemberikerja2`` administers the Pontianak employer and
``cabang_ptk`` is the Pontianak branch officer, so for them the objects are another's.
Requests run in the table's order against one shared world, so a write an allowed principal
makes is seen by the principals after it (the table records what each gets).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from jamsos.accounts.models import SignInLock
from jamsos.api.urls import api
from jamsos.core.models import ThrottleCounter
from tests.conftest import TwoFactorClient, bearer_client
from tests.security.conftest import WATCHED

pytestmark = pytest.mark.django_db

#: The principals, in the order of the columns of ``EXPECTED``.
PRINCIPALS = [
    "anonymous",
    "peserta",  # participant (the demo member, whose claim is requested)
    "sponsor",
    "pemberikerja",  # employer administrator of the Banjarmasin employer
    "pemberikerja2",  # a second employer administrator (of the Pontianak employer)
    "kontraktor",  # contractor
    "cabang",  # branch officer, Banjarmasin (the objects' branch)
    "cabang_ptk",  # branch officer of another branch (Pontianak)
    "klaim",  # claims officer
    "wilayah",  # regional head, Kalimantan
    "auditor",
    "admin",  # system administrator
]

#: Statuses meaning "refused": such a request must change nothing.
REFUSED = {401, 403, 404, 405}

# fmt: off
#: operation or page -> the status each principal gets, in the order of PRINCIPALS:
#:  anonymous peserta sponsor pemberikerja pemberikerja2 kontraktor
#:  cabang cabang_ptk klaim wilayah auditor admin
EXPECTED: dict[str, str] = {
    "POST /api/v1/auth/token": "400 400 400 400 400 400 400 400 400 400 400 400",
    "DELETE /api/v1/auth/token": "401 204 204 204 204 204 204 204 204 204 204 204",
    "POST /api/v1/auth/token/rotate": "401 200 200 200 200 200 200 200 200 200 200 200",
    "GET /api/v1/auth/tokens": "401 200 200 200 200 200 200 200 200 200 200 200",
    "GET /api/v1/auth/me": "401 200 200 200 200 200 200 200 200 200 200 200",
    "GET /api/v1/employers": "401 200 200 200 200 200 200 200 200 200 200 200",
    "POST /api/v1/employers": "401 403 403 400 400 403 400 400 403 403 403 400",
    "GET /api/v1/employers/{employer_id}": "401 404 404 200 404 404 200 404 200 200 200 200",
    "POST /api/v1/employers/{employer_id}/risk-class": "401 404 404 403 404 404 409 404 403 403 403 403",
    "POST /api/v1/employers/{employer_id}/status": "401 404 404 403 404 404 400 404 403 403 403 403",
    "POST /api/v1/employers/{employer_id}/labour-intensive": "401 404 404 403 404 404 200 404 403 403 403 403",
    "POST /api/v1/employers/{employer_id}/administrators": "401 404 404 403 404 404 404 404 403 403 403 404",
    "POST /api/v1/employers/{employer_id}/verify": "401 404 404 403 404 404 409 404 403 403 403 403",
    "GET /api/v1/audit/events": "401 403 403 403 403 403 403 403 403 403 200 200",
    "POST /api/v1/simulations/contributions": "400 400 400 400 400 400 400 400 400 400 400 400",
    "POST /api/v1/simulations/benefits": "400 400 400 400 400 400 400 400 400 400 400 400",
    "POST /api/v1/bpu/registrations": "400 400 400 403 403 403 400 400 403 403 403 403",
    "POST /api/v1/bpu/registrations/{kpj}/phone-verification": "400 400 400 400 400 400 400 400 400 400 400 400",
    "POST /api/v1/bpu/registrations/{kpj}/phone-code": "202 202 202 202 202 202 202 202 202 202 202 202",
    "GET /api/v1/sponsor/workers": "401 403 200 403 403 403 403 403 403 403 403 403",
    "POST /api/v1/sponsor/workers": "401 403 400 403 403 403 403 403 403 403 403 403",
    "GET /api/v1/employers/{employer_id}/workers": "401 404 404 200 404 404 200 404 200 200 200 200",
    "POST /api/v1/employers/{employer_id}/workers": "401 404 404 400 404 404 400 404 403 403 403 403",
    "POST /api/v1/employments/{employment_id}/wages": "401 404 404 400 404 404 400 404 403 403 403 403",
    "POST /api/v1/employments/{employment_id}/end": "401 404 404 400 404 404 400 404 403 403 403 403",
    "POST /api/v1/wage-records/{wage_record_id}/approve": "401 404 404 403 404 404 200 404 403 403 403 403",
    "GET /api/v1/employers/{employer_id}/uploads/template.csv": "401 404 404 200 404 404 200 404 403 403 403 403",
    "POST /api/v1/employers/{employer_id}/uploads": "401 404 404 400 404 404 400 404 403 403 403 403",
    "GET /api/v1/uploads/{upload_id}": "401 404 404 200 404 404 200 404 403 403 403 403",
    "GET /api/v1/uploads/{upload_id}/errors.csv": "401 404 404 200 404 404 200 404 403 403 403 403",
    "POST /api/v1/uploads/{upload_id}/finalise": "401 404 404 200 404 404 200 404 403 403 403 403",
    "POST /api/v1/projects": "401 403 403 400 400 400 400 400 403 403 403 403",
    "POST /api/v1/projects/{project_id}/workers": "401 404 404 404 404 400 400 404 403 403 403 403",
    "POST /api/v1/projects/workers/{worker_id}/end": "401 404 404 404 404 200 409 404 403 403 403 403",
    "POST /api/v1/pmi/registrations": "400 400 403 403 403 403 400 400 403 403 403 403",
    "GET /api/v1/people/duplicates": "401 403 403 403 403 403 200 200 403 403 403 200",
    "POST /api/v1/people/merges": "401 403 403 403 403 403 400 400 403 403 403 400",
    "POST /api/v1/people/merges/{merge_id}/undo": "401 403 403 403 403 403 404 404 403 403 403 404",
    "GET /api/v1/queues": "401 403 403 403 403 403 200 200 403 403 403 403",
    "POST /api/v1/billing/runs": "401 403 403 403 403 403 403 403 403 403 403 200",
    "POST /api/v1/payment-channels": "401 403 403 403 403 403 403 403 403 403 403 201",
    "GET /api/v1/bills/{payment_code}": "401 404 404 200 404 404 200 404 200 200 200 200",
    "GET /api/v1/employers/{employer_id}/statement": "401 404 404 200 404 404 200 404 200 200 200 200",
    "GET /api/v1/arrears": "401 403 403 403 403 403 200 200 403 200 200 200",
    "GET /api/v1/members/{kpj}/payments": "401 404 404 404 404 404 200 404 200 200 200 200",
    "POST /api/v1/bpu/{kpj}/payment-requests": "401 201 404 404 404 404 201 404 403 403 403 201",
    "POST /api/v1/projects/{project_id}/bills": "401 404 404 404 404 201 409 404 403 403 403 409",
    "POST /api/v1/pmi/placements/{placement_id}/bill": "401 404 404 404 404 404 201 404 403 403 403 409",
    "POST /api/v1/jht/returns": "401 403 403 403 403 403 403 403 403 403 403 400",
    "GET /api/v1/jht/{kpj}": "401 404 404 404 404 404 200 404 200 200 200 200",
    "GET /api/v1/members/{kpj}/coverage": "401 404 404 404 404 404 200 404 200 200 200 200",
    "GET /api/v1/ledger/trial-balance": "401 403 403 403 403 403 403 403 403 403 200 200",
    "POST /api/v1/claims": "401 404 403 403 403 403 400 404 400 403 403 403",
    "GET /api/v1/claims": "401 200 200 200 200 200 200 200 200 200 200 200",
    "GET /api/v1/claims/queue": "401 403 403 403 403 403 200 200 200 403 403 200",
    "GET /api/v1/claims/payouts.csv": "401 403 403 403 403 403 403 403 200 403 403 200",
    "GET /api/v1/claims/{number}": "401 200 404 404 404 404 200 404 200 200 200 200",
    "POST /api/v1/claims/{number}/transitions": "401 403 404 404 404 404 400 404 400 403 403 403",
    "POST /api/v1/claims/{number}/documents": "401 201 404 404 404 404 201 404 201 403 403 403",
    "GET /api/v1/claims/documents/{document_id}": "401 200 404 404 404 404 200 404 200 200 200 200",
    "POST /api/v1/accidents": "401 404 404 201 404 404 201 404 403 403 403 403",
    "GET /api/v1/accidents": "401 200 200 200 200 200 200 200 200 200 200 200",
    "POST /api/v1/accidents/{number}/close": "401 404 404 400 404 404 400 404 403 403 403 403",
    "POST /api/v1/accidents/{number}/costs": "401 404 404 400 404 404 400 404 403 403 403 403",
    "POST /api/v1/accidents/{number}/stmb": "401 404 404 400 404 404 400 404 403 403 403 403",
    "GET /api/v1/reports/coverage": "401 403 403 403 403 403 200 403 200 200 200 200",
    "GET /api/v1/reports/coverage/trend": "401 403 403 403 403 403 200 403 200 200 200 200",
    "GET /api/v1/reports/money": "401 403 403 403 403 403 200 403 200 200 200 200",
    "GET /api/v1/reports/employers": "401 403 403 403 403 403 200 403 200 200 200 200",
    "GET /api/v1/reports/compliance": "401 403 403 403 403 403 200 403 200 200 200 200",
    "GET /api/v1/reports/compliance/{npp}": "401 403 403 403 403 403 400 403 400 400 400 400",
    "GET /api/v1/reports/retention": "401 403 403 403 403 403 200 403 200 200 200 200",
    "GET /api/v1/reports/regional": "401 403 403 403 403 403 200 403 200 200 200 200",
    "POST /api/v1/payments/notifications": "401 401 401 401 401 401 401 401 401 401 401 401",
    "POST /api/v1/people/link": "401 409 403 403 403 403 403 403 403 403 403 403",
    "POST /api/v1/people/link/confirm": "401 409 403 403 403 403 403 403 403 403 403 403",
    "POST /api/v1/participants/{kpj}/phone": "401 404 404 403 404 404 400 404 403 403 403 403",
    "POST /api/v1/jobs": "401 403 403 403 403 403 403 403 400 403 403 400",
    "GET /api/v1/jobs": "401 200 200 200 200 200 200 200 200 200 200 200",
    "GET /api/v1/jobs/{job_id}": "401 404 404 404 404 404 404 404 200 404 200 200",
    "POST /api/v1/jobs/{job_id}/retry": "401 404 404 404 404 404 404 404 409 404 403 409",
    "GET /api/v1/jobs/{job_id}/file": "401 404 404 404 404 404 404 404 404 404 404 404",
    "POST /api/v1/settlements": "401 400 400 400 400 400 400 400 400 400 400 400",
    "GET /api/v1/settlements": "401 403 403 403 403 403 403 403 403 403 200 200",
    "GET /api/v1/settlements/{file_id}": "401 403 403 403 403 403 403 403 403 403 404 404",
    "GET /api/v1/settlements/{file_id}/report.csv": "401 403 403 403 403 403 403 403 403 403 404 404",
    "GET /healthz": "200 200 200 200 200 200 200 200 200 200 200 200",
    "GET /i18n/setlang/": "302 302 302 302 302 302 302 302 302 302 302 302",
    "GET /": "200 200 200 200 200 200 200 200 200 200 200 200",
    "GET /masuk/": "200 302 302 302 302 302 302 302 302 302 302 302",
    "GET /masuk/kode/": "302 302 302 302 302 302 302 302 302 302 302 302",
    "GET /akun/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /akun/dua-langkah/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /akun/kata-sandi/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "POST /keluar/": "302 302 302 302 302 302 302 302 302 302 302 302",
    "GET /pemberi-kerja/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /pemberi-kerja/<int:employer_id>/": "302 404 404 200 404 404 200 404 200 200 200 200",
    "POST /pemberi-kerja/<int:employer_id>/pengguna/": "302 404 404 403 404 404 302 404 403 403 403 302",
    "POST /pemberi-kerja/<int:employer_id>/verifikasi/": "302 404 404 403 404 404 302 404 403 403 403 403",
    "GET /audit/": "302 403 403 403 403 403 403 403 403 403 200 200",
    "GET /pemberi-kerja/<int:employer_id>/tagihan/": "302 404 404 200 404 404 200 404 200 200 200 200",
    "GET /tagihan/<str:payment_code>/": "302 404 404 200 404 404 200 404 200 200 200 200",
    "GET /tunggakan/": "302 403 403 403 403 403 200 200 403 200 200 200",
    "GET /laporan/": "302 403 403 403 403 403 200 200 200 200 200 200",
    "GET /laporan/baris/": "302 403 403 403 403 403 200 200 200 200 200 200",
    "GET /laporan/kepatuhan/": "302 403 403 403 403 403 200 200 200 200 200 200",
    "GET /laporan/kepatuhan/<str:npp>/": "302 403 403 403 403 403 400 403 400 400 400 400",
    "GET /laporan/ringkasan/": "302 403 403 403 403 403 200 200 200 200 200 200",
    "GET /penagihan/": "302 403 403 403 403 403 403 403 403 403 403 200",
    "GET /rekonsiliasi-bank/": "302 403 403 403 403 403 403 403 403 403 200 200",
    "GET /rekonsiliasi-bank/<int:file_id>/": "302 403 403 403 403 403 403 403 403 403 404 404",
    "GET /rekonsiliasi-bank/<int:file_id>/laporan.csv": "302 403 403 403 403 403 403 403 403 403 404 404",
    "GET /kartu/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /antrean/": "302 403 403 403 403 403 200 200 403 403 403 403",
    "GET /klaim/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /kecelakaan/": "302 403 403 200 200 403 200 200 403 403 403 403",
    "POST /kecelakaan/<str:number>/tutup/": "302 404 404 404 404 404 404 404 404 404 404 404",
    "POST /kecelakaan/<str:number>/stmb/": "302 404 404 404 404 404 404 404 404 404 404 404",
    "GET /klaim/baru/": "302 200 403 403 403 403 200 200 200 403 403 403",
    "GET /klaim/antrean/": "302 403 403 403 403 403 200 200 200 403 403 200",
    "GET /klaim/dokumen/<int:document_id>/": "302 200 404 404 404 404 200 404 200 200 200 200",
    "GET /klaim/<str:number>/": "302 200 404 404 404 404 200 404 200 200 200 200",
    "POST /klaim/<str:number>/tindakan/": "302 302 404 404 404 404 302 404 302 302 302 302",
    "POST /klaim/<str:number>/dokumen/": "302 302 404 404 404 404 302 404 302 302 302 302",
    "POST /antrean/upah/<int:wage_id>/setujui/": "302 403 403 403 403 403 302 404 403 403 403 403",
    "GET /duplikat/": "302 403 403 403 403 403 200 200 403 403 403 403",
    "POST /duplikat/gabung/": "302 403 403 403 403 403 302 302 403 403 403 403",
    "POST /duplikat/gabung/<int:merge_id>/batal/": "302 403 403 403 403 403 302 302 403 403 403 403",
    "GET /proyek/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /proyek/baru/": "302 403 403 200 200 200 200 200 403 403 403 403",
    "GET /proyek/<int:project_id>/": "302 404 404 404 404 200 200 404 200 200 200 200",
    "POST /proyek/<int:project_id>/pekerja/": "302 404 404 404 404 400 400 404 403 403 403 403",
    "POST /proyek/<int:project_id>/pekerja/<int:worker_id>/berhenti/": "302 404 404 404 404 302 302 404 403 403 403 403",
    "POST /proyek/<int:project_id>/tagih/": "302 404 404 404 404 302 302 404 403 403 403 302",
    "GET /pmi/baru/": "302 403 403 403 403 403 200 200 403 403 403 403",
    "GET /pmi/<int:placement_id>/": "302 404 404 404 404 404 200 404 404 404 200 200",
    "POST /pmi/<int:placement_id>/tagih/": "302 404 404 404 404 404 302 404 404 404 302 302",
    "POST /kartu/<str:kpj>/bayar/": "302 302 302 302 302 302 302 302 302 302 302 302",
    "GET /kartu/<str:kpj>/jht/": "302 404 404 404 404 404 200 404 200 200 200 200",
    "GET /kartu/<str:kpj>/jht.pdf": "302 404 404 404 404 404 200 404 200 200 200 200",
    "GET /kartu/<str:kpj>/kartu.pdf": "302 404 404 404 404 404 200 404 200 200 200 200",
    "GET /peserta/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /peserta/<str:kpj>/": "302 404 404 200 404 404 200 404 200 200 200 200",
    "GET /pemberi-kerja/<int:employer_id>/pekerja/": "302 404 404 200 404 404 200 404 200 200 200 200",
    "GET /pemberi-kerja/<int:employer_id>/unggah/": "302 404 404 200 404 404 200 404 403 403 403 403",
    "GET /pemberi-kerja/<int:employer_id>/unggah/templat.csv": "302 404 404 200 404 404 200 404 403 403 403 403",
    "GET /unggahan/<int:upload_id>/": "302 404 404 200 404 404 200 404 403 403 403 403",
    "GET /unggahan/<int:upload_id>/kesalahan.csv": "302 404 404 200 404 404 200 404 403 403 403 403",
    "POST /unggahan/<int:upload_id>/terapkan/": "302 404 404 302 404 404 302 404 403 403 403 403",
    "GET /simulasi/iuran/": "200 200 200 200 200 200 200 200 200 200 200 200",
    "GET /simulasi/manfaat/": "200 200 200 200 200 200 200 200 200 200 200 200",
    "GET /daftar/": "200 200 200 403 403 403 200 200 403 403 403 403",
    "GET /sertakan/": "302 403 200 403 403 403 403 403 403 403 403 403",
    "GET /daftar/<str:kpj>/verifikasi/": "404 404 404 404 404 404 404 404 404 404 404 404",
    "GET /kartu/hubungkan/": "302 200 403 403 403 403 403 403 403 403 403 403",
    "GET /kartu/hubungkan/kode/": "302 302 403 403 403 403 403 403 403 403 403 403",
    "POST /peserta/<str:kpj>/ponsel/": "302 404 404 302 404 404 302 404 302 302 302 302",
    "GET /metrics": "403 403 403 403 403 403 403 403 403 403 200 200",
    "GET /pengguna/": "302 403 403 403 403 403 403 403 403 403 403 200",
    "POST /pengguna/<str:username>/<str:what>/": "302 302 302 302 302 302 302 302 302 302 302 302",
    "GET /kanal-pembayaran/": "302 403 403 403 403 403 403 403 403 403 403 200",
    "GET /aturan/": "302 403 403 403 403 403 403 403 403 403 403 200",
    "GET /kartu/pembayaran/": "302 200 403 403 403 403 403 403 403 403 403 403",
    "GET /pesan/": "302 200 403 403 403 403 403 403 403 403 403 403",
    "GET /tugas/": "302 200 200 200 200 200 200 200 200 200 200 200",
    "GET /tugas/<int:job_id>/": "302 404 404 404 404 404 404 404 200 404 200 200",
    "POST /tugas/<int:job_id>/ulang/": "302 404 404 404 404 404 404 404 302 404 302 302",
}
# fmt: on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def api_operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation in the OpenAPI document."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def page_routes() -> list[tuple[str, URLPattern]]:
    """Every page URL pattern outside the API (which the OpenAPI document covers)."""

    def walk(patterns: list[Any], prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    return [
        (route, p) for route, p in walk(get_resolver().url_patterns) if not route.startswith("api/")
    ]


def example(schema: dict[str, Any], components: dict[str, Any], known: dict[str, Any]) -> Any:
    """A small value valid for a JSON schema, so a request passes validation and reaches the
    service (which then asks the gate); a property named like a known object (``kpj``,
    ``employment_id``, ``period``) gets that object's identifier."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components, known)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0], components, known)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: known[name] if name in known else example(prop, components, known)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", ())
        }
    if kind == "array":
        return [example(schema["items"], components, known)] if schema.get("minItems") else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if "maximum" not in schema else schema["maximum"]
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-09-01"
    if fmt == "date-time":
        return "2026-09-01T10:00:00+08:00"
    return "1" * max(schema.get("minLength", 1), 1)


@pytest.fixture
def matrix_world(world):
    """The shared world, plus a bill, a document, an upload, a migrant placement and a
    project of the Banjarmasin branch, so every identifier in a URL names a real object."""
    from jamsos.benefits.documents import document_upload
    from jamsos.contributions.billing import billing_run
    from jamsos.contributions.models import Bill
    from jamsos.registry.models import WageRecord
    from jamsos.registry.projects import pmi_register, project_register
    from jamsos.registry.services import employer_verify
    from jamsos.registry.upload import upload_check

    users = world["users"]
    banua, sawit = world["banua"], world["sawit"]
    billing_run(acting_user=None, period="2026-09")
    employer_verify(acting_user=users["cabang"], employer_id=banua.pk)
    banua.administrators.add(users["kontraktor"])
    project = project_register(
        acting_user=users["kontraktor"],
        contractor_id=banua.pk,
        name="Jembatan Martapura",
        owner_name="Dinas PUPR Kalsel",
        regency_code="63.03",
        work_order_on=date(2026, 5, 4),
        contract_value_idr=750_000_000,
        funding="APBD",
        start_on=date(2026, 5, 11),
        end_on=date(2026, 12, 31),
    ).project
    from jamsos.registry.projects import project_worker_add

    worker, _w, _l = project_worker_add(
        acting_user=users["kontraktor"],
        project_id=project.pk,
        nik="6371014507900002",
        full_name="Maria Ulan",
        birth_date=date(1990, 7, 5),
        sex="F",
        kind="daily",
        start_on=date(2026, 6, 1),
    )
    placement, _w = pmi_register(
        acting_user=users["cabang"],
        nik="6371024507950001",
        full_name="Sri Wahyuni",
        birth_date=date(1995, 7, 5),
        sex="F",
        agreement_on=date(2026, 8, 1),
        destination_country="MY",
        via_agency=True,
        contract_months=24,
    )
    document = document_upload(
        acting_user=users["peserta"],
        number=world["claim"].number,
        item="ktp",
        filename="ktp.pdf",
        content=PDF,
    )
    from jamsos.benefits.accidents import accident_report

    accident = accident_report(
        acting_user=users["pemberikerja"],
        employment_id=world["workers"]["Rina Wati"].pk,
        occurred_at=timezone.now(),
        place="Kebun blok C",
        description="Terjatuh dari tangga panen",
    )
    upload = upload_check(
        acting_user=users["pemberikerja"],
        employer_id=sawit.pk,
        period="2026-10",
        filename="workers.csv",
        content=b"nik,full_name,birth_date,sex,start_on,wage_idr\n"
        b"6371051508850001,Joko Susilo,1985-08-15,M,2025-10-01,4100000\n",
    )
    from jamsos.jobs.services import job_enqueue

    job = job_enqueue(acting_user=users["klaim"], kind="payouts_export", period="2026-11-05")
    joko = world["workers"]["Joko Susilo"]
    values = {
        "job_id": job.pk,  # a claims officer's job: theirs, the auditors' and administrators' to see
        "employer_id": sawit.pk,
        "employment_id": joko.pk,
        "wage_record_id": WageRecord.objects.filter(employment=joko).first().pk,
        "upload_id": upload.pk,
        "project_id": project.pk,
        "worker_id": worker.pk,
        "merge_id": 999_999,  # no merge exists: every principal is told "not found"
        "file_id": 999_999,  # no settlement file: the finance office and auditors are told so
        "payment_code": Bill.objects.filter(employer=sawit).first().payment_code,
        "kpj": joko.participant.kpj,
        "placement_id": placement.pk,
        "number": world["claim"].number,
        "document_id": document.pk,
        "npp": sawit.npp,
        "wage_id": WageRecord.objects.filter(employment=joko).first().pk,
        "username": "nobody",  # no such login: no principal is deactivated by the matrix
        "what": "deactivate",
    }
    query = {
        "office": "BJM",
        "period": "2026-09",
        "year": 2026,
        "kind": "arrears",
        "from": "2026-01",
        "to": "2026-09",
    }
    #: where a URL's identifier names another object than its namesake elsewhere
    elsewhere = {
        "/accidents/": {"number": accident.number},
        "/kecelakaan/": {"number": accident.number},
        "/bpu/": {"kpj": world["card"].kpj},  # the demo member's informal card
        "/daftar/": {"kpj": world["card"].kpj},
        "/bayar/": {"kpj": world["card"].kpj},
    }
    return {**world, "values": values, "query": query, "elsewhere": elsewhere}


def watched() -> tuple[int, ...]:
    """The row counts of the watched tables and of the audit trail (but sign-ins), in one
    statement."""
    from django.apps import apps

    tables = [apps.get_model(label)._meta.db_table for label in WATCHED]
    parts = [f"(SELECT COUNT(*) FROM {t})" for t in tables]  # noqa: S608 - model tables
    parts.append("(SELECT COUNT(*) FROM core_auditevent WHERE action <> 'token.issue')")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def fill(path: str, values: dict[str, Any], elsewhere: dict[str, dict[str, Any]]) -> str:
    for marker, names in elsewhere.items():
        if marker in path:
            values = {**values, **names}
    return re.sub(r"[{<](?:\w+:)?(\w+)[}>]", lambda m: str(values[m.group(1)]), path)


def api_setting(world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Client]]:
    """The schema's components, the values known for request bodies, and an API client per
    principal (a bearer token each, none for anonymous)."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    known = {**world["values"], **world["query"], "contractor_id": world["banua"].pk}
    tokens = {name: bearer_client(name) for name in PRINCIPALS if name != "anonymous"}
    tokens["anonymous"] = TwoFactorClient()
    return components, {**known, "month": "2026-09"}, tokens


def test_every_operation_and_page_answers_each_principal_as_the_table_says(matrix_world):
    users = matrix_world["users"]
    values, query = matrix_world["values"], matrix_world["query"]
    elsewhere = matrix_world["elsewhere"]
    components, known, tokens = api_setting(matrix_world)
    sessions = {}
    for name in PRINCIPALS:
        client = TwoFactorClient()
        if name != "anonymous":
            client.force_login(users[name])
        sessions[name] = client

    got: dict[str, list[int]] = {}
    changed: list[str] = []

    def call(key: str, client: Client, method: str, url: str, **kwargs: Any) -> None:
        before = watched()
        status = getattr(client, method.lower())(url, **kwargs).status_code
        got.setdefault(key, []).append(status)
        refused = status in REFUSED or (status == 302 and method != "GET")
        if refused and watched() != before:
            changed.append(f"{key} as {PRINCIPALS[len(got[key]) - 1]}")

    for method, path, operation in api_operations():
        key = f"{method} {path}"
        url = fill(path, values, elsewhere)
        cache.clear()  # each operation starts with fresh rate limits
        params = {
            p["name"]: query.get(p["name"], "1")
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }
        body = operation.get("requestBody", {}).get("content", {})
        for name in PRINCIPALS:
            client = tokens[name]
            # each principal starts with no sign-in failures or throttle counts of the others
            SignInLock.objects.all().delete()
            ThrottleCounter.objects.all().delete()
            if key in ("DELETE /api/v1/auth/token", "POST /api/v1/auth/token/rotate"):
                # these revoke the token they are sent with: use a token of their own
                client = bearer_client(name) if name != "anonymous" else TwoFactorClient()
            kwargs: dict[str, Any] = {}
            if "application/json" in body:
                data = example(body["application/json"]["schema"], components, known)
                kwargs = {"data": data, "content_type": "application/json"}
            elif "multipart/form-data" in body:
                kwargs = {
                    "data": {
                        "item": "ktp",
                        "period": "2026-10",
                        "file": SimpleUploadedFile("f.pdf", PDF),
                    }
                }
            suffix = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
            call(key, client, method, url + suffix, **kwargs)

    for route, _pattern in page_routes():
        url = "/" + fill(route, values, elsewhere)
        cache.clear()
        # a page that only takes a form (GET answers 405) is sent an empty form instead
        method = "POST" if sessions["admin"].get(url).status_code == 405 else "GET"
        key = f"{method} /{route}"
        for name in PRINCIPALS:
            call(key, sessions[name], method, url)
        if route == "keluar/":  # signing out ended the sessions: sign in again
            for name in PRINCIPALS[1:]:
                sessions[name].force_login(users[name])

    missing = [key for key in got if key not in EXPECTED]
    stale = [key for key in EXPECTED if key not in got]
    wrong = {
        key: {
            PRINCIPALS[i]: (int(want), have)
            for i, (want, have) in enumerate(zip(EXPECTED[key].split(), got[key], strict=True))
            if int(want) != have
        }
        for key in got
        if key in EXPECTED
    }
    wrong = {k: v for k, v in wrong.items() if v}
    for k in [*missing, *wrong]:  # rows to review and copy into EXPECTED
        print(f'    "{k}": "{" ".join(str(s) for s in got[k])}",')
    assert missing == [], "operations or pages without a row in EXPECTED (printed above)"
    assert stale == [], "rows in EXPECTED for operations or pages that no longer exist"
    assert wrong == {}, "principals answered otherwise than the table says"
    assert changed == [], "refused requests that changed something"


def garbled(schema: dict[str, Any], components: dict[str, Any], known: dict[str, Any]) -> Any:
    """The example body with every free text field ("kind", "period", "nik" ...) set to a value
    no service accepts, while the body still passes the schema: what a service checks in its
    fields it must check after the gate."""
    body = example(schema, components, known)
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if not isinstance(body, dict):
        return body
    for name, prop in schema.get("properties", {}).items():
        if name in body and isinstance(body[name], str):
            resolved = prop
            if "$ref" in prop:
                resolved = components[prop["$ref"].rsplit("/", 1)[1]]
            options = [s for s in resolved.get("anyOf", [resolved]) if s.get("type") != "null"]
            if any("enum" in s or s.get("format") for s in options):
                continue
            body[name] = "?" * max(options[0].get("minLength", 1), 1)
    return body


def test_a_refused_caller_is_refused_before_the_fields_are_checked(matrix_world):
    """Deny before validating: a principal the table refuses an operation (401, 403 or 404)
    gets the same answer when the body's fields are all wrong, so a refusal never depends
    on — or reveals — how the fields were checked."""
    values, elsewhere = matrix_world["values"], matrix_world["elsewhere"]
    components, known, tokens = api_setting(matrix_world)
    wrong: dict[str, dict[str, tuple[int, int]]] = {}
    for method, path, operation in api_operations():
        key = f"{method} {path}"
        body = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in body or key not in EXPECTED:
            continue
        url = fill(path, values, elsewhere)
        data = garbled(body["application/json"]["schema"], components, known)
        for name, want in zip(PRINCIPALS, EXPECTED[key].split(), strict=True):
            if int(want) not in (401, 403, 404):
                continue
            cache.clear()
            SignInLock.objects.all().delete()
            ThrottleCounter.objects.all().delete()
            before = watched()
            status = getattr(tokens[name], method.lower())(
                url, data=data, content_type="application/json"
            ).status_code
            if status != int(want) or watched() != before:
                wrong.setdefault(key, {})[name] = (int(want), status)
    assert wrong == {}, f"refused principals told about their fields first: {wrong}"
