"""Indonesian pages speak Indonesian: the main pages of every role, rendered in Indonesian,
carry no English sentence and no raw code.

The check is deliberately simple (documented here, kept small):

- the text a person reads is taken from the page (tags, scripts and styles removed; ``<code>``
  elements removed too: they show identifiers on purpose, such as a rule id or the field names
  an audit event recorded; and text the page itself marks ``lang="en"``: the legal notes of the
  rule data, which are written in English — translating them is a change to the data);
- **English**: a word from ``ENGLISH`` — English function words and the words of messages that
  slipped through untranslated before — that Indonesian never uses, matched as a whole word;
- **raw codes**: a ``snake_case`` word (``part_paid``, ``kpj_card``, ``straight_through``) or a
  field-name prefix at the start of a message (``nik: ``, ``code: ``).

A word that is the same in both languages or a proper name does not belong in the list. When the
test fails it names the page and the words found, in context.
"""

from __future__ import annotations

import html
import re

import pytest

pytestmark = pytest.mark.django_db

ENGLISH = {
    "the",
    "and",
    "with",
    "must",
    "your",
    "please",
    "should",
    "cannot",
    "which",
    "this",
    "that",
    "will",
    "been",
    "have",
    "has",
    "was",
    "were",
    "for",
    "not",
    "are",
    "is",
    "of",
    "to",
    "by",
    "from",
    "or",
    "only",
    "no",
    "yes",
    "paid",
    "open",
    "overdue",
    "employer",
    "worker",
    "workers",
    "month",
    "months",
    "payment",
    "payments",
    "claim",
    "claims",
    "bill",
    "bills",
    "balance",
    "status",
    "none",
    "true",
    "false",
    "system",
    "filed",
    "approve",
    "reject",
    "pending",
    "active",
    "verified",
    "due",
    "amount",
    "total",
    "page",
    "next",
    "previous",
    "search",
}
# "Status" and "Total" are Indonesian words too; they are only English in lower case mid-sentence
SAME_IN_BOTH = {"status", "total"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
#: a message that starts with the name of the field it is about, as the API and CLI word it
FIELD_PREFIX = re.compile(r"^(?:[a-z]+_[a-z_]+|nik|kpj|npp|code|name|phone|period|username|otp): ")
DROP = re.compile(r"<(script|style|code|svg|title)\b.*?</\1>", re.S | re.I)
ENGLISH_MARKED = re.compile(r'<span[^>]*\blang="en"[^>]*>.*?</span>', re.S)
TAG = re.compile(r"<[^>]+>")


def readable_text(page: str) -> str:
    body = page.split("<main", 1)[-1].split("</main>", 1)[0]
    body = ENGLISH_MARKED.sub(" ", DROP.sub(" ", body))
    return html.unescape(TAG.sub("\n", body))


def findings(text: str) -> list[str]:
    found = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        words = [w for w in WORD.findall(line) if w.lower() in ENGLISH]
        words = [w for w in words if not (w.lower() in SAME_IN_BOTH and w[0].isupper())]
        # one stray word may be a name; two English words on a line are a sentence
        if len(words) >= 2:
            found.append(f"English {words}: {line[:120]}")
        for code in SNAKE.findall(line):
            found.append(f"raw code {code!r}: {line[:120]}")
        if FIELD_PREFIX.search(line):
            found.append(f"field prefix: {line[:120]}")
    return found


def test_the_checker_finds_english_sentences_raw_codes_and_field_prefixes():
    assert findings("Bayar sebelum tanggal 15") == []
    assert findings("PT Borneo Sawit Lestari · Status: Aktif") == []
    assert findings("Please pay the bill") != []
    assert findings("Status part_paid") != []
    assert findings("nik: harus 16 digit") != []


#: demo user -> pages to read besides home and the menu
PAGES = {
    "peserta": ["/kartu/", "/kartu/pembayaran/", "/klaim/", "/pesan/", "/akun/"],
    "sponsor": ["/sertakan/"],
    "pemberikerja": ["/pemberi-kerja/", "/kecelakaan/"],
    "kontraktor": ["/proyek/"],
    "cabang": ["/antrean/", "/klaim/antrean/", "/peserta/", "/pemberi-kerja/", "/tunggakan/"],
    "klaim": ["/klaim/antrean/"],
    "wilayah": ["/laporan/", "/tunggakan/"],
    "auditor": ["/audit/"],
    "admin": ["/pengguna/", "/kanal-pembayaran/", "/tugas/", "/penagihan/"],
}


def test_main_pages_in_indonesian_carry_no_english_and_no_raw_codes(demo, client):
    from tests.test_navigation import menu

    problems = {}
    for username, extra in PAGES.items():
        client.force_login(demo[username])
        home = client.get("/").content.decode()
        urls = ["/", *extra, *(u for u, _c, _l in menu(home) if u not in extra)]
        for url in dict.fromkeys(urls):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            found = findings(readable_text(response.content.decode()))
            if found:
                problems[f"{username} {url}"] = found
    assert problems == {}
