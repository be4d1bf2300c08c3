"""The German translation: a complete, compiled catalogue that the portal actually shows."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from accounts.tests.factories import UserFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def read_po(path):
    """The live entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr, flags.

    A minimal reader (polib is not a project dependency): enough for what makemessages writes.
    """
    entries, entry, field = [], None, None

    def close():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~") or not line.strip():
            continue
        if line.startswith("#,"):
            close()
            entry, field = {"flags": {f.strip() for f in line[2:].split(",")}}, None
            continue
        if line.startswith("#"):
            continue
        keyword, _sep, rest = line.partition(" ")
        if line.startswith('"'):
            entry[field] += ast.literal_eval(line)
            continue
        if keyword in ("msgctxt", "msgid") and (entry is None or "msgid" in entry):
            close()
            entry = {"flags": set()}
        field = keyword
        entry[field] = ast.literal_eval(rest)
    close()
    return [e for e in entries if e["msgid"]]


@pytest.fixture(scope="module")
def po_entries():
    return read_po(CATALOGUE / "django.po")


@pytest.fixture(scope="module")
def mo_catalogue():
    with (CATALOGUE / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_po_header_declares_german_with_two_plural_forms():
    header = (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[0]

    assert '"Language: de\\n"' in header
    assert "charset=UTF-8" in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
    assert "#, fuzzy" not in header


def test_every_message_is_translated_keeps_its_placeholders_and_is_not_fuzzy(po_entries):
    assert len(po_entries) > 400
    for entry in po_entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if "msgid_plural" in entry:
            forms = [
                (entry["msgid"], entry["msgstr[0]"]),
                (entry["msgid_plural"], entry["msgstr[1]"]),
            ]
        else:
            forms = [(entry["msgid"], entry["msgstr"])]
        for source, german in forms:
            assert german, f"untranslated: {source!r}"
            assert sorted(PLACEHOLDER.findall(german)) == sorted(PLACEHOLDER.findall(source)), (
                f"placeholders differ: {source!r} -> {german!r}"
            )


def test_compiled_catalogue_covers_every_message_of_the_po(po_entries, mo_catalogue):
    compiled = mo_catalogue._catalog
    stale = []
    for entry in po_entries:
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            expected = {(key, 0): entry["msgstr[0]"], (key, 1): entry["msgstr[1]"]}
        else:
            expected = {key: entry["msgstr"]}
        stale += [k for k, german in expected.items() if compiled.get(k) != german]
    assert not stale, f"django.mo is out of date, run compilemessages: {stale[:10]}"


def test_core_strings_are_german_when_german_is_active():
    with translation.override("de"):
        assert _("Sign out") == "Abmelden"
        assert _("Sign in") == "Anmelden"
        assert _("My actions") == "Meine Maßnahmen"
        assert _("Parts") == "Teile"
        assert _("Customers") == "Kunden"
        assert _("Plants") == "Werke"
        assert _("Overdue") == "Überfällig"
        assert _("working days") == "Arbeitstage"
        assert _("Customer-specific requirements") == "Kundenspezifische Anforderungen (CSR)"
        assert npgettext("part counter", "part", "parts", 1) == "Teil"
        assert npgettext("part counter", "part", "parts", 2) == "Teile"
    with translation.override("en"):
        assert _("Sign out") == "Sign out"


def test_german_user_sees_german_navigation(client, db):
    client.force_login(UserFactory(language="de"))

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    for text in ("Abmelden", "Meine Maßnahmen", "Übersicht", "Stammdaten", "Kunden", "Teile"):
        assert text in html, text
    assert "Sign out" not in html
    assert "My actions" not in html


def test_english_user_keeps_english_even_with_a_german_browser(client, engineer):
    engineer.language = "en"
    engineer.save(update_fields=["language"])
    client.force_login(engineer)

    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Sign out" in html
    assert "Abmelden" not in html


def test_login_page_follows_a_german_browser(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Anmelden" in html
    assert "Passwort vergessen?" in html
    assert "E-Mail-Adresse" in html
    assert "Forgot your password?" not in html


def test_login_page_stays_english_for_an_english_browser(client, db):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Forgot your password?" in html
    assert "Passwort vergessen?" not in html
