"""The claim page offers each person only the steps they may take: documents can be added until
the claim is approved (by the member on their own claim too), the verifier is not offered the
approval, a second approval only above the four-eyes threshold, a rejection looks like one, the
amount is "paid out" only once paid, and an heir's relation is given in Indonesian."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.benefits.claims import ClaimRequest, claim_file
from jamsos.benefits.documents import document_upload
from jamsos.benefits.models import Claim
from jamsos.rules.calc.claims import relation_code
from tests.conftest import bearer_client
from tests.test_claims import BANK, worked  # noqa: F401 - the fixture
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401

pytestmark = pytest.mark.django_db


def buttons(html: str) -> dict[str, str]:
    """The claim page's workflow step buttons: their words -> their class."""
    step = r'<form method="post" action="[^"]*/tindakan/".*?</form>'
    forms = "".join(re.findall(step, html, re.S))
    found = re.findall(r'<button type="submit"(?: class="(\w+)")?>([^<]+)</button>', forms)
    return {words.strip(): cls for cls, words in found}


def jkm(demo, participant, relation="istri"):
    # JKM Rp42,000,000 (death lump sum 20 million, periodic 12 million, funeral 10 million)
    with time_machine.travel(date(2026, 10, 10), tick=False):
        return claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=participant.kpj,
                kind="jkm",
                event_on=date(2026, 10, 1),
                claimant_name="Ahmad",
                claimant_relation=relation,
                **BANK,
            ),
        )


@pytest.mark.parametrize(
    ("kind", "words", "code"),
    [
        ("jkm", "Istri", "spouse"),
        ("jkm", "suami", "spouse"),
        ("jkm", "anak", "child"),
        ("jkm", "Orang tua", "parent"),
        ("jkm", "saudara kandung", "sibling"),
        ("jkm", "pengurus pemakaman", "funeral_organiser"),
        ("jp_survivor", "istri", "widow"),
        ("jp_survivor", "spouse", "widow"),
        ("jkm", "spouse", "spouse"),
    ],
)
def test_an_heirs_relation_in_indonesian_is_the_relation_code(kind, words, code):
    assert relation_code(kind, words) == code


def test_the_verifier_is_not_offered_the_approval_and_no_second_approval_below_50_million(
    worked,  # noqa: F811
    demo,
    client,
):
    claim = jkm(demo, worked["Rina"])
    assert (claim.claimant_relation, claim.gross_idr) == ("spouse", 42_000_000)
    client.force_login(demo["cabang"])
    html = client.get(f"/klaim/{claim.number}/").content.decode()
    assert "Suami atau istri" in html  # the relation in words
    assert "Dibayarkan" not in html and "Akan dibayarkan setelah disetujui" in html
    steps = buttons(html)
    assert steps == {
        "Dokumen terverifikasi": "",
        "Kembalikan ke pengaju: belum lengkap": "secondary",
        "Tolak": "danger",  # a refusal does not look like the step forward
    }
    why = "documents seen at the counter"
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "verify", "override_reason": why})
    assert Claim.objects.get(pk=claim.pk).status == "verified"
    html = client.get(f"/klaim/{claim.number}/").content.decode()
    assert "Setujui" not in buttons(html)  # the verifier may not approve
    assert 'name="file"' in html  # a document that arrives later can still be added
    document_upload(
        acting_user=demo["cabang"],
        number=claim.number,
        item="bank_book",
        filename="tabungan.pdf",
        content=b"%PDF-1.4\n% buku tabungan\n",
    )
    assert claim.documents.filter(item="bank_book").exists()
    client.force_login(demo["klaim"])
    steps = buttons(client.get(f"/klaim/{claim.number}/").content.decode())
    assert "Setujui" in steps and "Persetujuan kedua" not in steps
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "approve", "override_reason": why})
    html = client.get(f"/klaim/{claim.number}/").content.decode()
    assert list(buttons(html)) == ["Bayar"]  # 42 million is below the Rp50,000,000 threshold
    assert 'name="file"' not in html  # approved: no more documents
    assert "Dibayarkan" not in html
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "pay"})
    html = client.get(f"/klaim/{claim.number}/").content.decode()
    assert re.search(r"Dibayarkan</dt><dd class=\"total\">Rp42\.000\.000", html)


def test_a_member_adds_documents_to_their_own_claim(worked, demo, client):  # noqa: F811
    joko = worked["Joko"]
    joko.person.user = demo["peserta"]
    joko.person.save(update_fields=["user"])
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = claim_file(
            acting_user=demo["peserta"],
            request=ClaimRequest(kpj=joko.kpj, kind="jht_leaving_work", **BANK),
        )
    assert claim.status == "submitted"
    client.force_login(demo["peserta"])
    html = client.get(f"/klaim/{claim.number}/").content.decode()
    assert 'name="file"' in html and "Tambah dokumen" in html
    assert buttons(html) == {}  # no officer's step for the member
    response = client.post(
        f"/klaim/{claim.number}/dokumen/",
        {"item": "ktp", "file": SimpleUploadedFile("ktp.png", b"\x89PNG\r\n\x1a\n....")},
    )
    assert response.status_code == 302
    assert list(claim.documents.values_list("item", flat=True)) == ["ktp"]


def test_the_api_files_an_heirs_claim_with_an_indonesian_relation(worked, demo):  # noqa: F811
    rina = worked["Rina"]
    with time_machine.travel(date(2026, 10, 10), tick=False):
        response = bearer_client("cabang").post(
            "/api/v1/claims",
            {
                "kpj": rina.kpj,
                "kind": "jkm",
                "event_on": "2026-10-01",
                "claimant_name": "Ahmad",
                "claimant_relation": "suami",
                **BANK,
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert Claim.objects.get().claimant_relation == "spouse"
    refused = bearer_client("cabang").post(
        "/api/v1/claims",
        {
            "kpj": rina.kpj,
            "kind": "jkm",
            "event_on": "2026-10-01",
            "claimant_name": "Budi",
            "claimant_relation": "tetangga",
            **BANK,
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "claimant_relation"
    assert refused.json()["error"]["message"].startswith("claimant_relation: harus ahli waris")
