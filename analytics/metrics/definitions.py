"""The Metric definitions page in two parts: a manager's summary, then the rules in full.

Why: a manager reads the summary in a minute; the formulas and setting names are for
whoever checks a figure. Both are sections of analytics/METRICS.md ("In brief" and
"In full"), written once and side by side, so the summary cannot change without the
rules it summarises in view. The French translation, analytics/METRICS.fr.md, has the
same sections under its own headings (HEADINGS, the one place that knows them); a
language without a translation reads the English. The summary quotes the default
thresholds; `changed_thresholds` names the ones this installation sets otherwise, in the
reader's language (the settings' help, marked `N_` in analytics/settings.py). Called by
pages/definitions.py.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from analytics.i18n import N_, format_number, translator
from analytics.metrics import metric_definitions_markdown
from analytics.settings import Settings


@dataclass(frozen=True)
class Headings:
    brief: str  # the heading the summary starts under
    full: str   # the heading the rules in full start under


# The two section headings of METRICS.md in each language it is written in.
HEADINGS = {"en": Headings("## In brief", "## In full"),
            "fr": Headings("## En bref", "## En détail")}
# The settings the summary quotes by value (at their defaults).
THRESHOLDS = ("red_variance_pp", "amber_variance_pp", "red_spi", "amber_spi", "red_share",
              "stale_days", "compliance_window_days")
# A changed threshold: its setting's help (`rule`), then this installation's value.
CHANGED = N_("{rule} Here {value}, not {default}.")


@dataclass(frozen=True)
class Definitions:
    title: str  # "Metric definitions"
    brief: str  # the plain-words summary (markdown)
    full: str   # every rule, formula and setting name (markdown)


def definitions(lang: str = "en") -> Definitions:
    """METRICS.md in `lang` (English when it has no translation), split into its title, its
    "In brief" section and its "In full" rest."""
    source = lang if lang in HEADINGS else "en"
    try:
        markdown = metric_definitions_markdown(source)
    except FileNotFoundError:  # a translation missing from the installed package
        source, markdown = "en", metric_definitions_markdown()
    return split_definitions(markdown, HEADINGS[source])


def split_definitions(markdown: str, headings: Headings) -> Definitions:
    """`markdown` cut at its two section headings; ValueError names the ones missing."""
    head, brief_found, rest = markdown.partition(f"\n{headings.brief}\n")
    brief, full_found, full = rest.partition(f"\n{headings.full}\n")
    if not (brief_found and full_found):
        raise ValueError(f"METRICS.md needs a '{headings.brief}' section followed "
                         f"by '{headings.full}'")
    return Definitions(head.strip().removeprefix("# "), brief.strip(), full.strip())


def changed_thresholds(settings: Settings, lang: str = "en") -> list[str]:
    """One sentence per quoted threshold set away from its default ([] at the defaults): the
    setting's help, then its value and default, in `lang`."""
    _ = translator(lang)
    defaults = Settings()
    return [_(CHANGED).format(rule=_(f.metadata["help"]),
                              value=threshold_text(getattr(settings, f.name), lang),
                              default=threshold_text(getattr(defaults, f.name), lang))
            for f in fields(Settings)
            if f.name in THRESHOLDS and getattr(settings, f.name) != getattr(defaults, f.name)]


def threshold_text(value: float, lang: str = "en") -> str:
    """A threshold with the decimals `:g` would show: '0.85', '-20', '45' ('0,85' in French)."""
    return format_number(value, lang, len(f"{value:g}".partition(".")[2]))
