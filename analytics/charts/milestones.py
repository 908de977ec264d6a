"""Milestone figures: a Gantt-style timeline (baseline against current dates) and the trend of due dates.

Why: "which milestones slipped, and by how much?" is the second question of every
dialogue meeting. The timeline puts each item's bar (start to current due date,
coloured and labelled by health) next to its milestones, with a grey line from
each baseline date to the current date so a slip is visible at a glance. It
opens on the open milestones (done ones on request), one readable row per item
however many there are. The trend shows each moved milestone's due date as
recorded at successive imports.
The milestones and domain pages, the exports and the report draw these through
the same builders (registered as `milestone-timeline` and `milestone-trend`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.palette import (
    HEALTH_COLORS,
    HEALTH_LABELS,
    HEALTH_ORDER,
    PLANNED_COLOR,
    base_layout,
    empty_figure,
    plain,
)
from analytics.context import ViewContext
from analytics.formatting import signed_days
from analytics.i18n import N_, format_date, translator
from analytics.store import Store

TIMELINE_TITLE = N_("Milestone timeline: baseline against current dates")
TREND_TITLE = N_("Milestone trend: due dates as recorded at each import")
LINE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
               "#882255"]
MILESTONE_STATES = {  # state -> (label, colour, symbol)
    "done": (N_("Milestone done"), HEALTH_COLORS["complete"], "diamond"),
    "overdue": (N_("Milestone overdue"), HEALTH_COLORS["red"], "diamond"),
    "slipped": (N_("Milestone slipped"), HEALTH_COLORS["amber"], "diamond"),
    "on_track": (N_("Milestone on baseline"), "#333333", "diamond"),
}
MS_PER_DAY = 86_400_000
ROW_PX = 26               # one item of the timeline: 12 px labels readable at 1366 px
TIMELINE_FRAME_PX = 160   # the usual title block, the date axis and padding around the rows


def _day(value) -> date | None:
    """A `date` from date/datetime/Timestamp, None for missing values."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def item_label(item_id: str, title: str, width: int = 38) -> str:
    """'FRD-01 · Joint typology of payment fraud…' (short enough for the axis)."""
    text = f"{item_id} · {title}"
    return plain(text if len(text) <= width else text[: width - 1] + "…")


def translucent(hex_color: str, alpha: float) -> str:
    """'rgba(213,94,0,0.45)' from '#D55E00' (bar fill faded, its label text not)."""
    red, green, blue = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def milestone_state(row) -> str:
    """done, overdue, slipped or on_track (the colour of the milestone's marker)."""
    if bool(row.done):
        return "done"
    if bool(row.overdue):
        return "overdue"
    return "slipped" if bool(row.slipped) else "on_track"


def milestone_timeline(milestones: pd.DataFrame, items: pd.DataFrame, ctx: ViewContext, *,
                       include_done: bool = False) -> go.Figure:
    """One row per item: its bar, its baseline due date, its milestones and their slips.

    By default only open milestones (overdue, slipped, on baseline) and the items that have
    one are drawn; `include_done` adds done milestones and every other item of the view.
    Rows are ROW_PX tall whatever their number, so the figure grows and the page scrolls.
    """
    shown_items, shown = items, milestones
    if not include_done:
        shown = milestones[~milestones["done"].fillna(False).astype(bool)]
        shown_items = items[items["item_id"].isin(set(shown["item_id"]))]
    if shown_items.empty:
        message = N_("No items in this view.") if include_done or items.empty else N_(
            "Every milestone in this view is done; show the completed ones to see them.")
        return empty_figure(TIMELINE_TITLE, ctx, message)
    shown_items = shown_items.sort_values(["start_date", "item_id"], na_position="last",
                                          kind="stable")
    labels = {row.item_id: item_label(row.item_id, row.title) for row in shown_items.itertuples()}
    figure = go.Figure()
    _item_bars(figure, shown_items, labels, ctx.lang)
    _item_baselines(figure, shown_items, labels, ctx.lang)
    _milestone_slips(figure, shown, labels, ctx.lang)
    _milestone_markers(figure, shown, labels, ctx.lang)
    figure.add_vline(x=datetime.combine(ctx.as_of, datetime.min.time()).timestamp() * 1000,
                     line={"color": "#222222", "dash": "dot"},
                     annotation_text=translator(ctx.lang)("as of {date}").format(
                         date=ctx.as_of.isoformat() if ctx.lang == "en"
                         else format_date(ctx.as_of, ctx.lang)),
                     annotation_position="bottom right")
    base_layout(figure, TIMELINE_TITLE, ctx, height=TIMELINE_FRAME_PX + ROW_PX * (len(labels) + 1),
                subtitle=_timeline_subtitle(items, shown_items, include_done, ctx.lang),
                legend="bottom", top_axis=True, y_labels=labels.values())
    figure.update_xaxes(type="date", side="top", title_text="")
    # First item on top; an empty row under the last one holds the "as of" label.
    figure.update_yaxes(type="category", range=[len(labels) + 0.5, -0.5],
                        categoryorder="array", categoryarray=list(labels.values()))
    return figure


