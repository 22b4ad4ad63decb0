"""The header's menu: each role's own work, from the access gate, the current place marked;
the member's home and pages; the system administrator's users, channels and rules."""

import re

import pytest

from jamsos.accounts.models import User
from jamsos.core.models import AuditEvent

pytestmark = pytest.mark.django_db

#: demo user -> the menu, in order (Indonesian)
MENUS = {
    "peserta": ["Kartu saya", "Pembayaran", "Klaim saya", "Pesan", "Simulasi"],
    "sponsor": ["Pekerja yang disertakan", "Simulasi"],
    "pemberikerja": [
        "Pekerja",
        "Daftar bulanan",
        "Tagihan",
        "Kecelakaan",
        "Proyek",
        "Simulasi",
    ],
    "cabang": [
        "Kecelakaan",
        "Antrean kerja",
        "Antrean klaim",
        "Peserta",
        "Pemberi kerja",
        "Proyek",
        "Tunggakan",
        "Laporan",
        "Simulasi",
    ],
    "klaim": ["Antrean klaim", "Peserta", "Pemberi kerja", "Proyek", "Laporan", "Simulasi"],
    "wilayah": ["Peserta", "Pemberi kerja", "Proyek", "Tunggakan", "Laporan", "Simulasi"],
    "auditor": [
        "Peserta",
        "Pemberi kerja",
        "Proyek",
        "Tunggakan",
        "Laporan",
        "Jejak audit",
        "Tugas",
        "Simulasi",
    ],
    "admin": [
        "Antrean klaim",
        "Peserta",
        "Pemberi kerja",
        "Proyek",
        "Tunggakan",
        "Laporan",
        "Jejak audit",
        "Pengguna",
        "Kanal pembayaran",
        "Aturan",
        "Penagihan bulanan",
        "Tugas",
        "Simulasi",
    ],
}

