"""Errors reach an Indonesian reader in Indonesian: pages (Indonesian unless English is chosen),
the API (``Accept-Language: id``) and the refusals that were English only — Django's password
validators, the access gate's own messages and the backup and restore refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from jamsos.core.errors import DomainError
from jamsos.jobs.backup import backup_restore
from tests.conftest import bearer_client
from tests.test_second_factor import password_only

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "nik": "6471021508850001",
    "full_name": "Siti",
    "birth_date": "1985-08-15",
    "sex": "F",
    "phone": "081234567890",
    "occupation": "trader",
    "income_idr": "²",
    "payer_type": "self",
}


def alerts(response) -> list[str]:
    """The text of every error shown beside a field."""
    html = response.content.decode()
    return [m.strip() for m in re.findall(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html)]


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_registration_income_written_with_a_superscript_digit_is_refused_in_indonesian(demo):
    response = Client().post("/daftar/", REGISTRATION)
    assert response.status_code == 400
    assert alerts(response) == ["Isi penghasilan dalam rupiah utuh."]


def test_a_registration_income_refusal_in_english_where_english_is_chosen(demo):
    response = english(Client()).post("/daftar/", REGISTRATION)
    assert response.status_code == 400
    assert alerts(response) == ["Enter the income in whole rupiah."]


@pytest.mark.parametrize(
    ("language", "verdict"),
    [
        (
            "id",
            "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter. "
            "Kata sandi ini terlalu umum. Kata sandi ini seluruhnya terdiri dari angka.",
        ),
        (
            "en",
            "This password is too short. It must contain at least 10 characters. "
            "This password is too common. This password is entirely numeric.",
        ),
    ],
)
def test_a_weak_new_password_is_refused_in_the_pages_language(demo, password, language, verdict):
    client = english(Client()) if language == "en" else Client()
    password_only(client, "sponsor")
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": password, "new_password1": "1234", "new_password2": "1234"},
    )
    assert response.status_code == 400
    assert alerts(response) == [verdict]


def test_a_weak_password_for_a_new_user_carries_both_languages(demo):
    from jamsos.accounts.services import user_create

    with pytest.raises(DomainError) as refused:
        user_create(
            username="baru",
            password="1234",
            role="auditor",
            full_name="Ani Baru",
            acting_user=demo["admin"],
        )
    assert refused.value.code == "password.weak"
    assert refused.value.field == "password"
    assert refused.value.message_for("id").startswith("Kata sandi terlalu pendek.")
    assert refused.value.message_for("en").startswith("This password is too short.")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Antrean kerja adalah milik petugas cabang."),
        ("en", "Work queues are a branch officer's."),
    ],
)
def test_the_access_gates_own_refusal_speaks_the_asked_language(demo, language, message):
    response = bearer_client("peserta").get("/api/v1/queues", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "queues.forbidden",
        "field": None,
        "message": message,
    }


def test_a_gettext_refusal_through_the_access_gate_is_translated(demo):
    response = bearer_client("peserta").get("/api/v1/audit/events", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "Hanya auditor dan administrator sistem yang boleh membaca jejak audit."
    )


def test_a_backup_refusal_carries_both_languages(tmp_path):
    missing = tmp_path / "jamsos-none.sqlite3"
    with pytest.raises(DomainError) as refused:
        backup_restore(file=missing, database_url=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert refused.value.code == "backup.not_found"
    assert refused.value.message_for("en") == f"{missing}: no such backup"
    assert refused.value.message_for("id") == f"{missing}: cadangan itu tidak ada"


def test_a_restore_into_the_wrong_engine_is_refused_in_both_languages(tmp_path):
    dump = Path(tmp_path / "jamsos-x.dump")
    dump.write_bytes(b"x")
    with pytest.raises(DomainError) as refused:
        backup_restore(file=dump, database_url=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert refused.value.code == "backup.engine"
    assert refused.value.message_for("id") == "cadangan PostgreSQL dipulihkan ke URL postgres://"
