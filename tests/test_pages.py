"""Pages: Bahasa Indonesia first with an English switch, per-role home, no inline scripts."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_in_bahasa_indonesia_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Jaminan sosial ketenagakerjaan, dalam satu tempat" in html
    assert "Masuk" in html


def test_an_english_browser_still_gets_indonesian_pages_until_it_switches(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html


def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Employment social security, in one place" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/").content.decode()


def test_strict_content_security_policy_and_no_inline_script_or_style(demo, client):
    client.force_login(demo["auditor"])
    for url in ("/", "/pemberi-kerja/", "/audit/", "logout", "/", "/masuk/"):
        if url == "logout":
            client.logout()
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert re.search(r" on[a-z]+=", html) is None, url


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("cabang", "Pemberi kerja cabang Anda"),
        ("auditor", "Jejak audit"),
        ("pemberikerja", "Perusahaan Anda"),
        ("peserta", "Kepesertaan Anda"),
    ],
)
def test_home_tells_each_role_where_to_go(demo, client, username, expected):
    client.force_login(demo[username])
    assert expected in client.get("/").content.decode()


def test_branch_officer_sees_times_in_the_branch_zone(demo, client):
    client.force_login(demo["cabang"])  # Banjarmasin keeps WITA
    html = client.get("/").content.decode()
    assert "WITA" in html


def test_login_page_labels_and_failed_login_message(demo, client):
    html = client.get("/masuk/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    bad = client.post("/masuk/", {"username": "cabang", "password": "wrong"})
    assert bad.status_code == 200
    assert 'role="alert"' in bad.content.decode()
    good = client.post("/masuk/", {"username": "cabang", "password": "jamsos-demo-2026"})
    assert good.status_code == 302


def test_employer_list_search_and_empty_state(demo, client):
    client.force_login(demo["klaim"])
    html = client.get("/pemberi-kerja/", {"q": "sawit"}).content.decode()
    assert "PT Borneo Sawit Lestari" in html and "CV Banua" not in html
    html = client.get("/pemberi-kerja/", {"q": "tidak ada"}).content.decode()
    assert "Tidak ada pemberi kerja yang cocok" in html
    client.force_login(demo["peserta"])
    assert "Belum ada pemberi kerja" in client.get("/pemberi-kerja/").content.decode()
