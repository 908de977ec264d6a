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

NONE = "—"

# Column names (metric frames, tables, exports) as headers a person reads.
COLUMN_LABELS = {
    "item_id": "Item", "title": "Title", "item_title": "Item title", "domain": "Domain",
    "lead_party": "Lead party", "party": "Party", "owner": "Owner", "health": "Health",
    "reason": "Reason", "reported_status": "Reported status", "milestone_id": "Milestone",
    "actual_pct": "Actual %", "planned_pct": "Planned %", "variance_pp": "Variance (pp)",
    "spi_t": "Schedule efficiency", "sv_t_days": "Schedule variance (days)",
    "forecast_finish": "Forecast finish", "planned_finish": "Planned finish",
    "planned_start": "Planned start", "start_date": "Start", "due_date": "Due",
    "baseline_date": "Baseline", "baseline_due_date": "Baseline due",
    "completed_date": "Completed", "last_update": "Last update",
    "days_since_update": "Days since update", "overdue": "Overdue",
    "overdue_days": "Days overdue", "days_overdue": "Days overdue", "days_to_due": "Days to due",
    "slip_days": "Slip (days)", "stale": "Stale", "weight": "Weight", "items": "Items",
    "milestones": "Milestones", "milestones_done": "Milestones done",
    "milestones_overdue": "Milestones overdue", "milestones_slipped": "Milestones slipped",
    "reported_by": "Reported by", "note": "Latest comment", "as_of": "As of",
    "group": "Group", "green": "Green", "amber": "Amber", "red": "Red", "complete": "Complete",
    "not_started": "Not started", "health_before": "Health then", "health_after": "Health now",
    "reason_before": "Reason then", "reason_after": "Reason now",
    "actual_before": "Actual % then", "actual_after": "Actual % now",
    "delta_pp": "Change (pp)", "reporting_compliance": "Reporting compliance",
    "previous_as_of": "Previous report", "previous_pct": "Previous %",
    "slip_before": "Slip then (days)", "slip_after": "Slip now (days)",
    "percent_complete": "% complete", "upload_id": "Upload", "id": "Upload", "file": "File",
    "by": "Uploaded by", "at": "Uploaded at", "accepted": "Rows accepted",
    "rejected": "Rows rejected", "sha256": "SHA-256",
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


def column_label(name: str) -> str:
    """'Reason now' for 'reason_after'; an unknown name in words ('days_open' -> 'Days open')."""
    name = str(name)
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def readable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with health codes as words ('Not started') and headers as labels ('Reason now')."""
    out = frame.copy()
    for column in [c for c in out.columns if is_health_column(c)]:
        out[column] = [None if missing(v) else health_label(v) for v in out[column]]
    out.columns = [column_label(c) for c in out.columns]
    return out


def _signed(value: float, digits: int) -> str:
    """'+1.5', '−2.0', '0.0': never '-0.0' (a value that rounds to zero has no sign)."""
    rounded = round(float(value), digits)
    if rounded == 0:
        return f"{0:.{digits}f}"
    return f"{rounded:+.{digits}f}".replace("-", "−")


def pct(value, none: str | None = NONE):
    """'43.2%'."""
    return none if missing(value) else f"{float(value):.1f}%"


def pp(value, none: str | None = NONE) -> str:
    """'−12.4 pp', '+3.0 pp', '0.0 pp'."""
    return none if missing(value) else f"{_signed(value, 1)} pp"


def whole_pp(value, none: str | None = NONE) -> str:
    """'−12 pp', '+3 pp', '0 pp' (a chart label beside whole percentages)."""
    return none if missing(value) else f"{_signed(value, 0)} pp"


def ratio(value, none: str | None = NONE) -> str:
    """'0.87'."""
    return none if missing(value) else f"{float(value):.2f}"


def signed_days(value, none: str | None = NONE) -> str:
    """'−23 days', '+4 days', '0 days'."""
    return none if missing(value) else f"{_signed(value, 0)} days"


def share(value, none: str | None = NONE) -> str:
    """'82%' of a 0..1 share."""
    return none if missing(value) else f"{100 * float(value):.0f}%"


def count(value, none: str | None = NONE) -> str:
    """'1,204'."""
    return none if missing(value) else f"{int(value):,}"


def iso_date(value, none: str | None = NONE) -> str:
    """'2027-03-14'."""
    if missing(value):
        return none
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def long_date(value, none: str | None = NONE) -> str:
    """'13 Mar 2028' (the pack's and the cards' reading date)."""
    if missing(value):
        return none
    day = pd.Timestamp(value).date()
    return f"{day.day} {day:%b %Y}"


def cell(value) -> str:
    """A table cell as text for the pack: numbers rounded, dates as ISO, health as words."""
    if missing(value):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, date | pd.Timestamp):
        return iso_date(value)
    return str(value)


def counted(n: int, noun: str) -> str:
    """'1 item', '3 items', '0 days'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def days_phrase(days: float) -> str:
    """'about 18 days', 'about 1 day'."""
    n = int(abs(round(days)))
    return f"about {counted(n, 'day')}"


def schedule_status(sv_t_days) -> str:
    """'about 18 days behind', 'about 3 days ahead', 'on schedule' (SV(t) in words)."""
    if missing(sv_t_days):
        return "no schedule measure yet"
    if round(float(sv_t_days)) == 0:
        return "on schedule"
    return f"{days_phrase(sv_t_days)} {'behind' if sv_t_days < 0 else 'ahead'}"


def forecast_phrase(forecast_finish, planned_finish) -> str:
    """'forecast finish 13 Mar 2028, 48 days after plan' (or 'on the planned date')."""
    if missing(forecast_finish):
        return "no forecast finish yet"
    text = f"forecast finish {long_date(forecast_finish)}"
    if missing(planned_finish):
        return text
    late = (pd.Timestamp(forecast_finish) - pd.Timestamp(planned_finish)).days
    if late == 0:
        return f"{text}, on the planned date"
    n = abs(late)
    return f"{text}, {counted(n, 'day')} {'after' if late > 0 else 'before'} plan"


def first_upper(text: str) -> str:
    """'About 18 days behind; ... 13 Mar 2028' ('capitalize' would lower 'Mar')."""
    return text[:1].upper() + text[1:]


def schedule_sentence(figures: dict) -> str:
    """'about 18 days behind; forecast finish 13 Mar 2028, 48 days after plan'."""
    return (f"{schedule_status(figures.get('sv_t_days'))}; "
            f"{forecast_phrase(figures.get('forecast_finish'), figures.get('planned_finish'))}")
