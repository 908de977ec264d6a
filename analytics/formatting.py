"""Numbers, dates, column headers and schedule figures as people read them.

Why: a manager reads "Schedule efficiency 0.94 · about 18 days behind" on a card,
"Reason now" over a table column and "13 Mar 2028" in the pack, and each must be
written the same way on every page, export and slide. One formatter per concept
lives here (pages, charts, the XLSX export and the briefing pack call them); none
of them prints "-0" or a column name such as `reason_after`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.charts.palette import health_label
from analytics.i18n import N_, format_date, format_number, format_percent, translator

YES, NO = N_("Yes"), N_("No")          # a true/false cell of the pack

NONE = "—"

# Column names (metric frames, tables, exports) as headers a person reads.
COLUMN_LABELS = {
    "item_id": N_("Item"), "title": N_("Title"), "item_title": N_("Item title"), "domain": N_("Domain"),
    "lead_party": N_("Lead party"), "party": N_("Party"), "owner": N_("Owner"), "health": N_("Health"),
    "reason": N_("Reason"), "reported_status": N_("Reported status"), "milestone_id": N_("Milestone"),
    "actual_pct": N_("Actual %"), "planned_pct": N_("Planned %"), "variance_pp": N_("Variance (pp)"),
    "spi_t": N_("Schedule efficiency"), "sv_t_days": N_("Schedule variance (days)"),
    "forecast_finish": N_("Forecast finish"), "planned_finish": N_("Planned finish"),
    "planned_start": N_("Planned start"), "start_date": N_("Start"), "due_date": N_("Due"),
    "baseline_date": N_("Baseline"), "baseline_due_date": N_("Baseline due"),
    "completed_date": N_("Completed"), "last_update": N_("Last update"),
    "days_since_update": N_("Days since update"), "overdue": N_("Overdue"),
    "overdue_days": N_("Days overdue"), "days_overdue": N_("Days overdue"), "days_to_due": N_("Days to due"),
    "slip_days": N_("Slip (days)"), "stale": N_("Stale"), "weight": N_("Weight"), "items": N_("Items"),
    "milestones": N_("Milestones"), "milestones_done": N_("Milestones done"),
    "milestones_overdue": N_("Milestones overdue"), "milestones_slipped": N_("Milestones slipped"),
    "reported_by": N_("Reported by"), "note": N_("Latest comment"), "as_of": N_("As of"),
    "group": N_("Group"), "green": N_("Green"), "amber": N_("Amber"), "red": N_("Red"), "complete": N_("Complete"),
    "not_started": N_("Not started"), "health_before": N_("Health then"), "health_after": N_("Health now"),
    "reason_before": N_("Reason then"), "reason_after": N_("Reason now"),
    "actual_before": N_("Actual % then"), "actual_after": N_("Actual % now"),
    "delta_pp": N_("Change (pp)"), "reporting_compliance": N_("Reporting compliance"),
    "previous_as_of": N_("Previous report"), "previous_pct": N_("Previous %"),
    "slip_before": N_("Slip then (days)"), "slip_after": N_("Slip now (days)"),
    "percent_complete": N_("% complete"), "upload_id": N_("Upload"), "id": N_("Upload"), "file": N_("File"),
    "by": N_("Uploaded by"), "at": N_("Uploaded at"), "accepted": N_("Rows accepted"),
    "rejected": N_("Rows rejected"), "sha256": N_("SHA-256"),
    "data_current_to": N_("Data current to"), "sample": N_("Sample"),
    "forecast_slip_days": N_("Forecast slip days"), "es_days": N_("Es days"),
    "email": N_("Email"), "escalation_email": N_("Escalation email"), "language": N_("Language"),
    "field": N_("Field"), "before": N_("Before"), "after": N_("After"),
}


def missing(value) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_health_column(name: str) -> bool:
    """health, reported_status, health_before/after, status and every *_status column."""
    name = str(name)
    return name in ("health", "status", "health_before", "health_after") or name.endswith("_status")


def column_label(name: str, lang: str = "en") -> str:
    """'Reason now' for 'reason_after' ('Raison actuelle' in French); an unknown name in words
    ('days_open' -> 'Days open')."""
    name = str(name)
    if name in COLUMN_LABELS:
        return translator(lang)(COLUMN_LABELS[name])
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def readable_frame(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A copy with health codes as words ('Not started') and headers as labels ('Reason now'),
    in `lang`."""
    out = frame.copy()
    for column in [c for c in out.columns if is_health_column(c)]:
        out[column] = [None if missing(v) else health_label(v, lang) for v in out[column]]
    out.columns = [column_label(c, lang) for c in out.columns]
    return out


def _signed(value: float, digits: int, lang: str = "en") -> str:
    """'+1.5', '−2.0', '0.0' ('+1,5' in French): never '-0.0' (a value that rounds to zero has
    no sign)."""
    rounded = round(float(value), digits)
    text = f"{0:.{digits}f}" if rounded == 0 else f"{rounded:+.{digits}f}".replace("-", "−")
    return text if lang == "en" else text.replace(".", ",")


def table_number(value, digits: int, signed: bool, lang: str = "en") -> str:
    """A number cell of an interactive table: '1 204,5', '+3,0', '−2' in French (NONE when
    missing)."""
    if missing(value):
        return NONE
    return _signed(value, digits, lang) if signed else format_number(float(value), lang, digits)


