"""Streamlit's file uploader speaks the page's language (pages/_uploader.py).

Why: Streamlit draws the uploader's button and limits line in English; in French our style
draws them in French. The check is made in a real Chromium, as a user and a screen reader get
them: the button found by its accessible name, the limits line by the text drawn (the English
hidden) and in the accessibility tree, and a file chosen through that button still lands on the page. A Streamlit upgrade
that changes the uploader's markup fails here.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

SHEET = "Item ID,As of,% complete,Status\nCIS-04,2026-11-30,70,Green\n"

# What a box draws: its ::after content (null when none), whether its own text element is
# hidden, and that element's text.
DRAWN = """(selector) => {
  const box = document.querySelector(selector);
  const after = getComputedStyle(box, '::after').content;
  const own = box.firstElementChild;
  return {after: after === 'none' ? null : JSON.parse(after),
          hidden: getComputedStyle(own).display === 'none', text: own.textContent};
}"""
BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
LIMITS = '[data-testid="stFileUploaderDropzoneInstructions"] > div'


@pytest.mark.parametrize(("lang", "button", "limits"), [
    ("fr", "Téléverser", "50\u00a0Mo par fichier • CSV, TSV, TXT, XLSX"),
    ("en", "Upload", "50MB per file • CSV, TSV, TXT, XLSX"),
])
def test_the_uploader_is_in_the_page_language(start_server, sample_db, page, tmp_path,
                                              lang, button, limits):
    page.goto(f"{start_server(sample_db)}/upload?lang={lang}")
    wait_for_app(page)
    chooser_button = page.get_by_role("button", name=button, exact=True)
    chooser_button.wait_for(timeout=30_000)
    shown = page.evaluate(DRAWN, LIMITS)
    if lang == "en":
        assert shown == {"after": None, "hidden": False, "text": limits}
    else:
        assert shown["after"] == limits and shown["hidden"]
        assert page.evaluate(DRAWN, BUTTON)["after"] == button
    heard = page.locator('[data-testid="stFileUploader"]').aria_snapshot()  # spaces normalised
    assert f'button "{button}"' in heard and limits.replace("\u00a0", " ") in heard, heard
    assert lang == "en" or "MB per file" not in heard, heard
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    with page.expect_file_chooser() as chosen:
        chooser_button.click()
    chosen.value.set_files(str(sheet))
    page.get_by_text("sheet.csv").first.wait_for(timeout=30_000)
