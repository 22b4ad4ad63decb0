"""Holes found by attacking the application as each kind of attacker, each with the attack
through the real interface (API and pages) and the check that it is refused and changed
nothing. Rules: docs/security.md."""

from __future__ import annotations

import pytest

from tests.conftest import TwoFactorClient
from tests.security.conftest import snapshot

pytestmark = pytest.mark.django_db

NOT_PARTICIPANTS = [
    "sponsor",
    "pemberikerja",
    "kontraktor",
    "cabang",
    "klaim",
    "wilayah",
    "auditor",
    "admin",
]


def page_client(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", NOT_PARTICIPANTS)
def test_only_a_participant_is_shown_the_card_linking_pages(world, username):
    """Card linking (``card.link``) is a participant's own login's; every other role was shown
    the form (and told only after typing a NIK, a name and a birth date)."""
    page = page_client(world["users"][username])
    before = snapshot()
    assert page.get("/kartu/hubungkan/").status_code == 403
    posted = page.post(
        "/kartu/hubungkan/",
        {"nik": "6371055508850002", "full_name": "Sari Wulandari", "birth_date": "1985-08-15"},
    )
    assert posted.status_code == 403
    assert page.get("/kartu/hubungkan/kode/").status_code == 403
    assert page.post("/kartu/hubungkan/kode/", {"code": "123456"}).status_code == 403
    before.unchanged()
    assert "/kartu/hubungkan/" not in page.get("/kartu/").content.decode()


def test_a_participant_is_still_shown_the_card_linking_page(world):
    from jamsos.accounts.services import user_create

    mallory = user_create(
        acting_user=None,
        username="mallory",
        password="x",
        role="participant",
        check_password=False,
    )
    page = page_client(mallory)
    assert page.get("/kartu/hubungkan/").status_code == 200
    assert "/kartu/hubungkan/" in page.get("/kartu/").content.decode()
