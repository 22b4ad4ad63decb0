"""The Indonesian catalogue is complete and its compiled .mo matches the .po."""

import gettext
import re
from pathlib import Path

import jamsos

LOCALE = Path(jamsos.__file__).parent / "locale" / "id" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.*)"\nmsgstr "(.*)"$', re.M)


def entries():
    text = (LOCALE / "django.po").read_text()
    return [(a.replace('\\"', '"'), b.replace('\\"', '"')) for a, b in ENTRY.findall(text) if a]


def test_every_message_has_an_indonesian_translation():
    found = entries()
    assert len(found) > 100
    assert [msgid for msgid, msgstr in found if not msgstr] == []


def test_compiled_catalogue_is_current():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    stale = [msgid for msgid, msgstr in entries() if catalogue.gettext(msgid) != msgstr]
    assert stale == [], "run: cd jamsos && jamsos compilemessages"
