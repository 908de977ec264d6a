"""analytics.i18n: languages, the catalog chain, the on-the-fly .mo compile and Babel formats."""

import os
from datetime import date

import pytest

from analytics import i18n
from analytics.context import Filters, ViewContext
from analytics.i18n import (
    NBSP,
    compiled,
    format_date,
    format_number,
    format_percent,
    normalise_language,
    translator,
)


@pytest.mark.parametrize("value, expected", [
    ("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("fr_CA", "fr"), (" fr ", "fr"),
    ("en", "en"), ("en-GB", "en"), ("de", "en"), ("", "en"), (None, "en"),
])
def test_normalise_language(value, expected):
    assert normalise_language(value) == expected


def test_an_unknown_language_falls_back_to_the_given_default():
    assert normalise_language("es", default="fr") == "fr"


def test_english_is_unchanged_and_french_is_looked_up():
    assert translator("en")("sample data") == "sample data"
    assert translator("fr")("sample data") == "données d'exemple"
    assert translator("xx")("sample data") == "sample data"


def test_a_string_missing_from_the_catalog_stays_english():
    assert translator("fr")("No such sentence in any catalog") == "No such sentence in any catalog"


def test_a_missing_or_stale_mo_is_compiled_from_its_po(tmp_path):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "demo.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "late"\nmsgstr "en retard"\n\n'
                  '#, fuzzy\nmsgid "milestone"\nmsgstr "jalon"\n', encoding="utf-8")
    mo = compiled(po)
    assert mo.exists() and b"en retard" in mo.read_bytes()
    assert b"jalon" not in mo.read_bytes()          # fuzzy entries stay English
    os.utime(mo, (1, 1))                            # older than the .po: compiled again
    assert compiled(po).stat().st_mtime > 1
    assert [p.name for p in i18n.compile_catalogs(tmp_path)] == ["demo.mo"]


@pytest.mark.parametrize("day, lang, expected", [
    (date(2028, 3, 13), "en", "13 Mar 2028"),
    (date(2028, 3, 13), "fr", "13 mars 2028"),
    (date(2028, 3, 1), "fr", "1er mars 2028"),
    (date(2026, 12, 2), "fr", "2 décembre 2026"),
])
def test_format_date(day, lang, expected):
    assert format_date(day, lang) == expected


@pytest.mark.parametrize("value, lang, digits, expected", [
    (79.3, "en", 1, "79.3%"), (79.3, "fr", 1, f"79,3{NBSP}%"), (100, "fr", 0, f"100{NBSP}%"),
])
def test_format_percent(value, lang, digits, expected):
    assert format_percent(value, lang, digits) == expected


@pytest.mark.parametrize("value, lang, digits, expected", [
    (1204.5, "en", 1, "1,204.5"), (1204, "en", 0, "1,204"), (0.87, "fr", 2, "0,87"),
])
def test_format_number(value, lang, digits, expected):
    assert format_number(value, lang, digits) == expected


def test_french_thousands_are_grouped_with_a_space():
    assert format_number(1204.5, "fr", 1).replace("\u202f", " ").replace(NBSP, " ") == "1 204,5"


def test_view_label_and_file_name_in_french():
    ctx = ViewContext(as_of=date(2026, 11, 24), sample=True, lang="fr")
    assert ctx.label().endswith("au 24 novembre 2026 · données d'exemple")
    name = ctx.file_name("progress-by-domain", "png")
    assert name.endswith("_2026-11-24_donnees-d-exemple.png") and name.isascii()


def test_view_label_in_english_is_unchanged():
    ctx = ViewContext(as_of=date(2026, 11, 24), sample=True, filters=Filters(domains=("Fraud",)))
    assert ctx.label().endswith("as of 2026-11-24 · domain: Fraud · sample data")


def test_filter_scope_in_french():
    scope = Filters(domains=("Fraud",), owners=("A. Roy",)).scope("fr")
    assert scope == f"Cette vue (domaine{NBSP}: Fraud{NBSP}; responsable{NBSP}: A. Roy)"
    assert Filters().scope("fr") == "L'ensemble du plan"


def test_a_read_only_catalog_folder_is_compiled_in_memory(tmp_path, monkeypatch):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "demo.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "late"\nmsgstr "en retard"\n', encoding="utf-8")

    def refuse(path):
        raise PermissionError(f"read-only: {path}")

    monkeypatch.setattr(i18n, "compiled", refuse)
    assert b"en retard" in i18n._mo_bytes(po) and not po.with_suffix(".mo").exists()