MENU = re.compile(r'<ul class="nav work">(.*?)</ul>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def menu(html: str) -> list[tuple[str, bool, str]]:
    found = MENU.search(html)
    return (
        [(url, bool(cur), label) for url, cur, label in LINK.findall(found.group(1))]
        if found
        else []
    )


def test_each_role_has_a_menu_of_its_own_work(demo, client):
    for username in sorted(MENUS):
        menu_of(demo, client, username)


def menu_of(demo, client, username):
    client.force_login(demo[username])
    html = client.get("/").content.decode()
    links = menu(html)
    assert [label for _url, _cur, label in links] == MENUS[username]
    assert not any(cur for _url, cur, _label in links)  # the home page is in none of them
    assert 'class="menu-toggle"' in html and "menu.js" in html
    # every page of the menu opens for its user
    for url, _cur, label in links:
        response = client.get(url)
        assert response.status_code == 200, (username, label, url)
        marked = [lbl for _u, cur, lbl in menu(response.content.decode()) if cur]
        assert marked == [label], (username, url)


def test_an_employer_with_one_company_goes_straight_to_its_pages(demo, client):
    from jamsos.registry.models import Employer

    client.force_login(demo["pemberikerja"])
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    urls = [url for url, _c, _l in menu(client.get("/").content.decode())]
    assert urls[:3] == [
        f"/pemberi-kerja/{sawit.pk}/pekerja/",
        f"/pemberi-kerja/{sawit.pk}/unggah/",
        f"/pemberi-kerja/{sawit.pk}/tagihan/",
    ]


def test_visitors_have_no_menu_and_no_folding_button(client):
    html = client.get("/").content.decode()
    assert menu(html) == [] and 'class="menu-toggle"' not in html
    assert 'rel="icon"' in html


def test_member_home_shows_status_cover_balance_what_is_due_claim_and_messages(demo, client):
    from jamsos.contributions.bpu import bpu_payment_request
    from jamsos.demo.services import demo_member_load
    from jamsos.registry.models import Participant
    from jamsos.web.templatetags.jamsos import day

    member = Participant.objects.get(person=demo_member_load(), segment="BPU")
    bill = bpu_payment_request(acting_user=demo["peserta"], kpj=member.kpj, months=3)
    client.force_login(demo["peserta"])
    html = client.get("/").content.decode()
    for words in (
        f"KPJ {member.kpj}",
        "Menunggu pembayaran pertama",
        "Perlindungan berakhir",
        "Saldo JHT",
        f"Rp{bill.total_idr:,}".replace(",", ".") + f" paling lambat {day(bill.due_on)}",
        bill.payment_code,
        "Klaim terakhir",
        "Belum ada pesan.",
    ):
        assert words in html, words
    payments = client.get("/kartu/pembayaran/").content.decode()
    assert bill.payment_code in payments and day(bill.due_on) in payments
    assert client.get("/pesan/").status_code == 200


def test_one_time_codes_are_never_listed_among_a_members_messages(demo, client):
    from jamsos.demo.services import demo_member_load
    from jamsos.notifications.services import notification_queue

    person = demo_member_load()
    assert person.phone
    notification_queue(channel="sms", recipient=person.phone, kind="otp", body="Kode 123456")
    notification_queue(
        channel="sms", recipient=person.phone, kind="bpu_reminder", body="Bayar iuran sebelum 15"
    )
    client.force_login(demo["peserta"])
    html = client.get("/pesan/").content.decode()
    assert "Bayar iuran sebelum 15" in html and "123456" not in html
    client.force_login(demo["cabang"])
    assert client.get("/pesan/").status_code == 403


def test_administrator_creates_deactivates_and_resets_a_user_from_the_page(demo, client):
    client.force_login(demo["admin"])
    page = client.get("/pengguna/")
    assert page.status_code == 200 and "cabang" in page.content.decode()
    refused = client.post("/pengguna/", {"username": "petugas2", "role": "branch_officer"})
    assert refused.status_code == 400
    assert "kantor cabang" in refused.content.decode()
    created = client.post(
        "/pengguna/",
        {"username": "petugas2", "full_name": "Rina", "role": "branch_officer", "branch": "BJM"},
        follow=True,
    )
    assert "petugas2" in created.content.decode()
    assert User.objects.get(username="petugas2").branch_office.code == "BJM"
    client.post("/pengguna/petugas2/deactivate/", {"reason": "pindah"})
    assert not User.objects.get(username="petugas2").is_active
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 1
    client.post("/pengguna/cabang/reset2fa/")
    assert AuditEvent.objects.filter(action="auth.second_factor_reset").count() == 1
    assert client.post("/pengguna/cabang/explode/").status_code == 404


def test_only_the_system_administrator_opens_the_administration_pages(demo, client):
    for url in ("/pengguna/", "/kanal-pembayaran/", "/aturan/"):
        for username in ("auditor", "cabang", "peserta"):
            client.force_login(demo[username])
            assert client.get(url).status_code == 403, (username, url)
        client.force_login(demo["admin"])
        assert client.get(url).status_code == 200


def test_administrator_registers_a_channel_and_reads_the_rules(demo, client):
    client.force_login(demo["admin"])
    html = client.post("/kanal-pembayaran/", {"code": "bank-x", "name": "Bank X"}).content.decode()
    assert 'id="channel-secret"' in html and "BANK-X" in html
    rules = client.get("/aturan/").content.decode()
    assert "PU.JKK.CLASS1" in rules and "PP 44/2015" in rules and "1 Juli 2015" in rules


def test_report_filters_offer_only_the_offices_area_and_refuse_others(demo, client):
    """Banjarmasin's branch serves regencies of Kalimantan Selatan only: Aceh (11) is neither
    offered nor accepted, in the page and in the service behind the API and the CLI."""
    from jamsos.core.errors import RuleViolation
    from jamsos.reporting.scope import report_scope

    client.force_login(demo["wilayah"])
    html = client.get("/laporan/?office=KAL").content.decode()
    offered = set(re.findall(r'<option value="(\d\d)"', html))
    assert offered and "11" not in offered and offered <= {"61", "62", "63", "64", "65"}
    with pytest.raises(RuleViolation) as refused:
        report_scope(demo["wilayah"], "KAL", province="11")
    assert refused.value.code == "area.outside_office"
    assert report_scope(demo["wilayah"], "KAL", province="63").province == "63"


def test_age_bands_run_from_the_youngest_and_charts_count_in_the_pages_language():
    from jamsos.reporting import charts
    from jamsos.reporting.coverage import _order

    assert sorted(["55+", "<25", "35-44", "25-34", "45-54"], key=_order("age_band")) == [
        "<25",
        "25-34",
        "35-44",
        "45-54",
        "55+",
    ]
    svg = charts.bars("Sektor", [("Pertanian", 1160, None)], decimal_comma=True)
    assert "1.160" in svg and "1,160" not in svg
    trend = charts.trend_lines("Iuran", ["2026-01"], {"Ditagih": [5_610]}, decimal_comma=True)
    assert "5,61 rb" in trend and "5.61k" not in trend
