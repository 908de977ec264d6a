"""analytics/METRICS.fr.md against METRICS.md: the drift check of the French definitions.

Why: the French page must say what the English one says. A translation is checked by
people; what a test can check is that nothing the reader recomputes from was lost or
changed: the same headings at the same levels, the same code spans and code blocks,
the same numbers (a French decimal comma counting as the point), the same setting names.
Changing METRICS.md without its translation fails here.
"""

from __future__ import annotations

import re

import pytest

from analytics.i18n import format_number
from analytics.metrics import definitions as module
from analytics.metrics import metric_definitions_markdown
from analytics.metrics.definitions import HEADINGS, definitions
from analytics.settings import Settings

FENCE = re.compile(r"```.*?```", re.S)
CODE_SPAN = re.compile(r"`[^`\n]+`")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
FRENCH_SPACE = re.compile("\u00a0[:;!?%»]|«\u00a0")


def english() -> str:
    return metric_definitions_markdown()


def french() -> str:
    return metric_definitions_markdown("fr")


def heading_levels(markdown: str) -> list[str]:
    """The '#' marks of every heading, in order (the sections, whatever their words)."""
    return re.findall(r"^(#+) ", FENCE.sub("", markdown), flags=re.M)


def code_spans(markdown: str) -> list[str]:
    """Every inline code span outside the code blocks, in order."""
    return CODE_SPAN.findall(FENCE.sub("", markdown))


def numbers(markdown: str) -> set[str]:
    """Every number written in the text, a decimal comma read as a point."""
    return {n.replace(",", ".") for n in NUMBER.findall(markdown)}


def test_the_french_file_has_the_same_sections():
    assert heading_levels(french()) == heading_levels(english())
    assert french().count("\n|") == english().count("\n|")  # the same table rows


def test_the_french_file_keeps_every_code_span_and_code_block():
    assert sorted(set(code_spans(french()))) == sorted(set(code_spans(english())))
    assert FENCE.findall(french()) == FENCE.findall(english())


def test_the_french_file_has_the_same_numbers_and_setting_names():
    assert numbers(french()) == numbers(english())
    assert set(re.findall(r"WORKPLAN_\w+", french())) == set(re.findall(r"WORKPLAN_\w+",
                                                                         english()))


def test_the_french_page_splits_at_its_own_headings():
    text, whole = definitions("fr"), french()
    assert text.title == "Définitions des indicateurs"
    assert whole.index(text.brief) < whole.index(text.full)
    assert whole.strip().endswith(text.full)
    assert "WORKPLAN_RED_SPI" in text.full and "Exemple détaillé" in text.full
    for headings in HEADINGS.values():
        assert headings.brief not in text.brief and headings.full not in text.brief


def test_the_french_summary_is_plain_words_with_french_numbers():
    defaults, brief = Settings(), " ".join(definitions("fr").brief.split())
    assert "WORKPLAN_" not in brief and "`" not in brief
    for formula in ("Σ", "×", "=", "<", ">", "/", "spi_t", "sv_t", "actual_pct"):
        assert formula not in brief, formula
    assert len(brief) < 3_300 and len(definitions("fr").brief.splitlines()) <= 40
    assert f"{-defaults.red_variance_pp:g} pts de % ou plus" in brief
    assert f"{-defaults.amber_variance_pp:g} pts de % ou plus" in brief
    for spi in (defaults.red_spi, defaults.amber_spi):
        assert f"inférieur à {format_number(spi, 'fr', 2)}" in brief
    assert f"depuis {defaults.stale_days} jours" in brief
    assert f"des {defaults.compliance_window_days} derniers jours" in brief


def test_french_punctuation_takes_a_non_breaking_space():
    prose = CODE_SPAN.sub("", FENCE.sub("", french()))
    assert FRENCH_SPACE.search(prose)
    assert not re.search(r"(?<=\S) [:;!?»]|« ", prose)


@pytest.mark.parametrize("lang", ["de", "xx"])
def test_a_language_without_a_translation_reads_the_english(lang):
    assert definitions(lang) == definitions()


def test_a_missing_french_file_falls_back_to_english(monkeypatch):
    def only_english(lang: str = "en") -> str:
        if lang != "en":
            raise FileNotFoundError(f"METRICS.{lang}.md")
        return english()

    monkeypatch.setattr(module, "metric_definitions_markdown", only_english)
    assert definitions("fr") == definitions("en")