def _timeline_subtitle(items: pd.DataFrame, shown_items: pd.DataFrame, include_done: bool,
                       lang: str = "en") -> str:
    _ = translator(lang)
    rows = (_("all items and milestones") if include_done else
            _("open milestones: {shown} of {items} items have one (completed milestones "
              "hidden)").format(shown=len(shown_items), items=len(items)))
    return _("{rows}; bar = item start to current due date (label = health); grey line = slip "
             "from baseline (hollow) to current date").format(rows=rows)


def _item_bars(figure: go.Figure, items: pd.DataFrame, labels: dict, lang: str = "en") -> None:
    _ = translator(lang)
    for status in HEALTH_ORDER:
        rows = [r for r in items.itertuples() if r.health == status
                and _day(r.start_date) and _day(r.due_date)]
        if not rows:
            continue
        starts = [_day(r.start_date) for r in rows]
        spans = [max((_day(r.due_date) - s).days, 1) * MS_PER_DAY for r, s in
                 zip(rows, starts, strict=True)]
        figure.add_trace(go.Bar(
            y=[labels[r.item_id] for r in rows], x=spans, base=[s.isoformat() for s in starts],
            orientation="h", name=_("Item: {health}").format(health=_(HEALTH_LABELS[status])),
            marker_color=translucent(HEALTH_COLORS[status], 0.45),
            text=[_(HEALTH_LABELS[status])] * len(rows), textposition="inside",
            insidetextanchor="start", textfont={"color": "#111111", "size": 12},
            customdata=[[_day(r.due_date).isoformat()] for r in rows],
            hovertemplate="%{y}<br>" + _("{health}, due {date}").format(
                health=_(HEALTH_LABELS[status]), date="%{customdata[0]}") + "<extra></extra>",
        ))


def _item_baselines(figure: go.Figure, items: pd.DataFrame, labels: dict,
                    lang: str = "en") -> None:
    _ = translator(lang)
    moved = [r for r in items.itertuples() if _day(r.baseline_due_date) and _day(r.due_date)
             and _day(r.baseline_due_date) != _day(r.due_date)]
    if not moved:
        return
    figure.add_trace(go.Scatter(
        y=[labels[r.item_id] for r in moved], x=[_day(r.baseline_due_date) for r in moved],
        mode="markers", name=_("Item baseline due date"),
        marker={"symbol": "line-ns-open", "size": 16, "color": "#111111", "line": {"width": 2}},
        hovertemplate="%{y}<br>" + _("baseline due {date}").format(date="%{x|%Y-%m-%d}")
                      + "<extra></extra>",
    ))


def _milestone_slips(figure: go.Figure, milestones: pd.DataFrame, labels: dict,
                     lang: str = "en") -> None:
    _ = translator(lang)
    xs, ys = [], []
    for row in milestones.itertuples():
        base, due = _day(row.baseline_date), _day(row.due_date)
        if row.item_id in labels and base and due and base != due:
            xs += [base, due, None]
            ys += [labels[row.item_id]] * 2 + [None]
    if not xs:
        return
    figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=_("Milestone slip"),
                                line={"color": PLANNED_COLOR, "width": 2}, hoverinfo="skip"))
    bases = [x for i, x in enumerate(xs) if i % 3 == 0]
    figure.add_trace(go.Scatter(
        x=bases, y=[y for i, y in enumerate(ys) if i % 3 == 0], mode="markers",
        name=_("Milestone baseline"), marker={"symbol": "diamond-open", "size": 10,
                                              "color": PLANNED_COLOR},
        hovertemplate="%{y}<br>" + _("baseline {date}").format(date="%{x|%Y-%m-%d}")
                      + "<extra></extra>",
    ))


def _milestone_markers(figure: go.Figure, milestones: pd.DataFrame, labels: dict,
                       lang: str = "en") -> None:
    _ = translator(lang)
    shown = [r for r in milestones.itertuples() if r.item_id in labels and _day(r.due_date)]
    for state, (label, color, symbol) in MILESTONE_STATES.items():
        name = _(label)
        rows = [r for r in shown if milestone_state(r) == state]
        if not rows:
            continue
        figure.add_trace(go.Scatter(
            y=[labels[r.item_id] for r in rows], x=[_day(r.due_date) for r in rows],
            mode="markers", name=name, marker={"symbol": symbol, "size": 12, "color": color,
                                              "line": {"width": 1.5, "color": "#222222"}},
            customdata=[[plain(r.milestone_id), plain(r.title), _slip_text(r, lang)] for r in rows],
            hovertemplate="%{customdata[0]} %{customdata[1]}<br>"
                          + _("due {date}").format(date="%{x|%Y-%m-%d}")
                          + "%{customdata[2]}<extra>" + name + "</extra>",
        ))


def _slip_text(row, lang: str = "en") -> str:
    slip = row.slip_days
    if slip is None or slip != slip or not round(slip):
        return ""
    return " " + translator(lang)("(moved {days} from baseline)").format(
        days=signed_days(slip, lang=lang))


