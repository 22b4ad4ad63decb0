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


def test_no_fuzzy_guesses_are_left_in_the_catalogue():
    """makemessages marks guessed translations fuzzy with a ``#|`` hint; each must be reviewed
    and rewritten, never accepted by dropping the flag."""
    text = (LOCALE / "django.po").read_text()
    assert "#, fuzzy" not in text.split('msgid "Participant"')[1]
    assert "\n#| msgid" not in text


def test_reviewed_wordings_of_easily_confused_terms():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    assert catalogue.gettext("Retirement") == "Pensiun"
    assert catalogue.gettext("Project registration date") == "Tanggal pendaftaran proyek"
    assert catalogue.gettext("Termination date") == "Tanggal PHK"