def pct(value, none: str | None = NONE, lang: str = "en"):
    """'43.2%' ('43,2 %' in French)."""
    return none if missing(value) else format_percent(float(value), lang, 1)


def pp(value, none: str | None = NONE, lang: str = "en") -> str:
    """'−12.4 pp', '+3.0 pp', '0.0 pp' ('−12,4 pts de pourcentage' in French)."""
    if missing(value):
        return none
    return translator(lang)("{value} pp").format(value=_signed(value, 1, lang))


def whole_pp(value, none: str | None = NONE, lang: str = "en") -> str:
    """'−12 pp', '+3 pp', '0 pp' (a chart label beside whole percentages)."""
    if missing(value):
        return none
    return translator(lang)("{value} pp").format(value=_signed(value, 0, lang))


def ratio(value, none: str | None = NONE, lang: str = "en") -> str:
    """'0.87' ('0,87' in French)."""
    return none if missing(value) else format_number(float(value), lang, 2)


def signed_days(value, none: str | None = NONE, lang: str = "en") -> str:
    """'−23 days', '+4 days', '0 days' ('−23 jours' in French)."""
    if missing(value):
        return none
    return translator(lang)("{value} days").format(value=_signed(value, 0, lang))


def share(value, none: str | None = NONE, lang: str = "en") -> str:
    """'82%' of a 0..1 share ('82 %' in French)."""
    return none if missing(value) else format_percent(100 * float(value), lang, 0)


def count(value, none: str | None = NONE, lang: str = "en") -> str:
    """'1,204' ('1 204' in French)."""
    return none if missing(value) else format_number(int(value), lang, 0)


def iso_date(value, none: str | None = NONE) -> str:
    """'2027-03-14'."""
    if missing(value):
        return none
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def long_date(value, none: str | None = NONE, lang: str = "en") -> str:
    """'13 Mar 2028' (the pack's and the cards' reading date; '13 mars 2028' in French)."""
    if missing(value):
        return none
    return format_date(pd.Timestamp(value).date(), lang)


def cell(value, lang: str = "en") -> str:
    """A table cell as text for the pack: numbers rounded, dates as ISO, health as words."""
    if missing(value):
        return ""
    if isinstance(value, bool):
        return translator(lang)(YES if value else NO)
    if isinstance(value, float):
        return format_number(value, lang, 0 if value.is_integer() else 1)
    if isinstance(value, date | pd.Timestamp):
        return iso_date(value)
    return str(value)


# The nouns `counted` is called with, singular and plural, so the catalog has both in French.
COUNTED_NOUNS = (N_("item"), N_("items"), N_("day"), N_("days"), N_("milestone"),
                 N_("milestones"), N_("week"), N_("weeks"), N_("plan"), N_("plans"),
                 N_("more plan"), N_("more plans"), N_("new agency comment"),
                 N_("new agency comments"))


def counted(n: int, noun: str, lang: str = "en") -> str:
    """'1 item', '3 items', '0 days' ('0 jour', '3 éléments' in French, where 0 and 1 are
    singular)."""
    plural = n > 1 if lang == "fr" else n != 1
    word = noun + "s" if plural else noun
    return f"{n} {translator(lang)(word)}"


def days_phrase(days: float, lang: str = "en") -> str:
    """'about 18 days', 'about 1 day' ('environ 18 jours')."""
    n = int(abs(round(days)))
    return translator(lang)("about {days}").format(days=counted(n, "day", lang))


def schedule_status(sv_t_days, lang: str = "en") -> str:
    """'about 18 days behind', 'about 3 days ahead', 'on schedule' (SV(t) in words)."""
    _ = translator(lang)
    if missing(sv_t_days):
        return _("no schedule measure yet")
    if round(float(sv_t_days)) == 0:
        return _("on schedule")
    template = _("{days} behind") if sv_t_days < 0 else _("{days} ahead")
    return template.format(days=days_phrase(sv_t_days, lang))


def forecast_phrase(forecast_finish, planned_finish, lang: str = "en") -> str:
    """'forecast finish 13 Mar 2028, 48 days after plan' (or 'on the planned date')."""
    _ = translator(lang)
    if missing(forecast_finish):
        return _("no forecast finish yet")
    text = _("forecast finish {date}").format(date=long_date(forecast_finish, lang=lang))
    if missing(planned_finish):
        return text
    late = (pd.Timestamp(forecast_finish) - pd.Timestamp(planned_finish)).days
    if late == 0:
        return _("{forecast}, on the planned date").format(forecast=text)
    days = counted(abs(late), "day", lang)
    template = _("{forecast}, {days} after plan") if late > 0 else _("{forecast}, {days} before plan")
    return template.format(forecast=text, days=days)


def first_upper(text: str) -> str:
    """'About 18 days behind; ... 13 Mar 2028' ('capitalize' would lower 'Mar')."""
    return text[:1].upper() + text[1:]


def schedule_sentence(figures: dict, lang: str = "en") -> str:
    """'about 18 days behind; forecast finish 13 Mar 2028, 48 days after plan'."""
    return (schedule_status(figures.get("sv_t_days"), lang) + translator(lang)("; ")
            + forecast_phrase(figures.get("forecast_finish"), figures.get("planned_finish"), lang))
