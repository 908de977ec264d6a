"""Health ratings of groups with their reasons, and how green a reported status is.

Why: a verdict is only trusted with its reason ("amber: schedule efficiency 0.91
(forecast 2027-05-14, 48 days late); 2 red items (CYP-03, CYP-04)"), and a
headline must never say green while the schedule or the red items say otherwise.
Item health is computed in SQL (analytics/sql/metrics_items.sql, where the item
rules and reasons live); this module rates a group (a domain, a lead party, an
owner, the whole plan) by the group rule of analytics/METRICS.md from its
progress, its schedule efficiency SPI(t) and its red items, lists the palette
order, and ranks statuses for "reported greener than computed".
Called by `groups` (every group row), `parties` and the dashboard (HEALTH_ORDER).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from analytics.i18n import (
    N_,
    NBSP,
    format_date,
    format_number,
    read_back,
    template_patterns,
    translator,
)
from analytics.settings import Settings

HEALTH_ORDER = ["red", "amber", "green", "complete", "not_started"]

# How good a status sounds: lower is greener. A report of "not started" sounds as good as
# "green" (nothing is claimed to be wrong); "complete" is the greenest claim.
GREENNESS = {"complete": 0, "green": 1, "not_started": 1, "amber": 2, "red": 3}
LISTED_ITEMS = 5       # red items named in a reason before "and N more"


def pp_text(behind: float) -> str:
    """'17' for 17.0, '21.6' for 21.64 (pp figures in reasons)."""
    rounded = round(behind, 1)
    return f"{rounded:.0f}" if rounded == round(rounded) else f"{rounded:.1f}"


@dataclass(frozen=True)
class GroupFigures:
    """What the group rule reads of one group (NaN / None where a figure is undefined)."""

    actual_pct: float
    variance_pp: float
    spi_t: float
    before_start: bool
    planned_start: date | None
    planned_finish: date | None
    forecast_finish: date | None
    red_share: float                    # weight of red items / total weight; NaN at weight 0
    red_items: tuple[str, ...]          # the group's red items, furthest behind plan first


def group_health(groups: pd.DataFrame, settings: Settings) -> pd.Series:
    """complete / not_started / red / amber / green per group row (None: undefined).

    `groups` has the GroupFigures columns; the first rule that matches wins (METRICS.md).
    """
    actual = _floats(groups["actual_pct"])
    variance = _floats(groups["variance_pp"])
    spi = _floats(groups["spi_t"])
    share = _floats(groups["red_share"])
    any_red = groups["red_items"].map(len).to_numpy() > 0
    with np.errstate(invalid="ignore"):
        red = ((variance <= settings.red_variance_pp) | (spi < settings.red_spi)
               | (share >= settings.red_share))
        amber = ((variance <= settings.amber_variance_pp) | (spi < settings.amber_spi) | any_red)
    weighted = ~np.isnan(actual)
    choices = np.select(
        [actual >= 100, groups["before_start"].to_numpy(bool), weighted & red, amber, weighted],
        ["complete", "not_started", "red", "amber", "green"], default="")
    return pd.Series(np.where(choices == "", None, choices), index=groups.index, dtype=object)


def group_reasons(groups: pd.DataFrame, health: pd.Series, settings: Settings) -> pd.Series:
    """The reason of each group's health: every condition that holds at that level, in the
    order of the rule, in plain words; a green group gets its nearest miss or 'on plan'."""
    reasons = [group_reason(GroupFigures(**row), rating, settings)
               for row, rating in zip(groups[list(GroupFigures.__dataclass_fields__)]
                                      .to_dict("records"), health, strict=True)]
    return pd.Series(reasons, index=groups.index, dtype=object)


def group_reason(g: GroupFigures, health: str | None, settings: Settings) -> str:
    """'amber: schedule efficiency 0.91 (forecast 2027-05-14, 48 days late); 2 red items (...)'."""
    if health == "complete":
        return "complete: every weighted item is complete"
    if health == "not_started":
        return f"not_started: starts on {g.planned_start.isoformat()}"
    if health in ("red", "amber"):
        return f"{health}: " + "; ".join(_conditions(g, health, settings))
    if health == "green":
        return f"green: {_nearest_miss(g, settings)}"
    return "no weighted items: figures undefined"


def _conditions(g: GroupFigures, level: str, settings: Settings) -> list[str]:
    """The conditions of `level` (red or amber) that hold for the group, in rule order."""
    if level == "red":
        variance_limit, spi_limit = settings.red_variance_pp, settings.red_spi
    else:
        variance_limit, spi_limit = settings.amber_variance_pp, settings.amber_spi
    held = []
    if _defined(g.variance_pp) and g.variance_pp <= variance_limit:
        held.append(f"{pp_text(-g.variance_pp)} pp behind plan")
    if _defined(g.spi_t) and g.spi_t < spi_limit:
        held.append(schedule_text(g))
    if level == "red" and _defined(g.red_share) and g.red_share >= settings.red_share:
        held.append(f"red items carry {g.red_share:.0%} of the weight ({item_list(g.red_items)})")
    if level == "amber" and g.red_items:
        held.append(f"{len(g.red_items)} red item{'s' if len(g.red_items) != 1 else ''}"
                    f" ({item_list(g.red_items)})")
    return held


def schedule_text(g: GroupFigures) -> str:
    """'schedule efficiency 0.91 (forecast 2027-05-14, 48 days late)'."""
    text = f"schedule efficiency {g.spi_t:.2f}"
    if g.forecast_finish is None or g.planned_finish is None:
        return text + " (no forecast: nothing earned yet)"
    late = (g.forecast_finish - g.planned_finish).days
    timing = (f"{late} day{'s' if late != 1 else ''} late" if late > 0
              else f"{-late} day{'s' if late != -1 else ''} early" if late < 0 else "on time")
    return f"{text} (forecast {g.forecast_finish.isoformat()}, {timing})"


def _nearest_miss(g: GroupFigures, settings: Settings) -> str:
    """The figure closest to its amber threshold, as a share of the way there; 'on plan'
    when nothing is behind (no negative variance, SPI(t) 1 or more)."""
    misses = []
    if _defined(g.variance_pp) and g.variance_pp < 0 and settings.amber_variance_pp < 0:
        misses.append((g.variance_pp / settings.amber_variance_pp,
                       f"{pp_text(-g.variance_pp)} pp behind plan, within the amber threshold of "
                       f"{pp_text(-settings.amber_variance_pp)} pp"))
    if _defined(g.spi_t) and g.spi_t < 1 and settings.amber_spi < 1:
        misses.append(((1 - g.spi_t) / (1 - settings.amber_spi),
                       f"{schedule_text(g)}, above the amber threshold of "
                       f"{settings.amber_spi:.2f}"))
    if not misses:
        return "on plan"
    return max(misses, key=lambda miss: miss[0])[1]


def item_list(items: tuple[str, ...], limit: int = LISTED_ITEMS, lang: str = "en") -> str:
    """'CYP-03, CYP-04' (at most `limit`, then 'and N more'; 'et N autres' in French)."""
    shown = ", ".join(items[:limit])
    more = len(items) - limit
    if more <= 0:
        return shown
    template = N_("{items} and 1 more") if more == 1 else N_("{items} and {n} more")
    return translator(lang)(template).format(items=shown, n=more)


def _defined(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _floats(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy("float64", na_value=np.nan)


def reason_words(reason: str | None) -> str:
    """The reason without its leading 'amber: ' (or French 'jaune : '), for text that shows the
    health beside it."""
    text = str(reason or "")
    head, sep, rest = text.partition(": ")
    if sep and head.rstrip(NBSP) in HEALTH_ORDER + list(_french_heads()):
        return rest
    return text


# The health word that opens a reason ('amber: ...'), in the reader's language.
REASON_HEADS = {"red": N_("red"), "amber": N_("amber"), "green": N_("green"),
                "complete": N_("complete"), "not_started": N_("not started"),
                "no weighted items": N_("no weighted items")}

# The reason of a plan with no work items (analytics.metrics.portfolio's empty row).
NO_ITEMS = N_("no work items yet")

# Every part of a reason that the SQL item rule (metrics_items.sql), the group rule above and
# the portfolio's empty row write, as an English template; the French is the catalog's entry
# for the template. The English text is parsed back into its figures by these templates (one
# regular expression each, built from the template), so a reason stored or computed in
# English is shown in French with French numbers and dates.
REASON_PARTS = (
    N_("reported 100% complete"),
    N_("starts on {date}"),
    N_("overdue by {n} day"),
    N_("overdue by {n} days"),
    N_("{pp} pp behind plan"),
    N_("{pp} pp behind plan, within the amber threshold of {pp2} pp"),
    N_("no update yet"),
    N_("no update for {n} days"),
    N_("every weighted item is complete"),
    N_("figures undefined"),
    N_("on plan"),
    N_("schedule efficiency {spi} (no forecast: nothing earned yet)"),
    N_("schedule efficiency {spi} (forecast {date}, {n} day late)"),
    N_("schedule efficiency {spi} (forecast {date}, {n} days late)"),
    N_("schedule efficiency {spi} (forecast {date}, {n} day early)"),
    N_("schedule efficiency {spi} (forecast {date}, {n} days early)"),
    N_("schedule efficiency {spi} (forecast {date}, on time)"),
    N_("{schedule}, above the amber threshold of {spi2}"),
    N_("red items carry {share} of the weight ({items})"),
    N_("{n} red item ({items})"),
    N_("{n} red items ({items})"),
    NO_ITEMS,
)
_FIELD = {"date": r"\d{4}-\d{2}-\d{2}", "n": r"\d+", "pp": r"[0-9.]+", "pp2": r"[0-9.]+",
          "spi": r"[0-9.]+", "spi2": r"[0-9.]+", "share": r"\d+%", "items": r".+",
          "schedule": r".+"}


@cache
def _part_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return template_patterns(REASON_PARTS, _FIELD)


@cache
def _french_heads() -> tuple[str, ...]:
    _ = translator("fr")
    return tuple(_(REASON_HEADS[rating]) for rating in HEALTH_ORDER)


def reason_in(reason: str | None, lang: str) -> str | None:
    """The reason in `lang`: 'red: overdue by 20 days; 40 pp behind plan' ->
    'rouge : en retard de 20 jours ; 40 pts de pourcentage derrière le plan' (unchanged in
    English, and any part no template knows stays as it is)."""
    if lang == "en" or not reason:
        return reason
    _ = translator(lang)
    head, sep, rest = str(reason).partition(": ")
    if not sep or head not in REASON_HEADS:
        return _part_in(str(reason), lang)
    parts = [_part_in(part, lang) for part in rest.split("; ")] if rest else []
    return _("{health}: {why}").format(health=_(REASON_HEADS[head]), why=_("; ").join(parts))


def reasons_in(reasons: pd.Series, lang: str) -> pd.Series:
    """Every reason of a column in `lang` (the column itself in English)."""
    return reasons if lang == "en" else reasons.map(lambda r: reason_in(r, lang))


def _part_in(part: str, lang: str) -> str:
    said = read_back(part, lang, _part_patterns(), _value_in)
    return part if said is None else said


def _value_in(key: str, value: str, lang: str) -> str:
    """A figure of a reason written for `lang` ('21.6' -> '21,6', a date in words)."""
    _ = translator(lang)
    if key == "date":
        return format_date(date.fromisoformat(value), lang)
    if key in ("pp", "pp2", "spi", "spi2"):
        digits = len(value.partition(".")[2])
        return format_number(float(value), lang, digits)
    if key == "share":
        return f"{value[:-1]}{NBSP}%" if lang == "fr" else value
    if key == "items":
        shown, sep, more = value.rpartition(" and ")
        if sep and more == "1 more":
            return _("{items} and 1 more").format(items=shown)
        if sep and more.endswith(" more"):
            return _("{items} and {n} more").format(items=shown, n=more[:-5])
        return value
    if key == "schedule":
        return _part_in(value, lang)
    return value


def greener(reported: pd.Series, computed: pd.Series) -> pd.Series:
    """True where the reported status sounds better than the computed health."""
    rank_reported = reported.map(GREENNESS)
    rank_computed = computed.map(GREENNESS)
    return (rank_reported < rank_computed).fillna(False).astype(bool)