def milestone_trend(trend: pd.DataFrame, ctx: ViewContext) -> go.Figure:
    """Lines of each moved milestone's due date against the date it was recorded."""
    if trend.empty:
        return empty_figure(TREND_TITLE, ctx, N_("No milestone dates recorded in this view."))
    frame = trend.assign(recorded=[_day(v) for v in trend["recorded_at"]],
                         due=[_day(v) for v in trend["due_date"]]).dropna(subset=["recorded", "due"])
    moved_ids = [m for m, group in frame.groupby("milestone_id", sort=True)
                 if group["due"].nunique() > 1]
    unchanged = frame["milestone_id"].nunique() - len(moved_ids)
    if not moved_ids:
        return empty_figure(TREND_TITLE, ctx, translator(ctx.lang)(
            "None of the {n} milestones in this view has moved.").format(n=unchanged))
    figure = go.Figure()
    low = frame["recorded"].min()
    figure.add_trace(go.Scatter(x=[low, ctx.as_of], y=[low, ctx.as_of], mode="lines",
                                name=translator(ctx.lang)("due date = recording date"),
                                hoverinfo="skip",
                                line={"color": "#BBBBBB", "dash": "dot"}))
    ends = {}
    for n, milestone_id in enumerate(moved_ids):
        group = frame[frame["milestone_id"] == milestone_id].sort_values("recorded")
        color = LINE_COLORS[n % len(LINE_COLORS)]
        name = plain(milestone_id)
        xs, ys = list(group["recorded"]), list(group["due"])
        if xs[-1] < ctx.as_of:  # the last recorded date still stands at the as-of date
            xs, ys = xs + [ctx.as_of], ys + [ys[-1]]
        ends[name] = (ys[-1], color)
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=name, showlegend=False,
            line={"color": color, "width": 2, "shape": "hv"}, marker={"size": 7},
            customdata=[[plain(group["title"].iloc[0])]] * len(xs),
            hovertemplate="%{customdata[0]}<br>" + translator(ctx.lang)(
                "recorded {recorded}: due {due}").format(recorded="%{x|%Y-%m-%d}",
                                                         due="%{y|%Y-%m-%d}")
                          + "<extra>" + name + "</extra>",
        ))
    span = (max(frame["due"].max(), ctx.as_of) - min(frame["due"].min(), low)).days
    _end_labels(figure, ends, ctx.as_of, gap_days=max(span / 24, 7))
    base_layout(figure, TREND_TITLE, ctx, height=460,
                subtitle=translator(ctx.lang)(
                    "{moved} milestones whose due date moved; {unchanged} unchanged not drawn; "
                    "rising line = slipping").format(moved=len(moved_ids), unchanged=unchanged))
    figure.update_xaxes(type="date", title_text=translator(ctx.lang)("recorded at (import date)"))
    figure.update_yaxes(type="date", title_text=translator(ctx.lang)("due date"))
    figure.update_layout(margin={"r": 110})
    return figure


def _end_labels(figure: go.Figure, ends: dict, as_of: date, *, gap_days: float) -> None:
    """Each line's milestone id right of its end, spread apart so no two labels overlap."""
    ordered = sorted(ends.items(), key=lambda item: item[1][0])
    spots = spread([(due - as_of).days for _, (due, _) in ordered], gap_days)
    for (name, (_, color)), offset in zip(ordered, spots, strict=True):
        figure.add_annotation(x=as_of, y=as_of + timedelta(days=offset), text=name,
                              showarrow=False, xanchor="left", xshift=8,
                              font={"color": color, "size": 12})


def spread(values: list[float], gap: float) -> list[float]:
    """Sorted positions moved apart to at least `gap`, each crowded run centred on its mean."""
    runs = [[v] for v in values]
    merged = True
    while merged:
        merged = False
        for i in range(len(runs) - 1):
            if _top(runs[i], gap) + gap > _bottom(runs[i + 1], gap):
                runs[i:i + 2] = [runs[i] + runs[i + 1]]
                merged = True
                break
    return [_bottom(run, gap) + k * gap for run in runs for k in range(len(run))]


def _bottom(run: list[float], gap: float) -> float:
    return sum(run) / len(run) - gap * (len(run) - 1) / 2


def _top(run: list[float], gap: float) -> float:
    return _bottom(run, gap) + gap * (len(run) - 1)


def timeline_frames(store: Store, ctx: ViewContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(milestones, items) of the filtered view: what the timeline is drawn from."""
    from analytics import metrics

    return metrics.milestone_metrics(store, ctx), metrics.item_metrics(store, ctx)


def trend_frame(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The recorded due dates the milestone trend is drawn from."""
    from analytics import metrics

    return metrics.milestone_trend(store, ctx)


def build_milestone_timeline(store: Store, ctx: ViewContext) -> go.Figure:
    """Registry entry: milestones and items of the filtered view (one domain from --domain)."""
    return milestone_timeline(*timeline_frames(store, ctx), ctx)


def build_milestone_trend(store: Store, ctx: ViewContext) -> go.Figure:
    return milestone_trend(trend_frame(store, ctx), ctx)
