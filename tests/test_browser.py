"""End to end in a real browser: Debian's Chromium driven by Playwright, phone-sized, against
``jamsos serve`` (gunicorn, DEBUG off) on its own SQLite file, the way an operator runs it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# CI sets JAMSOS_REQUIRE_BROWSER=1 so a missing browser fails instead of skipping.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("JAMSOS_REQUIRE_BROWSER"),
        reason="needs Debian's chromium package (apt-get install chromium)",
    ),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(var: Path, demo: list[str], worker: bool = False) -> Iterator[tuple[str, str]]:
    """Migrate, load the demo (with ``demo`` arguments) and run ``jamsos serve`` on a free
    port with its own SQLite file (and ``jamsos worker`` beside it when asked); yields the
    base URL and the database path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JAMSOS_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "JAMSOS_VAR_DIR": str(var),
            "JAMSOS_SECRET_KEY": "browser-test-" + "k" * 50,
            "JAMSOS_HTTPS": "false",
            "JAMSOS_WEB_WORKERS": "2",
        }
    )
    jamsos = [sys.executable, "-m", "jamsos.cli.main"]
    # the demo's published password is given in DEBUG only; the server below runs without it
    for step, debug in ((["migrate", "--noinput"], "false"), (["demo", *demo], "true")):
        subprocess.run(
            [*jamsos, *step],
            env={**env, "JAMSOS_DEBUG": debug},
            check=True,
            capture_output=True,
            timeout=600,
        )
    port = _free_port()
    proc = subprocess.Popen(
        [*jamsos, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    helpers = [
        subprocess.Popen(
            [*jamsos, "worker", "--poll", "0.5"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(1 if worker else 0)
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # a loaded machine takes a while to collect static files
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("jamsos serve did not answer /healthz")
        yield base, str(var / "jamsos.sqlite3")
    finally:
        for p in [proc, *helpers]:
            p.terminate()
            p.wait(timeout=30)


@pytest.fixture(scope="module")
def server_info(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    yield from _serve(tmp_path_factory.mktemp("var"), [])


@pytest.fixture(scope="module")
def region_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small demo region with two months billed and paid, and its report summaries."""
    for base, _database in _serve(
        tmp_path_factory.mktemp("region"), ["--scale", "0.002", "--months", "2"]
    ):
        yield base


def demo_code(username: str, steps_ahead: int = 0) -> str:
    """The code a demo staff user's authenticator shows now (or ``steps_ahead`` 30-second
    steps later: a code is accepted once, so a second sign-in uses the next one)."""
    from django_otp.oath import totp

    from jamsos.demo.services import demo_totp_key

    return f"{totp(bytes.fromhex(demo_totp_key(username)), drift=steps_ahead):06d}"


#: (server, username) -> the last 30-second step whose code was used: a code is accepted
#: once, so a later sign-in of the same user takes a later step (waiting for it if needed).
_USED_STEPS: dict[tuple[str, str], int] = {}


def _fresh_code(base: str, username: str) -> str:
    key = (base, username)
    while True:
        now = int(time.time()) // 30
        step = max(now, _USED_STEPS.get(key, now - 1) + 1)
        if step - now <= 1:  # the authenticator's tolerance: one step ahead
            _USED_STEPS[key] = step
            return demo_code(username, step - now)
        time.sleep(1)


def sign_in(page: object, base: str, username: str) -> None:
    """Log in with the demo password and, for staff, the code from the demo secret."""
    page.goto(base + "/masuk/")  # type: ignore[attr-defined]
    page.get_by_label("Nama pengguna").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Kata sandi").fill("jamsos-demo-2026")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Masuk").click()  # type: ignore[attr-defined]
    if "/masuk/kode/" in page.url:  # type: ignore[attr-defined]
        page.get_by_label("Kode").fill(_fresh_code(base, username))  # type: ignore[attr-defined]
        page.get_by_role("button", name="Verifikasi").click()  # type: ignore[attr-defined]


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def server(server_info: tuple[str, str]) -> str:
    return server_info[0]


@pytest.fixture
def page(server_info: tuple[str, str], request: pytest.FixtureRequest) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    device = getattr(request, "param", PHONE)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # The browser says it prefers English: pages must still start in Indonesian.
        context = browser.new_context(**device, locale="en-US")
        context.jamsos_database = server_info[1]  # type: ignore[attr-defined]
        page = context.new_page()
        page.csp_violations = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text),
        )  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_branch_officer_logs_in_on_a_phone_and_verifies_an_employer(server, page):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Jaminan sosial ketenagakerjaan, dalam satu tempat"
    )
    # nothing overflows a phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_label("Nama pengguna").fill("cabang")
    page.get_by_label("Kata sandi").fill("jamsos-demo-2026")
    page.get_by_role("button", name="Masuk").click()
    # staff give the code from their authenticator app (the demo's secret)
    assert page.get_by_role("heading", level=1).inner_text() == "Verifikasi dua langkah"
    page.get_by_label("Kode").fill(demo_code("cabang"))
    page.get_by_role("button", name="Verifikasi").click()
    assert "Selamat datang, Dewi Lestari." in page.inner_text("main")
    assert "WITA" in page.inner_text("main")

    page.get_by_role("link", name="Pemberi kerja cabang Anda").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 3  # Banjarmasin's three employers, not Pontianak's
    page.get_by_role("link", name="CV Banua Konstruksi").click()
    page.get_by_label("Catatan (opsional)").fill("Dokumen lengkap")
    page.get_by_role("button", name="Verifikasi pendaftaran").click()
    assert "Pemberi kerja telah diverifikasi dan kini aktif." in page.inner_text("main")
    assert "Aktif" in page.inner_text("dl.facts")
    assert page.get_by_role("button", name="Verifikasi pendaftaran").count() == 0
    assert page.csp_violations == []


@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_language_switch_and_keyboard_focus(server, page):
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.keyboard.press("Tab")  # the skip link comes first and becomes visible on focus
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")  # and it takes keyboard users straight to the content
    expect(page.locator("main#main")).to_be_focused()
    page.goto(server + "/masuk/")
    expect(page.get_by_label("Nama pengguna")).to_be_focused()  # autofocus on the first field
    page.select_option("#lang-select", "en")
    page.get_by_role("button", name="Ganti bahasa").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    page.get_by_label("Username").fill("cabang")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    assert page.csp_violations == []


def test_informal_worker_registers_on_a_phone_and_confirms_the_code(server, page):
    import sqlite3

    page.goto(server + "/")
    page.get_by_role("link", name="Daftar sebagai pekerja bukan penerima upah").click()
    page.get_by_label("NIK (16 digit, tertera di KTP)").fill("6371055612900003")
    page.get_by_label("Nama lengkap sesuai KTP").fill("Siti Aminah")
    page.get_by_label("Tanggal lahir").fill("1990-12-16")
    page.get_by_label("Jenis kelamin").select_option("F")
    page.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    page.get_by_label("Pekerjaan").select_option("household_assistant")
    page.get_by_label("Penghasilan sebulan (Rp)").fill("1.500.000")
    page.get_by_role("button", name="Daftar").click()
    kpj = page.locator("main strong").first.inner_text()
    assert len(kpj) == 11 and kpj.isdigit()
    database = page.context.jamsos_database  # type: ignore[attr-defined]
    with sqlite3.connect(database) as db:
        body = db.execute("SELECT body FROM notifications_notification ORDER BY id DESC").fetchone()
    code = next(
        word.strip(".")
        for word in body[0].split()
        if word.strip(".").isdigit() and len(word.strip(".")) == 6
    )
    page.get_by_label("Kode dari SMS").fill(code)
    page.get_by_role("button", name="Konfirmasi").click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Nomor ponsel Anda sudah terkonfirmasi"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.csp_violations == []


def test_informal_member_gets_a_12_month_payment_code_on_a_phone_today(server, page):
    """Today's date, not a frozen one: 12 months from now run into next year, whose holiday
    calendar is the computed one until the joint decree is entered."""
    import re
    import sqlite3
    from datetime import date

    page.goto(server + "/masuk/")
    page.get_by_label("Nama pengguna").fill("peserta")
    page.get_by_label("Kata sandi").fill("jamsos-demo-2026")
    page.get_by_role("button", name="Masuk").click()
    page.goto(server + "/kartu/")
    page.locator("select[name=months]").first.select_option("12")
    page.get_by_role("button", name="Minta kode bayar").first.click()
    main = page.inner_text("main")
    found = re.search(
        r"Bayar Rp[\d.]+ dengan kode bayar (\d{11}) paling lambat \w+, ([^.]+)\.", main
    )
    assert found, main
    code, due_words = found.groups()
    assert page.get_by_role("heading", level=1).inner_text() == f"Tagihan {code}"
    database = page.context.jamsos_database  # type: ignore[attr-defined]
    with sqlite3.connect(database) as db:
        months, due_on = db.execute(
            "SELECT months, due_on FROM contributions_bill WHERE payment_code = ?", (code,)
        ).fetchone()
    assert months == 12
    months_id = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November"
    day, month, year = due_words.split()
    written = date(int(year), [*months_id.split(), "Desember"].index(month) + 1, int(day))
    assert due_on == written.isoformat() and written >= date.today()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.csp_violations == []


def test_regional_head_reads_the_dashboard_filters_and_downloads_xlsx(region_server, tmp_path):
    """Opens the dashboard, changes a filter (the province), downloads the XLSX; with
    JAMSOS_SCREENSHOTS=dir set, saves the screenshot kept in docs/."""
    import openpyxl
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(**DESKTOP, locale="id-ID", accept_downloads=True)
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and violations.append(m.text),
        )
        sign_in(page, region_server, "wilayah")
        page.goto(region_server + "/laporan/")
        assert page.get_by_role("heading", level=1).inner_text() == "Kepesertaan dan keuangan"
        assert page.locator("svg.chart").count() >= 4
        active = page.locator(".kpi .figure").first.inner_text()
        assert active.replace(".", "").isdigit() and int(active.replace(".", "")) > 0
        page.select_option("#province", "63")
        page.get_by_role("button", name="Tampilkan").click()
        page.wait_for_url("**province=63**")
        assert "Kalimantan Selatan" in page.get_by_role("heading", level=2).first.inner_text()
        assert page.locator("#province").input_value() == "63"  # the filter stays in the URL
        with page.expect_download() as download:
            page.locator("#export-xlsx").click()
        saved = tmp_path / "laporan.xlsx"
        download.value.save_as(saved)
        book = openpyxl.load_workbook(saved)
        assert "coverage" in book.sheetnames and "money by month" in book.sheetnames
        regencies = [r[0] for r in book["coverage by regency"].iter_rows(values_only=True)][1:]
        assert regencies and all(str(code).startswith("63.") for code in regencies)
        # a figure opens the rows it counts
        page.locator("table.lines a").first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Peserta di balik angka"
        assert page.locator("tbody tr").count() > 0
        assert violations == []
        shots = os.environ.get("JAMSOS_SCREENSHOTS")
        if shots:
            page.goto(region_server + "/laporan/")
            page.set_viewport_size({"width": 1280, "height": 2200})
            page.screenshot(path=str(Path(shots) / "screenshot-dashboard.png"))
        browser.close()


@pytest.fixture(scope="module")
def worker_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small region (no months billed yet) with ``jamsos worker`` running beside the server."""
    for base, _database in _serve(tmp_path_factory.mktemp("jobs"), ["--scale", "0.001"], True):
        yield base


@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_administrator_starts_a_billing_run_and_watches_its_progress(worker_server, page):
    from playwright.sync_api import expect

    sign_in(page, worker_server, "admin")
    page.get_by_role("link", name="Penagihan bulanan").first.click()
    page.get_by_label("Periode (TTTT-BB)").fill("2026-10")
    page.get_by_role("button", name="Jalankan").click()
    # the request returns at once: the job's page, queued or already running
    expect(page).to_have_url(re.compile(r"/tugas/\d+/$"))
    assert page.locator("#job-status").get_attribute("data-status") in ("queued", "running")
    assert page.locator("#job-progress").is_visible()
    job_url = page.url
    # the page reloads itself until the worker has finished the run
    expect(page.locator("#job-status")).to_have_attribute(
        "data-status", "succeeded", timeout=120_000
    )
    assert page.locator("#job-progress").get_attribute("value") == "100"
    result = page.inner_text("#job-result")
    created = int(result.split("bills_created")[1].split()[0])
    assert created > 0
    # a second run of the month while none is active is queued too, and issues nothing new
    page.goto(worker_server + "/penagihan/")
    page.get_by_label("Periode (TTTT-BB)").fill("2026-10")
    page.get_by_role("button", name="Jalankan").click()
    expect(page.locator("#job-status")).to_have_attribute(
        "data-status", "succeeded", timeout=120_000
    )
    assert page.url != job_url
    assert int(page.inner_text("#job-result").split("bills_created")[1].split()[0]) == 0
    page.get_by_role("link", name="Semua tugas").click()
    assert page.locator("tbody tr").count() == 2
    assert page.csp_violations == []


def test_a_member_turns_on_two_step_verification_and_signs_in_with_it(server, page):
    import base64

    from django_otp.oath import totp

    sign_in(page, server, "peserta")
    page.locator("a.who").click()  # the account page
    assert page.get_by_role("heading", level=1).inner_text() == "Akun Anda"
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()
    assert page.locator("img.qr").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.locator("#totp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Kode dari aplikasi").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Aktifkan verifikasi dua langkah").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kode pemulihan"
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("button", name="Keluar").click()

    page.goto(server + "/masuk/")
    page.get_by_label("Nama pengguna").fill("peserta")
    page.get_by_label("Kata sandi").fill("jamsos-demo-2026")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Verifikasi dua langkah"
    page.get_by_label("Kode").fill(f"{totp(key, drift=1):06d}")  # the next code: each works once
    page.get_by_role("button", name="Verifikasi").click()
    assert "Kepesertaan Anda" in page.inner_text("main")
    assert page.csp_violations == []


@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_the_api_docs_render_offline_under_the_csp(server, page):
    from playwright.sync_api import expect

    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            not r.url.startswith(server) and not r.url.startswith("data:") and outside.append(r.url)
        ),
    )
    page.goto(server + "/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Jamsos API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() > 50  # every operation listed
    assert outside == [] and page.csp_violations == []


# -- each role's main journey, on a phone and on a desktop, with the accessibility check ----


def _go(page: object, label: str) -> None:
    """Follow an entry of the header's menu (opening it first where it folds, on a phone)."""
    from tests.accessibility import assert_accessible

    toggle = page.locator("button.menu-toggle")  # type: ignore[attr-defined]
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator("#site-menu").get_by_role("link", name=label, exact=True).click()  # type: ignore[attr-defined]
    current = page.locator('#site-menu a[aria-current="page"]').inner_text()  # type: ignore[attr-defined]
    assert current == label
    assert_accessible(page)


def _journey_page(region_server: str, device: dict[str, object]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(**device, locale="id-ID")
        page = context.new_page()
        page.csp_violations = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text),
        )  # type: ignore[attr-defined]
        yield page
        browser.close()


DEVICES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(params=sorted(DEVICES))
def journey(region_server: str, request: pytest.FixtureRequest) -> Iterator[tuple[object, str]]:
    """A page on a phone or a desktop against the demo region, and the device's name."""
    for page in _journey_page(region_server, DEVICES[request.param]):  # type: ignore[arg-type]
        yield page, request.param
    assert page.csp_violations == []  # type: ignore[attr-defined]


def _signed_in(page: object, base: str, username: str) -> None:
    from tests.accessibility import assert_accessible

    page.goto(base + "/masuk/")  # type: ignore[attr-defined]
    assert_accessible(page)
    sign_in(page, base, username)
    assert page.url == base + "/"  # type: ignore[attr-defined]
    assert_accessible(page)
    if page.viewport_size["width"] <= 390:  # type: ignore[attr-defined]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
        assert page.locator("button.menu-toggle").is_visible()  # type: ignore[attr-defined]
        assert not page.locator("#site-menu nav").is_visible()  # type: ignore[attr-defined]


def _shot(page: object, name: str, device: str) -> None:
    shots = os.environ.get("JAMSOS_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"journey-{name}-{device}.png"), full_page=True)  # type: ignore[attr-defined]


def test_member_journey_from_login_to_what_is_due(region_server, journey):
    page, device = journey
    _signed_in(page, region_server, "peserta")
    main = page.inner_text("main")
    for words in ("Status", "Saldo JHT", "Jatuh tempo", "Klaim terakhir", "Pesan"):
        assert words in main, words
    _shot(page, "member-home", device)
    _go(page, "Pembayaran")
    assert page.get_by_role("heading", level=1).inner_text() == "Pembayaran"
    _go(page, "Kartu saya")
    page.locator("main a[href*='/jht/']").first.click()
    from tests.accessibility import assert_accessible

    assert_accessible(page)
    assert str(time.gmtime().tm_year) in page.inner_text("main")  # opens on the current year
    _go(page, "Klaim saya")
    _go(page, "Pesan")


def test_employer_journey_from_login_to_the_bill(region_server, journey):
    page, device = journey
    _signed_in(page, region_server, "pemberikerja")
    _go(page, "Pekerja")
    assert page.get_by_role("heading", level=1).is_visible()
    _go(page, "Daftar bulanan")
    _go(page, "Tagihan")  # the statement of account: bills, payments, fines, what is owed
    assert page.get_by_role("heading", level=1).is_visible()
    _shot(page, "employer-statement", device)
    _go(page, "Kecelakaan")


def test_branch_officer_journey_from_login_to_a_participant(region_server, journey):
    page, device = journey
    _signed_in(page, region_server, "cabang")
    _go(page, "Antrean kerja")
    _go(page, "Pemberi kerja")
    assert page.locator("tbody tr").count() > 0
    _go(page, "Tunggakan")
    _go(page, "Peserta")
    _shot(page, "branch-participants", device)


def test_regional_head_journey_from_login_to_the_dashboard(region_server, journey):
    page, device = journey
    _signed_in(page, region_server, "wilayah")
    _go(page, "Laporan")
    assert page.locator("svg.chart").count() >= 4
    provinces = page.locator("#province option").all_inner_texts()
    assert "Aceh" not in provinces and "Kalimantan Selatan" in provinces
    _shot(page, "regional-dashboard", device)


def test_auditor_journey_from_login_to_the_trail(region_server, journey):
    page, device = journey
    _signed_in(page, region_server, "auditor")
    _go(page, "Jejak audit")
    assert page.locator("tbody tr").count() > 0
    assert "{'" not in page.inner_text("main")  # changes in words, not Python dict text
    _shot(page, "audit", device)


def test_administrator_journey_from_login_to_a_new_user(region_server, journey):
    page, device = journey
    _signed_in(page, region_server, "admin")
    _go(page, "Pengguna")
    page.get_by_label("Nama pengguna", exact=True).fill(f"petugas-{device}")
    page.get_by_label("Peran").select_option("auditor")
    page.get_by_role("button", name="Buat pengguna").click()
    from tests.accessibility import assert_accessible

    assert_accessible(page)
    assert f"Pengguna petugas-{device} sudah dibuat." in page.inner_text("main")
    _go(page, "Kanal pembayaran")
    _go(page, "Aturan")
    assert "PU.JKK.CLASS1" in page.inner_text("main")
    _shot(page, "admin-rules", device)
