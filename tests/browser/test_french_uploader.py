"""Streamlit's file uploader speaks the page's language (pages/_uploader.py).

Why: Streamlit draws the uploader's button and limits line in English; in French our script
puts French words in their place. The check is made in a real Chromium, as a user and a
screen reader get them: the button found by its accessible name, the limits line by its text
(and in the accessibility tree); a file chosen through that button still lands on the page,
and the uploader drawn anew for it keeps the French; switching the session back to English
brings Streamlit's words back. A Streamlit upgrade that changes the uploader's markup fails
here.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

SHEET = "Item ID,As of,% complete,Status\nCIS-04,2026-11-30,70,Green\n"
UPLOADER = '[data-testid="stFileUploader"]'
LIMITS = '[data-testid="stFileUploaderDropzoneInstructions"] span'
FRENCH = ("Téléverser", "50\u00a0Mo par fichier • CSV, TSV, TXT, XLSX")
ENGLISH = ("Upload", "50MB per file • CSV, TSV, TXT, XLSX")


def assert_uploader_says(page, button: str, limits: str) -> None:
    """The button (by its accessible name) and the limits line say these words, and nothing
    else is heard from the uploader."""
    page.get_by_role("button", name=button, exact=True).wait_for(timeout=30_000)
    page.wait_for_function("([sel, text]) => document.querySelector(sel)?.textContent === text",
                           arg=[LIMITS, limits], timeout=30_000)
    heard = page.locator(UPLOADER).first.aria_snapshot()      # spaces normalised
    assert f'button "{button}"' in heard and limits.replace("\u00a0", " ") in heard, heard


@pytest.mark.parametrize(("lang", "words"), [("fr", FRENCH), ("en", ENGLISH)])
def test_the_uploader_is_in_the_page_language(start_server, sample_db, page, tmp_path,
                                              lang, words):
    page.goto(f"{start_server(sample_db)}/upload?lang={lang}")
    wait_for_app(page)
    assert_uploader_says(page, *words)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    with page.expect_file_chooser() as chosen:
        page.get_by_role("button", name=words[0], exact=True).click()
    chosen.value.set_files(str(sheet))
    page.get_by_text("sheet.csv").first.wait_for(timeout=30_000)
    wait_for_app(page)
    shown = page.locator(UPLOADER).first.inner_text()
    assert "sheet.csv" in shown and (lang == "en" or "Upload" not in shown), shown


def test_switching_back_to_english_brings_streamlits_words_back(start_server, sample_db, page):
    page.goto(f"{start_server(sample_db)}/upload?lang=fr")
    wait_for_app(page)
    assert_uploader_says(page, *FRENCH)
    language = page.locator('[class*="st-key-lang"] input')
    language.click()
    language.fill("English")
    page.get_by_role("option", name="English", exact=True).click()
    wait_for_app(page)
    assert_uploader_says(page, *ENGLISH)
