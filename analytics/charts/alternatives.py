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
from analytics.charts.palette import HEALTH_ORDER, health_label
from analytics.context import ViewContext
from analytics.formatting import (
    counted,
    long_date,
    missing,
    pct,
    ratio,
    readable_frame,
    share,
)
from analytics.i18n import N_, format_percent, translator
from analytics.metrics.health import reason_words
from analytics.store import Store

# Headers of the columns only these tables have (the others are formatting.COLUMN_LABELS).
HEADERS = {"week_ending": N_("Week ending"), "first_recorded_due": N_("First recorded due"),
           "latest_recorded_due": N_("Latest recorded due"), "moved_days": N_("Moved (days)"),
           "state": N_("State"), "compliance_pct": N_("Reported (%)"),
           "eligible": N_("Eligible items"), "reported": N_("Items reported")}
MILESTONE_STATE_WORDS = {"done": N_("Done"), "overdue": N_("Overdue"), "slipped": N_("Slipped"),
                         "on_track": N_("On baseline")}


@dataclass(frozen=True)
class ChartAlternative:
    """What a screen reader gets for one chart: the sentence and the data table."""

    summary: str
    table: pd.DataFrame


def _sentence(title: str, ctx: ViewContext, clauses: list[str]) -> str:
    """'Progress by domain as of 24 Nov 2026: clause; clause.' in the view's language."""
    _ = translator(ctx.lang)
    lead = _("{title} as of {date}").format(title=_(title),
                                            date=long_date(ctx.as_of, lang=ctx.lang))
    return _("{lead}: {clauses}.").format(lead=lead, clauses=_("; ").join(clauses))


