"""Text alternatives of every chart: a summary sentence and the chart's data as a table.

Why: a screen-reader user cannot read a Plotly figure (WCAG 2.1 AA, 1.1.1 non-text content;
issue 18), and a sighted user sometimes wants the numbers behind a bar. Each chart of
`analytics.charts` gets here a `*_summary` (one sentence: what the chart says) and a
`*_table` (its data with readable headers), computed from the very frame the figure is drawn
from. Pages show them under the chart (`pages._charts.show_chart`); the PDF pack uses the
summary as each chart image's alternative text (`chart_alternative`, through the same data
loaders the registry's `build_*` functions use).

Words are English for now; they take the view (`ctx`) so the language can follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics.charts import freshness, milestones, progress
from analytics.charts.palette import HEALTH_LABELS, HEALTH_ORDER
from analytics.context import ViewContext
from analytics.formatting import counted, long_date, missing, pct, ratio, readable_frame, share
from analytics.store import Store


@dataclass(frozen=True)
class ChartAlternative:
    """What a screen reader gets for one chart: the sentence and the data table."""

    summary: str
    table: pd.DataFrame


def _lead(title: str, ctx: ViewContext) -> str:
    """'Progress by domain as of 24 Nov 2026' (the start of every summary)."""
    return f"{title} as of {long_date(ctx.as_of)}"


def _part_of(part: int, total: int, noun: str) -> str:
    """'2 of 6 domains are', '1 of 6 domains is', '0 of 1 domain is'."""
    verb = "is" if part == 1 or total == 1 else "are"
    return f"{part} of {counted(total, noun)} {verb}"


def _rounded(frame: pd.DataFrame, columns: list[str], digits: int = 1) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = [None if missing(v) else round(float(v), digits) for v in out[column]]
    return out


# -- progress by domain ------------------------------------------------------------------

def progress_by_domain_summary(groups: pd.DataFrame, ctx: ViewContext) -> str:
    """'Progress by domain as of 24 Nov 2026: Fraud is furthest behind plan (40% done against
    62% planned); 2 of 6 domains are on plan.'"""
    lead = _lead(progress.PROGRESS_TITLE, ctx)
    if groups.empty:
        return f"{lead}: no items in this view."
    variance = groups["variance_pp"].astype("Float64").fillna(0).round(0)
    on_plan = int((variance >= 0).sum())
    tally = f"{_part_of(on_plan, len(groups), 'domain')} on plan"
    if on_plan == len(groups):
        return f"{lead}: {tally}."
    worst = groups.loc[variance.idxmin()]
    return (f"{lead}: {worst['group']} is furthest behind plan ({_whole(worst['actual_pct'])} "
            f"done against {_whole(worst['planned_pct'])} planned); {tally}.")


def _whole(value) -> str:
    return "—" if missing(value) else f"{float(value):.0f}%"


