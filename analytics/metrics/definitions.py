"""The Metric definitions page in two parts: a manager's summary, then the rules in full.

Why: a manager reads the summary in a minute; the formulas and setting names are for
whoever checks a figure. Both are sections of analytics/METRICS.md ("In brief" and
"In full"), written once and side by side, so the summary cannot change without the
rules it summarises in view. The summary quotes the default thresholds;
`changed_thresholds` names the ones this installation sets otherwise. Called by
pages/definitions.py.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from analytics.metrics import metric_definitions_markdown
from analytics.settings import Settings

BRIEF_HEADING = "## In brief"
FULL_HEADING = "## In full"
# The settings the summary quotes by value (at their defaults).
THRESHOLDS = ("red_variance_pp", "amber_variance_pp", "red_spi", "amber_spi", "red_share",
              "stale_days", "compliance_window_days")


@dataclass(frozen=True)
class Definitions:
    title: str  # "Metric definitions"
    brief: str  # the plain-words summary (markdown)
    full: str   # every rule, formula and setting name (markdown)


def definitions() -> Definitions:
    """METRICS.md split into its title, its "In brief" section and its "In full" rest."""
    head, brief_found, rest = metric_definitions_markdown().partition(f"\n{BRIEF_HEADING}\n")
    brief, full_found, full = rest.partition(f"\n{FULL_HEADING}\n")
    if not (brief_found and full_found):
        raise ValueError(f"analytics/METRICS.md needs a '{BRIEF_HEADING}' section followed "
                         f"by '{FULL_HEADING}'")
    return Definitions(head.strip().removeprefix("# "), brief.strip(), full.strip())


def changed_thresholds(settings: Settings) -> list[str]:
    """One sentence per quoted threshold set away from its default ([] at the defaults)."""
    defaults = Settings()
    return [f"{f.metadata['help']} Here {getattr(settings, f.name):g}, "
            f"not {getattr(defaults, f.name):g}."
            for f in fields(Settings)
            if f.name in THRESHOLDS and getattr(settings, f.name) != getattr(defaults, f.name)]