def _readable(frame: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """`formatting.readable_frame` in the view's language, with this module's own headers."""
    _ = translator(ctx.lang)
    out = readable_frame(frame, ctx.lang)
    out.columns = [_(HEADERS[name]) if name in HEADERS else label
                   for name, label in zip(frame.columns, out.columns, strict=True)]
    return out.reset_index(drop=True)


def _rounded(frame: pd.DataFrame, columns: list[str], digits: int = 1) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = [None if missing(v) else round(float(v), digits) for v in out[column]]
    return out


def _whole(value, lang: str) -> str:
    return "—" if missing(value) else format_percent(float(value), lang, 0)


# -- progress by domain ------------------------------------------------------------------

def _on_plan(part: int, total: int, lang: str) -> str:
    """'2 of 6 domains are on plan', '1 of 6 domains is on plan', '0 of 1 domain is on plan'."""
    _ = translator(lang)
    if total == 1:
        text = _("{part} of {total} domain is on plan")
    elif part == 1:
        text = _("{part} of {total} domains is on plan")
    else:
        text = _("{part} of {total} domains are on plan")
    return text.format(part=part, total=total)


def progress_by_domain_summary(groups: pd.DataFrame, ctx: ViewContext) -> str:
    """'Progress by domain as of 24 Nov 2026: Fraud is furthest behind plan (40% done against
    62% planned); 2 of 6 domains are on plan.'"""
    _ = translator(ctx.lang)
    if groups.empty:
        return _sentence(progress.PROGRESS_TITLE, ctx, [_("no items in this view")])
    variance = groups["variance_pp"].astype("Float64").fillna(0).round(0)
    on_plan = int((variance >= 0).sum())
    tally = _on_plan(on_plan, len(groups), ctx.lang)
    if on_plan == len(groups):
        return _sentence(progress.PROGRESS_TITLE, ctx, [tally])
    worst = groups.loc[variance.idxmin()]
    behind = _("{domain} is furthest behind plan ({actual} done against {planned} planned)").format(
        domain=worst["group"], actual=_whole(worst["actual_pct"], ctx.lang),
        planned=_whole(worst["planned_pct"], ctx.lang))
    return _sentence(progress.PROGRESS_TITLE, ctx, [behind, tally])


def progress_by_domain_table(groups: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Domain, planned and actual %, variance, health and reason, as the bars show them."""
    columns = ["group", "planned_pct", "actual_pct", "variance_pp", "health", "reason"]
    frame = _rounded(groups.reindex(columns=columns), ["planned_pct", "actual_pct", "variance_pp"])
    out = _readable(frame.rename(columns={"group": "domain"}), ctx)
    out[out.columns[-1]] = out[out.columns[-1]].map(reason_words)   # health is its own column
    return out


# -- health mix by domain ----------------------------------------------------------------

def health_by_domain_summary(groups: pd.DataFrame, ctx: ViewContext) -> str:
    """'Health mix by domain as of ...: 56 items: 6 red, 10 amber, ...; Fraud has the most red
    items (3).'"""
    _ = translator(ctx.lang)
    if groups.empty:
        return _sentence(progress.HEALTH_TITLE, ctx, [_("no items in this view")])
    totals = {status: int(groups[status].fillna(0).sum()) for status in HEALTH_ORDER}
    mix = ", ".join(_("{n} {health}").format(n=n, health=health_label(s, ctx.lang).lower())
                    for s, n in totals.items())
    clauses = [_("{items}: {mix}").format(items=counted(sum(totals.values()), "item", ctx.lang),
                                          mix=mix)]
    if totals["red"]:
        worst = groups.loc[groups["red"].fillna(0).astype(int).idxmax()]
        clauses.append(_("{domain} has the most red items ({n})").format(
            domain=worst["group"], n=int(worst["red"])))
    return _sentence(progress.HEALTH_TITLE, ctx, clauses)


def health_by_domain_table(groups: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Domain, its own health, then its items counted by health."""
    frame = groups.reindex(columns=["group", "health", *HEALTH_ORDER])
    return _readable(frame.rename(columns={"group": "domain"}), ctx)


# -- burn-up and SPI(t) ------------------------------------------------------------------

def burn_up_summary(weeks: pd.DataFrame, ctx: ViewContext, *,
                    title: str = progress.BURN_UP_TITLE) -> str:
    """'Burn-up ... as of ...: in the week ending 1 Nov 2026, 63.0% done against 70.2% planned,
    over 38 weeks.'"""
    _ = translator(ctx.lang)
    if weeks.empty:
        return _sentence(title, ctx, [_("no progress recorded up to this date")])
    last = weeks.sort_values("week_end").iloc[-1]
    return _sentence(title, ctx, [
        _("in the week ending {date}, {actual} done against {planned} planned, over {weeks}").format(
            date=long_date(last["week_end"], lang=ctx.lang),
            actual=pct(last["actual_pct"], lang=ctx.lang),
            planned=pct(last["planned_pct"], lang=ctx.lang),
            weeks=counted(len(weeks), "week", ctx.lang))])


def burn_up_table(weeks: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Week ending, planned and actual % complete, week by week."""
    frame = weeks.sort_values("week_end").reindex(columns=["week_end", "planned_pct", "actual_pct"])
    frame = _rounded(frame, ["planned_pct", "actual_pct"]).rename(columns={"week_end": "week_ending"})
    return _readable(frame, ctx)


def _spi_state(value: float, lang: str) -> str:
    _ = translator(lang)
    if round(value, 2) == 1:
        return _("on schedule")
    return _("below 1.0: behind schedule") if value < 1 else _("above 1.0: ahead of schedule")


def spi_trend_summary(weeks: pd.DataFrame, ctx: ViewContext, *,
                      title: str = progress.SPI_TITLE) -> str:
    """'Schedule performance ... as of ...: SPI(t) 0.91 in the week ending ... (below 1.0:
    behind schedule); lowest 0.54, highest 1.02.'"""
    _ = translator(ctx.lang)
    known = weeks.sort_values("week_end").dropna(subset=["spi_t"]) if not weeks.empty else weeks
    if known.empty:
        return _sentence(title, ctx, [_("no schedule performance to show up to this date")])
    last = known.iloc[-1]
    value = float(last["spi_t"])
    return _sentence(title, ctx, [
        _("SPI(t) {value} in the week ending {date} ({state})").format(
            value=ratio(value, lang=ctx.lang), date=long_date(last["week_end"], lang=ctx.lang),
            state=_spi_state(value, ctx.lang)),
        _("lowest {low}, highest {high}").format(low=ratio(known["spi_t"].min(), lang=ctx.lang),
                                                 high=ratio(known["spi_t"].max(), lang=ctx.lang))])


def spi_trend_table(weeks: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Week ending and SPI(t), week by week."""
    frame = weeks.sort_values("week_end").reindex(columns=["week_end", "spi_t"])
    frame = _rounded(frame, ["spi_t"], 2).rename(columns={"week_end": "week_ending"})
    return _readable(frame, ctx)


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
    _ = translator(ctx.lang)
    shown = _timeline_shown(frame, include_done)
    if shown.empty:
        nothing = _("no milestones in this view") if include_done else _(
            "no open milestones in this view")
        return _sentence(milestones.TIMELINE_TITLE, ctx, [nothing])
    states = [milestones.milestone_state(row) for row in shown.itertuples()]
    figures = {"n": len(shown), "items": counted(shown["item_id"].nunique(), "item", ctx.lang),
               "overdue": states.count("overdue"), "slipped": states.count("slipped"),
               "done": states.count("done")}
    if include_done:
        text = _("{n} milestones on {items}: {overdue} overdue, {slipped} slipped from their "
                 "baseline, {done} done")
    else:
        text = _("{n} open milestones on {items}: {overdue} overdue, {slipped} slipped from "
                 "their baseline")
    return _sentence(milestones.TIMELINE_TITLE, ctx, [text.format(**figures)])


def milestone_timeline_table(frame: pd.DataFrame, items: pd.DataFrame, ctx: ViewContext, *,
                             include_done: bool = False) -> pd.DataFrame:
    """Each drawn milestone: its item, due and baseline dates, slip and state."""
    _ = translator(ctx.lang)
    shown = _timeline_shown(frame, include_done)
    table = shown.reindex(columns=["milestone_id", "title", "item_id", "due_date",
                                   "baseline_date", "slip_days"])
    table["state"] = [_(MILESTONE_STATE_WORDS[milestones.milestone_state(row)])
                      for row in shown.itertuples()]
    return _readable(table, ctx)


def _moves(trend: pd.DataFrame) -> pd.DataFrame:
    """Per milestone: its first and latest recorded due dates and the days between them."""
    columns = ["milestone_id", "title", "first_recorded_due", "latest_recorded_due", "moved_days"]
    if trend.empty:
        return pd.DataFrame(columns=columns)
    ordered = trend.dropna(subset=["due_date"]).sort_values(["milestone_id", "recorded_at"])
    grouped = ordered.groupby("milestone_id", sort=True)
    moves = pd.DataFrame({"title": grouped["title"].first(),
                          "first_recorded_due": grouped["due_date"].first(),
                          "latest_recorded_due": grouped["due_date"].last(),
                          "dates": grouped["due_date"].nunique()}).reset_index()
    moves["moved_days"] = [(pd.Timestamp(b) - pd.Timestamp(a)).days for a, b in
                           zip(moves["first_recorded_due"], moves["latest_recorded_due"],
                               strict=True)]
    return moves[moves["dates"] > 1][columns].reset_index(drop=True)


def milestone_trend_summary(trend: pd.DataFrame, ctx: ViewContext) -> str:
    """'Milestone trend ... as of ...: 12 of 112 milestones had their due date moved; the
    largest move is LO-01-M1, 45 days later.'"""
    _ = translator(ctx.lang)
    if trend.empty:
        return _sentence(milestones.TREND_TITLE, ctx,
                         [_("no milestone dates recorded in this view")])
    moves = _moves(trend)
    total = counted(trend["milestone_id"].nunique(), "milestone", ctx.lang)
    clauses = [_("{moved} of {total} had their due date moved").format(moved=len(moves),
                                                                         total=total)]
    if not moves.empty:
        biggest = moves.loc[moves["moved_days"].abs().idxmax()]
        days = int(biggest["moved_days"])
        text = _("the largest move is {milestone}, {days} later") if days > 0 else _(
            "the largest move is {milestone}, {days} earlier")
        clauses.append(text.format(milestone=biggest["milestone_id"],
                                   days=counted(abs(days), "day", ctx.lang)))
    return _sentence(milestones.TREND_TITLE, ctx, clauses)


def milestone_trend_table(trend: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Each moved milestone: its first and latest recorded due date and the move in days."""
    return _readable(_moves(trend), ctx)


# -- freshness and compliance ------------------------------------------------------------

def _past_stale(part: int, total: int, limit: int, lang: str) -> str:
    """'1 of 4 domain and owner pairs is past the 45-day stale limit' (and agreement)."""
    _ = translator(lang)
    if total == 1:
        text = _("{part} of {total} domain and owner pair is past the {limit}-day stale limit")
    elif part == 1:
        text = _("{part} of {total} domain and owner pairs is past the {limit}-day stale limit")
    else:
        text = _("{part} of {total} domain and owner pairs are past the {limit}-day stale limit")
    return text.format(part=part, total=total, limit=limit)


def freshness_heatmap_summary(frame: pd.DataFrame, ctx: ViewContext) -> str:
    """'Days since last update ... as of ...: the longest silence is Health Canada in Fraud
    (120 days); 3 of 43 domain and owner pairs are past the 45-day stale limit; 2 never
    reported.'"""
    _ = translator(ctx.lang)
    if frame.empty:
        return _sentence(freshness.FRESHNESS_TITLE, ctx, [_("no items in this view")])
    cells = frame.assign(text=[freshness.cell_text(row) for row in frame.itertuples(index=False)])
    eligible = cells["eligible"] > 0 if "eligible" in cells else cells["items"] > 0
    days = cells["days_since_update"].astype("Float64").where(eligible)
    clauses = []
    if days.notna().any():
        quiet = cells.loc[days.idxmax()]
        clauses.append(_("the longest silence is {owner} in {domain} ({days})").format(
            owner=quiet["owner"], domain=quiet["domain"],
            days=counted(int(days.max()), "day", ctx.lang)))
    clauses.append(_past_stale(int((days > ctx.settings.stale_days).sum()), len(cells),
                               ctx.settings.stale_days, ctx.lang))
    clauses.append(_("{n} never reported").format(
        n=int((cells["text"] == freshness.NEVER).sum())))
    return _sentence(freshness.FRESHNESS_TITLE, ctx, clauses)


def freshness_heatmap_table(frame: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Domain, owner, items and days since update as the cells print them ('never', 'n/a')."""
    table = frame.reindex(columns=["domain", "owner", "items"])
    table["days_since_update"] = [freshness.cell_text(row) for row in frame.itertuples(index=False)]
    return _readable(table, ctx)


def _party_share(row, lang: str) -> str:
    _ = translator(lang)
    if missing(row.compliance):
        return _("{party} no eligible items").format(party=row.group)
    return _("{party} {share} ({reported} of {eligible})").format(
        party=row.group, share=share(row.compliance, lang=lang), reported=int(row.reported),
        eligible=counted(int(row.eligible), "item", lang))


def compliance_by_party_summary(frame: pd.DataFrame, ctx: ViewContext) -> str:
    """'Reporting compliance by party as of ...: Canada 90% (19 of 21 items), India 95% (18 of
    19 items).'"""
    _ = translator(ctx.lang)
    if frame.empty:
        return _sentence(freshness.COMPLIANCE_TITLE, ctx,
                         [_("no started, incomplete items to report on in this view")])
    parts = [_party_share(row, ctx.lang) for row in frame.itertuples(index=False)]
    return _sentence(freshness.COMPLIANCE_TITLE, ctx, [", ".join(parts)])


def compliance_by_party_table(frame: pd.DataFrame, ctx: ViewContext) -> pd.DataFrame:
    """Party, eligible and reported items, and the share reported (%)."""
    table = frame.reindex(columns=["group", "eligible", "reported"]).rename(
        columns={"group": "party"})
    table["compliance_pct"] = [None if missing(v) else round(100 * float(v), 1)
                               for v in frame["compliance"]]
    return _readable(table, ctx)


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