def progress_by_domain_table(groups: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Domain, planned and actual %, variance, health and reason, as the bars show them."""
    columns = ["group", "planned_pct", "actual_pct", "variance_pp", "health", "reason"]
    frame = _rounded(groups.reindex(columns=columns), ["planned_pct", "actual_pct", "variance_pp"])
    return readable_frame(frame.rename(columns={"group": "domain"}))


# -- health mix by domain ----------------------------------------------------------------

def health_by_domain_summary(groups: pd.DataFrame, ctx: ViewContext) -> str:
    """'Health mix by domain as of ...: 56 items: 6 red, 10 amber, ...; Fraud has the most red
    items (3).'"""
    lead = _lead(progress.HEALTH_TITLE, ctx)
    if groups.empty:
        return f"{lead}: no items in this view."
    totals = {status: int(groups[status].fillna(0).sum()) for status in HEALTH_ORDER}
    mix = ", ".join(f"{n} {HEALTH_LABELS[s].lower()}" for s, n in totals.items())
    text = f"{lead}: {counted(sum(totals.values()), 'item')}: {mix}"
    if totals["red"]:
        worst = groups.loc[groups["red"].fillna(0).astype(int).idxmax()]
        text += f"; {worst['group']} has the most red items ({int(worst['red'])})"
    return text + "."


def health_by_domain_table(groups: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Domain, its own health, then its items counted by health."""
    frame = groups.reindex(columns=["group", "health", *HEALTH_ORDER])
    return readable_frame(frame.rename(columns={"group": "domain"}))


# -- burn-up and SPI(t) ------------------------------------------------------------------

def burn_up_summary(weeks: pd.DataFrame, ctx: ViewContext, *,
                    title: str = progress.BURN_UP_TITLE) -> str:
    """'Burn-up ... as of ...: in the week ending 1 Nov 2026, 63.0% done against 70.2% planned.'"""
    lead = _lead(title, ctx)
    if weeks.empty:
        return f"{lead}: no progress recorded up to this date."
    last = weeks.sort_values("week_end").iloc[-1]
    return (f"{lead}: in the week ending {long_date(last['week_end'])}, {pct(last['actual_pct'])} "
            f"done against {pct(last['planned_pct'])} planned, over "
            f"{counted(len(weeks), 'week')}.")


def burn_up_table(weeks: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Week ending, planned and actual % complete, week by week."""
    frame = weeks.sort_values("week_end").reindex(columns=["week_end", "planned_pct", "actual_pct"])
    frame = _rounded(frame, ["planned_pct", "actual_pct"]).rename(columns={"week_end": "week_ending"})
    return readable_frame(frame.reset_index(drop=True))


def spi_trend_summary(weeks: pd.DataFrame, ctx: ViewContext, *,
                      title: str = progress.SPI_TITLE) -> str:
    """'Schedule performance ... as of ...: SPI(t) 0.91 in the week ending ... (below 1.0:
    behind schedule); lowest 0.54, highest 1.02.'"""
    lead = _lead(title, ctx)
    known = weeks.sort_values("week_end").dropna(subset=["spi_t"]) if not weeks.empty else weeks
    if known.empty:
        return f"{lead}: no schedule performance to show up to this date."
    last = known.iloc[-1]
    value = float(last["spi_t"])
    state = "on schedule" if round(value, 2) == 1 else (
        "below 1.0: behind schedule" if value < 1 else "above 1.0: ahead of schedule")
    return (f"{lead}: SPI(t) {ratio(value)} in the week ending {long_date(last['week_end'])} "
            f"({state}); lowest {ratio(known['spi_t'].min())}, highest {ratio(known['spi_t'].max())}.")


def spi_trend_table(weeks: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Week ending and SPI(t), week by week."""
    frame = weeks.sort_values("week_end").reindex(columns=["week_end", "spi_t"])
    frame = _rounded(frame, ["spi_t"], 2).rename(columns={"week_end": "week_ending"})
    return readable_frame(frame.reset_index(drop=True))


# -- milestones --------------------------------------------------------------------------

def _timeline_shown(frame: pd.DataFrame, include_done: bool) -> pd.DataFrame:
    """The milestones the timeline draws: open ones, or all with `include_done`."""
    if include_done or frame.empty:
        return frame
    return frame[~frame["done"].fillna(False).astype(bool)]


def milestone_timeline_summary(frame: pd.DataFrame, items: pd.DataFrame, ctx: ViewContext, *,
                               include_done: bool = False) -> str:
    """'Milestone timeline ... as of ...: 30 open milestones on 20 items: 4 overdue, 12 slipped
    from their baseline.'"""
    lead = _lead(milestones.TIMELINE_TITLE, ctx)
    shown = _timeline_shown(frame, include_done)
    if shown.empty:
        return f"{lead}: no {'' if include_done else 'open '}milestones in this view."
    states = [milestones.milestone_state(row) for row in shown.itertuples()]
    kind = "milestones" if include_done else "open milestones"
    text = (f"{lead}: {len(shown)} {kind} on {counted(shown['item_id'].nunique(), 'item')}: "
            f"{states.count('overdue')} overdue, {states.count('slipped')} slipped from their "
            "baseline")
    if include_done:
        text += f", {states.count('done')} done"
    return text + "."


MILESTONE_STATE_WORDS = {"done": "Done", "overdue": "Overdue", "slipped": "Slipped",
                         "on_track": "On baseline"}


def milestone_timeline_table(frame: pd.DataFrame, items: pd.DataFrame, ctx: ViewContext, *,
                             include_done: bool = False) -> pd.DataFrame:
    """Each drawn milestone: its item, due and baseline dates, slip and state."""
    shown = _timeline_shown(frame, include_done)
    table = shown.reindex(columns=["milestone_id", "title", "item_id", "due_date",
                                   "baseline_date", "slip_days"])
    table["state"] = [MILESTONE_STATE_WORDS[milestones.milestone_state(row)]
                      for row in shown.itertuples()]
    return readable_frame(table.reset_index(drop=True))


def _moves(trend: pd.DataFrame) -> pd.DataFrame:
    """Per milestone: its first and latest recorded due dates and the days between them."""
    columns = ["milestone_id", "title", "first_due", "latest_due", "moved_days"]
    if trend.empty:
        return pd.DataFrame(columns=columns)
    ordered = trend.dropna(subset=["due_date"]).sort_values(["milestone_id", "recorded_at"])
    grouped = ordered.groupby("milestone_id", sort=True)
    moves = pd.DataFrame({"title": grouped["title"].first(),
                          "first_due": grouped["due_date"].first(),
                          "latest_due": grouped["due_date"].last(),
                          "dates": grouped["due_date"].nunique()}).reset_index()
    moves["moved_days"] = [(pd.Timestamp(b) - pd.Timestamp(a)).days
                           for a, b in zip(moves["first_due"], moves["latest_due"], strict=True)]
    return moves[moves["dates"] > 1][columns].reset_index(drop=True)


def milestone_trend_summary(trend: pd.DataFrame, ctx: ViewContext) -> str:
    """'Milestone trend ... as of ...: 12 of 112 milestones had their due date moved; the
    largest move is LO-01-M1, 45 days later.'"""
    lead = _lead(milestones.TREND_TITLE, ctx)
    if trend.empty:
        return f"{lead}: no milestone dates recorded in this view."
    moves = _moves(trend)
    total = trend["milestone_id"].nunique()
    text = f"{lead}: {len(moves)} of {counted(total, 'milestone')} had their due date moved"
    if not moves.empty:
        biggest = moves.loc[moves["moved_days"].abs().idxmax()]
        days = int(biggest["moved_days"])
        text += (f"; the largest move is {biggest['milestone_id']}, "
                 f"{counted(abs(days), 'day')} {'later' if days > 0 else 'earlier'}")
    return text + "."


def milestone_trend_table(trend: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Each moved milestone: its first and latest recorded due date and the move in days."""
    moves = _moves(trend).rename(columns={"first_due": "first_recorded_due",
                                          "latest_due": "latest_recorded_due"})
    return readable_frame(moves).rename(columns={"Moved days": "Moved (days)"})


# -- freshness and compliance ------------------------------------------------------------

def freshness_heatmap_summary(frame: pd.DataFrame, ctx: ViewContext) -> str:
    """'Days since last update ... as of ...: the longest silence is Health Canada in Fraud
    (120 days); 3 of 43 domain and owner pairs are past the 30-day stale limit; 2 never
    reported.'"""
    lead = _lead(freshness.FRESHNESS_TITLE, ctx)
    if frame.empty:
        return f"{lead}: no items in this view."
    cells = frame.assign(text=[freshness.cell_text(row) for row in frame.itertuples(index=False)])
    eligible = cells["eligible"] > 0 if "eligible" in cells else cells["items"] > 0
    days = cells["days_since_update"].astype("Float64").where(eligible)
    never = int((cells["text"] == freshness.NEVER).sum())
    stale = int((days > ctx.settings.stale_days).sum())
    text = lead + ": "
    if days.notna().any():
        quiet = cells.loc[days.idxmax()]
        text += (f"the longest silence is {quiet['owner']} in {quiet['domain']} "
                 f"({counted(int(days.max()), 'day')}); ")
    text += (f"{_part_of(stale, len(cells), 'domain and owner pair')} past the "
             f"{ctx.settings.stale_days}-day stale limit; {never} never reported.")
    return text


def freshness_heatmap_table(frame: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Domain, owner, items and days since update as the cells print them ('never', 'n/a')."""
    table = frame.reindex(columns=["domain", "owner", "items"])
    table["days_since_update"] = [freshness.cell_text(row) for row in frame.itertuples(index=False)]
    return readable_frame(table.reset_index(drop=True))


def compliance_by_party_summary(frame: pd.DataFrame, ctx: ViewContext) -> str:
    """'Reporting compliance by party as of ...: Canada 90% (19 of 21 items), India 95% (18 of
    19 items).'"""
    lead = _lead(freshness.COMPLIANCE_TITLE, ctx)
    if frame.empty:
        return f"{lead}: no started, incomplete items to report on in this view."
    parts = [f"{row.group} {share(row.compliance, none='no eligible items')}"
             + ("" if missing(row.compliance) else
                f" ({int(row.reported)} of {counted(int(row.eligible), 'item')})")
             for row in frame.itertuples(index=False)]
    return f"{lead}: {', '.join(parts)}."


def compliance_by_party_table(frame: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Party, eligible and reported items, and the share reported (%)."""
    table = frame.reindex(columns=["group", "eligible", "reported"]).rename(
        columns={"group": "party"})
    table["compliance_pct"] = [None if missing(v) else round(100 * float(v), 1)
                               for v in frame["compliance"]]
    return readable_frame(table.reset_index(drop=True)).rename(
        columns={"Compliance pct": "Reported (%)"})


# -- one alternative per chart -----------------------------------------------------------

def progress_by_domain_alternative(groups: pd.DataFrame, ctx: ViewContext) -> ChartAlternative:
    return ChartAlternative(progress_by_domain_summary(groups, ctx),
                            progress_by_domain_table(groups, ctx))


def health_by_domain_alternative(groups: pd.DataFrame, ctx: ViewContext) -> ChartAlternative:
    return ChartAlternative(health_by_domain_summary(groups, ctx),
                            health_by_domain_table(groups, ctx))


def burn_up_alternative(weeks: pd.DataFrame, ctx: ViewContext, *,
                        title: str = progress.BURN_UP_TITLE) -> ChartAlternative:
    return ChartAlternative(burn_up_summary(weeks, ctx, title=title), burn_up_table(weeks, ctx))


def spi_trend_alternative(weeks: pd.DataFrame, ctx: ViewContext) -> ChartAlternative:
    return ChartAlternative(spi_trend_summary(weeks, ctx), spi_trend_table(weeks, ctx))


def milestone_timeline_alternative(frame: pd.DataFrame, items: pd.DataFrame, ctx: ViewContext, *,
                                   include_done: bool = False) -> ChartAlternative:
    return ChartAlternative(
        milestone_timeline_summary(frame, items, ctx, include_done=include_done),
        milestone_timeline_table(frame, items, ctx, include_done=include_done))


def milestone_trend_alternative(trend: pd.DataFrame, ctx: ViewContext) -> ChartAlternative:
    return ChartAlternative(milestone_trend_summary(trend, ctx), milestone_trend_table(trend, ctx))


def freshness_heatmap_alternative(frame: pd.DataFrame, ctx: ViewContext) -> ChartAlternative:
    return ChartAlternative(freshness_heatmap_summary(frame, ctx),
                            freshness_heatmap_table(frame, ctx))


def compliance_by_party_alternative(frame: pd.DataFrame, ctx: ViewContext) -> ChartAlternative:
    return ChartAlternative(compliance_by_party_summary(frame, ctx),
                            compliance_by_party_table(frame, ctx))


# Registry name -> the alternative of the data its `build_*` function loads (same loader).
REGISTERED: dict[str, Callable[[Store, ViewContext], ChartAlternative]] = {
    "progress-by-domain": lambda store, ctx: progress_by_domain_alternative(
        progress.domain_groups(store, ctx), ctx),
    "health-by-domain": lambda store, ctx: health_by_domain_alternative(
        progress.domain_groups(store, ctx), ctx),
    "burn-up": lambda store, ctx: burn_up_alternative(progress.overall_weeks(store, ctx), ctx),
    "domain-burn-up": lambda store, ctx: burn_up_alternative(
        progress.overall_weeks(store, ctx), ctx, title=progress.DOMAIN_BURN_UP_TITLE),
    "spi-trend": lambda store, ctx: spi_trend_alternative(progress.overall_weeks(store, ctx), ctx),
    "milestone-timeline": lambda store, ctx: milestone_timeline_alternative(
        *milestones.timeline_frames(store, ctx), ctx),
    "milestone-trend": lambda store, ctx: milestone_trend_alternative(
        milestones.trend_frame(store, ctx), ctx),
    "freshness-heatmap": lambda store, ctx: freshness_heatmap_alternative(
        freshness.freshness_frame(store, ctx), ctx),
    "compliance-by-party": lambda store, ctx: compliance_by_party_alternative(
        freshness.compliance_frame(store, ctx), ctx),
}


def chart_alternative(name: str, store: Store, ctx: ViewContext) -> ChartAlternative:
    """The registered chart `name`'s alternative for this view (the pack's alt text)."""
    return REGISTERED[name](store, ctx)
